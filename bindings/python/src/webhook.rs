//! Receiving webhooks: the body as an event dict, the Basic-auth check, the
//! sender's address and a body size limit.

use std::borrow::Cow;
use std::io;

use postmark_kit::webhook::{self, WebhookError};
use pyo3::exceptions::{PyOSError, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyString};

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

/// Whether `address`, where a webhook request came from (the TCP peer:
/// WSGI's `REMOTE_ADDR`, Starlette's `request.client.host`, or the address a
/// proxy you run appended last to `X-Forwarded-For`), is one of the
/// addresses Postmark publishes for its webhooks: `str`, or an `ipaddress`
/// object. Anything else is not. Use it beside the Basic-auth check, not
/// instead of it.
#[pyfunction]
pub(crate) fn is_postmark_webhook_ip(address: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(address
        .str()?
        .to_cow()?
        .parse()
        .is_ok_and(webhook::is_postmark_webhook_ip))
}

/// Reads a webhook request's body from `stream`, a binary file-like object
/// (WSGI's `wsgi.input`, Flask's `request.stream`, Django's `request`),
/// refusing one over `limit` bytes without reading further: `content_length`,
/// the request's header, refuses at once a body that says it is too large,
/// and bounds the reading otherwise. The refusal is a `WebhookError` of kind
/// `too_large`: answer 413.
#[pyfunction]
#[pyo3(signature = (stream, content_length=None, limit=webhook::MAX_BODY_BYTES))]
pub(crate) fn read_webhook_body<'py>(
    py: Python<'py>,
    stream: &Bound<'py, PyAny>,
    content_length: Option<u64>,
    limit: u64,
) -> PyResult<Bound<'py, PyBytes>> {
    let mut reader = PyReader {
        stream,
        raised: None,
    };
    match webhook::read_body(&mut reader, content_length, limit) {
        Ok(body) => Ok(PyBytes::new(py, &body)),
        Err(error) => Err(match reader.raised.take() {
            Some(raised) => raised,
            None => match error
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<WebhookError>())
            {
                Some(refusal) => webhook_error(py, refusal),
                None => PyOSError::new_err(error.to_string()),
            },
        }),
    }
}

/// A Python binary stream as [`io::Read`], through its `read(n)`; the
/// exception a call raised is kept, to be raised as it was.
struct PyReader<'a, 'py> {
    stream: &'a Bound<'py, PyAny>,
    raised: Option<PyErr>,
}

impl io::Read for PyReader<'_, '_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let chunk = self
            .stream
            .call_method1("read", (buf.len(),))
            .and_then(|chunk| chunk.extract::<Vec<u8>>());
        let chunk = match chunk {
            Ok(chunk) if chunk.len() <= buf.len() => chunk,
            Ok(_) => {
                self.raised = Some(PyTypeError::new_err(
                    "the stream's read(n) answered more than n bytes",
                ));
                return Err(io::Error::other("read(n) answered more than n bytes"));
            }
            Err(raised) => {
                self.raised = Some(raised);
                return Err(io::Error::other("the stream's read() raised"));
            }
        };
        buf[..chunk.len()].copy_from_slice(&chunk);
        Ok(chunk.len())
    }
}
