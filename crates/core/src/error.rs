//! Errors on the two sides of a call: building a request, and reading its response.

use http::StatusCode;
use serde::Deserialize;
use serde_json::{Map, Value};

use crate::ErrorCode;
use crate::json::ObjectText;

/// A request that was refused before anything was sent.
///
/// Every limit Postmark enforces that can be checked locally is checked here,
/// so a mistake costs no round trip and no partial send.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// A field the endpoint cannot do without is absent or empty.
    #[error("`{field}` is required")]
    MissingField {
        /// Wire name of the field; the path to it when it is nested
        /// (`HttpHeaders[0].Name`), from the message of a batch it is in.
        field: String,
    },
    /// More recipients than Postmark accepts in one message (To, Cc and Bcc together).
    #[error("{count} recipients across To, Cc and Bcc; at most {max} are allowed")]
    TooManyRecipients {
        /// Recipients counted.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// More messages than one batch may hold.
    #[error("{count} messages in one batch; at most {max} are allowed")]
    TooManyMessages {
        /// Messages in the batch.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// The serialized request body is over Postmark's size limit.
    #[error("the request body is {bytes} bytes; at most {max} are allowed")]
    PayloadTooLarge {
        /// Size of the body that would have been sent.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// A list with more items than Postmark takes in one call.
    #[error("{count} items in `{field}`; at most {max} are allowed")]
    TooManyItems {
        /// Wire name of the list, or its path.
        field: String,
        /// Items in it.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A text longer than Postmark takes in the field.
    #[error("`{field}` has {chars} characters; at most {max} are allowed")]
    TooLong {
        /// Wire name of the field, or its path.
        field: String,
        /// Characters in it.
        chars: usize,
        /// The limit.
        max: usize,
    },
    /// A page size over the endpoint's maximum.
    #[error("count is {count}; at most {max} are allowed")]
    CountTooLarge {
        /// Requested page size.
        count: u32,
        /// The limit.
        max: u32,
    },
    /// `count + offset` reaches past how deep Postmark lets a list be paged.
    #[error("count + offset is {end}; Postmark pages this list at most {cap} items deep")]
    PagedTooDeep {
        /// `count + offset`.
        end: u64,
        /// The cap.
        cap: u32,
    },
    /// One message of a batch is invalid; nothing was sent.
    #[error("message {index} of the batch: {source}")]
    InBatch {
        /// Zero-based position in the batch.
        index: usize,
        /// What is wrong with it.
        source: Box<BuildError>,
    },
    /// A number outside the range Postmark accepts.
    #[error("`{field}` is {value}; it must be between {min} and {max}")]
    OutOfRange {
        /// Wire name of the field, or its path.
        field: String,
        /// The value given.
        value: i64,
        /// Smallest accepted value.
        min: i64,
        /// Largest accepted value.
        max: i64,
    },
    /// A value Postmark would refuse for a reason other than its range.
    #[error("`{field}` is invalid: {reason}")]
    InvalidValue {
        /// Wire name of the field, or its path.
        field: String,
        /// What it must be.
        reason: &'static str,
    },
    /// A template send names neither `TemplateId` nor `TemplateAlias`, or both.
    #[error("exactly one of TemplateId and TemplateAlias is required")]
    TemplateChoice,
    /// A value that cannot be put in an HTTP header (token, user agent).
    #[error("the value for header `{name}` is not a valid header value")]
    InvalidHeaderValue {
        /// Header name.
        name: &'static str,
    },
    /// The base URL is not an absolute `http` or `https` URL.
    #[error("invalid base URL `{url}`: {reason}")]
    InvalidBaseUrl {
        /// The URL given.
        url: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A path for a raw request that is not an absolute path.
    #[error("invalid path `{path}`: it must start with `/`")]
    InvalidPath {
        /// The path given.
        path: String,
    },
    /// No operation by this name (dynamic interface).
    #[error("unknown operation `{name}`")]
    UnknownOperation {
        /// The name asked for.
        name: String,
    },
    /// The operation needs the other kind of token (dynamic interface).
    #[error("`{operation}` needs an {needs} token")]
    WrongTokenKind {
        /// The operation.
        operation: &'static str,
        /// `server` or `account`.
        needs: &'static str,
    },
    /// The operation is not a paged list (dynamic interface).
    #[error("`{operation}` is not a paged list")]
    NotPaged {
        /// The operation.
        operation: &'static str,
    },
    /// Parameters that do not fit the operation's request type (dynamic interface).
    #[error("invalid parameters for `{operation}` at `{path}`: {message}")]
    InvalidParams {
        /// The operation.
        operation: &'static str,
        /// JSON path of the offending value (`.` for the whole object).
        path: String,
        /// What serde said.
        message: String,
    },
}

impl BuildError {
    /// Every name [`kind`](Self::kind) can return, for the bindings' type
    /// declarations.
    pub const KINDS: &'static [&'static str] = &[
        "missing_field",
        "too_many_recipients",
        "too_many_messages",
        "too_many_items",
        "too_long",
        "payload_too_large",
        "count_too_large",
        "paged_too_deep",
        "out_of_range",
        "invalid_value",
        "template_choice",
        "invalid_header_value",
        "invalid_base_url",
        "invalid_path",
        "unknown_operation",
        "wrong_token_kind",
        "not_paged",
        "invalid_params",
    ];

    /// A stable snake_case name of the refusal (`"too_many_recipients"`), the
    /// same in every binding. For a message of a batch, its own refusal's.
    pub fn kind(&self) -> &'static str {
        match self {
            BuildError::MissingField { .. } => "missing_field",
            BuildError::TooManyRecipients { .. } => "too_many_recipients",
            BuildError::TooManyMessages { .. } => "too_many_messages",
            BuildError::TooManyItems { .. } => "too_many_items",
            BuildError::TooLong { .. } => "too_long",
            BuildError::PayloadTooLarge { .. } => "payload_too_large",
            BuildError::CountTooLarge { .. } => "count_too_large",
            BuildError::PagedTooDeep { .. } => "paged_too_deep",
            BuildError::InBatch { source, .. } => source.kind(),
            BuildError::OutOfRange { .. } => "out_of_range",
            BuildError::InvalidValue { .. } => "invalid_value",
            BuildError::TemplateChoice => "template_choice",
            BuildError::InvalidHeaderValue { .. } => "invalid_header_value",
            BuildError::InvalidBaseUrl { .. } => "invalid_base_url",
            BuildError::InvalidPath { .. } => "invalid_path",
            BuildError::UnknownOperation { .. } => "unknown_operation",
            BuildError::WrongTokenKind { .. } => "wrong_token_kind",
            BuildError::NotPaged { .. } => "not_paged",
            BuildError::InvalidParams { .. } => "invalid_params",
        }
    }

    /// What the refusal is about, for the bindings' error objects: its
    /// [`kind`](Self::kind) and `message`, and where they apply `field`,
    /// `path`, `operation`, the batch `index`, and the `actual` value with
    /// its `limit`; as the JSON text of one object.
    pub fn details_json(&self) -> String {
        let mut details = ObjectText::new();
        details
            .value("kind", self.kind())
            .value("message", &self.to_string());
        let mut refusal = self;
        if let BuildError::InBatch { index, source } = self {
            details.value("index", index);
            refusal = source;
        }
        match refusal {
            BuildError::TooManyRecipients { count, max }
            | BuildError::TooManyMessages { count, max }
            | BuildError::TooManyItems { count, max, .. }
            | BuildError::TooLong {
                chars: count, max, ..
            }
            | BuildError::PayloadTooLarge { bytes: count, max } => {
                details.value("actual", count).value("limit", max);
            }
            BuildError::CountTooLarge { count, max } => {
                details.value("actual", count).value("limit", max);
            }
            BuildError::PagedTooDeep { end, cap } => {
                details.value("actual", end).value("limit", cap);
            }
            BuildError::OutOfRange { value, max, .. } => {
                details.value("actual", value).value("limit", max);
            }
            _ => {}
        }
        match refusal {
            BuildError::MissingField { field }
            | BuildError::InvalidValue { field, .. }
            | BuildError::TooManyItems { field, .. }
            | BuildError::TooLong { field, .. }
            | BuildError::OutOfRange { field, .. } => {
                details.value("field", field);
            }
            BuildError::WrongTokenKind { operation, .. } | BuildError::NotPaged { operation } => {
                details.value("operation", operation);
            }
            BuildError::InvalidParams {
                operation, path, ..
            } => {
                details.value("operation", operation).value("path", path);
            }
            BuildError::UnknownOperation { name } => {
                details.value("operation", name);
            }
            BuildError::InvalidPath { path } => {
                details.value("path", path);
            }
            _ => {}
        }
        details.finish()
    }

    /// [`details_json`](Self::details_json) as a map.
    pub fn details(&self) -> Map<String, Value> {
        parse_object(&self.details_json())
    }
}

/// A JSON object the crate wrote, as a map.
fn parse_object(text: &str) -> Map<String, Value> {
    match serde_json::from_str(text) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    }
}

/// What kind of failure an [`Error`] is, for branching without matching on numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// 401: the token is missing, wrong, or of the wrong kind.
    InvalidToken,
    /// 404: the resource or route does not exist.
    NotFound,
    /// 413: the body was over Postmark's size limit.
    PayloadTooLarge,
    /// 415: Postmark did not accept the request's media type.
    UnsupportedMediaType,
    /// 422 (or 400): Postmark refused the request; see [`Error::code`].
    Unprocessable,
    /// 429: too many requests; retry later.
    RateLimited,
    /// 500 and other 5xx except 503: a server error; whether the request took effect is unknown.
    ServerError,
    /// 503: Postmark is unavailable or in maintenance; the request did not take effect.
    Unavailable,
    /// A 2xx body that does not match the expected model.
    Decode,
    /// Any other status.
    Other,
}

