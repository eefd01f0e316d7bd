//! Every endpoint added with the templates, bulk, streams, suppressions, inbound rules,
//! stats, domains, senders and data-removals groups: the token it takes, and its entry in
//! the request log.

use postmark_kit_mock::{MockServer, SeenRequest, TokenKind};
use serde_json::json;

use crate::support::{ACCOUNT, Conn, SERVER, open_call};

/// (method, path with query, token kind).
const ENDPOINTS: &[(&str, &str, TokenKind)] = &[
    ("GET", "/templates?Count=5&Offset=0", TokenKind::Server),
    ("GET", "/templates/welcome", TokenKind::Server),
    ("POST", "/templates", TokenKind::Server),
    ("PUT", "/templates/welcome", TokenKind::Server),
    ("DELETE", "/templates/welcome", TokenKind::Server),
    ("POST", "/templates/validate", TokenKind::Server),
    ("PUT", "/templates/push", TokenKind::Account),
    ("POST", "/email/bulk", TokenKind::Server),
    (
        "GET",
        "/email/bulk/00000000-0000-4000-8000-000000000000",
        TokenKind::Server,
    ),
    ("GET", "/email/bulk?count=5", TokenKind::Server),
    (
        "GET",
        "/message-streams?IncludeArchivedStreams=true",
        TokenKind::Server,
    ),
    ("GET", "/message-streams/outbound", TokenKind::Server),
    ("PATCH", "/message-streams/outbound", TokenKind::Server),
    ("POST", "/message-streams", TokenKind::Server),
    (
        "POST",
        "/message-streams/broadcast/archive",
        TokenKind::Server,
    ),
    (
        "POST",
        "/message-streams/broadcast/unarchive",
        TokenKind::Server,
    ),
    (
        "GET",
        "/message-streams/outbound/suppressions/dump?Origin=Customer",
        TokenKind::Server,
    ),
    (
        "POST",
        "/message-streams/outbound/suppressions",
        TokenKind::Server,
    ),
    (
        "POST",
        "/message-streams/outbound/suppressions/delete",
        TokenKind::Server,
    ),
    (
        "GET",
        "/triggers/inboundrules?count=5&offset=0",
        TokenKind::Server,
    ),
    ("POST", "/triggers/inboundrules", TokenKind::Server),
    ("DELETE", "/triggers/inboundrules/1", TokenKind::Server),
    ("GET", "/stats/outbound?tag=x", TokenKind::Server),
    ("GET", "/stats/outbound/sends", TokenKind::Server),
    ("GET", "/stats/outbound/bounces", TokenKind::Server),
    ("GET", "/stats/outbound/spam", TokenKind::Server),
    ("GET", "/stats/outbound/tracked", TokenKind::Server),
    ("GET", "/stats/outbound/opens", TokenKind::Server),
    ("GET", "/stats/outbound/opens/platforms", TokenKind::Server),
    (
        "GET",
        "/stats/outbound/opens/emailclients",
        TokenKind::Server,
    ),
    ("GET", "/stats/outbound/opens/readtimes", TokenKind::Server),
    ("GET", "/stats/outbound/clicks", TokenKind::Server),
    (
        "GET",
        "/stats/outbound/clicks/browserfamilies",
        TokenKind::Server,
    ),
    ("GET", "/stats/outbound/clicks/platforms", TokenKind::Server),
    (
        "GET",
        "/stats/outbound/clicks/location?fromdate=2026-01-01",
        TokenKind::Server,
    ),
    ("GET", "/domains?count=5&offset=0", TokenKind::Account),
    ("GET", "/domains/1", TokenKind::Account),
    ("POST", "/domains", TokenKind::Account),
    ("PUT", "/domains/1", TokenKind::Account),
    ("DELETE", "/domains/1", TokenKind::Account),
    ("PUT", "/domains/1/verifyDkim", TokenKind::Account),
    ("PUT", "/domains/1/verifyReturnPath", TokenKind::Account),
    ("POST", "/domains/1/verifyspf", TokenKind::Account),
    ("POST", "/domains/1/rotatedkim", TokenKind::Account),
    ("GET", "/senders?count=5&offset=0", TokenKind::Account),
    ("GET", "/senders/1", TokenKind::Account),
    ("POST", "/senders", TokenKind::Account),
    ("PUT", "/senders/1", TokenKind::Account),
    ("DELETE", "/senders/1", TokenKind::Account),
    ("POST", "/senders/1/resend", TokenKind::Account),
    ("POST", "/senders/1/verifyspf", TokenKind::Account),
    ("POST", "/senders/1/requestnewdkim", TokenKind::Account),
    ("POST", "/data-removals", TokenKind::Account),
    ("GET", "/data-removals/1", TokenKind::Account),
];

fn bodied(method: &str) -> bool {
    matches!(method, "POST" | "PUT" | "PATCH")
}

#[test]
fn every_new_endpoint_is_served() {
    assert_eq!(ENDPOINTS.len(), 54);
    let mock = MockServer::start().unwrap();
    for (method, target, kind) in ENDPOINTS {
        let header = match kind {
            TokenKind::Server => (SERVER, mock.server_token()),
            _ => (ACCOUNT, mock.account_token()),
        };
        let body = bodied(method).then_some(&b"{}"[..]);
        let reply = Conn::open(&mock).request(method, target, &[header], body);
        let answer = reply.json();
        // Served: the answer is the route's own (a result or a Postmark ErrorCode), never
        // the 404/405 of an unknown route or the 401 of a refused token.
        let code = answer["ErrorCode"].as_i64();
        assert!(
            reply.status != 401 && !matches!(code, Some(404 | 405)),
            "{method} {target}: {} {answer}",
            reply.status
        );
    }
}

#[test]
fn tokens_are_checked_and_requests_logged() {
    let mock = MockServer::start().unwrap();
    for (method, target, kind) in ENDPOINTS {
        let wrong = match kind {
            TokenKind::Server => (ACCOUNT, mock.account_token()),
            _ => (SERVER, mock.server_token()),
        };
        let body = bodied(method).then_some(&b"{}"[..]);
        for headers in [&[][..], &[wrong][..]] {
            let reply = Conn::open(&mock).request(method, target, headers, body);
            reply.expect_error(401, 10);
        }
    }
    let seen = mock.requests();
    assert_eq!(seen.len(), ENDPOINTS.len() * 2);
    for ((method, target, kind), pair) in ENDPOINTS.iter().zip(seen.chunks(2)) {
        let (path, query) = target.split_once('?').unwrap_or((target, ""));
        let logged = |token| SeenRequest {
            method: (*method).to_owned(),
            path: path.to_owned(),
            query: query.to_owned(),
            token,
        };
        let wrong = match kind {
            TokenKind::Server => TokenKind::Account,
            _ => TokenKind::Server,
        };
        assert_eq!(pair, [logged(TokenKind::None), logged(wrong)]);
    }
    // The log over HTTP names the token kind the way other suites read it.
    let log = open_call(&mock, "GET", "/__mock/requests", None).expect_ok();
    assert_eq!(
        log[1],
        json!({"method": "GET", "path": "/templates", "query": "Count=5&Offset=0", "token": "account"})
    );
}
