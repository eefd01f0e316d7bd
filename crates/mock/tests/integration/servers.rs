use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{ACCOUNT, Conn, SERVER, account_call, is_uuid, message, server_call};

fn create(mock: &MockServer, body: Value) -> Value {
    account_call(mock, "POST", "/servers", Some(&body)).expect_ok()
}

#[test]
fn wrong_missing_or_unknown_tokens_are_401_with_error_code_10() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(&mock);
    let cases: [(&str, &[(&str, &str)]); 6] = [
        (
            "/servers?count=1&offset=0",
            &[(SERVER, mock.server_token())],
        ),
        ("/server", &[(ACCOUNT, mock.account_token())]),
        ("/server", &[]),
        ("/server", &[(SERVER, "unknown")]),
        ("/servers?count=1&offset=0", &[(ACCOUNT, "unknown")]),
        ("/webhooks", &[(ACCOUNT, mock.account_token())]),
    ];
    for (path, headers) in cases {
        conn.request("GET", path, headers, None)
            .expect_error(401, 10);
    }
    // Header names and token values are case-insensitive.
    let upper = mock.server_token().to_uppercase();
    assert_eq!(
        conn.request(
            "GET",
            "/server",
            &[("x-postmark-server-token", &upper)],
            None
        )
        .status,
        200
    );
}

#[test]
fn current_server_get_and_edit() {
    let mock = MockServer::start().unwrap();
    let server = server_call(&mock, "GET", "/server", None).json();
    assert_eq!(server["ApiTokens"], json!([mock.server_token()]));
    assert_eq!(server["Name"], "Default Server");
    assert_eq!(
        server["InboundAddress"],
        format!(
            "{}@inbound.postmarkapp.com",
            server["InboundHash"].as_str().unwrap()
        )
    );
    for key in [
        "InboundHookUrl",
        "BounceHookUrl",
        "OpenHookUrl",
        "DeliveryHookUrl",
        "ClickHookUrl",
        "InboundDomain",
    ] {
        assert_eq!(server[key], "", "{key}");
    }
    let edited = server_call(
        &mock,
        "PUT",
        "/server",
        Some(&json!({"Color": "TURQUOISE", "TrackOpens": true, "DeliveryType": "Sandbox"})),
    );
    let edited = edited.json();
    assert_eq!(
        (edited["Color"].as_str(), edited["TrackOpens"].as_bool()),
        (Some("turquoise"), Some(true))
    );
    // DeliveryType can only be chosen at creation; an edit ignores it.
    assert_eq!(edited["DeliveryType"], "Live");
    // The server default applies to sends that do not set TrackOpens.
    server_call(&mock, "POST", "/email", Some(&message("x@example.com")));
    assert_eq!(mock.sent_messages()[0]["TrackOpens"], true);
}

#[test]
fn create_sets_every_field() {
    let mock = MockServer::start().unwrap();
    let body = json!({
        "Name": "Staging", "Color": "Red", "SmtpApiActivated": false, "RawEmailEnabled": true,
        "DeliveryType": "sandbox", "InboundHookUrl": "https://example.com/in", "BounceHookUrl": "https://example.com/b",
        "OpenHookUrl": "https://example.com/o", "DeliveryHookUrl": "https://example.com/d",
        "ClickHookUrl": "https://example.com/c", "PostFirstOpenOnly": true, "InboundDomain": "in.example.com",
        "InboundSpamThreshold": 30, "TrackOpens": true, "TrackLinks": "texTonly",
        "IncludeBounceContentInHook": true, "EnableSmtpApiErrorHooks": true,
    });
    let server = create(&mock, body);
    let id = server["ID"].as_i64().unwrap();
    assert_ne!(id, 1);
    let tokens = server["ApiTokens"].as_array().unwrap();
    assert!(
        tokens.len() == 1
            && is_uuid(tokens[0].as_str().unwrap())
            && tokens[0] != mock.server_token()
    );
    // Stored and answered in Postmark's wire spelling, whatever the casing sent.
    let expected = json!({
        "Name": "Staging", "Color": "red", "SmtpApiActivated": false, "RawEmailEnabled": true,
        "DeliveryType": "Sandbox", "InboundHookUrl": "https://example.com/in", "BounceHookUrl": "https://example.com/b",
        "OpenHookUrl": "https://example.com/o", "DeliveryHookUrl": "https://example.com/d",
        "ClickHookUrl": "https://example.com/c", "PostFirstOpenOnly": true, "InboundDomain": "in.example.com",
        "InboundSpamThreshold": 30, "TrackOpens": true, "TrackLinks": "TextOnly",
        "IncludeBounceContentInHook": true, "EnableSmtpApiErrorHooks": true,
        "ServerLink": format!("https://account.postmarkapp.com/servers/{id}/streams"),
    });
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(&server[key], value, "{key}");
    }
    assert_eq!(
        account_call(&mock, "GET", &format!("/servers/{id}"), None).json(),
        server
    );

    // The new server's token selects it, with its own seeded template and streams.
    let token = tokens[0].as_str().unwrap();
    let mut conn = Conn::open(&mock);
    let own = conn
        .request("GET", "/server", &[(SERVER, token)], None)
        .json();
    assert_eq!(own["ID"], id);
    let send = serde_json::to_vec(&json!({"From": "a@example.com", "To": "b@example.com", "TemplateId": 1000, "TemplateModel": {}})).unwrap();
    let sent = conn
        .request(
            "POST",
            "/email/withTemplate",
            &[(SERVER, token)],
            Some(&send),
        )
        .json();
    assert_eq!(sent["ErrorCode"], 0);
    assert_eq!(mock.sent_messages()[0]["Sandboxed"], true);
}