impl ErrorKind {
    /// Every kind, for the bindings' type declarations.
    pub const ALL: [ErrorKind; 10] = [
        ErrorKind::InvalidToken,
        ErrorKind::NotFound,
        ErrorKind::PayloadTooLarge,
        ErrorKind::UnsupportedMediaType,
        ErrorKind::Unprocessable,
        ErrorKind::RateLimited,
        ErrorKind::ServerError,
        ErrorKind::Unavailable,
        ErrorKind::Decode,
        ErrorKind::Other,
    ];

    fn of(status: StatusCode) -> ErrorKind {
        match status.as_u16() {
            401 | 403 => ErrorKind::InvalidToken,
            404 => ErrorKind::NotFound,
            413 => ErrorKind::PayloadTooLarge,
            415 => ErrorKind::UnsupportedMediaType,
            400 | 409 | 422 => ErrorKind::Unprocessable,
            429 => ErrorKind::RateLimited,
            503 => ErrorKind::Unavailable,
            500..=599 => ErrorKind::ServerError,
            _ => ErrorKind::Other,
        }
    }

    /// A stable lower-case name (`"invalid_token"`, `"rate_limited"`…), used by the bindings.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidToken => "invalid_token",
            ErrorKind::NotFound => "not_found",
            ErrorKind::PayloadTooLarge => "payload_too_large",
            ErrorKind::UnsupportedMediaType => "unsupported_media_type",
            ErrorKind::Unprocessable => "unprocessable",
            ErrorKind::RateLimited => "rate_limited",
            ErrorKind::ServerError => "server_error",
            ErrorKind::Unavailable => "unavailable",
            ErrorKind::Decode => "decode",
            ErrorKind::Other => "other",
        }
    }
}

