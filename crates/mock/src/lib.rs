//! A local stand-in for `api.postmarkapp.com`, served over real HTTP on loopback.
//!
//! Client tests and examples point their base URL at [`MockServer::url`] and authenticate
//! with [`MockServer::server_token`] / [`MockServer::account_token`]. The mock validates
//! requests and answers like Postmark (status codes, `ErrorCode`s, batch semantics), keeps
//! what it accepted in memory, and can inject failures for retry tests.
//!
//! Every current Postmark endpoint is served: Email, Bulk, Bounces, Templates (and
//! layouts), Server, Servers, Message streams, Suppressions, Messages, Inbound rules,
//! Webhooks, Stats, Domains, Sender signatures and Data removals. The removed tag-trigger
//! and bounced-tags endpoints are not. Test-control routes live under `/__mock/`;
//! [`MockServer`] lists them.
//!
//! ```
//! use std::io::{Read, Write};
//! use postmark_kit_mock::MockServer;
//!
//! let mock = MockServer::start()?;
//! let mut socket = std::net::TcpStream::connect(("127.0.0.1", mock.port()))?;
//! write!(
//!     socket,
//!     "GET /server HTTP/1.1\r\nX-Postmark-Server-Token: {}\r\nConnection: close\r\n\r\n",
//!     mock.server_token()
//! )?;
//! let mut answer = String::new();
//! socket.read_to_string(&mut answer)?;
//! assert!(answer.starts_with("HTTP/1.1 200 OK"));
//! assert_eq!(mock.requests().len(), 1);
//! # Ok::<(), std::io::Error>(())
//! ```

mod address;
mod api;
mod clock;
mod control;
mod faults;
mod http;
mod ids;
mod json;
mod net;
mod router;
mod state;
mod templating;
mod traffic;

/// The HTTP request reader alone, for fuzzing: not part of the mock's API.
#[cfg(feature = "fuzzing")]
#[doc(hidden)]
pub mod fuzzing {
    use std::io::BufRead;

    /// Reads requests from `input` as one keep-alive connection would, until it ends or
    /// a request is refused; answers what the mock would: the requests' method, path
    /// and body length, then `Err` with the status of the refusal, or `Ok` at the end.
    pub fn read_requests(
        input: &mut impl BufRead,
    ) -> (Vec<(String, String, usize)>, Result<(), Option<u16>>) {
        let mut seen = Vec::new();
        loop {
            match crate::http::read_request(input, &mut std::io::sink()) {
                Ok(Some(request)) => {
                    seen.push((request.method, request.path, request.body.len()));
                    if !request.keep_alive {
                        return (seen, Ok(()));
                    }
                }
                Ok(None) => return (seen, Ok(())),
                Err(error) => return (seen, Err(error.response().map(|r| r.status))),
            }
        }
    }
}

use std::fmt;
use std::net::{SocketAddr, TcpListener};
use std::sync::{Arc, MutexGuard};
use std::thread::JoinHandle;
use std::time::Duration;

use serde_json::Value;

use crate::api::templates::Template;
use crate::net::Shared;
use crate::state::State;

