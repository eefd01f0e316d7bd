use std::net::TcpStream;
use std::thread;
use std::time::{Duration, Instant};

use postmark_kit_mock::{Fault, MockServer, Options, SeenRequest, StreamType, TokenKind};
use serde_json::json;

use crate::support::{ACCOUNT, Conn, SERVER, account_call, message, open_call, server_call};

#[test]
fn options_choose_port_and_tokens() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = probe.local_addr().unwrap().port();
    drop(probe);
    let options = Options {
        port,
        account_token: Some("acct".into()),
        server_token: Some("srv".into()),
        ..Options::default()
    };
    let mock = MockServer::start_with(options.clone()).unwrap();
    assert_eq!(
        (mock.port(), mock.url()),
        (port, format!("http://127.0.0.1:{port}"))
    );
    assert_eq!((mock.server_token(), mock.account_token()), ("srv", "acct"));
    assert_eq!(
        server_call(&mock, "GET", "/server", None).json()["ApiTokens"],
        json!(["srv"])
    );
    // An idle keep-alive connection must not keep the port busy after drop.
    let idle = TcpStream::connect(("127.0.0.1", port)).unwrap();
    drop(mock);
    let again = MockServer::start_with(options).unwrap();
    assert_eq!(again.port(), port);
    drop(idle);

    let generated = MockServer::start().unwrap();
    assert_ne!(generated.server_token(), generated.account_token());
    assert_eq!(generated.server_token().len(), 36);
}

#[test]
fn request_log_records_kinds_never_tokens() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(&mock);
    conn.request("GET", "/server?x=1", &[(SERVER, mock.server_token())], None);
    conn.request("GET", "/servers", &[(ACCOUNT, mock.account_token())], None);
    conn.request("GET", "/nowhere", &[], None);
    let expected = [
        ("/server", "x=1", TokenKind::Server),
        ("/servers", "", TokenKind::Account),
        ("/nowhere", "", TokenKind::None),
    ]
    .map(|(path, query, token)| SeenRequest {
        method: "GET".into(),
        path: path.into(),
        query: query.into(),
        token,
    });
    assert_eq!(mock.requests(), expected);
    let over_http = open_call(&mock, "GET", "/__mock/requests", None);
    assert_eq!(
        over_http.json(),
        json!([
            {"method": "GET", "path": "/server", "query": "x=1", "token": "server"},
            {"method": "GET", "path": "/servers", "query": "", "token": "account"},
            {"method": "GET", "path": "/nowhere", "query": "", "token": null},
        ])
    );
    assert!(!over_http.text().contains(mock.server_token()));
    assert_eq!(
        open_call(&mock, "DELETE", "/__mock/requests", None).json()["ErrorCode"],
        0
    );
    assert!(mock.requests().is_empty());
    // A count of zero queues nothing: this request is answered normally.
    mock.inject(Fault::Drop, 0);
    assert_eq!(server_call(&mock, "GET", "/server", None).status, 200);
    mock.clear_requests();
    assert!(mock.requests().is_empty());
}