/// Postmark's `{ErrorCode, Message}` envelope, as it appears in error responses
/// and in the failed items of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ApiError {
    /// Postmark's error number.
    #[serde(rename = "ErrorCode")]
    pub code: ErrorCode,
    /// Postmark's human-readable message.
    #[serde(rename = "Message", default)]
    pub message: String,
}

impl ApiError {
    /// The addresses Postmark refused as inactive: those its message names
    /// when the code is [`ErrorCode::INACTIVE_RECIPIENT`] (406), else none.
    /// Empty too when Postmark's message names none (every recipient was
    /// inactive, or a batch's short `Inactive recipient`).
    pub fn inactive_recipients(&self) -> Vec<String> {
        match self.code == ErrorCode::INACTIVE_RECIPIENT {
            true => crate::inactive_recipients(&self.message),
            false => Vec::new(),
        }
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.code.name() {
            Some(name) => write!(f, "ErrorCode {} ({name}): {}", self.code, self.message),
            None => write!(f, "ErrorCode {}: {}", self.code, self.message),
        }
    }
}

/// The fields of an error body besides `ErrorCode` and `Message`, as the
/// JSON text of one object, boxed: most errors have none, and [`Error`]
/// stays small. [`Error::details`] reads them into a map.
pub type Details = Box<str>;

