//! From a parsed request to a response: CORS preflight, control routes, the request log and
//! injected faults, then route lookup, limits, authentication and the group handlers.

use std::sync::{Mutex, MutexGuard, PoisonError};
use std::thread;

use serde_json::Value;

use crate::http::{Request, Response};
use crate::json::{self, ApiError};
use crate::state::{Server, State};
use crate::traffic::Traffic;
use crate::{Fault, SeenRequest, TokenKind, api, control, faults};

/// Postmark's limit for everything that is not a batch.
pub(crate) const SINGLE_LIMIT: usize = 10 * 1024 * 1024;
/// Postmark's limit for batch sends.
pub(crate) const BATCH_LIMIT: usize = 50 * 1024 * 1024;

const SERVER_HEADER: &str = "X-Postmark-Server-Token";
const ACCOUNT_HEADER: &str = "X-Postmark-Account-Token";
/// Postmark accepts this server token on sending endpoints: it validates but does not send.
const TEST_TOKEN: &str = "POSTMARK_API_TEST";

/// Who may call a route.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Auth {
    Server,
    /// A server token, or Postmark's test token (acting on the default server).
    ServerOrTest,
    Account,
    /// Control routes: no token.
    Open,
}

pub(crate) type Handler = fn(&Ctx<'_>) -> Result<Value, ApiError>;

#[derive(Debug)]
pub(crate) struct Route {
    method: &'static str,
    /// Literal segments match case-insensitively; `{}` captures one segment.
    path: &'static str,
    auth: Auth,
    max_body: usize,
    handler: Handler,
}

impl Route {
    pub(crate) const fn new(
        method: &'static str,
        path: &'static str,
        auth: Auth,
        handler: Handler,
    ) -> Route {
        Route {
            method,
            path,
            auth,
            max_body: SINGLE_LIMIT,
            handler,
        }
    }

    pub(crate) const fn max_body(mut self, bytes: usize) -> Route {
        self.max_body = bytes;
        self
    }
}

/// Everything a handler may look at. Handlers lock the state themselves so that JSON
/// parsing happens outside the lock.
#[derive(Debug)]
pub(crate) struct Ctx<'a> {
    request: &'a Request,
    params: Vec<String>,
    query: Vec<(String, String)>,
    /// The server the server token selected (`None` on account and control routes).
    server_id: Option<i64>,
    /// The request came with Postmark's test token.
    pub(crate) test_mode: bool,
    state: &'a Mutex<State>,
    traffic: &'a Traffic,
}

impl<'a> Ctx<'a> {
    /// The `index`-th `{}` segment of the route, percent-decoded.
    pub(crate) fn param(&self, index: usize) -> &str {
        self.params.get(index).map_or("", String::as_str)
    }

    /// A query parameter, key matched case-insensitively; empty values count as absent.
    pub(crate) fn query(&self, key: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
            .filter(|v| !v.is_empty())
    }

    /// The query parameters whose key starts with `prefix` (ignoring case), as the rest of
    /// the key and the value.
    pub(crate) fn query_prefixed<'s>(
        &'s self,
        prefix: &'s str,
    ) -> impl Iterator<Item = (&'s str, &'s str)> + 's {
        self.query.iter().filter_map(move |(key, value)| {
            let head = key.get(..prefix.len())?;
            head.eq_ignore_ascii_case(prefix)
                .then(|| (&key[prefix.len()..], value.as_str()))
        })
    }

    pub(crate) fn body(&self) -> Result<Value, ApiError> {
        json::parse(&self.request.body)
    }

    pub(crate) fn state(&self) -> MutexGuard<'a, State> {
        lock(self.state)
    }

    /// The raw state lock, for control routes that must wait before taking it.
    pub(crate) fn state_mutex(&self) -> &'a Mutex<State> {
        self.state
    }

    pub(crate) fn traffic(&self) -> &'a Traffic {
        self.traffic
    }

    /// The server selected by the token, looked up again under the caller's lock.
    pub(crate) fn current<'s>(&self, state: &'s mut State) -> Result<&'s mut Server, ApiError> {
        self.server_id
            .and_then(|id| state.server_mut(id))
            .ok_or_else(|| unauthorized("Server"))
    }
}

/// A handler that panicked cannot leave the state half-written in a way later requests
/// care about more than about the mock staying up, so poisoning is ignored.
pub(crate) fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Debug)]
pub(crate) enum Outcome {
    Respond(Response),
    /// Close the connection without answering (an injected `Fault::Drop`).
    Drop,
}

/// What a request is, which decides how it is handled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A CORS preflight (`OPTIONS`, whatever the path).
    Preflight,
    /// A route under [`control::PREFIX`].
    Control,
    /// A Postmark API call: only these are logged, hit by faults and counted as in flight.
    Api,
}

fn kind(request: &Request) -> Kind {
    if request.method == "OPTIONS" {
        Kind::Preflight
    } else if is_control(&request.path) {
        Kind::Control
    } else {
        Kind::Api
    }
}

/// Whether `request` is a Postmark API call: not a CORS preflight and not a control
/// route. Only these are logged, hit by faults and counted as in flight.
pub(crate) fn is_api(request: &Request) -> bool {
    kind(request) == Kind::Api
}

