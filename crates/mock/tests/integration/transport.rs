use std::collections::HashSet;
use std::thread;

use postmark_kit_mock::MockServer;
use serde_json::json;

use crate::support::{ACCOUNT, Conn, SERVER, account_call, message, server_call};

#[test]
fn keep_alive_serves_many_requests_on_one_connection() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(&mock);
    let token = [(SERVER, mock.server_token())];
    let email = serde_json::to_vec(&message("a@example.com")).unwrap();
    let mut request_ids = HashSet::new();
    for round in 0..3 {
        let server = conn.request("GET", "/server", &token, None);
        assert_eq!(server.json()["ID"], 1, "round {round}");
        let sent = conn.request("POST", "/email", &token, Some(&email));
        assert_eq!(sent.json()["ErrorCode"], 0);
        let missing = conn.request("GET", "/nope", &token, None);
        missing.expect_error(404, 404);
        for reply in [server, sent, missing] {
            assert_eq!(reply.header("Connection"), Some("keep-alive"));
            assert!(request_ids.insert(reply.header("X-Request-Id").unwrap().to_owned()));
        }
    }
    assert_eq!(mock.sent_messages().len(), 3);
    assert_eq!(mock.requests().len(), 9);
}

#[test]
fn connection_close_is_honoured() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(&mock);
    let reply = conn.request(
        "GET",
        "/server",
        &[(SERVER, mock.server_token()), ("Connection", "close")],
        None,
    );
    assert_eq!(
        (reply.status, reply.header("Connection")),
        (200, Some("close"))
    );
    assert!(conn.is_closed());

    let mut old = Conn::open(&mock);
    old.write(b"GET /server HTTP/1.0\r\nX-Postmark-Server-Token: nope\r\n\r\n");
    assert_eq!(old.read_reply().unwrap().status, 401);
    assert!(old.is_closed());
}

#[test]
fn chunked_bodies_and_expect_continue() {
    let mock = MockServer::start().unwrap();
    let body = serde_json::to_string(&message("a@example.com")).unwrap();
    let (first, rest) = body.split_at(10);
    let mut conn = Conn::open(&mock);
    conn.write(
        format!(
            "POST /email HTTP/1.1\r\nX-Postmark-Server-Token: {}\r\nContent-Type: application/json\r\n\
             Transfer-Encoding: chunked\r\n\r\n{:x}\r\n{first}\r\n{:x};ext=1\r\n{rest}\r\n0\r\n\r\n",
            mock.server_token(),
            first.len(),
            rest.len()
        )
        .as_bytes(),
    );
    assert_eq!(conn.read_reply().unwrap().json()["ErrorCode"], 0);

    conn.write(
        format!(
            "POST /email HTTP/1.1\r\nX-Postmark-Server-Token: {}\r\nContent-Type: application/json\r\n\
             Expect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            mock.server_token(),
            body.len()
        )
        .as_bytes(),
    );
    let interim = conn.read_reply().unwrap();
    assert_eq!(interim.status, 100);
    conn.write(body.as_bytes());
    assert_eq!(conn.read_reply().unwrap().json()["ErrorCode"], 0);
    assert_eq!(mock.sent_messages().len(), 2);
}

#[test]
fn cors_preflight_and_headers() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(&mock);
    let preflight = conn.request(
        "OPTIONS",
        "/email/batch",
        &[
            ("Origin", "http://127.0.0.1:9"),
            ("Access-Control-Request-Method", "POST"),
        ],
        None,
    );
    assert_eq!(preflight.status, 204);
    assert_eq!(preflight.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(
        preflight.header("Access-Control-Allow-Methods"),
        Some("GET, POST, PUT, PATCH, DELETE")
    );
    assert_eq!(
        preflight.header("Access-Control-Allow-Headers"),
        Some("Accept, Content-Type, X-Postmark-Server-Token, X-Postmark-Account-Token, User-Agent")
    );
    assert!(preflight.body.is_empty());

    let reply = conn.request("GET", "/server", &[], None);
    assert_eq!(reply.header("Access-Control-Allow-Origin"), Some("*"));
    assert_eq!(
        reply.header("Access-Control-Expose-Headers"),
        Some("Retry-After, X-Request-Id")
    );
    assert_eq!(
        reply.header("Content-Type"),
        Some("application/json; charset=utf-8")
    );
    // Preflights are not API requests.
    assert_eq!(mock.requests().len(), 1);
}

