//! The `postmark_kit._native` extension module: the Postmark sans-IO core
//! over the blocking ureq client, for Python, and the core's request
//! building and response parsing on their own for other transports. The
//! package `postmark_kit`
//! re-exports it next to its exception hierarchy (`postmark_kit.errors`) and
//! its generated types (`postmark_kit.types`).

// The client classes' methods are made by a macro that takes one operation
// per step, and the table has more operations than rustc's default depth.
#![recursion_limit = "512"]

mod client;
mod convert;
mod engine;
mod errors;
mod pages;
mod sansio;
mod webhook;

use pyo3::prelude::*;

#[pymodule]
mod _native {
    use postmark_kit::ErrorCode;
    use pyo3::prelude::*;

    use crate::convert::from_json;

    /// The package's version.
    #[pymodule_export]
    #[allow(non_upper_case_globals, reason = "Python's name for it")]
    const __version__: &str = env!("CARGO_PKG_VERSION");

    #[pymodule_export]
    use crate::client::{AccountClient, ServerClient};
    #[pymodule_export]
    use crate::engine::{DateWindows, Engine, PageWalk, inactive_recipients_of};
    #[pymodule_export]
    use crate::pages::Pages;
    #[pymodule_export]
    use crate::sansio::{build_request, parse_response};
    #[pymodule_export]
    use crate::webhook::{
        BasicAuth, check_basic_auth, is_postmark_webhook_ip, parse_webhook, read_webhook_body,
    };

    /// The most `read_webhook_body` reads by default, in bytes: more than
    /// any Postmark webhook carries.
    #[pymodule_export]
    const MAX_WEBHOOK_BODY_BYTES: u64 = postmark_kit::webhook::MAX_BODY_BYTES;

    /// The operation table: one dict per operation with its `name`, `jsName`
    /// (the npm package's name for it), `token` (`"server"` or `"account"`),
    /// `paged`, `method` and `path`, as the core serializes it.
    #[pyfunction]
    fn operations(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
        let table = serde_json::to_string(postmark_kit::ops::OPERATIONS)
            .expect("the operation table always serializes");
        from_json(py, table.as_bytes())
    }

    /// Whether two webhook URLs name the same endpoint, as
    /// `webhooks_pointing_at` compares them: scheme and host without case, a
    /// trailing slash not counted.
    #[pyfunction]
    fn same_webhook_url(a: &str, b: &str) -> bool {
        postmark_kit::api::webhooks::same_url(a, b)
    }

    /// The name of a Postmark ErrorCode (`406` → `"INACTIVE_RECIPIENT"`), or
    /// `None` for a code this version does not know.
    #[pyfunction]
    fn error_code_name(code: u32) -> Option<&'static str> {
        ErrorCode::from(code).name()
    }

    /// What a Postmark ErrorCode means, or `None` for an unknown code.
    #[pyfunction]
    fn error_code_description(code: u32) -> Option<&'static str> {
        ErrorCode::from(code).description()
    }
}
