use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{account_call, column, message, open_call, server_call};

/// Sends `body` and returns its MessageID.
fn send(mock: &MockServer, body: &Value) -> String {
    let sent = server_call(mock, "POST", "/email", Some(body)).expect_ok();
    sent["MessageID"].as_str().unwrap().to_owned()
}

fn get(mock: &MockServer, path: &str) -> Value {
    server_call(mock, "GET", path, None).expect_ok()
}

fn control(mock: &MockServer, route: &str, body: Value) -> Value {
    open_call(mock, "POST", &format!("/__mock/{route}"), Some(&body)).expect_ok()
}

#[test]
fn outbound_search_filters_and_pages() {
    let mock = MockServer::start().unwrap();
    let mut first = message("Ann <ann@example.com>");
    first["Cc"] = "cc@example.com".into();
    first["Tag"] = "welcome".into();
    first["Metadata"] = json!({"Customer-ID": "42", "plan": "pro"});
    let first = send(&mock, &first);
    let mut second = message("bob@example.org");
    second["From"] = "Billing <billing@example.com>".into();
    second["Subject"] = "Your invoice".into();
    second["Metadata"] = json!({"customer-id": "43"});
    let second = send(&mock, &second);
    let mut third = message("ann@example.com");
    third["MessageStream"] = "broadcast".into();
    let third = send(&mock, &third);
    let fourth = send(&mock, &message("dan@example.com"));

    let all = get(&mock, "/messages/outbound?count=500&offset=0");
    assert_eq!(all["TotalCount"], 3, "outbound only by default");
    assert_eq!(
        column(&all, "Messages", "MessageID"),
        [&fourth, &second, &first]
    );
    let item = &all["Messages"][2];
    assert_eq!(
        item["To"],
        json!([{"Email": "ann@example.com", "Name": "Ann"}])
    );
    assert_eq!(
        item["Recipients"],
        json!(["ann@example.com", "cc@example.com"])
    );
    assert_eq!(item["Status"], "Sent");
    assert!(
        item.get("HtmlBody").is_none() && item.get("TextBody").is_none(),
        "{item}"
    );

    let page = get(&mock, "/messages/outbound?count=1&offset=1");
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(column(&page, "Messages", "MessageID"), [&second]);

    let cases: [(&str, Vec<&String>); 10] = [
        ("recipient=CC@example.com", vec![&first]),
        ("recipient=ann@example.com", vec![&first]),
        ("fromemail=billing@example.com", vec![&second]),
        ("tag=WELCOME", vec![&first]),
        ("subject=your+invoice", vec![&second]),
        ("status=SENT", vec![&fourth, &second, &first]),
        ("status=queued", vec![]),
        ("messagestream=broadcast", vec![&third]),
        ("metadata_customer-id=42", vec![&first]),
        (
            "metadata_CUSTOMER-ID=43&fromdate=2020-01-01&todate=2100-01-01",
            vec![&second],
        ),
    ];
    for (filter, expected) in cases {
        let page = get(
            &mock,
            &format!("/messages/outbound?count=500&offset=0&{filter}"),
        );
        assert_eq!(column(&page, "Messages", "MessageID"), expected, "{filter}");
        assert_eq!(page["TotalCount"], expected.len(), "{filter}");
    }
    assert_eq!(
        get(
            &mock,
            "/messages/outbound?count=500&offset=0&fromdate=2100-01-01"
        )["TotalCount"],
        0
    );
}

#[test]
fn bad_message_queries_are_error_code_700() {
    let mock = MockServer::start().unwrap();
    for path in [
        "/messages/outbound?offset=0",
        "/messages/outbound?count=501&offset=0",
        "/messages/outbound?count=500&offset=9501",
        "/messages/outbound?count=10&offset=0&status=delivered",
        "/messages/outbound?count=10&offset=0&fromdate=01/31/2026",
        "/messages/outbound?count=10&offset=0&metadata_a=1&metadata_b=2",
        "/messages/inbound?count=10",
        "/messages/inbound?count=1&offset=10000",
        "/messages/inbound?count=10&offset=0&status=spam",
        "/messages/outbound/opens?count=10&offset=0&platform=Watch",
        "/messages/outbound/clicks?count=500&offset=9501",
        "/messages/outbound/opens/some-id?count=501&offset=0",
    ] {
        server_call(&mock, "GET", path, None).expect_error(422, 700);
    }
    // One message's opens are not capped at 10,000.
    assert_eq!(
        get(
            &mock,
            "/messages/outbound/opens/some-id?count=500&offset=20000"
        )["TotalCount"],
        0
    );
    for path in [
        "/messages/outbound?count=1&offset=0",
        "/messages/inbound?count=1&offset=0",
    ] {
        account_call(&mock, "GET", path, None).expect_error(401, 10);
    }
}