#[test]
fn media_type_method_and_route_errors() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(&mock);
    let token = (SERVER, mock.server_token());
    let body = serde_json::to_vec(&message("a@example.com")).unwrap();
    conn.request(
        "POST",
        "/email",
        &[token, ("Content-Type", "text/plain")],
        Some(&body),
    )
    .expect_error(415, 409);
    conn.write(
        format!(
            "POST /email HTTP/1.1\r\n{}: {}\r\nContent-Length: 2\r\n\r\n{{}}",
            token.0, token.1
        )
        .as_bytes(),
    );
    conn.read_reply().unwrap().expect_error(415, 409);
    let wrong = conn.request("DELETE", "/email", &[token], None);
    wrong.expect_error(405, 405);
    assert_eq!(wrong.header("Allow"), Some("POST"));
    let missing = conn.request("GET", "/email/bulk/x/y", &[token], None);
    assert!(missing.expect_error(404, 404).contains("/email/bulk/x/y"));
    assert!(mock.sent_messages().is_empty());
}

#[test]
fn valid_json_under_another_content_type_is_415_and_changes_nothing() {
    let mock = MockServer::start().unwrap();
    let server = Some((SERVER, mock.server_token()));
    let account = Some((ACCOUNT, mock.account_token()));
    let rename = br#"{"Name": "Renamed"}"#;
    let mut conn = Conn::open(&mock);
    for (method, path, token, content_type) in [
        ("PUT", "/server", server, "text/plain"),
        ("PUT", "/servers/1", account, "application/jsonp"),
        (
            "POST",
            "/servers",
            account,
            "application/x-www-form-urlencoded",
        ),
        ("POST", "/webhooks", server, "text/json"),
        ("POST", "/__mock/templates", None, "text/plain"),
    ] {
        let headers: Vec<(&str, &str)> = token
            .into_iter()
            .chain([("Content-Type", content_type)])
            .collect();
        let reply = conn.request(method, path, &headers, Some(rename));
        reply.expect_error(415, 409);
        assert_eq!(reply.header("Connection"), Some("keep-alive"), "{path}");
    }
    let servers = account_call(&mock, "GET", "/servers?count=10&offset=0", None).json();
    assert_eq!(
        (
            servers["TotalCount"].as_i64(),
            servers["Servers"][0]["Name"].as_str()
        ),
        (Some(1), Some("Default Server"))
    );
    // The same body as JSON is accepted.
    let renamed = server_call(&mock, "PUT", "/server", Some(&json!({"Name": "Renamed"})));
    assert_eq!(renamed.json()["Name"], "Renamed");
}

#[test]
fn malformed_requests_get_400_and_a_closed_connection() {
    let mock = MockServer::start().unwrap();
    for raw in [
        &b"GARBAGE\r\n\r\n"[..],
        b"POST /email HTTP/1.1\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
        b"GET / HTTP/1.1\r\nBad Header\r\n\r\n",
    ] {
        let mut conn = Conn::open(&mock);
        conn.write(raw);
        let reply = conn.read_reply().unwrap();
        assert_eq!(
            (reply.status, reply.header("Connection")),
            (400, Some("close"))
        );
        assert!(conn.is_closed());
    }
    let mut conn = Conn::open(&mock);
    conn.write(format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(70_000)).as_bytes());
    assert_eq!(conn.read_reply().unwrap().status, 431);
    // The server is still fine.
    assert_eq!(
        Conn::open(&mock)
            .request("GET", "/server", &[(SERVER, mock.server_token())], None)
            .status,
        200
    );
}

#[test]
fn concurrent_connections_are_served() {
    let mock = MockServer::start().unwrap();
    thread::scope(|scope| {
        for worker in 0..8 {
            let mock = &mock;
            scope.spawn(move || {
                let mut conn = Conn::open(mock);
                for i in 0..20 {
                    let body = serde_json::to_vec(&message(&format!("w{worker}-{i}@example.com")))
                        .unwrap();
                    let reply = conn.request(
                        "POST",
                        "/email",
                        &[(SERVER, mock.server_token())],
                        Some(&body),
                    );
                    assert_eq!(reply.json()["ErrorCode"], 0);
                }
            });
        }
    });
    assert_eq!(mock.sent_messages().len(), 160);
    let ids: HashSet<String> = mock
        .sent_messages()
        .iter()
        .map(|m| m["MessageID"].to_string())
        .collect();
    assert_eq!(ids.len(), 160);
    assert_eq!(json!(mock.requests().len()), 160);
}

