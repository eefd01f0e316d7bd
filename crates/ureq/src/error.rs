//! Everything a call can fail with.

use postmark_kit::api::email::SendEmailResponse;
use postmark_kit::{BuildError, ErrorCode, ErrorKind};

/// Why a call failed.
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
        /// ureq's description (it never contains the token).
        message: String,
    },
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
    /// Could not connect (refused, DNS, TLS setup): the request was never sent.
    Connect,
    /// The request timed out after it was sent.
    Timeout,
    /// The connection broke while sending or receiving.
    Io,
}

impl TransportErrorKind {
    /// A stable lower-case name (`"connect"`, `"timeout"`, `"io"`), used by
    /// the bindings.
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

    pub(crate) fn transport(error: ureq::Error) -> ClientError {
        let kind = match &error {
            ureq::Error::Timeout(ureq::Timeout::Connect | ureq::Timeout::Resolve)
            | ureq::Error::ConnectionFailed
            | ureq::Error::HostNotFound
            | ureq::Error::Tls(_)
            | ureq::Error::Rustls(_) => TransportErrorKind::Connect,
            ureq::Error::Io(io) if never_connected(io.kind()) => TransportErrorKind::Connect,
            ureq::Error::Timeout(_) => TransportErrorKind::Timeout,
            _ => TransportErrorKind::Io,
        };
        // Marked by the connector as never sent: ureq's own text for it would start
        // with "other: ", which says nothing.
        if let ureq::Error::Other(other) = &error {
            if let Some(not_sent) = other.downcast_ref::<crate::transport::NotSent>() {
                return ClientError::Transport {
                    kind: TransportErrorKind::Connect,
                    message: not_sent.to_string(),
                };
            }
        }
        ClientError::Transport {
            kind,
            message: error.to_string(),
        }
    }
}

/// I/O errors that can only happen before a connection exists, so the request
/// was certainly not sent.
fn never_connected(kind: std::io::ErrorKind) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        kind,
        ConnectionRefused | AddrNotAvailable | HostUnreachable | NetworkUnreachable
    )
}