#[test]
fn outbound_details_dump_and_events() {
    let mock = MockServer::start().unwrap();
    let mut body = message("\"Doe, Jane\" <jane@example.com>");
    body["HtmlBody"] = "<p>Hi</p>".into();
    let id = send(&mock, &body);
    let open = control(
        &mock,
        "opens",
        json!({"MessageID": id, "Client": {"Name": "Gmail", "Company": "Google", "Family": "Gmail"},
               "ReceivedAt": "2100-01-01T10:00:00.0000000-05:00"}),
    );
    control(
        &mock,
        "clicks",
        json!({"MessageID": id, "OriginalLink": "https://example.com/x", "ClickLocation": "text",
               "ReceivedAt": "2100-01-01T09:00:00.0000000-05:00"}),
    );

    let details = get(&mock, &format!("/messages/outbound/{id}/details"));
    let listed = &get(&mock, "/messages/outbound?count=1&offset=0")["Messages"][0];
    for (key, value) in listed.as_object().unwrap() {
        assert_eq!(&details[key], value, "{key}");
    }
    assert_eq!(details["TextBody"], "Hi");
    assert_eq!(details["HtmlBody"], "<p>Hi</p>");
    let source = details["Body"].as_str().unwrap();
    assert!(
        source.starts_with("From: sender@example.com\r\nTo: \"Doe, Jane\" <jane@example.com>\r\n"),
        "{source}"
    );
    assert!(
        source.contains(&format!("Message-ID: <{id}@mtasv.net>")),
        "{source}"
    );
    assert!(source.ends_with("\r\n\r\n<p>Hi</p>"), "{source}");
    assert_eq!(
        details["MessageEvents"],
        json!([
            {"Recipient": "jane@example.com", "Type": "LinkClicked", "ReceivedAt": "2100-01-01T09:00:00.0000000-05:00",
             "Details": {"Summary": "Clicked a tracked link", "Link": "https://example.com/x", "ClickLocation": "Text"}},
            {"Recipient": "jane@example.com", "Type": "Opened", "ReceivedAt": open["ReceivedAt"],
             "Details": {"Summary": "Opened with Gmail"}},
        ])
    );
    assert_eq!(
        get(&mock, &format!("/messages/outbound/{id}/dump")),
        json!({"Body": source})
    );
    for path in [
        "/messages/outbound/nope/details",
        "/messages/outbound/nope/dump",
    ] {
        server_call(&mock, "GET", path, None).expect_error(422, 701);
    }
}

fn inbound(mock: &MockServer, status: &str, subject: &str) -> String {
    let received = control(
        mock,
        "inbound",
        json!({"From": "Ann <ann@example.com>", "To": "\"Desk\" <desk+ticket-7@inbound.example.com>",
               "Cc": "cc@example.com", "Subject": subject, "TextBody": "Help", "Status": status,
               "Headers": [{"Name": "X-Spam-Score", "Value": "0"}]}),
    );
    received["MessageID"].as_str().unwrap().to_owned()
}