/// A mock whose requests must arrive within a fraction of a second, so that the tests of
/// senders that never finish end quickly.
fn impatient_mock() -> MockServer {
    MockServer::start_with(postmark_kit_mock::Options {
        request_timeout: Some(std::time::Duration::from_millis(300)),
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn a_request_that_never_finishes_gets_408_while_others_are_served() {
    let mock = impatient_mock();
    let token = [(SERVER, mock.server_token())];
    for partial in [
        // A slow sender stuck inside the head.
        &b"GET /server HTTP/1.1\r\nX-Postmark-Server-"[..],
        // A body that its Content-Length overstates.
        b"POST /email HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"From\":",
        // A chunked body whose last chunk never comes.
        b"POST /email HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n",
    ] {
        let mut stuck = Conn::open(&mock);
        stuck.write(partial);
        // Served while the other connection hangs.
        assert_eq!(Conn::open(&mock).request("GET", "/server", &token, None).status, 200);
        let reply = stuck.read_reply().unwrap();
        assert_eq!(
            (reply.status, reply.header("Connection")),
            (408, Some("close")),
            "{}",
            String::from_utf8_lossy(partial)
        );
        assert!(stuck.is_closed());
    }
}

#[test]
fn an_idle_connection_is_closed_without_an_answer() {
    let mock = impatient_mock();
    let mut idle = Conn::open(&mock);
    let reply = idle.request("GET", "/server", &[(SERVER, mock.server_token())], None);
    assert_eq!(reply.status, 200);
    // No request follows: the connection is closed, with no 408 for a request never made.
    assert!(idle.read_reply().is_none());
}

#[test]
fn bodies_past_the_limit_or_not_json_are_refused_with_a_4xx() {
    let mock = MockServer::start().unwrap();
    let token = [(SERVER, mock.server_token())];
    // Refused by its Content-Length alone, before a byte of it is read.
    let mut huge = Conn::open(&mock);
    huge.write(b"POST /email HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 70000000\r\n\r\n");
    assert_eq!(huge.read_reply().unwrap().status, 413);
    assert!(huge.is_closed());
    for body in [
        &b"{\"From\": \"\xff\xfe\"}"[..],
        b"{\"From\": ",
        b"[1, 2",
        b"\xc3\x28",
    ] {
        let reply = Conn::open(&mock).request("POST", "/email", &token, Some(body));
        assert!(
            (400..500).contains(&reply.status),
            "{}: {}",
            reply.status,
            reply.text()
        );
    }
    assert!(mock.sent_messages().is_empty());
}

#[test]
fn connections_past_the_cap_are_closed_and_the_others_served() {
    let mock = MockServer::start_with(postmark_kit_mock::Options {
        max_connections: Some(2),
        ..Default::default()
    })
    .unwrap();
    let token = [(SERVER, mock.server_token())];
    let mut first = Conn::open(&mock);
    let mut second = Conn::open(&mock);
    for conn in [&mut first, &mut second] {
        assert_eq!(conn.request("GET", "/server", &token, None).status, 200);
    }
    let mut third = Conn::open(&mock);
    third.send("GET", "/server", &token, None);
    assert!(
        third.read_reply().is_none(),
        "a third connection is closed unanswered"
    );
    // The two within the cap go on being served.
    assert_eq!(first.request("GET", "/server", &token, None).status, 200);
    drop(first);
    // Once the first one's thread has seen it close, a new connection is served. The
    // wait is bounded by attempts, not by time.
    let served = (0..500).any(|_| {
        thread::sleep(std::time::Duration::from_millis(10));
        let mut conn = Conn::open(&mock);
        conn.send("GET", "/server", &token, None);
        conn.read_reply().is_some_and(|reply| reply.status == 200)
    });
    assert!(served);
    assert_eq!(second.request("GET", "/server", &token, None).status, 200);
}
