//! Every Postmark endpoint, grouped as Postmark's documentation groups them.
//!
//! Each endpoint is a plain struct: its fields are the request's parameters,
//! its [`Endpoint`](crate::Endpoint) impl says where and how it is sent. Its
//! serde form (wire field names, plus `id`, `count`, `offset`... for path and
//! query parameters) is also the parameter object of the dynamic interface in
//! [`ops`](crate::ops).
//!
//! Responses read leniently: a field Postmark leaves out or sends as `null`
//! takes its default. The shapes requests share with responses (headers,
//! triggers, credentials) read the same way, while their declared types for
//! the bindings keep the fields a request must have.

pub mod common;
pub mod email;
pub mod raw;
pub mod servers;
pub mod webhooks;

/// The page size list endpoints use when the caller does not choose one:
/// Postmark's maximum, so that walking a list takes the fewest requests.
pub(crate) const fn default_count() -> u32 {
    500
}

/// A schema transform that lists `fields` (space-separated) as required, for
/// a shape that reads leniently (`#[serde(default)]`) but whose fields a
/// request must fill.
#[cfg(feature = "schema")]
pub(crate) fn required(fields: &'static str) -> impl FnMut(&mut schemars::Schema) {
    move |schema| {
        let required = schema
            .ensure_object()
            .entry("required")
            .or_insert_with(|| serde_json::Value::Array(Vec::new()));
        if let Some(required) = required.as_array_mut() {
            for field in fields.split(' ') {
                if !required.iter().any(|known| known == field) {
                    required.push(field.into());
                }
            }
        }
    }
}
