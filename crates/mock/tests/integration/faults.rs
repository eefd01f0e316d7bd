use std::time::{Duration, Instant};

use postmark_kit_mock::{Fault, MockServer, TokenKind};
use serde_json::json;

use crate::support::{Conn, SERVER, message, open_call, server_call};

fn status(status: u16, retry_after: Option<u32>) -> Fault {
    Fault::Status {
        status,
        retry_after,
    }
}

#[test]
fn status_faults_answer_like_postmark_and_keep_retry_after() {
    let mock = MockServer::start().unwrap();
    for (code, retry_after) in [
        (503, Some(7)),
        (429, None),
        (500, None),
        (502, None),
        (413, None),
        (415, None),
    ] {
        mock.inject(status(code, retry_after), 1);
    }
    let body = message("a@example.com");
    let send = || server_call(&mock, "POST", "/email", Some(&body));

    let unavailable = send();
    unavailable.expect_error(503, 100);
    assert_eq!(unavailable.header("Retry-After"), Some("7"));
    // Postmark documents no ErrorCode for 429: no envelope to depend on.
    let limited = send();
    assert_eq!(
        (
            limited.status,
            limited.header("Content-Type"),
            limited.text().as_str(),
            limited.header("Retry-After")
        ),
        (
            429,
            Some("text/plain; charset=utf-8"),
            "Too many requests. Slow down and retry later.",
            None
        )
    );
    send().expect_error(500, 101);
    send().expect_error(502, 502);
    let too_large = send();
    assert_eq!(
        (too_large.status, too_large.text().as_str()),
        (413, "Request entity too large")
    );
    send().expect_error(415, 409);
    // Faulted requests have no effect; the next one goes through.
    assert!(mock.sent_messages().is_empty());
    assert_eq!(send().status, 200);
    assert_eq!(mock.sent_messages().len(), 1);
    assert_eq!(mock.requests().len(), 7);
}

#[test]
fn page_faults_answer_exactly_the_page() {
    let mock = MockServer::start().unwrap();
    let html = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    mock.inject(
        Fault::Page {
            status: 502,
            content_type: "text/html; charset=utf-8".into(),
            body: html.into(),
            retry_after: None,
        },
        1,
    );
    open_call(
        &mock,
        "POST",
        "/__mock/faults",
        Some(
            &json!({"kind": "page", "status": 503, "content_type": "text/plain", "body": "",
                     "retry_after": 3, "path": "/server"}),
        ),
    )
    .expect_error(200, 0);
    let body = message("a@example.com");

    let page = server_call(&mock, "POST", "/email", Some(&body));
    assert_eq!(
        (
            page.status,
            page.header("Content-Type"),
            page.text().as_str(),
            page.header("Retry-After")
        ),
        (502, Some("text/html; charset=utf-8"), html, None)
    );
    // The /server-only page is left for /server; /email goes through.
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&body)).status,
        200
    );
    let empty = server_call(&mock, "GET", "/server", None);
    assert_eq!(
        (
            empty.status,
            empty.header("Content-Type"),
            empty.header("Content-Length"),
            empty.header("Retry-After")
        ),
        (503, Some("text/plain"), Some("0"), Some("3"))
    );
    assert_eq!(mock.sent_messages().len(), 1);
}

#[test]
#[should_panic(expected = "content_type")]
fn a_page_that_would_inject_headers_is_refused() {
    MockServer::start().unwrap().inject(
        Fault::Page {
            status: 502,
            content_type: "text/html\r\nSet-Cookie: x=1".into(),
            body: String::new(),
            retry_after: None,
        },
        1,
    );
}

#[test]
fn faults_hit_before_authentication_and_count_down() {
    let mock = MockServer::start().unwrap();
    mock.inject(status(503, None), 2);
    let mut conn = Conn::open(&mock);
    for _ in 0..2 {
        conn.request("GET", "/server", &[], None)
            .expect_error(503, 100);
    }
    conn.request("GET", "/server", &[], None)
        .expect_error(401, 10);
}