/// A running mock. Dropping it stops the server and closes its connections.
///
/// Besides the Postmark API it serves these control routes, which need no token and are
/// neither logged nor affected by faults:
///
/// | Route | Effect |
/// |---|---|
/// | `POST /__mock/faults` | queue a [`Fault`]: `{"kind":"status","status":503,"retry_after"?:2}`, `{"kind":"page","status":502,"content_type":"text/html","body":"<html>…","retry_after"?:2}`, `{"kind":"delay","ms":300}` or `{"kind":"drop"}`, each with optional `"count"` (default 1) and `"path"` (prefix the request path must start with) |
/// | `POST /__mock/faults/random` | from now on, hit a share of the API requests that no queued fault matches with a fault picked at random: `{"share": 0.1, "faults": [{"kind":"status","status":429}, {"kind":"drop"}, …], "seed"?: 1}`; `"share": 0` stops it |
/// | `GET /__mock/requests` | API requests seen: `[{"method","path","query","token":"server"\|"account"\|null}]` |
/// | `DELETE /__mock/requests` | clear that log |
/// | `GET /__mock/messages` | accepted messages, newest last |
/// | `GET /__mock/stats` | `{"in_flight": n, "peak_in_flight": n, "connections": n}`: API requests being handled now, the most handled at once since the start or the last reset, and TCP connections accepted since the start |
/// | `DELETE /__mock/stats` | restart `peak_in_flight` from the current `in_flight` |
/// | `POST /__mock/templates` | add a template to the default server: `{"TemplateId"?, "Alias", "Name"?, "Subject"?, "HtmlBody"?, "TextBody"?}` |
/// | `POST /__mock/suppressions` | suppress `{"EmailAddress", "MessageStream"?}` (stream default `outbound`) |
/// | `POST /__mock/streams` | add or change a stream: `{"ID", "MessageStreamType", "Archived"?}` |
/// | `POST /__mock/bounces` | record a bounce on the default server (see [`add_bounce`](MockServer::add_bounce)); answers the `Bounce` |
/// | `POST /__mock/inbound` | receive a message on the default server (see [`add_inbound_message`](MockServer::add_inbound_message)); answers its details |
/// | `POST /__mock/opens` | record an open of a sent message (see [`add_open`](MockServer::add_open)); answers the open |
/// | `POST /__mock/clicks` | record a click in a sent message (see [`add_click`](MockServer::add_click)); answers the click |
/// | `POST /__mock/stats/seed` | record sent messages on a chosen day: `{"Date"?, "Count"?, "To"?, "Tag"?, "MessageStream"?, "Subject"?, "HtmlBody"?, "TrackOpens"?, "TrackLinks"?}`; answers `{"MessageIDs": [...]}` |
/// | `POST /__mock/bulk/{id}/advance` | move a bulk request one step: `Accepted` → `Processing` (half its messages sent) → `Completed` (all sent) |
/// | `POST /__mock/domains/{id}/verify` | the domain's DNS records are published and verified |
/// | `POST /__mock/senders/{id}/confirm` | the sender signature is confirmed (and its DNS records published and verified) |
/// | `POST /__mock/data-removals/{id}/complete` | the recipient's messages, bounces, opens and clicks are erased and the request is `Done` |
/// | `POST /__mock/reset` | wait (up to 5 s) for API requests in flight to finish, then forget everything, clear faults and restart `peak_in_flight`; tokens stay the same |
///
/// An API request is in flight from the moment it is parsed until its answer is written
/// (a `delay` fault keeps it in flight while it waits).
pub struct MockServer {
    addr: SocketAddr,
    server_token: String,
    account_token: String,
    shared: Arc<Shared>,
    acceptor: Option<JoinHandle<()>>,
}

/// How long a request may take to arrive unless [`Options::request_timeout`] says.
const DEFAULT_REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// How many connections are served at once unless [`Options::max_connections`] says.
const DEFAULT_MAX_CONNECTIONS: usize = 1024;

/// How to start a [`MockServer`]. Tokens left as `None` are generated.
#[derive(Clone, Default)]
pub struct Options {
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
    pub account_token: Option<String>,
    /// Token of the default server.
    pub server_token: Option<String>,
    /// How long one request may take to arrive from when the connection is ready for it
    /// (default 30 s): a connection idle that long is closed, one whose request is still
    /// incomplete gets a 408 and is closed.
    pub request_timeout: Option<Duration>,
    /// The most connections served at once (default 1,024), one thread each: past it a
    /// new connection is closed as soon as it is accepted.
    pub max_connections: Option<usize>,
}

