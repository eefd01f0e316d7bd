//! Why a webhook body could not be read.

/// A webhook body that is not a readable Postmark event.
///
/// An unknown or missing `RecordType` is *not* an error (it parses to
/// [`WebhookEvent::Unknown`](super::WebhookEvent::Unknown)); only bodies that
/// are not JSON objects, and known events whose fields have the wrong type,
/// are refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// The body is not JSON: malformed, truncated, not UTF-8, or followed by
    /// trailing bytes.
    #[error("webhook body is not valid JSON: {message}")]
    Syntax {
        /// What the JSON parser said, with line and column.
        message: String,
    },
    /// The body is JSON, but not an object.
    #[error("webhook body is a JSON {found}, not an object")]
    NotAnObject {
        /// `"array"`, `"string"`, `"number"`, `"boolean"` or `"null"`.
        found: &'static str,
    },
    /// A known event whose body does not match its model (a missing required
    /// field, a string where a number belongs...).
    #[error("invalid {record_type} webhook payload at `{path}`: {message}")]
    InvalidPayload {
        /// The documented `RecordType` of the event (`"Inbound"` for inbound mail).
        record_type: &'static str,
        /// JSON path of the offending value (`ToFull[0].Email`; `.` for the
        /// object itself, e.g. a missing field).
        path: String,
        /// What went wrong there.
        message: String,
    },
    /// The body is larger than `limit`: by default
    /// [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES), more than any Postmark
    /// webhook carries.
    #[error("the webhook body is over {limit} bytes")]
    TooLarge {
        /// The most the receiver reads, in bytes.
        limit: u64,
    },
}

impl WebhookError {
    /// What kind of failure this is.
    pub fn kind(&self) -> WebhookErrorKind {
        match self {
            WebhookError::Syntax { .. } => WebhookErrorKind::Syntax,
            WebhookError::NotAnObject { .. } => WebhookErrorKind::NotAnObject,
            WebhookError::InvalidPayload { .. } => WebhookErrorKind::InvalidPayload,
            WebhookError::TooLarge { .. } => WebhookErrorKind::TooLarge,
        }
    }

    /// JSON path of the offending value; `.` when the whole body is at fault.
    pub fn path(&self) -> &str {
        match self {
            WebhookError::InvalidPayload { path, .. } => path,
            WebhookError::Syntax { .. }
            | WebhookError::NotAnObject { .. }
            | WebhookError::TooLarge { .. } => ".",
        }
    }
}

/// What kind of failure a [`WebhookError`] is, for branching and for the
/// bindings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum WebhookErrorKind {
    /// See [`WebhookError::Syntax`].
    Syntax,
    /// See [`WebhookError::NotAnObject`].
    NotAnObject,
    /// See [`WebhookError::InvalidPayload`].
    InvalidPayload,
    /// See [`WebhookError::TooLarge`].
    TooLarge,
}

impl WebhookErrorKind {
    /// Every kind, for the bindings' type declarations.
    pub const ALL: [WebhookErrorKind; 4] = [
        WebhookErrorKind::Syntax,
        WebhookErrorKind::NotAnObject,
        WebhookErrorKind::InvalidPayload,
        WebhookErrorKind::TooLarge,
    ];

    /// A stable lower-case name (`"syntax"`, `"not_an_object"`,
    /// `"invalid_payload"`, `"too_large"`), used by the bindings.
    pub const fn as_str(self) -> &'static str {
        match self {
            WebhookErrorKind::Syntax => "syntax",
            WebhookErrorKind::NotAnObject => "not_an_object",
            WebhookErrorKind::InvalidPayload => "invalid_payload",
            WebhookErrorKind::TooLarge => "too_large",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_listed() {
        // Exhaustive: a new kind does not compile until it has a number here,
        // and the test fails until it is in `ALL` too.
        let number = |kind: WebhookErrorKind| match kind {
            WebhookErrorKind::Syntax => 0,
            WebhookErrorKind::NotAnObject => 1,
            WebhookErrorKind::InvalidPayload => 2,
            WebhookErrorKind::TooLarge => 3,
        };
        assert_eq!(WebhookErrorKind::ALL.map(number), [0, 1, 2, 3]);
    }
}
