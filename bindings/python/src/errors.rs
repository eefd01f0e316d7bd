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
        let kwargs = from_json(py, details.to_string().as_bytes())?.cast_into::<PyDict>()?;
        let instance = module.getattr(class)?.call((description,), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    // Failing to build the exception (the Python package is broken) is
    // itself the most useful error to raise.
    make().unwrap_or_else(|error| error)
}

/// The exception for a call that failed.
pub(crate) fn client_error(py: Python<'_>, error: ClientError) -> PyErr {
    match &error {
        ClientError::Build(error) => build_error(py, error),
        ClientError::Api(error) => api_error(py, error),
        ClientError::Transport { kind, .. } => {
            let class = match kind {
                TransportErrorKind::Connect => "ConnectError",
                TransportErrorKind::Timeout => "TransportTimeoutError",
                _ => "TransportError",
            };
            let details = json!({ "kind": kind.as_str() });
            exception(py, class, error.to_string(), details)
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

/// The class of a refusal by its kind, by what the caller has to change:
/// add a field, stay under a limit, or fix a parameter. A refusal of the
/// settings (`invalid_header_value`, `invalid_base_url`) never comes here:
/// settings are checked when the config is made, by [`settings_error`].
/// `tests/test_errors.py` checks that every kind the core names has its row.
const REFUSAL_CLASSES: &[(&str, &str)] = &[
    ("missing_field", "MissingFieldError"),
    ("template_choice", "MissingFieldError"),
    ("too_many_recipients", "LimitExceededError"),
    ("too_many_messages", "LimitExceededError"),
    ("payload_too_large", "LimitExceededError"),
    ("count_too_large", "LimitExceededError"),
    ("paged_too_deep", "LimitExceededError"),
    ("out_of_range", "LimitExceededError"),
    ("too_many_items", "LimitExceededError"),
    ("too_long", "LimitExceededError"),
    ("invalid_params", "InvalidParameterError"),
    ("invalid_value", "InvalidParameterError"),
    ("invalid_path", "InvalidParameterError"),
    ("unknown_operation", "InvalidParameterError"),
    ("wrong_token_kind", "InvalidParameterError"),
    ("not_paged", "InvalidParameterError"),
];

fn refusal_class(kind: &str) -> &'static str {
    REFUSAL_CLASSES
        .iter()
        .find(|(known, _)| *known == kind)
        .map_or("InvalidRequestError", |(_, class)| class)
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

/// The exception for a response that is not the success asked for, with
/// the core's description of it.
pub(crate) fn api_error(py: Python<'_>, error: &Error) -> PyErr {
    let details = Value::Object(error.describe());
    exception(py, api_class(error), error.to_string(), details)
}

/// Chosen by ErrorCode first (406 has its own class whatever the status),
/// then by the kind of failure: a body that does not match the model is a
/// `DecodeError`, not an `ApiError`.
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
        ErrorKind::Decode => "DecodeError",
        _ => "ApiError",
    }
}

/// The exception for a webhook body that is not a readable event.
pub(crate) fn webhook_error(py: Python<'_>, error: &WebhookError) -> PyErr {
    let details = json!({"kind": error.kind().as_str(), "path": error.path()});
    exception(py, "WebhookError", error.to_string(), details)
}
