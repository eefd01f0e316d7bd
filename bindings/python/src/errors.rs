//! Every failure as an exception of `postmark_kit.errors`, the hierarchy
//! defined in Python (see that module for the classes and their attributes).

use postmark_kit::webhook::WebhookError;
use postmark_kit::{BuildError, Error, ErrorCode, ErrorKind};
use postmark_kit_ureq::{ClientError, TransportErrorKind};
use pyo3::BoundObject;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};

use crate::convert::NotJson;

/// An exception of class `class` (a name in `postmark_kit.errors`), built
/// as `class(description, **details)`.
pub(crate) fn exception(
    py: Python<'_>,
    class: &str,
    description: String,
    details: &[(&str, Option<Bound<'_, PyAny>>)],
) -> PyErr {
    let make = || -> PyResult<PyErr> {
        static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();
        let module = ERRORS
            .get_or_try_init(py, || py.import("postmark_kit.errors").map(Bound::unbind))?
            .bind(py);
        let kwargs = PyDict::new(py);
        for (key, value) in details {
            kwargs.set_item(key, value)?;
        }
        let instance = module.getattr(class)?.call((description,), Some(&kwargs))?;
        Ok(PyErr::from_value(instance))
    };
    // Failing to build the exception (the Python package is broken) is
    // itself the most useful error to raise.
    make().unwrap_or_else(|error| error)
}

/// A detail for `exception`: `None` when absent.
fn detail<'py, T: IntoPyObject<'py>>(py: Python<'py>, value: T) -> Option<Bound<'py, PyAny>> {
    value
        .into_pyobject(py)
        .ok()
        .map(|v| v.into_bound().into_any())
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
            exception(
                py,
                class,
                format!("transport error ({kind}): {message}"),
                &[("kind", detail(py, kind))],
            )
        }
        other => exception(py, "PostmarkError", other.to_string(), &[]),
    }
}

/// The exception for a request refused before anything was sent. A problem
/// with one message of a batch keeps the batch index and the message's own
/// class.
pub(crate) fn build_error(py: Python<'_>, error: &BuildError) -> PyErr {
    refused(py, error, None)
}

/// The exception for client settings the core refuses (an empty token, a
/// base URL without a host): a `ConfigurationError` whatever the check.
pub(crate) fn settings_error(py: Python<'_>, error: &BuildError) -> PyErr {
    refused(py, error, Some("ConfigurationError"))
}

fn refused(py: Python<'_>, error: &BuildError, class: Option<&str>) -> PyErr {
    let (index, cause) = match error {
        BuildError::InBatch { index, source } => (Some(*index), source.as_ref()),
        other => (None, other),
    };
    let mut field = None;
    let mut path = None;
    let mut operation = None;
    let mut actual: Option<i64> = None;
    let mut limit: Option<i64> = None;
    let to_i64 = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
    let (cause_class, kind) = match cause {
        BuildError::MissingField { field: name } => {
            field = Some(*name);
            ("MissingFieldError", "missing_field")
        }
        BuildError::TemplateChoice => ("MissingFieldError", "template_choice"),
        BuildError::TooManyRecipients { count, max } => {
            (actual, limit) = (Some(to_i64(*count)), Some(to_i64(*max)));
            ("LimitExceededError", "too_many_recipients")
        }
        BuildError::TooManyMessages { count, max } => {
            (actual, limit) = (Some(to_i64(*count)), Some(to_i64(*max)));
            ("LimitExceededError", "too_many_messages")
        }
        BuildError::PayloadTooLarge { bytes, max } => {
            (actual, limit) = (Some(to_i64(*bytes)), Some(to_i64(*max)));
            ("LimitExceededError", "payload_too_large")
        }
        BuildError::CountTooLarge { count, max } => {
            (actual, limit) = (Some(i64::from(*count)), Some(i64::from(*max)));
            ("LimitExceededError", "count_too_large")
        }
        BuildError::PagedTooDeep { end, cap } => {
            let end = i64::try_from(*end).unwrap_or(i64::MAX);
            (actual, limit) = (Some(end), Some(i64::from(*cap)));
            ("LimitExceededError", "paged_too_deep")
        }
        BuildError::OutOfRange {
            field: name,
            value,
            max,
            ..
        } => {
            field = Some(*name);
            (actual, limit) = (Some(*value), Some(*max));
            ("LimitExceededError", "out_of_range")
        }
        BuildError::InvalidParams {
            operation: op,
            path: at,
            ..
        } => {
            operation = Some(*op);
            path = Some(at.as_str());
            ("InvalidParameterError", "invalid_params")
        }
        BuildError::UnknownOperation { .. } => ("InvalidParameterError", "unknown_operation"),
        BuildError::WrongTokenKind { operation: op, .. } => {
            operation = Some(*op);
            ("InvalidParameterError", "wrong_token_kind")
        }
        BuildError::NotPaged { operation: op } => {
            operation = Some(*op);
            ("InvalidParameterError", "not_paged")
        }
        BuildError::InvalidPath { .. } => ("InvalidParameterError", "invalid_path"),
        BuildError::InvalidHeaderValue { .. } => ("ConfigurationError", "invalid_header_value"),
        BuildError::InvalidBaseUrl { .. } => ("ConfigurationError", "invalid_base_url"),
        _ => ("InvalidRequestError", "other"),
    };
    exception(
        py,
        class.unwrap_or(cause_class),
        error.to_string(),
        &[
            ("kind", detail(py, kind)),
            ("field", detail(py, field)),
            ("path", detail(py, path)),
            ("operation", detail(py, operation)),
            ("index", detail(py, index)),
            ("actual", detail(py, actual)),
            ("limit", detail(py, limit)),
        ],
    )
}

/// Parameters that have no JSON form (a `datetime`, a set…).
pub(crate) fn not_json(py: Python<'_>, operation: &str, error: NotJson) -> PyErr {
    exception(
        py,
        "InvalidParameterError",
        format!(
            "invalid parameters for `{operation}` at `{}`: {}",
            error.path, error.message
        ),
        &[
            ("kind", detail(py, "invalid_params")),
            ("path", detail(py, error.path)),
            ("operation", detail(py, operation)),
        ],
    )
}

/// The exception for a response that is not the success asked for: chosen
/// by ErrorCode first (406 has its own class whatever the status), then by
/// the kind of HTTP status.
fn api_error(py: Python<'_>, error: &Error) -> PyErr {
    let status = detail(py, error.status().as_u16());
    if let Error::Decode { path, body, .. } = error {
        return exception(
            py,
            "DecodeError",
            error.to_string(),
            &[
                ("status", status),
                ("path", detail(py, path)),
                ("body", detail(py, body)),
            ],
        );
    }
    let code = error.code();
    let class = if code == Some(ErrorCode::INACTIVE_RECIPIENT) {
        "InactiveRecipientError"
    } else {
        match error.kind() {
            ErrorKind::InvalidToken => "InvalidTokenError",
            ErrorKind::NotFound => "NotFoundError",
            ErrorKind::RateLimited => "RateLimitedError",
            ErrorKind::Unavailable => "UnavailableError",
            ErrorKind::ServerError => "ServerError",
            _ => "ApiError",
        }
    };
    let body = match error {
        Error::Http { body, .. } => Some(body.as_str()),
        _ => None,
    };
    exception(
        py,
        class,
        error.to_string(),
        &[
            ("status", status),
            ("kind", detail(py, error.kind().as_str())),
            ("error_code", detail(py, code.map(|c| c.as_u32()))),
            ("error_name", detail(py, code.and_then(|c| c.name()))),
            ("message", detail(py, error.message())),
            ("request_id", detail(py, error.request_id())),
            ("retry_after", detail(py, error.retry_after())),
            ("body", detail(py, body)),
        ],
    )
}

/// The exception for a webhook body that is not a readable event.
pub(crate) fn webhook_error(py: Python<'_>, error: &WebhookError) -> PyErr {
    exception(
        py,
        "WebhookError",
        error.to_string(),
        &[
            ("kind", detail(py, error.kind().as_str())),
            ("path", detail(py, error.path())),
        ],
    )
}