pub(crate) fn handle(request: &Request, state: &Mutex<State>, traffic: &Traffic) -> Outcome {
    match kind(request) {
        Kind::Preflight => Outcome::Respond(preflight()),
        Kind::Control => Outcome::Respond(dispatch(request, state, traffic, api::CONTROL_GROUPS)),
        Kind::Api => handle_api(request, state, traffic),
    }
}

/// Logs the request, applies the first fault that matches it, then dispatches it.
fn handle_api(request: &Request, state: &Mutex<State>, traffic: &Traffic) -> Outcome {
    let fault = {
        let mut state = lock(state);
        state.record_request(SeenRequest {
            method: request.method.clone(),
            path: request.path.clone(),
            query: request.query.clone(),
            token: token_kind(request),
        });
        state.faults.take(&request.path)
    };
    match fault {
        Some(Fault::Drop) => return Outcome::Drop,
        Some(Fault::Status {
            status,
            retry_after,
        }) => {
            return Outcome::Respond(faults::status_response(status, retry_after));
        }
        Some(Fault::Page {
            status,
            content_type,
            body,
            retry_after,
        }) => {
            return Outcome::Respond(faults::page_response(
                status,
                content_type,
                body,
                retry_after,
            ));
        }
        Some(Fault::Delay(pause)) => thread::sleep(pause),
        None => {}
    }
    Outcome::Respond(dispatch(request, state, traffic, api::GROUPS))
}

pub(crate) fn error_response(error: &ApiError) -> Response {
    let body = serde_json::to_vec(&error.envelope()).unwrap_or_default();
    Response::json(error.status, body)
}

/// Postmark's proxy rejects oversized bodies before the API sees them, as plain text.
pub(crate) fn too_large() -> Response {
    Response::text(413, "Request entity too large")
}

/// The answer to a body sent without `Content-Type: application/json`: HTTP 415, with the
/// legacy "JSON required" ErrorCode 409 as the only documented code for it.
pub(crate) fn json_required() -> Response {
    error_response(&ApiError::with_status(
        415,
        409,
        "Requests with a body must be sent with 'Content-Type: application/json'.",
    ))
}

fn dispatch(
    request: &Request,
    state: &Mutex<State>,
    traffic: &Traffic,
    tables: &[&[Route]],
) -> Response {
    let (route, params) = match lookup(tables, &request.method, &request.path) {
        Lookup::Found(route, params) => (route, params),
        Lookup::WrongMethod(allowed) => {
            let message = format!("{} is not supported on {}.", request.method, request.path);
            return error_response(&ApiError::with_status(405, 405, message))
                .header("Allow", allowed.join(", "));
        }
        Lookup::Missing => {
            let message = format!(
                "No API endpoint matches {} {}.",
                request.method, request.path
            );
            return error_response(&ApiError::with_status(404, 404, message));
        }
    };
    if request.body.len() > route.max_body {
        return too_large();
    }
    let (server_id, test_mode) = match authenticate(route.auth, request, &lock(state)) {
        Ok(caller) => caller,
        Err(error) => return error_response(&error),
    };
    if !request.body.is_empty() && !is_json(request.header("Content-Type")) {
        return json_required();
    }
    let ctx = Ctx {
        request,
        params,
        query: parse_query(&request.query),
        server_id,
        test_mode,
        state,
        traffic,
    };
    match (route.handler)(&ctx) {
        Ok(body) => Response::json(200, serde_json::to_vec(&body).unwrap_or_default()),
        Err(error) => error_response(&error),
    }
}

enum Lookup<'r> {
    Found(&'r Route, Vec<String>),
    WrongMethod(Vec<&'static str>),
    Missing,
}

fn lookup<'r>(tables: &[&'r [Route]], method: &str, path: &str) -> Lookup<'r> {
    // A trailing slash names the same resource (the docs write `/email/withTemplate/`).
    let trimmed = path
        .strip_suffix('/')
        .filter(|p| !p.is_empty())
        .unwrap_or(path);
    let segments: Vec<&str> = trimmed.split('/').collect();
    let mut allowed = Vec::new();
    for route in tables.iter().flat_map(|table| table.iter()) {
        let Some(params) = match_segments(route.path, &segments) else {
            continue;
        };
        if route.method.eq_ignore_ascii_case(method) {
            return Lookup::Found(route, params);
        }
        allowed.push(route.method);
    }
    if allowed.is_empty() {
        Lookup::Missing
    } else {
        Lookup::WrongMethod(allowed)
    }
}

fn match_segments(pattern: &str, segments: &[&str]) -> Option<Vec<String>> {
    let mut params = Vec::new();
    let mut pattern_segments = pattern.split('/');
    for segment in segments {
        match pattern_segments.next()? {
            "{}" if !segment.is_empty() => params.push(percent_decode(segment, false)),
            literal if literal.eq_ignore_ascii_case(segment) => {}
            _ => return None,
        }
    }
    pattern_segments.next().is_none().then_some(params)
}