#[test]
fn inbound_search_details_bypass_and_retry() {
    let mock = MockServer::start().unwrap();
    let processed = inbound(&mock, "Processed", "One");
    let blocked = inbound(&mock, "blocked", "Two");
    let failed = inbound(&mock, "Failed", "Three");
    let plain = control(
        &mock,
        "inbound",
        json!({"From": "bob@example.org", "To": "desk@inbound.example.com", "Subject": "Four"}),
    );
    let plain = plain["MessageID"].as_str().unwrap();

    // Postmark's default status is `processed`.
    let page = get(&mock, "/messages/inbound?count=10&offset=0");
    assert_eq!(
        column(&page, "InboundMessages", "MessageID"),
        [plain, processed.as_str()]
    );
    let item = &page["InboundMessages"][1];
    assert_eq!(item["Status"], "Processed");
    assert_eq!(item["MailboxHash"], "ticket-7");
    assert_eq!(
        item["OriginalRecipient"],
        "desk+ticket-7@inbound.example.com"
    );
    assert_eq!(
        item["ToFull"],
        json!([{"Email": "desk+ticket-7@inbound.example.com", "Name": "Desk", "MailboxHash": "ticket-7"}])
    );
    assert_eq!(
        item["FromFull"],
        json!({"Email": "ann@example.com", "Name": "Ann", "MailboxHash": ""})
    );
    assert!(item.get("TextBody").is_none(), "{item}");
    let date = item["Date"].as_str().unwrap();
    // US Eastern: -05:00 in winter, -04:00 in summer.
    assert!(
        (date.ends_with(" -05:00") || date.ends_with(" -04:00")) && date.contains(", "),
        "{date}"
    );

    for (filter, expected) in [
        ("status=BLOCKED", vec![blocked.as_str()]),
        ("status=failed&mailboxhash=ticket-7", vec![failed.as_str()]),
        ("mailboxhash=ticket-7", vec![processed.as_str()]),
        ("recipient=cc@example.com", vec![processed.as_str()]),
        ("fromemail=bob@example.org", vec![plain]),
        ("subject=one&tag=", vec![processed.as_str()]),
        ("todate=2000-01-01", vec![]),
    ] {
        let page = get(
            &mock,
            &format!("/messages/inbound?count=10&offset=0&{filter}"),
        );
        assert_eq!(
            column(&page, "InboundMessages", "MessageID"),
            expected,
            "{filter}"
        );
    }

    let details = get(&mock, &format!("/messages/inbound/{blocked}/details"));
    assert_eq!(details["Status"], "Blocked");
    assert_eq!(details["TextBody"], "Help");
    assert_eq!(
        details["Headers"],
        json!([{"Name": "X-Spam-Score", "Value": "0"}])
    );

    let put = |path: String| server_call(&mock, "PUT", &path, None);
    let bypassed = put(format!("/messages/inbound/{blocked}/bypass")).json();
    assert_eq!(
        bypassed,
        json!({"ErrorCode": 0, "Message": format!("Successfully bypassed message: {blocked}")})
    );
    assert_eq!(
        get(&mock, &format!("/messages/inbound/{blocked}/details"))["Status"],
        "Processed"
    );
    put(format!("/messages/inbound/{blocked}/bypass")).expect_error(422, 702);
    put(format!("/messages/inbound/{processed}/bypass")).expect_error(422, 702);

    put(format!("/messages/inbound/{processed}/retry")).expect_error(422, 703);
    let retried = put(format!("/messages/inbound/{failed}/retry")).json();
    assert_eq!(retried["ErrorCode"], 0);
    assert_eq!(
        retried["Message"],
        format!("Successfully rescheduled failed message: {failed}")
    );
    assert_eq!(
        get(&mock, "/messages/inbound?count=10&offset=0")["TotalCount"],
        4,
        "every message is processed now"
    );
    for path in [
        "/messages/inbound/nope/details".to_owned(),
        "/messages/inbound/nope/bypass".to_owned(),
        "/messages/inbound/nope/retry".to_owned(),
    ] {
        let method = if path.ends_with("details") {
            "GET"
        } else {
            "PUT"
        };
        server_call(&mock, method, &path, None).expect_error(422, 701);
    }
}

