//! Receiving webhooks: the body as an event dict, and the Basic-auth check.

use std::borrow::Cow;

use postmark_kit::webhook;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::convert::{body_bytes, from_json, header_text};
use crate::errors::webhook_error;

/// Reads a webhook request body into an event dict with Postmark's wire
/// names, chosen by `RecordType` (any casing; inbound mail, which has none,
/// gets `"Inbound"`). The body is what the framework hands over: `bytes`
/// (Flask's `request.get_data()`, Django's `request.body`, Starlette's
/// `await request.body()`), `bytearray`, `memoryview` or `str`.
///
/// An event this version does not model comes back whole as
/// `{"RecordType": "Unknown", "UnknownRecordType": ..., "Payload": ...}`, so
/// that `RecordType` alone tells every shape apart. Raises `WebhookError`
/// for a body that is not a JSON object, or a known event whose fields have
/// the wrong type.
#[pyfunction]
pub(crate) fn parse_webhook<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let Some(bytes) = body_bytes(body)? else {
        return Err(PyTypeError::new_err(
            "parse_webhook() takes the request body as bytes, bytearray, memoryview or str",
        ));
    };
    let event = webhook::parse_webhook(&bytes).map_err(|error| webhook_error(py, &error))?;
    let text = serde_json::to_string(&event).expect("webhook events always serialize");
    from_json(py, text.as_bytes())
}

/// An `Authorization` header value as frameworks hand it over: `str`
/// (Flask's `request.headers.get(...)`, Django's `request.META.get(...)`,
/// Starlette's `request.headers.get(...)`), `bytes` (raw ASGI headers), or
/// `None` when the header is absent.
fn authorization_text<'a>(value: Option<&'a Bound<'_, PyAny>>) -> PyResult<Option<Cow<'a, str>>> {
    let Some(value) = value else {
        return Ok(None);
    };
    header_text(value)?.map(Some).ok_or_else(|| {
        PyTypeError::new_err("the Authorization header value must be str, bytes or None")
    })
}

/// Whether an `Authorization` header value is HTTP Basic auth with exactly
/// these credentials, compared in constant time. `None` (no header), another
/// scheme or invalid base64 is `False`.
#[pyfunction]
#[pyo3(signature = (authorization, username, password))]
pub(crate) fn check_basic_auth(
    authorization: Option<&Bound<'_, PyAny>>,
    username: &str,
    password: &str,
) -> PyResult<bool> {
    let authorization = authorization_text(authorization)?;
    Ok(webhook::check_basic_auth(
        authorization.as_deref(),
        username,
        password,
    ))
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

    /// Whether an `Authorization` header value (`str`, `bytes` or `None`)
    /// carries these credentials.
    #[pyo3(signature = (authorization))]
    fn verify(&self, authorization: Option<&Bound<'_, PyAny>>) -> PyResult<bool> {
        let authorization = authorization_text(authorization)?;
        Ok(self.auth.verify(authorization.as_deref()))
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let username = PyString::new(py, &self.auth.username).repr()?;
        Ok(format!("BasicAuth(username={username}, password='****')"))
    }
}