fn authenticate(
    auth: Auth,
    request: &Request,
    state: &State,
) -> Result<(Option<i64>, bool), ApiError> {
    let header = |name| {
        request
            .header(name)
            .map(str::trim)
            .filter(|t| !t.is_empty())
    };
    match auth {
        Auth::Open => Ok((None, false)),
        Auth::Account => match header(ACCOUNT_HEADER) {
            Some(token) if token.eq_ignore_ascii_case(&state.account_token) => Ok((None, false)),
            _ => Err(unauthorized("Account")),
        },
        Auth::Server | Auth::ServerOrTest => {
            let token = header(SERVER_HEADER).ok_or_else(|| unauthorized("Server"))?;
            if auth == Auth::ServerOrTest && token == TEST_TOKEN {
                let id = state
                    .default_server_id()
                    .ok_or_else(|| unauthorized("Server"))?;
                return Ok((Some(id), true));
            }
            let server = state
                .server_by_token(token)
                .ok_or_else(|| unauthorized("Server"))?;
            Ok((Some(server.id), false))
        }
    }
}

fn unauthorized(kind: &str) -> ApiError {
    ApiError::with_status(
        401,
        10,
        format!(
            "Request does not contain a valid {kind} token in the 'X-Postmark-{kind}-Token' header, \
             or the token is of the wrong type for this endpoint."
        ),
    )
}

/// Which credential the request carried, for the request log (the server header wins when
/// both are present).
fn token_kind(request: &Request) -> TokenKind {
    if request.header(SERVER_HEADER).is_some() {
        TokenKind::Server
    } else if request.header(ACCOUNT_HEADER).is_some() {
        TokenKind::Account
    } else {
        TokenKind::None
    }
}

fn is_control(path: &str) -> bool {
    path.as_bytes()
        .get(..control::PREFIX.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(control::PREFIX.as_bytes()))
}

fn is_json(content_type: Option<&str>) -> bool {
    content_type
        .and_then(|v| v.split(';').next())
        .is_some_and(|media| media.trim().eq_ignore_ascii_case("application/json"))
}

fn preflight() -> Response {
    Response::empty(204)
        .header(
            "Access-Control-Allow-Methods",
            "GET, POST, PUT, PATCH, DELETE",
        )
        .header(
            "Access-Control-Allow-Headers",
            "Accept, Content-Type, X-Postmark-Server-Token, X-Postmark-Account-Token, User-Agent",
        )
        .header("Access-Control-Max-Age", "600")
}

fn parse_query(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (percent_decode(key, true), percent_decode(value, true))
        })
        .collect()
}

/// Decodes `%XX` escapes (and `+` as space in query strings); malformed escapes stay as
/// they are and invalid UTF-8 becomes U+FFFD.
fn percent_decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| char::from(*b).to_digit(16));
        match bytes[i] {
            b'%' => {
                if let (Some(high), Some(low)) = (hex(i + 1), hex(i + 2)) {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                out.push(b'%');
            }
            b'+' if plus_is_space => out.push(b' '),
            other => out.push(other),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_op(_: &Ctx<'_>) -> Result<Value, ApiError> {
        Ok(Value::Null)
    }

    const TABLE: &[Route] = &[
        Route::new("GET", "/webhooks/{}", Auth::Server, no_op),
        Route::new("PUT", "/webhooks/{}", Auth::Server, no_op),
        Route::new("POST", "/email/withTemplate", Auth::Server, no_op),
    ];

    #[test]
    fn paths_match_case_insensitively_with_optional_trailing_slash() {
        assert!(matches!(
            lookup(&[TABLE], "POST", "/EMAIL/withtemplate/"),
            Lookup::Found(..)
        ));
        match lookup(&[TABLE], "GET", "/Webhooks/a%20b/") {
            Lookup::Found(route, params) => {
                assert_eq!((route.method, params), ("GET", vec!["a b".to_owned()]))
            }
            _ => panic!("no match"),
        }
        assert!(matches!(
            lookup(&[TABLE], "GET", "/webhooks/"),
            Lookup::Missing
        ));
        assert!(matches!(
            lookup(&[TABLE], "GET", "/webhooks/1/x"),
            Lookup::Missing
        ));
        assert!(matches!(
            lookup(&[TABLE], "GET", "/email/withTemplate//"),
            Lookup::Missing
        ));
        match lookup(&[TABLE], "DELETE", "/webhooks/1") {
            Lookup::WrongMethod(allowed) => assert_eq!(allowed, ["GET", "PUT"]),
            _ => panic!("expected 405"),
        }
    }

    #[test]
    fn query_strings_are_decoded() {
        assert_eq!(
            parse_query("count=10&Name=a+b%2Fc&&flag&bad=%zz%4"),
            [
                ("count", "10"),
                ("Name", "a b/c"),
                ("flag", ""),
                ("bad", "%zz%4")
            ]
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(percent_decode("%C3%A9%ff", false), "é\u{fffd}");
    }

    #[test]
    fn json_content_types() {
        assert!(is_json(Some("application/json")));
        assert!(is_json(Some("Application/JSON ; charset=utf-8")));
        assert!(!is_json(Some("text/plain")));
        assert!(!is_json(None));
    }
}