#[test]
fn opens_and_clicks_searches_and_per_message_lists() {
    let mock = MockServer::start().unwrap();
    let mut body = message("jane@example.com, bob@example.org");
    body["Tag"] = "digest".into();
    let first = send(&mock, &body);
    let second = send(&mock, &message("cat@example.com"));
    let chrome = json!({"Name": "Chrome 35.0", "Company": "Google", "Family": "Chrome"});
    let jane = control(
        &mock,
        "opens",
        json!({"MessageID": first, "Client": chrome, "Platform": "webmail", "ReadSeconds": 7,
               "OS": {"Name": "OS X 10.9", "Company": "Apple", "Family": "OS X"},
               "Geo": {"Country": "Serbia", "City": "Novi Sad"}}),
    );
    assert_eq!(
        [
            &jane["Recipient"],
            &jane["Tag"],
            &jane["MessageStream"],
            &jane["Platform"]
        ],
        ["jane@example.com", "digest", "outbound", "WebMail"]
    );
    assert_eq!(
        (jane["FirstOpen"].as_bool(), jane["ReadSeconds"].as_i64()),
        (Some(true), Some(7))
    );
    let again = control(&mock, "opens", json!({"MessageID": first}));
    assert_eq!(again["FirstOpen"], false);
    assert_eq!(
        again["OS"],
        json!({"Name": "unknown", "Company": "unknown", "Family": "unknown"})
    );
    let bob = control(
        &mock,
        "opens",
        json!({"MessageID": first, "Recipient": "BOB@example.org", "Platform": "Mobile"}),
    );
    assert_eq!(
        (bob["Recipient"].as_str(), bob["FirstOpen"].as_bool()),
        (Some("bob@example.org"), Some(true))
    );
    control(
        &mock,
        "opens",
        json!({"MessageID": second, "Platform": "Desktop"}),
    );

    let search = |query: &str| {
        get(
            &mock,
            &format!("/messages/outbound/opens?count=10&offset=0{query}"),
        )
    };
    let all = search("");
    assert_eq!(all["TotalCount"], 4);
    assert_eq!(
        column(&all, "Opens", "Recipient"),
        [
            "cat@example.com",
            "bob@example.org",
            "jane@example.com",
            "jane@example.com"
        ]
    );
    assert_eq!(all["Opens"][3], jane);
    for (query, expected) in [
        ("&platform=WEBMAIL", 1),
        ("&client_family=chrome&city=Novi+Sad", 1),
        ("&recipient=jane@example.com", 2),
        ("&tag=digest&messagestream=outbound", 3),
        ("&os_name=unknown", 3),
        ("&os_family=os+x&os_company=APPLE", 1),
        ("&country=Narnia", 0),
    ] {
        assert_eq!(search(query)["TotalCount"], expected, "{query}");
    }
    let per_message = get(
        &mock,
        &format!("/messages/outbound/opens/{first}?count=2&offset=1"),
    );
    assert_eq!(per_message["TotalCount"], 3);
    assert_eq!(
        column(&per_message, "Opens", "Recipient"),
        ["jane@example.com", "jane@example.com"]
    );

    let click = control(
        &mock,
        "clicks",
        json!({"MessageID": second, "OriginalLink": "https://example.com/a", "Platform": "desktop"}),
    );
    assert_eq!(
        [
            &click["RecordType"],
            &click["ClickLocation"],
            &click["Recipient"]
        ],
        ["Click", "HTML", "cat@example.com"]
    );
    assert!(click.get("FirstOpen").is_none());
    let clicks = get(
        &mock,
        "/messages/outbound/clicks?count=10&offset=0&platform=Desktop",
    );
    assert_eq!(clicks, json!({"TotalCount": 1, "Clicks": [click]}));
    assert_eq!(
        get(
            &mock,
            &format!("/messages/outbound/clicks/{second}?count=10&offset=0")
        ),
        clicks
    );
    assert_eq!(
        get(
            &mock,
            &format!("/messages/outbound/clicks/{first}?count=10&offset=0")
        )["TotalCount"],
        0
    );

    for (route, body, status) in [
        ("opens", json!({}), 400),
        ("opens", json!({"MessageID": "unknown"}), 404),
        (
            "opens",
            json!({"MessageID": first, "Recipient": "eve@example.com"}),
            400,
        ),
        (
            "opens",
            json!({"MessageID": first, "Platform": "Watch"}),
            400,
        ),
        ("clicks", json!({"MessageID": first}), 400),
        (
            "clicks",
            json!({"MessageID": first, "OriginalLink": "x", "ClickLocation": "Footer"}),
            400,
        ),
        ("inbound", json!({"From": "a@example.com"}), 400),
        (
            "inbound",
            json!({"From": "a@example.com", "To": "b@example.com", "Status": "Lost"}),
            400,
        ),
    ] {
        let reply = open_call(&mock, "POST", &format!("/__mock/{route}"), Some(&body));
        assert_eq!(reply.status, status, "{route} {body}: {}", reply.text());
    }
    assert_eq!(search("")["TotalCount"], 4, "nothing was recorded");
}

#[test]
fn rust_helpers_record_like_the_control_routes() {
    let mock = MockServer::start().unwrap();
    let id = send(&mock, &message("jane@example.com"));
    let open = mock.add_open(json!({"MessageID": id}));
    let click = mock.add_click(json!({"MessageID": id, "OriginalLink": "https://example.com"}));
    let received = mock
        .add_inbound_message(json!({"From": "a@example.com", "To": "desk@inbound.example.com"}));
    assert_eq!(
        get(&mock, "/messages/outbound/opens?count=1&offset=0")["Opens"][0],
        open
    );
    assert_eq!(
        get(&mock, "/messages/outbound/clicks?count=1&offset=0")["Clicks"][0],
        click
    );
    let details = get(
        &mock,
        &format!(
            "/messages/inbound/{}/details",
            received["MessageID"].as_str().unwrap()
        ),
    );
    assert_eq!(details, received);
    mock.reset();
    assert_eq!(
        get(&mock, "/messages/outbound/opens?count=1&offset=0")["TotalCount"],
        0
    );
    assert_eq!(
        get(&mock, "/messages/inbound?count=1&offset=0")["TotalCount"],
        0
    );
}