#[test]
fn templates_suppressions_and_streams_over_http() {
    let mock = MockServer::start().unwrap();
    let template = open_call(
        &mock,
        "POST",
        "/__mock/templates",
        Some(&json!({
            "Alias": "reset", "Subject": "Reset for {{user}}", "TextBody": "Code {{code}}",
        })),
    );
    let template = template.json();
    assert_eq!(template["TemplateId"], 1001);
    assert_eq!(
        (template["Alias"].as_str(), template["Name"].as_str()),
        (Some("reset"), Some("reset"))
    );
    assert_eq!(template["AssociatedServerId"], 1);
    let explicit = open_call(
        &mock,
        "POST",
        "/__mock/templates",
        Some(&json!({"TemplateId": 5000, "Alias": "x", "HtmlBody": "h"})),
    );
    assert_eq!(explicit.json()["TemplateId"], 5000);
    open_call(
        &mock,
        "POST",
        "/__mock/templates",
        Some(&json!({"Subject": "no alias"})),
    )
    .expect_error(400, 400);

    let send = json!({"From": "a@example.com", "To": "b@example.com", "TemplateAlias": "reset",
                      "TemplateModel": {"user": "ann", "code": 12}});
    assert_eq!(
        server_call(&mock, "POST", "/email/withTemplate", Some(&send)).json()["ErrorCode"],
        0
    );
    let messages = open_call(&mock, "GET", "/__mock/messages", None).json();
    assert_eq!(
        (
            messages[0]["Subject"].as_str(),
            messages[0]["TextBody"].as_str()
        ),
        (Some("Reset for ann"), Some("Code 12"))
    );
    assert_eq!(messages.as_array().unwrap().len(), 1);

    open_call(
        &mock,
        "POST",
        "/__mock/suppressions",
        Some(&json!({"EmailAddress": "b@example.com"})),
    );
    server_call(&mock, "POST", "/email", Some(&message("b@example.com"))).expect_error(422, 406);
    open_call(
        &mock,
        "POST",
        "/__mock/suppressions",
        Some(&json!({"EmailAddress": "c@example.com", "MessageStream": "broadcast"})),
    );
    let mut broadcast = message("c@example.com");
    broadcast["MessageStream"] = json!("broadcast");
    server_call(&mock, "POST", "/email", Some(&broadcast)).expect_error(422, 406);
    open_call(
        &mock,
        "POST",
        "/__mock/suppressions",
        Some(&json!({"EmailAddress": "bad"})),
    )
    .expect_error(400, 400);
    open_call(
        &mock,
        "POST",
        "/__mock/suppressions",
        Some(&json!({"EmailAddress": "d@example.com", "MessageStream": "nope"})),
    )
    .expect_error(404, 404);

    open_call(
        &mock,
        "POST",
        "/__mock/streams",
        Some(&json!({"ID": "alerts", "MessageStreamType": "transactional"})),
    );
    let mut alerts = message("z@example.com");
    alerts["MessageStream"] = json!("alerts");
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&alerts)).json()["ErrorCode"],
        0
    );
    open_call(
        &mock,
        "POST",
        "/__mock/streams",
        Some(&json!({"ID": "alerts", "MessageStreamType": "Inbound"})),
    );
    server_call(&mock, "POST", "/email", Some(&alerts)).expect_error(422, 1236);
    open_call(
        &mock,
        "POST",
        "/__mock/streams",
        Some(&json!({"ID": "x", "MessageStreamType": "Weird"})),
    )
    .expect_error(400, 400);
    open_call(&mock, "GET", "/__mock/nothing", None).expect_error(404, 404);
}

#[test]
fn rust_helpers_match_the_control_routes() {
    let mock = MockServer::start().unwrap();
    let id = mock.add_template("promo", "Promo {{n}}", "<p>{{n}}</p>");
    assert_eq!(id, 1001);
    assert_eq!(mock.add_template("PROMO", "Promo v2 {{n}}", "<p>2</p>"), id);
    let send = json!({"From": "a@example.com", "To": "b@example.com", "TemplateId": id, "TemplateModel": {"n": 3}});
    server_call(&mock, "POST", "/email/withTemplate", Some(&send));
    assert_eq!(mock.sent_messages()[0]["Subject"], "Promo v2 3");

    mock.suppress("b@example.com");
    server_call(&mock, "POST", "/email", Some(&message("b@example.com"))).expect_error(422, 406);
    mock.add_stream("inbound-2", StreamType::Inbound, false);
    let hook = json!({"Url": "https://example.com", "MessageStream": "inbound-2"});
    server_call(&mock, "POST", "/webhooks", Some(&hook)).expect_error(422, 1351);
}

#[test]
fn reset_restores_the_initial_state_and_keeps_tokens() {
    let mock = MockServer::start().unwrap();
    account_call(&mock, "POST", "/servers", Some(&json!({"Name": "Extra"})));
    account_call(&mock, "DELETE", "/servers/1", None);
    server_call(&mock, "GET", "/server", None).expect_error(401, 10);
    open_call(
        &mock,
        "POST",
        "/__mock/templates",
        Some(&json!({"Alias": "a"})),
    )
    .expect_error(409, 409);
    mock.inject(
        Fault::Status {
            status: 503,
            retry_after: None,
        },
        5,
    );

    assert_eq!(
        open_call(&mock, "POST", "/__mock/reset", Some(&json!({}))).json()["ErrorCode"],
        0
    );
    let servers = account_call(&mock, "GET", "/servers?count=10&offset=0", None).json();
    assert_eq!(servers["TotalCount"], 1);
    assert_eq!(
        servers["Servers"][0]["ApiTokens"],
        json!([mock.server_token()])
    );
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&message("a@example.com"))).json()["ErrorCode"],
        0
    );
    assert_eq!(mock.requests().len(), 2);
    mock.reset();
    assert!(mock.sent_messages().is_empty() && mock.requests().is_empty());
}

