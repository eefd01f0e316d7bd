//! Every failure as an exception of `postmark_kit.errors`, the hierarchy
//! defined in Python (see that module for the classes and their attributes).

use postmark_kit::webhook::WebhookError;
use postmark_kit::{BuildError, Error, ErrorCode, ErrorKind};
use postmark_kit_ureq::{ClientError, TransportErrorKind};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use serde_json::{Value, json};

use crate::convert::{NotJson, from_json};

/// An exception of class `class` (a name in `postmark_kit.errors`), built
/// as `class(description, **details)` from a JSON object of details.
pub(crate) fn exception(py: Python<'_>, class: &str, description: String, details: Value) -> PyErr {
    let make = || -> PyResult<PyErr> {
        static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
        let module = ERRORS
            .get_or_try_init(py, || py.import("postmark_kit.errors").map(Bound::unbind))?
            .bind(py);
        let kwargs = from_json(py, &details.to_string())?.cast_into::<PyDict>()?;
        let instance = module.getattr(class)?.call((description,), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    // Failing to build the exception (the Python package is broken) is
    // itself the most useful error to raise.
    make().unwrap_or_else(|error| error)
}

/// The exception for a call that failed.
pub(crate) fn client_error(py: Python<'_>, error: ClientError) -> PyErr {
    match error {
        ClientError::Build(error) => build_error(py, &error),
        ClientError::Api(error) => api_error(py, &error),
        ClientError::Transport { kind, message } => {
            let (class, kind) = match kind {
                TransportErrorKind::Connect => ("ConnectError", "connect"),
                TransportErrorKind::Timeout => ("TransportTimeoutError", "timeout"),
                _ => ("TransportError", "io"),
            };
            let description = format!("transport error ({kind}): {message}");
            exception(py, class, description, json!({ "kind": kind }))
        }
        other => exception(py, "PostmarkError", other.to_string(), json!({})),
    }
}

/// The exception for a request refused before anything was sent, with the
/// core's details. A problem with one message of a batch keeps the batch
/// index and the message's own class.
pub(crate) fn build_error(py: Python<'_>, error: &BuildError) -> PyErr {
    refused(py, error, refusal_class(error.kind()))
}

/// The exception for settings the core refuses (an empty token, a base URL
/// without a host): a `ConfigurationError` whatever the check.
pub(crate) fn settings_error(py: Python<'_>, error: &BuildError) -> PyErr {
    refused(py, error, "ConfigurationError")
}

fn refused(py: Python<'_>, error: &BuildError, class: &str) -> PyErr {
    exception(py, class, error.to_string(), Value::Object(error.details()))
}

/// The class of a refusal, by what the caller has to change: add a field,
/// stay under a limit, fix a parameter, or fix the client's settings.
fn refusal_class(kind: &str) -> &'static str {
    match kind {
        "missing_field" | "template_choice" => "MissingFieldError",
        "too_many_recipients"
        | "too_many_messages"
        | "payload_too_large"
        | "count_too_large"
        | "paged_too_deep"
        | "out_of_range" => "LimitExceededError",
        "invalid_params" | "invalid_value" | "unknown_operation" | "wrong_token_kind"
        | "not_paged" | "invalid_path" => "InvalidParameterError",
        "invalid_header_value" | "invalid_base_url" => "ConfigurationError",
        _ => "InvalidRequestError",
    }
}

/// Parameters that have no JSON form (a `datetime`, a set…).
pub(crate) fn not_json(py: Python<'_>, operation: &str, error: NotJson) -> PyErr {
    let description = format!(
        "invalid parameters for `{operation}` at `{}`: {}",
        error.path, error.message
    );
    let details = json!({"kind": "invalid_params", "path": error.path, "operation": operation});
    exception(py, "InvalidParameterError", description, details)
}

/// The exception for a response that is not the success asked for.
pub(crate) fn api_error(py: Python<'_>, error: &Error) -> PyErr {
    let status = error.status().as_u16();
    if let Error::Decode { path, body, .. } = error {
        let details = json!({"status": status, "kind": "decode", "path": path, "body": body});
        return exception(py, "DecodeError", error.to_string(), details);
    }
    let code = error.code();
    let body = match error {
        Error::Http { body, .. } => Some(body.as_str()),
        _ => None,
    };
    let details = json!({
        "status": status,
        "kind": error.kind().as_str(),
        "error_code": code.map(|c| c.as_u32()),
        "error_name": code.and_then(|c| c.name()),
        "message": error.message(),
        "request_id": error.request_id(),
        "retry_after": error.retry_after(),
        "body": body,
        "details": error.details(),
    });
    exception(py, api_class(error), error.to_string(), details)
}

/// Chosen by ErrorCode first (406 has its own class whatever the status),
/// then by the kind of HTTP status.
fn api_class(error: &Error) -> &'static str {
    if error.code() == Some(ErrorCode::INACTIVE_RECIPIENT) {
        return "InactiveRecipientError";
    }
    match error.kind() {
        ErrorKind::InvalidToken => "InvalidTokenError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::RateLimited => "RateLimitedError",
        ErrorKind::Unavailable => "UnavailableError",
        ErrorKind::ServerError => "ServerError",
        _ => "ApiError",
    }
}

/// The exception for a webhook body that is not a readable event.
pub(crate) fn webhook_error(py: Python<'_>, error: &WebhookError) -> PyErr {
    let details = json!({"kind": error.kind().as_str(), "path": error.path()});
    exception(py, "WebhookError", error.to_string(), details)
}
