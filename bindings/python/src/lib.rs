//! The `postmark_kit._native` extension module: the Postmark sans-IO core
//! over the blocking ureq client, for Python, and the core's request
//! building and response parsing on their own for other transports. The
//! package `postmark_kit`
//! re-exports it next to its exception hierarchy (`postmark_kit.errors`) and
//! its generated types (`postmark_kit.types`).

mod client;
mod convert;
mod errors;
mod pages;
mod sansio;
mod webhook;

use pyo3::prelude::*;

#[pymodule]
mod _native {
    use postmark_kit::ErrorCode;
    use pyo3::prelude::*;
    use pyo3::types::PyDict;

    /// The package's version.
    #[pymodule_export]
    #[allow(non_upper_case_globals, reason = "Python's name for it")]
    const __version__: &str = env!("CARGO_PKG_VERSION");

    #[pymodule_export]
    use crate::client::{AccountClient, ServerClient};
    #[pymodule_export]
    use crate::pages::Pages;
    #[pymodule_export]
    use crate::sansio::{build_request, parse_response};
    #[pymodule_export]
    use crate::webhook::{BasicAuth, check_basic_auth, parse_webhook};

    /// The operation table: one dict per operation with its `name`, `token`
    /// (`"server"` or `"account"`), `paged`, `method` and `path`.
    #[pyfunction]
    fn operations(py: Python<'_>) -> PyResult<Vec<Bound<'_, PyDict>>> {
        postmark_kit::ops::operations()
            .map(|op| {
                let row = PyDict::new(py);
                row.set_item("name", op.name)?;
                row.set_item("token", op.token)?;
                row.set_item("paged", op.paged)?;
                row.set_item("method", op.method)?;
                row.set_item("path", op.path)?;
                Ok(row)
            })
            .collect()
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