/// How much of a body an error keeps: enough to diagnose, not a whole inbound dump.
const BODY_EXCERPT: usize = 2048;

/// A response that is not the success the caller asked for.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Postmark answered with its error envelope.
    #[error("Postmark answered HTTP {status}: {error}")]
    Api {
        /// HTTP status.
        status: StatusCode,
        /// The envelope.
        error: ApiError,
        /// The body's fields besides `ErrorCode` and `Message`, when it has
        /// any: a webhook that failed verification (ErrorCode 1364) carries
        /// the outcome of every trigger here.
        details: Option<Details>,
        /// `X-Request-Id`, for Postmark support.
        request_id: Option<String>,
        /// `Retry-After` in seconds, when the server sent one.
        retry_after: Option<u64>,
    },
    /// A non-success status whose body is not Postmark's envelope (a proxy page, an empty body).
    #[error("HTTP {status} without a Postmark error body")]
    Http {
        /// HTTP status.
        status: StatusCode,
        /// The start of the body, lossily decoded.
        body: String,
        /// `X-Request-Id`, for Postmark support.
        request_id: Option<String>,
        /// `Retry-After` in seconds, when the server sent one.
        retry_after: Option<u64>,
    },
    /// A success status whose body does not match the expected model.
    #[error("unexpected response body at `{path}`: {message}")]
    Decode {
        /// HTTP status.
        status: StatusCode,
        /// JSON path of the offending value.
        path: String,
        /// What serde said.
        message: String,
        /// The start of the body, lossily decoded.
        body: String,
    },
}

impl Error {
    /// What kind of failure this is.
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::Api { status, .. } | Error::Http { status, .. } => ErrorKind::of(*status),
            Error::Decode { .. } => ErrorKind::Decode,
        }
    }

    /// The HTTP status of the response.
    pub fn status(&self) -> StatusCode {
        match self {
            Error::Api { status, .. }
            | Error::Http { status, .. }
            | Error::Decode { status, .. } => *status,
        }
    }

    /// Postmark's `ErrorCode`, when the body carried one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            Error::Api { error, .. } => Some(error.code),
            _ => None,
        }
    }

    /// Postmark's message, or a description of what went wrong.
    pub fn message(&self) -> String {
        match self {
            Error::Api { error, .. } => error.message.clone(),
            other => other.to_string(),
        }
    }

    /// The addresses Postmark refused as inactive (ErrorCode 406), as
    /// [`ApiError::inactive_recipients`] reads them; empty for any other
    /// error.
    pub fn inactive_recipients(&self) -> Vec<String> {
        match self {
            Error::Api { error, .. } => error.inactive_recipients(),
            _ => Vec::new(),
        }
    }

    /// `Retry-After` in seconds, when the server sent one.
    pub fn retry_after(&self) -> Option<u64> {
        match self {
            Error::Api { retry_after, .. } | Error::Http { retry_after, .. } => *retry_after,
            Error::Decode { .. } => None,
        }
    }

    /// `X-Request-Id` of the response, for Postmark support.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Api { request_id, .. } | Error::Http { request_id, .. } => request_id.as_deref(),
            Error::Decode { .. } => None,
        }
    }

    /// The error of a response whose status is not a success.
    pub(crate) fn from_response<B: AsRef<[u8]>>(response: &http::Response<B>) -> Error {
        let headers = response.headers();
        Error::from_parts(
            response.status(),
            header_str(headers, "retry-after"),
            header_str(headers, "x-request-id"),
            response.body().as_ref(),
        )
    }

    /// The error of a response whose status is not a success, from its
    /// status, its `Retry-After` and `X-Request-Id` headers and its body.
    pub fn from_parts(
        status: StatusCode,
        retry_after: Option<&str>,
        request_id: Option<&str>,
        body: &[u8],
    ) -> Error {
        let request_id = request_id.map(str::to_owned);
        let retry_after = retry_after.and_then(|v| v.trim().parse().ok());
        match envelope(body) {
            Some((error, details)) => Error::Api {
                status,
                error,
                details,
                request_id,
                retry_after,
            },
            None => Error::Http {
                status,
                body: excerpt(body),
                request_id,
                retry_after,
            },
        }
    }

    /// What the error is about, for the bindings' error objects: its
    /// [`kind`](Self::kind) and `status`, Postmark's `error_code` with its
    /// `error_name`, the `message`, `request_id` and `retry_after` (seconds)
    /// when there are any, the `path` of a body that does not match the
    /// model, the start of a `body` that is not Postmark's envelope, and
    /// the envelope's other fields as `details`; as the JSON text of one
    /// object. An ErrorCode 406 adds `inactive_recipients`, the addresses
    /// refused as inactive (an empty list when Postmark's message names none).
    pub fn describe_json(&self) -> String {
        let mut fields = ObjectText::new();
        fields
            .value("kind", self.kind().as_str())
            .value("status", &self.status().as_u16());
        if let Some(code) = self.code() {
            fields.value("error_code", &code.as_u32());
            if let Some(name) = code.name() {
                fields.value("error_name", name);
            }
            if code == ErrorCode::INACTIVE_RECIPIENT {
                fields.value("inactive_recipients", &self.inactive_recipients());
            }
        }
        fields.value("message", &self.message());
        if let Some(id) = self.request_id() {
            fields.value("request_id", id);
        }
        if let Some(seconds) = self.retry_after() {
            fields.value("retry_after", &seconds);
        }
        match self {
            Error::Api {
                details: Some(details),
                ..
            } => {
                fields.raw("details", details);
            }
            Error::Api { .. } => {}
            Error::Http { body, .. } => {
                fields.value("body", body);
            }
            Error::Decode { path, body, .. } => {
                fields.value("path", path).value("body", body);
            }
        }
        fields.finish()
    }

    /// [`describe_json`](Self::describe_json) as a map.
    pub fn describe(&self) -> Map<String, Value> {
        parse_object(&self.describe_json())
    }

    /// The error body's fields besides `ErrorCode` and `Message`, when it
    /// has any; see [`Error::Api::details`](Error::Api).
    pub fn details(&self) -> Option<Map<String, Value>> {
        match self {
            Error::Api {
                details: Some(details),
                ..
            } => Some(parse_object(details)),
            _ => None,
        }
    }
}

