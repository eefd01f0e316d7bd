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
//!
//! What the serde form cannot say is added to the models' JSON Schemas with
//! `x-` extensions (a batch of messages, a lenient reader, how a filter is
//! sent); `postmark-codegen` turns both into the shape tables (the crate's
//! `shape` module) that check every request.

/// Declares a request struct from its own fields and groups of fields it
/// shares with other requests, all at one level, as Postmark has them:
///
/// ```text
/// request_struct! {
///     /// docs
///     #[derive(...)]
///     pub struct SendEmail { pub subject: Option<String>, ... } + envelope_fields
/// }
/// ```
///
/// Each group (the addressing of a message, a server's settings, a date
/// window) is written once, as a macro that adds its fields, and is spliced
/// into every request that has it, so that the request's wire form (and its
/// shape, which the checks read) has them at its top level, as Postmark
/// does. Nesting the group with serde's `flatten` instead would hide the
/// fields from the shape tables.
macro_rules! request_struct {
    ($(#[$attr:meta])* pub struct $name:ident { $($own:tt)* } $(+ $group:ident)*) => {
        $crate::api::request_struct!(@splice $name [$(#[$attr])*] [$($own)*] $($group)*);
    };
    (@splice $name:ident $head:tt $fields:tt $group:ident $($rest:ident)*) => {
        $group!($name $head $fields $($rest)*);
    };
    (@splice $name:ident [$($head:tt)*] [$($fields:tt)*]) => {
        $($head)*
        pub struct $name {
            $($fields)*
        }
    };
}

pub(crate) use request_struct;

pub mod bounces;
pub mod bulk;
pub mod common;
pub mod data_removals;
pub mod domains;
pub mod email;
pub mod inbound_rules;
pub mod messages;
pub mod raw;
pub mod senders;
pub mod servers;
pub mod stats;
pub mod streams;
pub mod suppressions;
pub mod templates;
pub mod webhooks;

/// The page size list endpoints use when the caller does not choose one:
/// Postmark's maximum, so that walking a list takes the fewest requests.
pub(crate) const fn default_count() -> u32 {
    500
}

/// How deep Postmark pages bounces and message searches (`count + offset`).
pub(crate) const SEARCH_DEPTH: Option<u32> = Some(10_000);

/// Implements [`Paged`](crate::Paged) and [`Default`] for a list request
/// whose `count` and `offset` fields name its page, and whose response
/// holds `TotalCount` and the page's items in `$items`.
///
/// The default asks for the first page of [`default_count`] items, with the
/// other `$field`s (the filters, the path parameters) at their defaults.
macro_rules! paged_list {
    ($request:ident => $item:ty, $items:ident, depth $cap:expr; $($field:ident),*) => {
        impl Default for $request {
            fn default() -> Self {
                $request {
                    count: $crate::api::default_count(),
                    offset: 0,
                    $($field: Default::default(),)*
                }
            }
        }

        impl $crate::paging::Paged for $request {
            type Item = $item;
            const DEPTH_CAP: Option<u32> = $cap;

            fn page(&self) -> $crate::paging::Page {
                $crate::paging::Page {
                    count: self.count,
                    offset: self.offset,
                }
            }
            // A list without filters has nothing besides its page to copy.
            #[allow(clippy::needless_update)]
            fn with_page(&self, page: $crate::paging::Page) -> Self {
                $request {
                    count: page.count,
                    offset: page.offset,
                    ..self.clone()
                }
            }
            fn into_items(response: Self::Response) -> (u64, Vec<$item>) {
                (response.total_count, response.$items)
            }
        }
    };
}

pub(crate) use paged_list;

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

#[cfg(all(test, feature = "schema"))]
mod tests {
    use super::*;

    #[test]
    fn required_adds_each_field_once() {
        let mut schema = schemars::json_schema!({ "type": "object", "required": ["Password"] });
        required("Username Password")(&mut schema);
        assert_eq!(
            schema.get("required").unwrap(),
            &serde_json::json!(["Password", "Username"])
        );
        let auth = schemars::schema_for!(webhooks::HttpAuth);
        assert_eq!(
            auth.get("required").unwrap(),
            &serde_json::json!(["Username", "Password"])
        );
    }
}