/// A failure to inject into upcoming API requests (see [`MockServer::inject`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// Answer with this HTTP status (400-599) without applying the request:
    /// - 429: `text/plain` body `Too many requests. Slow down and retry later.`, no
    ///   envelope (Postmark documents no ErrorCode for it);
    /// - 500: envelope with ErrorCode 101; 503: envelope with ErrorCode 100;
    /// - 413 and 415: what the mock itself answers to an oversized body (`text/plain`
    ///   `Request entity too large`) or to one without `Content-Type: application/json`
    ///   (envelope with ErrorCode 409);
    /// - any other status: envelope with the status itself as ErrorCode and Message
    ///   `Injected failure.`
    ///
    /// `retry_after` adds a `Retry-After` header in seconds.
    Status {
        status: u16,
        retry_after: Option<u32>,
    },
    /// Answer with this status (400-599), `Content-Type` and body, without applying the
    /// request: the HTML or plain-text pages a proxy in front of Postmark sends instead
    /// of an envelope. `retry_after` as for [`Fault::Status`].
    Page {
        status: u16,
        /// A header value on one line, e.g. `text/html; charset=utf-8`.
        content_type: String,
        body: String,
        retry_after: Option<u32>,
    },
    /// Wait this long, then process and answer the request normally.
    Delay(Duration),
    /// Read the request, then close the connection without answering or applying it.
    Drop,
}

/// Which credential header an API request carried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    None,
    Server,
    Account,
}

/// One API request as the mock received it (token values are never recorded).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    pub method: String,
    /// Path as sent, without the query string.
    pub path: String,
    /// Raw query string without `?`.
    pub query: String,
    /// When both headers are present this is `Server`.
    pub token: TokenKind,
}

/// `MessageStreamType` of a message stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreamType {
    Transactional,
    Broadcasts,
    Inbound,
}

impl StreamType {
    fn parse(value: &str) -> Option<StreamType> {
        [
            ("Transactional", StreamType::Transactional),
            ("Broadcasts", StreamType::Broadcasts),
            ("Inbound", StreamType::Inbound),
        ]
        .into_iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(value))
        .map(|(_, kind)| kind)
    }
}

impl MockServer {
    /// Starts on a free port of 127.0.0.1 with generated tokens.
    pub fn start() -> std::io::Result<MockServer> {
        MockServer::start_with(Options::default())
    }

