//! Receiving webhooks: the body as an event dict, and the Basic-auth check.

use postmark_kit::webhook;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

use crate::convert::from_json;
use crate::errors::webhook_error;

/// Reads a webhook request body (bytes or str) into an event dict with
/// Postmark's wire names, chosen by `RecordType` (any casing; inbound mail,
/// which has none, gets `"Inbound"`). An event this version does not model
/// comes back whole as `{"RecordType": "Unknown", "UnknownRecordType": ...,
/// "Payload": ...}`, so that `RecordType` alone tells every shape apart.
/// Raises `WebhookError` for a body that is not a JSON object, or a known
/// event whose fields have the wrong type.
#[pyfunction]
pub(crate) fn parse_webhook<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let parsed = if let Ok(bytes) = body.cast::<PyBytes>() {
        webhook::parse_webhook(bytes.as_bytes())
    } else if let Ok(text) = body.cast::<PyString>() {
        webhook::parse_webhook(text.to_cow()?.as_bytes())
    } else {
        return Err(PyTypeError::new_err(
            "parse_webhook() takes the request body as bytes or str",
        ));
    };
    let event = parsed.map_err(|error| webhook_error(py, &error))?;
    let value = serde_json::to_value(&event).expect("webhook events always serialize");
    from_json(py, &value.to_string())
}

/// Whether an `Authorization` header value is HTTP Basic auth with exactly
/// these credentials, compared in constant time. `None` (no header), another
/// scheme or invalid base64 is `False`.
#[pyfunction]
#[pyo3(signature = (authorization, username, password))]
pub(crate) fn check_basic_auth(
    authorization: Option<&str>,
    username: &str,
    password: &str,
) -> bool {
    webhook::check_basic_auth(authorization, username, password)
}

/// The credentials a webhook endpoint expects (the webhook's `HttpAuth`);
/// `repr()` does not show the password.
#[pyclass(frozen, module = "postmark_kit")]
pub(crate) struct BasicAuth {
    auth: webhook::BasicAuth,
}

#[pymethods]
impl BasicAuth {
    #[new]
    fn new(username: String, password: String) -> Self {
        BasicAuth {
            auth: webhook::BasicAuth::new(username, password),
        }
    }

    /// The expected user name.
    #[getter]
    fn username(&self) -> &str {
        &self.auth.username
    }

    /// Whether an `Authorization` header value carries these credentials.
    #[pyo3(signature = (authorization))]
    fn verify(&self, authorization: Option<&str>) -> bool {
        self.auth.verify(authorization)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let username = PyString::new(py, &self.auth.username).repr()?;
        Ok(format!("BasicAuth(username={username}, password='****')"))
    }
}
