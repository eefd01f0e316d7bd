//! The core's two pure functions, for callers with a transport of their own
//! (asyncio, httpx, aiohttp): `build_request` gives what to send,
//! `parse_response` reads what came back, with the clients' exceptions.

use postmark_kit::http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode};
use postmark_kit::ops::{BuiltRequest, Operation, find};
use postmark_kit::{Account, Config, Server, TokenKind};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use serde_json::json;

use crate::client::params_of;
use crate::convert::{body_bytes, from_json, header_text};
use crate::errors::{api_error, build_error, exception, settings_error};

/// Where the request goes and who sends it: `build_request`'s keyword arguments.
struct Sender<'a> {
    token: &'a str,
    base_url: Option<&'a str>,
    user_agent: Option<&'a str>,
    allow_insecure_http: bool,
}

/// The request for `operation` (a table name, or `"raw"`) as a dict:
/// `method`, `url`, `headers` (lower-case names), `body` (the JSON bytes, or
/// `None`) and `idempotent` (whether resending it after an ambiguous failure
/// is safe). The token goes in the header of the operation's kind;
/// `token_kind` chooses it for `raw` (default `"server"`), and for any other
/// operation must be its own.
#[pyfunction]
#[pyo3(signature = (
    operation, params=None, /, *, token, token_kind=None, base_url=None, user_agent=None,
    allow_insecure_http=false,
))]
#[expect(
    clippy::too_many_arguments,
    reason = "Python keyword arguments, gathered into Sender at once"
)]
pub(crate) fn build_request<'py>(
    py: Python<'py>,
    operation: &str,
    params: Option<&Bound<'py, PyAny>>,
    token: &str,
    token_kind: Option<&str>,
    base_url: Option<&str>,
    user_agent: Option<&str>,
    allow_insecure_http: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let op = find(operation).map_err(|error| build_error(py, &error))?;
    let params = params_of(py, operation, params, None)?;
    let sender = Sender {
        token,
        base_url,
        user_agent,
        allow_insecure_http,
    };
    let built = match token_kind.unwrap_or_else(|| op.default_token_kind()) {
        Server::NAME => build_as::<Server>(py, op, &params, &sender)?,
        Account::NAME => build_as::<Account>(py, op, &params, &sender)?,
        kind => {
            let description = format!("token_kind is `{kind}`; it must be `server` or `account`");
            let details = json!({"kind": "invalid_options"});
            return Err(exception(py, "ConfigurationError", description, details));
        }
    };
    request_dict(py, &built)
}

fn build_as<K: TokenKind>(
    py: Python<'_>,
    op: &Operation,
    params: &str,
    sender: &Sender<'_>,
) -> PyResult<BuiltRequest> {
    let config = Config::<K>::from_settings(
        sender.token,
        sender.base_url,
        sender.user_agent,
        sender.allow_insecure_http,
    )
    .map_err(|error| settings_error(py, &error))?;
    // Checking a 500-message batch is the one costly step: other threads run meanwhile.
    py.detach(|| op.build(&config, params))
        .map_err(|error| build_error(py, &error))
}

fn request_dict<'py>(py: Python<'py>, built: &BuiltRequest) -> PyResult<Bound<'py, PyDict>> {
    let request = &built.request;
    let headers = PyDict::new(py);
    for (name, value) in request.headers() {
        headers.set_item(name.as_str(), String::from_utf8_lossy(value.as_bytes()))?;
    }
    let body = match request.body().as_slice() {
        [] => None,
        body => Some(PyBytes::new(py, body)),
    };
    let dict = PyDict::new(py);
    dict.set_item("method", request.method().as_str())?;
    dict.set_item("url", request.uri().to_string())?;
    dict.set_item("headers", headers)?;
    dict.set_item("body", body)?;
    dict.set_item("idempotent", built.idempotent)?;
    Ok(dict)
}

/// Reads the response to `operation` into its model (a dict or list with
/// Postmark's wire names, `None` for an empty `raw` answer), or raises the
/// exception a client would. `headers` is a mapping (anything with
/// `items()`), an iterable of `(name, value)` pairs, or `None`, with `str` or
/// `bytes` names and values; `body` is `bytes`, `bytearray`, `memoryview`,
/// `str`, or `None` for none.
#[pyfunction]
#[pyo3(signature = (operation, status, headers, body))]
pub(crate) fn parse_response<'py>(
    py: Python<'py>,
    operation: &str,
    status: i64,
    headers: Option<&Bound<'py, PyAny>>,
    body: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let op = find(operation).map_err(|error| build_error(py, &error))?;
    response_of(status, headers, body, |response| {
        match py.detach(|| op.read(response)) {
            Ok(answer) => from_json(py, &answer.text),
            Err(error) => Err(api_error(py, &error)),
        }
    })?
}

/// Calls `read` with the response made of a status, headers and a body as
/// Python code holds them (see `parse_response`).
pub(crate) fn response_of<T>(
    status: i64,
    headers: Option<&Bound<'_, PyAny>>,
    body: Option<&Bound<'_, PyAny>>,
    read: impl FnOnce(&Response<&[u8]>) -> T,
) -> PyResult<T> {
    let status = u16::try_from(status)
        .ok()
        .and_then(|status| StatusCode::from_u16(status).ok())
        .ok_or_else(|| PyValueError::new_err(format!("{status} is not an HTTP status")))?;
    let body = match body {
        None => Default::default(),
        Some(body) => body_bytes(body)?.ok_or_else(|| {
            PyTypeError::new_err("the body must be bytes, bytearray, memoryview, str or None")
        })?,
    };
    let mut response = Response::new(&*body);
    *response.status_mut() = status;
    if let Some(headers) = headers {
        add_headers(response.headers_mut(), headers)?;
    }
    Ok(read(&response))
}

fn add_headers(into: &mut HeaderMap, headers: &Bound<'_, PyAny>) -> PyResult<()> {
    let pairs = match headers.hasattr("items")? {
        true => headers.call_method0("items")?,
        false => headers.clone(),
    };
    let not_text = || PyTypeError::new_err("header names and values must be str or bytes");
    for pair in pairs.try_iter()? {
        let (name, value): (Bound<'_, PyAny>, Bound<'_, PyAny>) = pair?.extract()?;
        let name = header_text(&name)?.ok_or_else(not_text)?;
        let value = header_text(&value)?.ok_or_else(not_text)?;
        // A header http refuses cannot be one the core reads.
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            into.append(name, value);
        }
    }
    Ok(())
}