    pub fn start_with(options: Options) -> std::io::Result<MockServer> {
        let listener = TcpListener::bind(("127.0.0.1", options.port))?;
        let addr = listener.local_addr()?;
        let server_token = options.server_token.unwrap_or_else(ids::uuid);
        let account_token = options.account_token.unwrap_or_else(ids::uuid);
        let shared = Arc::new(Shared::new(
            State::new(server_token.clone(), account_token.clone()),
            options.request_timeout.unwrap_or(DEFAULT_REQUEST_TIMEOUT),
            options.max_connections.unwrap_or(DEFAULT_MAX_CONNECTIONS),
        ));
        let acceptor = net::spawn_acceptor(listener, Arc::clone(&shared))?;
        Ok(MockServer {
            addr,
            server_token,
            account_token,
            shared,
            acceptor: Some(acceptor),
        })
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    /// The default server's API token.
    pub fn server_token(&self) -> &str {
        &self.server_token
    }

    pub fn account_token(&self) -> &str {
        &self.account_token
    }

    /// Queues `fault` for the next `count` API requests. Faults are consumed first-in
    /// first-out; control routes and CORS preflights never consume them.
    ///
    /// # Panics
    /// If a `Status` or `Page` status is outside 400-599, or a page's content type is not
    /// a one-line header value.
    pub fn inject(&self, fault: Fault, count: usize) {
        self.queue(fault, count, None);
    }

    /// Like [`inject`](Self::inject), but only requests whose path starts with
    /// `path_prefix` (compared case-insensitively, e.g. `"/email"`) consume the fault.
    ///
    /// # Panics
    /// As [`inject`](Self::inject).
    pub fn inject_on(&self, path_prefix: &str, fault: Fault, count: usize) {
        self.queue(fault, count, Some(path_prefix.to_owned()));
    }

    /// From now on, hits `share` (0 to 1) of the API requests that no queued fault
    /// matches with one of `faults`, picked at random by a generator started from `seed`;
    /// a share of 0 stops it. A [`reset`](Self::reset) stops it too.
    ///
    /// # Panics
    /// If `share` is outside 0-1, or a fault is one [`inject`](Self::inject) refuses.
    pub fn inject_randomly(&self, share: f64, faults: Vec<Fault>, seed: u64) {
        if let Err(message) = self.state().faults.set_random(share, faults, seed) {
            panic!("{message}");
        }
    }

    /// Every API request received so far (oldest first; the log keeps the last 100,000).
    pub fn requests(&self) -> Vec<SeenRequest> {
        self.state().requests.iter().cloned().collect()
    }

    /// Every API request received since the last call, or since the log was last cleared,
    /// emptying the log at once: a long run drains it before it reaches 100,000 entries
    /// without losing a request between reading and clearing.
    pub fn take_requests(&self) -> Vec<SeenRequest> {
        self.state().requests.drain(..).collect()
    }

    pub fn clear_requests(&self) {
        self.state().requests.clear();
    }

    /// Accepted messages, oldest first, in the `OutboundMessage` search shape plus
    /// `HtmlBody`, `TextBody` and `Headers` (the last 50,000 are kept).
    pub fn sent_messages(&self) -> Vec<Value> {
        self.state().messages.iter().map(|m| m.to_json()).collect()
    }

    /// Adds a Standard template with `html` as HtmlBody to the default server and returns
    /// its TemplateId. A template with the same alias is replaced (keeping its ID).
    ///
    /// # Panics
    /// If the default server was deleted through the API (call [`reset`](Self::reset)).
    pub fn add_template(&self, alias: &str, subject: &str, html: &str) -> i64 {
        let template = Template::standard(0, alias, alias, subject, Some(html), None);
        let mut state = self.state();
        let server = state
            .default_server_mut()
            .unwrap_or_else(|e| panic!("{}", e.message));
        api::templates::put(&mut server.templates, template)
    }

    /// Suppresses `email` on the default server's `outbound` stream: sends to it are then
    /// refused (ErrorCode 406) or skipped (partial success).
    ///
    /// # Panics
    /// If `email` is not a valid address, or the default server or its `outbound` stream
    /// was deleted.
    pub fn suppress(&self, email: &str) {
        control::suppress(&mut self.state(), email, "outbound")
            .unwrap_or_else(|e| panic!("{}", e.message));
    }

    /// Adds a message stream to the default server, or changes the type and archived flag
    /// of an existing one.
    ///
    /// # Panics
    /// If the default server was deleted through the API.
    pub fn add_stream(&self, id: &str, kind: StreamType, archived: bool) {
        control::put_stream(&mut self.state(), id, kind, archived)
            .unwrap_or_else(|e| panic!("{}", e.message));
    }

    /// Records a bounce on the default server, as `POST /__mock/bounces` does, and returns
    /// it as `GET /bounces/{id}` answers it. The body is `{"Email", "Type"?, "MessageID"?,
    /// "MessageStream"?, "From"?, "Subject"?, "Tag"?, "Details"?, "Content"?, "Inactive"?,
    /// "CanActivate"?, "BouncedAt"?}`: `Type` defaults to `HardBounce`; `From`, `Subject`,
    /// `Tag` and `MessageStream` default to those of the sent message `MessageID` names (the
    /// stream otherwise to `outbound`); `Inactive` and `CanActivate` to what the type does
    /// (a spam complaint cannot be reactivated); `Content` is the raw bounce, which makes
    /// the dump available. An inactive bounce suppresses `Email` on its stream, and
    /// reactivating it lifts the suppression.
    ///
    /// # Panics
    /// If the body is not what the route takes (the route answers 400 or 404 instead).
    pub fn add_bounce(&self, bounce: Value) -> Value {
        self.record(&bounce, control::BOUNCE)
    }

    /// Receives a message on the default server's inbound stream, as `POST /__mock/inbound`
    /// does, and returns its details. The body is `{"From", "To", "Cc"?, "ReplyTo"?,
    /// "Subject"?, "Tag"?, "TextBody"?, "HtmlBody"?, "Headers"?, "Attachments"?, "Status"?,
    /// "BlockedReason"?, "ReceivedAt"?}`: `To` and `Cc` are header values (`"Desk"
    /// <desk+hash@inbound.example.com>`), the first `To` address is where it was received
    /// and gives the `MailboxHash`; `Status` defaults to `Processed` (`Blocked` can be
    /// bypassed, `Failed` retried).
    ///
    /// # Panics
    /// If the body is not what the route takes.
    pub fn add_inbound_message(&self, message: Value) -> Value {
        self.record(&message, control::INBOUND)
    }

    /// Records an open of a message the default server sent, as `POST /__mock/opens` does,
    /// and returns it as the opens search answers it. The body is `{"MessageID",
    /// "Recipient"?, "Client"?, "OS"?, "Platform"?, "UserAgent"?, "Geo"?, "ReadSeconds"?,
    /// "ReceivedAt"?}`: `Recipient` must be one of the message's (default: the first),
    /// `Client` and `OS` are `{Name, Company, Family}` (default all `unknown`), `Platform`
    /// one of `WebMail`, `Desktop`, `Mobile`, `Unknown` (the default), `Geo` as Postmark
    /// writes it (default `{}`). `FirstOpen` is true for the recipient's first recorded open.
    ///
    /// # Panics
    /// If the body is not what the route takes, or the message is unknown.
    pub fn add_open(&self, open: Value) -> Value {
        self.record(&open, control::OPEN)
    }

    /// Records a click in a message the default server sent, as `POST /__mock/clicks` does:
    /// the body of [`add_open`](Self::add_open) without `ReadSeconds`, plus `"OriginalLink"`
    /// and `"ClickLocation"?` (`HTML`, the default, or `Text`).
    ///
    /// # Panics
    /// If the body is not what the route takes, or the message is unknown.
    pub fn add_click(&self, click: Value) -> Value {
        self.record(&click, control::CLICK)
    }

    /// How many TCP connections the server has accepted since it started:
    /// lets tests check that a client reuses its connection.
    pub fn connections_accepted(&self) -> u64 {
        self.shared.traffic.accepted()
    }

    /// The most API requests that were in flight at the same time (parsed, not yet
    /// answered) since the start or the last [`reset_peak_in_flight`](Self::reset_peak_in_flight)
    /// or [`reset`](Self::reset): proves that a client really sent requests in parallel,
    /// without relying on timing. Pair it with a `delay` fault so requests overlap.
    pub fn peak_in_flight(&self) -> usize {
        self.shared.traffic.peak()
    }

    /// Restarts [`peak_in_flight`](Self::peak_in_flight) from the requests in flight now.
    pub fn reset_peak_in_flight(&self) {
        self.shared.traffic.reset_peak();
    }

    /// Restores the state at start (servers, templates, suppressions, messages, bounces,
    /// opens and clicks, the request log), drops pending faults and restarts the in-flight
    /// peak. Tokens are kept.
    ///
    /// It first waits (up to 5 s) for API requests in flight, so that one held by a
    /// `delay` fault lands before the reset instead of in the next test's state.
    pub fn reset(&self) {
        control::reset(&self.shared.state, &self.shared.traffic);
    }

    fn queue(&self, fault: Fault, count: usize, path_prefix: Option<String>) {
        let queued = self.state().faults.push(fault, count, path_prefix);
        if let Err(why) = queued {
            panic!("{why}");
        }
    }

    fn record(&self, body: &Value, recorder: control::Recorder) -> Value {
        let fields = json::Fields::of(body, "The body").unwrap_or_else(|e| panic!("{}", e.message));
        recorder(&mut self.state(), fields).unwrap_or_else(|e| panic!("{}", e.message))
    }

    fn state(&self) -> MutexGuard<'_, State> {
        router::lock(&self.shared.state)
    }
}

/// Tokens are credentials: they stay out of test logs.
impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("addr", &self.addr)
            .field("server_token", &Redacted)
            .field("account_token", &Redacted)
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Options {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redact = |token: &Option<String>| token.as_ref().map(|_| Redacted);
        f.debug_struct("Options")
            .field("port", &self.port)
            .field("account_token", &redact(&self.account_token))
            .field("server_token", &redact(&self.server_token))
            .field("request_timeout", &self.request_timeout)
            .field("max_connections", &self.max_connections)
            .finish()
    }
}

/// What Debug shows instead of a token.
struct Redacted;

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if let Some(acceptor) = self.acceptor.take() {
            net::stop(self.addr, &self.shared, acceptor);
        }
    }
}