#[test]
fn create_and_edit_validation() {
    let mock = MockServer::start().unwrap();
    let cases = [
        (json!({}), 608),
        (json!({"Name": "  "}), 608),
        (json!({"Name": "default server"}), 603),
        (json!({"Name": "x", "Color": "Pink"}), 607),
        (json!({"Name": "x", "InboundSpamThreshold": 31}), 611),
        (json!({"Name": "x", "InboundSpamThreshold": -1}), 611),
        (json!({"Name": "x", "TrackLinks": "Everything"}), 612),
        (json!({"Name": "x", "DeliveryType": "Test"}), 613),
        (json!({"Name": "x", "BounceHookUrl": "ftp://x"}), 606),
        (json!({"Name": "x", "TrackOpens": "yes"}), 402),
    ];
    for (body, code) in cases {
        account_call(&mock, "POST", "/servers", Some(&body)).expect_error(422, code);
    }
    let other = create(&mock, json!({"Name": "Other"}));
    let path = format!("/servers/{}", other["ID"]);
    account_call(
        &mock,
        "PUT",
        &path,
        Some(&json!({"Name": "DEFAULT SERVER"})),
    )
    .expect_error(422, 603);
    account_call(
        &mock,
        "PUT",
        &path,
        Some(&json!({"Color": "blue", "TrackLinks": "bad"})),
    )
    .expect_error(422, 612);
    // A rejected edit changes nothing.
    assert_eq!(
        account_call(&mock, "GET", &path, None).json()["Color"],
        "purple"
    );
    let edited = account_call(
        &mock,
        "PUT",
        &path,
        Some(&json!({"Name": "Renamed", "DeliveryType": "Sandbox"})),
    )
    .json();
    assert_eq!(
        (edited["Name"].as_str(), edited["DeliveryType"].as_str()),
        (Some("Renamed"), Some("Live"))
    );
    // Keeping its own name is not a duplicate.
    assert_eq!(
        account_call(&mock, "PUT", &path, Some(&json!({"Name": "renamed"}))).status,
        200
    );
    account_call(&mock, "PUT", "/servers/999", Some(&json!({}))).expect_error(422, 601);
    account_call(&mock, "GET", "/servers/abc", None).expect_error(422, 601);
}

#[test]
fn list_pages_and_filters_by_name() {
    let mock = MockServer::start().unwrap();
    for name in ["Alpha One", "alpha two", "Beta"] {
        create(&mock, json!({"Name": name}));
    }
    let list = |query: &str| account_call(&mock, "GET", &format!("/servers{query}"), None);
    let all = list("?count=500&offset=0").json();
    assert_eq!(all["TotalCount"], 4);
    let names: Vec<&str> = all["Servers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["Name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Default Server", "Alpha One", "alpha two", "Beta"]);
    let page = list("?COUNT=2&Offset=1&name=ALPHA").json();
    assert_eq!(page["TotalCount"], 2);
    assert_eq!(page["Servers"].as_array().unwrap().len(), 1);
    assert_eq!(page["Servers"][0]["Name"], "alpha two");
    assert_eq!(list("/?count=0&offset=0").json()["Servers"], json!([]));
    for bad in [
        "",
        "?offset=0",
        "?count=501&offset=0",
        "?count=10",
        "?count=-1&offset=0",
        "?count=x&offset=0",
    ] {
        list(bad).expect_error(422, 600);
    }
}

#[test]
fn delete_removes_the_server_and_its_token() {
    let mock = MockServer::start().unwrap();
    let server = create(&mock, json!({"Name": "Doomed"}));
    let path = format!("/servers/{}", server["ID"]);
    let removed = account_call(&mock, "DELETE", &path, None).json();
    assert_eq!(
        removed,
        json!({"ErrorCode": 0, "Message": "Server Doomed removed."})
    );
    account_call(&mock, "GET", &path, None).expect_error(422, 601);
    account_call(&mock, "DELETE", &path, None).expect_error(422, 601);
    let token = server["ApiTokens"][0].as_str().unwrap();
    Conn::open(&mock)
        .request("GET", "/server", &[(SERVER, token)], None)
        .expect_error(401, 10);
}
