//! Everything a call can fail with.

use std::error::Error as _;

use postmark_kit::api::email::SendEmailResponse;
use postmark_kit::{BuildError, ErrorCode, ErrorKind};

/// Why a call failed. The variants and their meaning are those of the
/// blocking client's `ClientError`, so code can move between the two.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The request was refused before anything was sent.
    #[error(transparent)]
    Build(#[from] BuildError),
    /// Postmark answered with an error, or with a body that does not parse.
    #[error(transparent)]
    Api(#[from] postmark_kit::Error),
    /// No answer: the connection failed, timed out or broke.
    #[error("transport error ({}): {message}", kind.as_str())]
    Transport {
        /// What kind of failure.
        kind: TransportErrorKind,
        /// reqwest's description with its causes (it never contains the
        /// token: reqwest's errors name the URL, never a header).
        message: String,
    },
    /// The HTTP client could not be set up (only [`ClientBuilder::build`](crate::ClientBuilder::build)
    /// returns it, when it makes the reqwest client itself).
    #[error("the HTTP client could not be set up: {0}")]
    Setup(String),
}

/// Why [`ServerClient::delete_webhooks_pointing_at`](crate::ServerClient::delete_webhooks_pointing_at)
/// stopped, and what it had done by then.
#[derive(Debug, thiserror::Error)]
#[error("deleted {} webhooks, then: {error}", deleted.len())]
pub struct DeleteWebhooksError {
    /// The IDs of the webhooks deleted before the failure.
    pub deleted: Vec<i64>,
    /// The failure.
    #[source]
    pub error: ClientError,
}

/// Why [`ServerClient::send_email_batches`](crate::ServerClient::send_email_batches)
/// stopped, and what was sent by then.
#[derive(Debug, thiserror::Error)]
#[error("sent {} messages, then: {error}", sent.len())]
pub struct SendBatchesError {
    /// Postmark's answers to the messages of the batches sent before the
    /// failure: one per message, from the first message on.
    pub sent: Vec<SendEmailResponse>,
    /// The failure; the batch it struck and those after it were not sent,
    /// or (a transport failure after sending) may have been.
    #[source]
    pub error: ClientError,
}

/// How a transport failure happened, which says whether Postmark may have
/// acted on the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// Could not connect (refused, DNS, TLS setup, connect timeout): the
    /// request was never sent.
    Connect,
    /// The request timed out after it was sent.
    Timeout,
    /// The connection broke while sending or receiving.
    Io,
}

impl TransportErrorKind {
    /// A stable lower-case name (`"connect"`, `"timeout"`, `"io"`), the same
    /// as the blocking client's.
    pub const fn as_str(self) -> &'static str {
        match self {
            TransportErrorKind::Connect => "connect",
            TransportErrorKind::Timeout => "timeout",
            TransportErrorKind::Io => "io",
        }
    }
}

impl ClientError {
    /// Postmark's `ErrorCode`, when the response carried one.
    pub fn code(&self) -> Option<ErrorCode> {
        match self {
            ClientError::Api(error) => error.code(),
            _ => None,
        }
    }

    /// The kind of API error, when Postmark answered.
    pub fn api_kind(&self) -> Option<ErrorKind> {
        match self {
            ClientError::Api(error) => Some(error.kind()),
            _ => None,
        }
    }

    /// The transport failure's kind, when there was no answer.
    pub fn transport_kind(&self) -> Option<TransportErrorKind> {
        match self {
            ClientError::Transport { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// Classifies a reqwest failure by what it proves about the request.
    ///
    /// reqwest reports a failure of its connector (DNS, TCP connect and its
    /// timeout, the TLS handshake, a proxy tunnel) as a connect error; the
    /// connector runs before a single byte of the request is written, so
    /// Postmark never saw it. Anything else happened with the request on the
    /// wire, or possibly so.
    pub(crate) fn transport(error: &reqwest::Error) -> ClientError {
        let kind = if error.is_connect() {
            TransportErrorKind::Connect
        } else if error.is_timeout() {
            TransportErrorKind::Timeout
        } else {
            TransportErrorKind::Io
        };
        ClientError::Transport {
            kind,
            message: describe(error),
        }
    }
}

/// The error and its causes on one line: reqwest's own text says only
/// "error sending request", the reason (refused, reset) is in the sources.
pub(crate) fn describe(error: &reqwest::Error) -> String {
    let mut message = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}
