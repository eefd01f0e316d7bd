//! Every Postmark endpoint, grouped as Postmark's documentation groups them.
//!
//! Each endpoint is a plain struct: its fields are the request's parameters,
//! its [`Endpoint`](crate::Endpoint) impl says where and how it is sent. Its
//! serde form (wire field names, plus `id`, `count`, `offset`... for path and
//! query parameters) is also the parameter object of the dynamic interface in
//! [`ops`](crate::ops).

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
