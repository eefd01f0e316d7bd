//! Sending one request, with retries by the core's policy.

use std::hash::BuildHasher;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use bytes::Bytes;
use http::{HeaderMap, Method, Request, Response};
use postmark_kit::{Decision, Outcome, RetryPolicy};
use reqwest::Url;

use crate::{ClientError, TransportErrorKind};

/// Largest response body read: Postmark's own largest request limit, which
/// bounds what a message dump or an inbound message can hold.
const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;

#[derive(Debug, Clone)]
pub(crate) struct Transport {
    http: reqwest::Client,
    /// Applied to each attempt, so that it holds for a caller's own reqwest
    /// client too.
    timeout: Duration,
    retry: RetryPolicy,
}

impl Transport {
    pub(crate) fn new(http: reqwest::Client, timeout: Duration, retry: RetryPolicy) -> Self {
        Transport {
            http,
            timeout,
            retry,
        }
    }

    /// Sends `request` until it succeeds or the retry policy gives up, and
    /// returns the last response (error statuses included) for the core to
    /// parse.
    ///
    /// Cancellation: every piece of retry state (the attempt count, the
    /// wait) lives in this future, and nothing is shared between calls, so
    /// dropping it (a timeout around the call, a `select!`, an aborted task)
    /// ends the call where it stands; no attempt is made afterwards and no
    /// other call's count changes.
    pub(crate) async fn execute(
        &self,
        request: Request<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Response<Vec<u8>>, ClientError> {
        let (parts, body) = request.into_parts();
        let attempt_parts = AttemptParts {
            // The core's base URL and path already make a valid URI; reqwest
            // wants its own URL type, parsed once for every attempt.
            url: Url::parse(&parts.uri.to_string()).map_err(|error| ClientError::Transport {
                kind: TransportErrorKind::Connect,
                message: format!("invalid URL: {error}"),
            })?,
            method: parts.method,
            headers: parts.headers,
            // Shared, not copied, by every attempt.
            body: (!body.is_empty()).then(|| Bytes::from(body)),
        };
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.send(attempt_parts.request(self.timeout)).await;
            let outcome = match &result {
                Ok(response) if response.status().is_success() => return result,
                Ok(response) => Outcome::from_response(response, unix_now()),
                Err(ClientError::Transport {
                    kind: TransportErrorKind::Connect,
                    ..
                }) => Outcome::NotSent,
                Err(_) => Outcome::NoResponse,
            };
            match self
                .retry
                .decide(attempt, idempotent, &outcome, jitter(attempt))
            {
                Decision::Retry(wait) => tokio::time::sleep(wait).await,
                Decision::GiveUp => return result,
            }
        }
    }

    async fn send(&self, request: reqwest::Request) -> Result<Response<Vec<u8>>, ClientError> {
        let transport = |error: reqwest::Error| ClientError::transport(&error);
        let mut response = self.http.execute(request).await.map_err(transport)?;
        let mut head = Response::new(());
        *head.status_mut() = response.status();
        *head.version_mut() = response.version();
        *head.headers_mut() = std::mem::take(response.headers_mut());
        // Sized by Content-Length up front: a growing Vec would copy a large
        // answer several times over.
        let expected = response.content_length().unwrap_or(0);
        let mut body =
            Vec::with_capacity(usize::try_from(expected).map_or(0, |n| n.min(MAX_RESPONSE_BYTES)));
        while let Some(chunk) = response.chunk().await.map_err(transport)? {
            if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
                return Err(ClientError::Transport {
                    kind: TransportErrorKind::Io,
                    message: format!("the response body is over {MAX_RESPONSE_BYTES} bytes"),
                });
            }
            body.extend_from_slice(&chunk);
        }
        let (head, ()) = head.into_parts();
        Ok(Response::from_parts(head, body))
    }
}

/// What each attempt sends: the request's parts, kept to make a fresh
/// reqwest request per attempt (a sent one is consumed).
struct AttemptParts {
    method: Method,
    url: Url,
    headers: HeaderMap,
    body: Option<Bytes>,
}

impl AttemptParts {
    fn request(&self, timeout: Duration) -> reqwest::Request {
        let mut request = reqwest::Request::new(self.method.clone(), self.url.clone());
        *request.headers_mut() = self.headers.clone();
        *request.body_mut() = self.body.clone().map(reqwest::Body::from);
        *request.timeout_mut() = Some(timeout);
        request
    }
}

/// A value in [0, 1) for the retry policy's jitter. `RandomState` draws new
/// keys for each instance, so hashing the attempt number gives an
/// independent value per retry without any state shared between calls.
fn jitter(attempt: u32) -> f64 {
    let bits = std::collections::hash_map::RandomState::new().hash_one(attempt);
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// The time since the Unix epoch, for `Retry-After` dates; `None` on a clock
/// set before 1970.
fn unix_now() -> Option<Duration> {
    SystemTime::now().duration_since(UNIX_EPOCH).ok()
}

/// The TLS set-up of the reqwest client a builder makes: rustls on
/// aws-lc-rs with Mozilla's roots, compiled in (webpki-roots).
pub(crate) fn tls_config() -> Result<rustls::ClientConfig, ClientError> {
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let roots = rustls::RootCertStore {
        roots: webpki_roots::TLS_SERVER_ROOTS.to_vec(),
    };
    let mut tls = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|error| ClientError::Setup(error.to_string()))?
        .with_root_certificates(roots)
        .with_no_client_auth();
    // reqwest is built without its http2 feature.
    tls.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(tls)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_speaks_http1_with_compiled_in_roots_and_post_quantum_key_exchange() {
        let tls = tls_config().unwrap();
        assert_eq!(tls.alpn_protocols, [b"http/1.1".to_vec()]);
        let groups: Vec<String> = tls
            .crypto_provider()
            .kx_groups
            .iter()
            .map(|group| format!("{:?}", group.name()))
            .collect();
        assert!(groups.iter().any(|g| g.contains("MLKEM")), "{groups:?}");
    }

    #[test]
    fn jitter_is_a_fraction_that_varies() {
        let draws: Vec<f64> = (0..100).map(|_| jitter(1)).collect();
        assert!(draws.iter().all(|j| (0.0..1.0).contains(j)));
        assert!(draws.iter().any(|j| *j != draws[0]));
    }
}