#[test]
fn delay_slows_but_still_applies_the_request() {
    let mock = MockServer::start().unwrap();
    mock.inject(Fault::Delay(Duration::from_millis(300)), 1);
    let started = Instant::now();
    let reply = server_call(&mock, "POST", "/email", Some(&message("a@example.com")));
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(reply.json()["ErrorCode"], 0);
    assert_eq!(mock.sent_messages().len(), 1);
}

#[test]
fn drop_closes_without_answer_or_effect() {
    let mock = MockServer::start().unwrap();
    mock.inject(Fault::Drop, 1);
    let body = serde_json::to_vec(&message("a@example.com")).unwrap();
    let mut conn = Conn::open(&mock);
    conn.send(
        "POST",
        "/email",
        &[(SERVER, mock.server_token())],
        Some(&body),
    );
    assert!(conn.read_reply().is_none());
    assert!(mock.sent_messages().is_empty());
    // A client retrying on a new connection succeeds; both attempts are logged.
    let retry = Conn::open(&mock).request(
        "POST",
        "/email",
        &[(SERVER, mock.server_token())],
        Some(&body),
    );
    assert_eq!(retry.json()["ErrorCode"], 0);
    let seen = mock.requests();
    assert_eq!(seen.len(), 2);
    assert!(
        seen.iter()
            .all(|r| r.method == "POST" && r.path == "/email" && r.token == TokenKind::Server)
    );
}

#[test]
fn path_prefixes_aim_faults_and_order_is_fifo() {
    let mock = MockServer::start().unwrap();
    mock.inject_on("/EMAIL", status(500, None), 1);
    mock.inject(status(503, None), 1);
    mock.inject(status(429, None), 1);
    // /server skips the /email-only fault and takes the next one in order.
    server_call(&mock, "GET", "/server", None).expect_error(503, 100);
    server_call(&mock, "POST", "/email/batch", Some(&json!([]))).expect_error(500, 101);
    assert_eq!(server_call(&mock, "GET", "/server", None).status, 429);
    assert_eq!(server_call(&mock, "GET", "/server", None).status, 200);
}

#[test]
fn faults_over_http_control_route() {
    let mock = MockServer::start().unwrap();
    let queued = open_call(
        &mock,
        "POST",
        "/__mock/faults",
        Some(
            &json!({"kind": "status", "status": 429, "count": 2, "retry_after": 1, "path": "/server"}),
        ),
    );
    assert_eq!(
        queued.json(),
        json!({"ErrorCode": 0, "Message": "Fault queued."})
    );
    open_call(
        &mock,
        "POST",
        "/__mock/faults",
        Some(&json!({"kind": "delay", "ms": 150})),
    );
    open_call(
        &mock,
        "POST",
        "/__mock/faults",
        Some(&json!({"kind": "drop", "path": "/email"})),
    );

    // Control routes neither consume faults nor show up in the request log.
    assert_eq!(
        open_call(&mock, "GET", "/__mock/requests", None).json(),
        json!([])
    );
    for _ in 0..2 {
        let reply = server_call(&mock, "GET", "/server", None);
        assert_eq!(
            (reply.status, reply.header("Retry-After")),
            (429, Some("1"))
        );
    }
    let started = Instant::now();
    assert_eq!(server_call(&mock, "GET", "/server", None).status, 200);
    assert!(started.elapsed() >= Duration::from_millis(150));
    let mut conn = Conn::open(&mock);
    conn.send(
        "POST",
        "/email",
        &[(SERVER, mock.server_token())],
        Some(b"{}"),
    );
    assert!(conn.read_reply().is_none());

    for bad in [
        json!({"kind": "explode"}),
        json!({"kind": "status", "status": 200}),
        json!({"kind": "status"}),
        json!({"kind": "delay", "ms": -1}),
        json!({"kind": "drop", "count": 0}),
        json!({"kind": "status", "status": 503, "retry_after": -5}),
        json!({"kind": "page", "status": 502, "body": ""}),
        json!({"kind": "page", "status": 502, "content_type": "text/html"}),
        json!({"kind": "page", "status": 302, "content_type": "text/html", "body": ""}),
        json!({"kind": "page", "status": 502, "content_type": "a\nb", "body": ""}),
    ] {
        open_call(&mock, "POST", "/__mock/faults", Some(&bad)).expect_error(400, 400);
    }
}