#[test]
fn debug_output_never_shows_tokens() {
    let options = Options {
        port: 0,
        account_token: Some("acct-secret".into()),
        server_token: Some("srv-secret".into()),
        ..Options::default()
    };
    assert_eq!(
        format!("{options:?}"),
        "Options { port: 0, account_token: Some(<redacted>), server_token: Some(<redacted>), request_timeout: None, max_connections: None }"
    );
    assert_eq!(
        format!("{:?}", Options::default()),
        "Options { port: 0, account_token: None, server_token: None, request_timeout: None, max_connections: None }"
    );
    let mock = MockServer::start_with(options).unwrap();
    for shown in [format!("{mock:?}"), format!("{mock:#?}")] {
        assert!(!shown.contains("secret"), "{shown}");
        assert!(
            shown.contains(&format!("127.0.0.1:{}", mock.port())),
            "{shown}"
        );
    }
    let generated = MockServer::start().unwrap();
    let shown = format!("{generated:?}");
    assert!(
        !shown.contains(generated.server_token()) && !shown.contains(generated.account_token())
    );
}

/// Polls `done` for up to 5 s.
#[track_caller]
fn wait_until(mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(5);
    while !done() {
        assert!(Instant::now() < deadline, "timed out");
        thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn stats_show_requests_in_flight_at_once_and_connections() {
    let mock = MockServer::start().unwrap();
    mock.inject_on("/server", Fault::Delay(Duration::from_millis(300)), 4);
    let mut control = Conn::open(&mock);
    let mut stats = || control.request("GET", "/__mock/stats", &[], None).json();
    assert_eq!(
        stats(),
        json!({"in_flight": 0, "peak_in_flight": 0, "connections": 1})
    );
    thread::scope(|scope| {
        for _ in 0..4 {
            scope.spawn(|| assert_eq!(server_call(&mock, "GET", "/server", None).status, 200));
        }
        // Control requests are not API requests: they are answered and not counted.
        wait_until(|| stats()["in_flight"] == 4);
    });
    // A request counts until its answer is written, which the client may read
    // before the count goes down.
    wait_until(|| stats()["in_flight"] == 0);
    assert_eq!(
        stats(),
        json!({"in_flight": 0, "peak_in_flight": 4, "connections": 5})
    );
    assert_eq!(mock.peak_in_flight(), 4);

    mock.reset_peak_in_flight();
    assert_eq!(mock.peak_in_flight(), 0);
    // One request after another never overlaps, preflights do not count.
    let mut api = Conn::open(&mock);
    for _ in 0..3 {
        api.request("GET", "/server", &[(SERVER, mock.server_token())], None);
        api.request("OPTIONS", "/server", &[], None);
    }
    wait_until(|| stats()["in_flight"] == 0);
    assert_eq!(
        stats(),
        json!({"in_flight": 0, "peak_in_flight": 1, "connections": 6})
    );
    let restarted = open_call(&mock, "DELETE", "/__mock/stats", None);
    assert_eq!(restarted.json()["ErrorCode"], 0);
    assert_eq!(mock.peak_in_flight(), 0);
    server_call(&mock, "GET", "/server", None);
    mock.reset();
    assert_eq!(mock.peak_in_flight(), 0);
    assert_eq!(
        mock.connections_accepted(),
        8,
        "a reset keeps the connection count"
    );
}

/// Starts a send held by a delay fault, calls `reset` while it waits, and checks that the
/// send, though answered, left nothing behind.
fn reset_during_a_delayed_send(reset: impl FnOnce(&MockServer)) {
    let mock = MockServer::start().unwrap();
    mock.inject(Fault::Delay(Duration::from_millis(300)), 1);
    thread::scope(|scope| {
        let send =
            scope.spawn(|| server_call(&mock, "POST", "/email", Some(&message("a@example.com"))));
        // Logged means parsed and in flight: the delay starts right after.
        wait_until(|| mock.requests().len() == 1);
        reset(&mock);
        assert_eq!(send.join().unwrap().json()["ErrorCode"], 0);
    });
    assert_eq!(mock.sent_messages(), Vec::<serde_json::Value>::new());
    assert_eq!(mock.requests(), []);
}

#[test]
fn reset_over_http_waits_for_a_delayed_request() {
    reset_during_a_delayed_send(|mock| {
        let reply = open_call(mock, "POST", "/__mock/reset", Some(&json!({})));
        assert_eq!(
            reply.json(),
            json!({"ErrorCode": 0, "Message": "State reset."})
        );
    });
}

#[test]
fn reset_in_rust_waits_for_a_delayed_request() {
    reset_during_a_delayed_send(MockServer::reset);
}
