//! Sending one request, with retries by the core's policy.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::io::Read;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use http::{Request, Response};
use postmark_kit::{Decision, Outcome, RetryPolicy};
use ureq::unversioned::transport::{ConnectionDetails, Connector, DefaultConnector};

use crate::lean::Lean;
use crate::resolve::CachingResolver;
use crate::{ClientError, TransportErrorKind};

/// Largest response body read: Postmark's own largest request limit, which
/// bounds what a message dump or an inbound message can hold.
const MAX_RESPONSE_BYTES: u64 = 64 * 1024 * 1024;

#[derive(Debug)]
pub(crate) struct Transport {
    agent: ureq::Agent,
    resolver: CachingResolver,
    retry: RetryPolicy,
    /// xorshift state for retry jitter; the core takes jitter as an argument.
    jitter: AtomicU64,
}

impl Transport {
    pub(crate) fn new(timeout: Duration, connect_timeout: Duration, retry: RetryPolicy) -> Self {
        let config = ureq::Agent::config_builder()
            // Postmark's error bodies must reach the parser.
            .http_status_as_error(false)
            // Postmark does not redirect; following one could carry the token elsewhere.
            .max_redirects(0)
            .timeout_global(Some(timeout))
            .timeout_connect(Some(connect_timeout))
            .build();
        let resolver = CachingResolver::default();
        let agent =
            ureq::Agent::with_parts(config, NeverSentConnector::default(), resolver.clone());
        let seed = RandomState::new().build_hasher().finish() | 1;
        Transport {
            agent,
            resolver,
            retry,
            jitter: AtomicU64::new(seed),
        }
    }

    /// Sends `request` until it succeeds or the retry policy gives up, and
    /// returns the last response (error statuses included) for the core to parse.
    pub(crate) fn execute(
        &self,
        request: Request<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Response<Vec<u8>>, ClientError> {
        let (parts, body) = request.into_parts();
        let mut attempt = 0;
        loop {
            attempt += 1;
            let result = self.send(Request::from_parts(parts.clone(), body.as_slice()));
            let outcome = match &result {
                Ok(response) if response.status().is_success() => return result,
                Ok(response) => Outcome::from_response(response, unix_now()),
                Err(ClientError::Transport {
                    kind: TransportErrorKind::Connect,
                    ..
                }) => {
                    // The remembered address may be the reason: look it up again.
                    self.resolver.forget();
                    Outcome::NotSent
                }
                Err(_) => Outcome::NoResponse,
            };
            match self
                .retry
                .decide(attempt, idempotent, &outcome, self.next_jitter())
            {
                Decision::Retry(wait) => std::thread::sleep(wait),
                Decision::GiveUp => return result,
            }
        }
    }

    fn send(&self, request: Request<&[u8]>) -> Result<Response<Vec<u8>>, ClientError> {
        let response = self.agent.run(request).map_err(ClientError::transport)?;
        let (parts, mut body) = response.into_parts();
        // Sized by Content-Length up front: a growing Vec would copy a large
        // answer several times over.
        let expected = body.content_length().unwrap_or(0).min(MAX_RESPONSE_BYTES);
        let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
        body.with_config()
            .limit(MAX_RESPONSE_BYTES)
            .reader()
            .read_to_end(&mut bytes)
            .map_err(|e| ClientError::transport(e.into()))?;
        Ok(Response::from_parts(parts, bytes))
    }

    /// A value in [0, 1) from a per-client xorshift64 generator.
    fn next_jitter(&self) -> f64 {
        let mut x = self.jitter.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// ureq's connectors (TCP, then TLS with the handshake done up front), made
/// [`Lean`], with every failure marked as [`NotSent`]: a connector runs
/// before a byte of the request is written, so whatever stopped it (a refused
/// connection, a failed TLS handshake, a peer that is not TLS at all) proves
/// Postmark never saw the request. ureq reports a handshake that the peer
/// broke off as a plain I/O error, indistinguishable from a connection that
/// broke mid-request, so the mark cannot come from the error itself.
#[derive(Debug, Default)]
struct NeverSentConnector(DefaultConnector);

impl Connector for NeverSentConnector {
    type Out = Lean<<DefaultConnector as Connector>::Out>;

    fn connect(
        &self,
        details: &ConnectionDetails,
        chained: Option<()>,
    ) -> Result<Option<Self::Out>, ureq::Error> {
        match self.0.connect(details, chained) {
            Ok(transport) => Ok(transport.map(Lean::new)),
            Err(error) => Err(ureq::Error::Other(Box::new(NotSent(error)))),
        }
    }
}

/// A failure to connect: the request was not sent.
#[derive(Debug)]
pub(crate) struct NotSent(ureq::Error);

impl std::fmt::Display for NotSent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "could not connect: {}", self.0)
    }
}

impl std::error::Error for NotSent {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// The time since the Unix epoch, for `Retry-After` dates; `None` on a clock
/// set before 1970.
fn unix_now() -> Option<Duration> {
    SystemTime::now().duration_since(UNIX_EPOCH).ok()
}