/// Postmark's envelope in an error body, and the body's other fields: `None`
/// unless the body is a JSON object with a whole, non-negative `ErrorCode`.
fn envelope(body: &[u8]) -> Option<(ApiError, Option<Details>)> {
    let envelope = crate::shape::envelope(body)?;
    let error = ApiError {
        code: ErrorCode::from(u32::try_from(envelope.code).ok()?),
        message: envelope.message,
    };
    Some((error, envelope.rest.map(String::into_boxed_str)))
}

fn header_str<'a>(headers: &'a http::HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The first [`BODY_EXCERPT`] bytes of a body as text, cut on a character boundary.
pub(crate) fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(BODY_EXCERPT)]);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, body: &str) -> http::Response<&[u8]> {
        http::Response::builder()
            .status(status)
            .header("X-Request-Id", "req-1")
            .header("Retry-After", "7")
            .body(body.as_bytes())
            .unwrap()
    }

    #[test]
    fn build_errors_describe_themselves_for_the_bindings() {
        let error = BuildError::InBatch {
            index: 3,
            source: Box::new(BuildError::TooManyRecipients { count: 51, max: 50 }),
        };
        assert_eq!(error.kind(), "too_many_recipients");
        let details = Value::Object(error.details());
        assert_eq!(
            details,
            serde_json::json!({
                "kind": "too_many_recipients", "message": error.to_string(),
                "index": 3, "actual": 51, "limit": 50,
            })
        );
        let params = BuildError::InvalidParams {
            operation: "send_email",
            path: "Htmlbody".into(),
            message: "unknown field".into(),
        };
        assert_eq!(params.details()["path"], "Htmlbody");
        assert_eq!(params.details()["operation"], "send_email");
        let path = BuildError::InvalidPath {
            path: "/email\n".into(),
        };
        assert_eq!(path.details()["path"], "/email\n");
    }

    #[test]
    fn every_error_kind_is_listed() {
        // Exhaustive: a new kind does not compile until it has a number here,
        // and the test fails until it is in `ALL` too.
        let number = |kind: ErrorKind| match kind {
            ErrorKind::InvalidToken => 0,
            ErrorKind::NotFound => 1,
            ErrorKind::PayloadTooLarge => 2,
            ErrorKind::UnsupportedMediaType => 3,
            ErrorKind::Unprocessable => 4,
            ErrorKind::RateLimited => 5,
            ErrorKind::ServerError => 6,
            ErrorKind::Unavailable => 7,
            ErrorKind::Decode => 8,
            ErrorKind::Other => 9,
        };
        let numbers: Vec<u32> = ErrorKind::ALL.into_iter().map(number).collect();
        assert_eq!(numbers, (0..10).collect::<Vec<_>>());
    }

    #[test]
    fn every_build_error_kind_is_listed() {
        let field = || "To".to_owned();
        let samples = [
            BuildError::MissingField { field: field() },
            BuildError::TooManyRecipients { count: 51, max: 50 },
            BuildError::TooManyMessages {
                count: 501,
                max: 500,
            },
            BuildError::TooManyItems {
                field: field(),
                count: 51,
                max: 50,
            },
            BuildError::TooLong {
                field: field(),
                chars: 2,
                max: 1,
            },
            BuildError::PayloadTooLarge { bytes: 2, max: 1 },
            BuildError::CountTooLarge { count: 2, max: 1 },
            BuildError::PagedTooDeep { end: 2, cap: 1 },
            BuildError::InBatch {
                index: 0,
                source: Box::new(BuildError::TemplateChoice),
            },
            BuildError::OutOfRange {
                field: field(),
                value: 2,
                min: 0,
                max: 1,
            },
            BuildError::InvalidValue {
                field: field(),
                reason: "",
            },
            BuildError::TemplateChoice,
            BuildError::InvalidHeaderValue { name: "To" },
            BuildError::InvalidBaseUrl {
                url: String::new(),
                reason: "",
            },
            BuildError::InvalidPath {
                path: String::new(),
            },
            BuildError::UnknownOperation {
                name: String::new(),
            },
            BuildError::WrongTokenKind {
                operation: "",
                needs: "",
            },
            BuildError::NotPaged { operation: "" },
            BuildError::InvalidParams {
                operation: "",
                path: String::new(),
                message: String::new(),
            },
        ];
        // Exhaustive: a new variant does not compile until it has a number
        // here, and the test fails until it has a sample, whose kind must
        // then be in `KINDS`.
        let variant = |error: &BuildError| match error {
            BuildError::MissingField { .. } => 0,
            BuildError::TooManyRecipients { .. } => 1,
            BuildError::TooManyMessages { .. } => 2,
            BuildError::TooManyItems { .. } => 3,
            BuildError::PayloadTooLarge { .. } => 4,
            BuildError::CountTooLarge { .. } => 5,
            BuildError::PagedTooDeep { .. } => 6,
            BuildError::InBatch { .. } => 7,
            BuildError::OutOfRange { .. } => 8,
            BuildError::InvalidValue { .. } => 9,
            BuildError::TemplateChoice => 10,
            BuildError::InvalidHeaderValue { .. } => 11,
            BuildError::InvalidBaseUrl { .. } => 12,
            BuildError::InvalidPath { .. } => 13,
            BuildError::UnknownOperation { .. } => 14,
            BuildError::WrongTokenKind { .. } => 15,
            BuildError::NotPaged { .. } => 16,
            BuildError::InvalidParams { .. } => 17,
            BuildError::TooLong { .. } => 18,
        };
        let mut variants: Vec<u32> = samples.iter().map(variant).collect();
        variants.sort_unstable();
        assert_eq!(variants, (0..19).collect::<Vec<_>>());
        let mut kinds: Vec<&str> = samples.iter().map(BuildError::kind).collect();
        kinds.sort_unstable();
        kinds.dedup();
        let mut listed = BuildError::KINDS.to_vec();
        listed.sort_unstable();
        assert_eq!(kinds, listed);
    }

    #[test]
    fn errors_describe_themselves_for_the_bindings() {
        let api = Error::from_response(&response(
            422,
            r#"{"ErrorCode":1364,"Message":"Verification failed","Success":false}"#,
        ));
        assert_eq!(
            Value::Object(api.describe()),
            serde_json::json!({
                "kind": "unprocessable", "status": 422, "error_code": 1364,
                "error_name": "WEBHOOK_VERIFICATION_FAILED", "message": "Verification failed",
                "request_id": "req-1", "retry_after": 7, "details": {"Success": false},
            })
        );
        let page = Error::from_response(&response(502, "<html>down</html>")).describe();
        assert_eq!(page["kind"], "server_error");
        assert_eq!(page["body"], "<html>down</html>");
        assert!(!page.contains_key("error_code"));
    }

    #[test]
    fn inactive_recipients_are_described_on_406_only() {
        let refused = Error::from_response(&response(
            422,
            r#"{"ErrorCode":406,"Message":"You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: a@example.com, b@example.com. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression."}"#,
        ));
        assert_eq!(
            refused.inactive_recipients(),
            ["a@example.com", "b@example.com"]
        );
        assert_eq!(
            refused.describe()["inactive_recipients"],
            serde_json::json!(["a@example.com", "b@example.com"])
        );
        let unnamed = Error::from_response(&response(
            422,
            r#"{"ErrorCode":406,"Message":"Inactive recipient"}"#,
        ));
        assert!(unnamed.inactive_recipients().is_empty());
        assert_eq!(
            unnamed.describe()["inactive_recipients"],
            serde_json::json!([])
        );
        // Another code's message is not read, whatever it says.
        let other = Error::from_response(&response(
            422,
            r#"{"ErrorCode":300,"Message":"Found inactive addresses: a@example.com."}"#,
        ));
        assert!(other.inactive_recipients().is_empty());
        assert!(!other.describe().contains_key("inactive_recipients"));
        let page = Error::from_response(&response(502, "inactive addresses: a@example.com"));
        assert!(page.inactive_recipients().is_empty());
    }

    #[test]
    fn envelope_becomes_api_error() {
        let err = Error::from_response(&response(
            422,
            r#"{"ErrorCode":406,"Message":"Inactive recipient"}"#,
        ));
        assert_eq!(err.kind(), ErrorKind::Unprocessable);
        assert_eq!(err.code(), Some(ErrorCode::INACTIVE_RECIPIENT));
        assert_eq!(err.message(), "Inactive recipient");
        assert_eq!(err.request_id(), Some("req-1"));
        assert_eq!(err.retry_after(), Some(7));
        let api = |code: u32, message: &str| ApiError {
            code: code.into(),
            message: message.into(),
        };
        assert_eq!(
            api(406, "Inactive recipient").to_string(),
            "ErrorCode 406 (INACTIVE_RECIPIENT): Inactive recipient"
        );
        assert_eq!(api(98_765, "New").to_string(), "ErrorCode 98765: New");
    }

    #[test]
    fn envelope_fields_beyond_the_code_are_kept() {
        let err = Error::from_response(&response(
            422,
            r#"{"ErrorCode":1364,"Message":"Verification failed","Id":0,"Success":false,"Results":[]}"#,
        ));
        assert_eq!(err.code(), Some(ErrorCode::from(1364)));
        let details = err.details().unwrap();
        assert_eq!(details["Success"], false);
        assert!(!details.contains_key("ErrorCode"));
        let plain = Error::from_response(&response(422, r#"{"ErrorCode":300,"Message":"x"}"#));
        assert_eq!(plain.details(), None);
        let not_ours = Error::from_response(&response(422, r#"{"ErrorCode":"300"}"#));
        assert!(matches!(not_ours, Error::Http { .. }));
    }

    #[test]
    fn non_json_page_keeps_status_and_body() {
        let err = Error::from_response(&response(503, "<html>down</html>"));
        assert_eq!(err.kind(), ErrorKind::Unavailable);
        assert_eq!(err.code(), None);
        assert!(matches!(&err, Error::Http { body, .. } if body == "<html>down</html>"));
    }

    #[test]
    fn statuses_map_to_kinds() {
        for (status, kind) in [
            (401, ErrorKind::InvalidToken),
            (404, ErrorKind::NotFound),
            (413, ErrorKind::PayloadTooLarge),
            (415, ErrorKind::UnsupportedMediaType),
            (422, ErrorKind::Unprocessable),
            (429, ErrorKind::RateLimited),
            (500, ErrorKind::ServerError),
            (502, ErrorKind::ServerError),
            (503, ErrorKind::Unavailable),
            (418, ErrorKind::Other),
        ] {
            assert_eq!(
                Error::from_response(&response(status, "")).kind(),
                kind,
                "{status}"
            );
        }
    }

    #[test]
    fn long_bodies_are_cut_on_a_char_boundary() {
        let body = "é".repeat(BODY_EXCERPT);
        let err = Error::from_response(&response(502, &body));
        let Error::Http { body, .. } = err else {
            panic!()
        };
        assert!(body.len() <= BODY_EXCERPT + 3);
    }
}
