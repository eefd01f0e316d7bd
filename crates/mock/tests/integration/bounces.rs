use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{account_call, column, message, open_call, server_call};

/// Records a bounce through the control route.
fn bounce(mock: &MockServer, body: Value) -> Value {
    open_call(mock, "POST", "/__mock/bounces", Some(&body)).expect_ok()
}

fn list(mock: &MockServer, query: &str) -> Value {
    server_call(mock, "GET", &format!("/bounces?{query}"), None).expect_ok()
}

fn emails(page: &Value) -> Vec<&str> {
    column(page, "Bounces", "Email")
}

#[test]
fn the_seeded_bounce_explains_the_seeded_suppression() {
    let mock = MockServer::start().unwrap();
    assert_eq!(
        server_call(&mock, "GET", "/deliverystats", None).json(),
        json!({"InactiveMails": 1, "Bounces": [
            {"Name": "All", "Count": 1},
            {"Type": "HardBounce", "Name": "Hard bounce", "Count": 1},
        ]})
    );
    let page = list(&mock, "count=10&offset=0");
    assert_eq!(page["TotalCount"], 1);
    let seeded = &page["Bounces"][0];
    assert_eq!(seeded["Email"], "inactive@example.com");
    assert_eq!(
        (seeded["Type"].as_str(), seeded["TypeCode"].as_i64()),
        (Some("HardBounce"), Some(1))
    );
    assert!(seeded["ID"].as_i64().unwrap() > i64::from(u32::MAX));
    assert_eq!(
        (
            seeded["Inactive"].as_bool(),
            seeded["CanActivate"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert!(seeded.get("Content").is_none(), "lists leave out Content");
}

#[test]
fn filters_paging_and_order() {
    let mock = MockServer::start().unwrap();
    mock.add_stream("news", postmark_kit_mock::StreamType::Broadcasts, false);
    let added: Vec<Value> = [
        json!({"Email": "Ann@Example.com", "Type": "softbounce", "Tag": "welcome", "BouncedAt": "2026-01-05T10:00:00.0000000-05:00"}),
        json!({"Email": "bob@example.org", "Type": "HardBounce", "Tag": "invoice", "BouncedAt": "2026-01-10T10:00:00.0000000-05:00"}),
        json!({"Email": "cat@example.com", "Type": "SpamComplaint", "BouncedAt": "2026-01-15T23:59:59.0000000-05:00"}),
        json!({"Email": "dan@example.com", "Type": "Transient", "MessageStream": "news"}),
    ]
    .into_iter()
    .map(|body| bounce(&mock, body))
    .collect();
    assert_eq!(added[0]["Type"], "SoftBounce", "any casing is read");
    assert_eq!(added[0]["Email"], "Ann@Example.com");
    assert_eq!(
        added[0]["Inactive"], false,
        "a soft bounce deactivates nobody"
    );
    assert_eq!(
        (
            added[2]["Inactive"].as_bool(),
            added[2]["CanActivate"].as_bool()
        ),
        (Some(true), Some(false))
    );

    // Newest first, `outbound` by default; the seeded bounce is the oldest.
    let all = list(&mock, "count=500&offset=0");
    assert_eq!(
        emails(&all),
        [
            "cat@example.com",
            "bob@example.org",
            "Ann@Example.com",
            "inactive@example.com"
        ]
    );
    let page = list(&mock, "count=2&offset=1");
    assert_eq!(page["TotalCount"], 4);
    assert_eq!(emails(&page), ["bob@example.org", "Ann@Example.com"]);

    let cases = [
        (
            "type=HARDBOUNCE",
            vec!["bob@example.org", "inactive@example.com"],
        ),
        ("inactive=false", vec!["Ann@Example.com"]),
        ("inactive=TRUE&type=SpamComplaint", vec!["cat@example.com"]),
        (
            "emailFilter=EXAMPLE.COM",
            vec!["cat@example.com", "Ann@Example.com", "inactive@example.com"],
        ),
        ("emailFilter=ann@", vec!["Ann@Example.com"]),
        ("tag=Invoice", vec!["bob@example.org"]),
        ("messagestream=news", vec!["dan@example.com"]),
        (
            "fromdate=2026-01-10&todate=2026-01-15",
            vec!["cat@example.com", "bob@example.org"],
        ),
        (
            "fromdate=2026-01-05T10:00:01&todate=2026-01-15T23:59",
            vec!["cat@example.com", "bob@example.org"],
        ),
        ("todate=2026-01-05", vec!["Ann@Example.com"]),
        (
            &format!("messageID={}", added[1]["MessageID"].as_str().unwrap()),
            vec!["bob@example.org"],
        ),
    ];
    for (filter, expected) in cases {
        let page = list(&mock, &format!("count=500&offset=0&{filter}"));
        assert_eq!(emails(&page), expected, "{filter}");
        assert_eq!(page["TotalCount"], expected.len(), "{filter}");
    }

    let stats = server_call(&mock, "GET", "/deliverystats", None).json();
    assert_eq!(stats["InactiveMails"], 3);
    assert_eq!(
        stats["Bounces"],
        json!([
            {"Name": "All", "Count": 5},
            {"Type": "HardBounce", "Name": "Hard bounce", "Count": 2},
            {"Type": "Transient", "Name": "Message delayed", "Count": 1},
            {"Type": "SoftBounce", "Name": "Soft bounce", "Count": 1},
            {"Type": "SpamComplaint", "Name": "Spam complaint", "Count": 1},
        ])
    );
}

#[test]
fn bad_queries_are_error_code_1000() {
    let mock = MockServer::start().unwrap();
    for query in [
        "",
        "offset=0",
        "count=10",
        "count=501&offset=0",
        "count=x&offset=0",
        "count=10&offset=-1",
        "count=500&offset=9501",
        "count=1&offset=10000",
        "count=10&offset=0&type=QuantumBounce",
        "count=10&offset=0&inactive=maybe",
        "count=10&offset=0&fromdate=yesterday",
        "count=10&offset=0&todate=2026-02-30T25:00",
    ] {
        let reply = server_call(&mock, "GET", &format!("/bounces?{query}"), None);
        reply.expect_error(422, 1000);
    }
    // The deepest page still within the cap is answered.
    assert_eq!(list(&mock, "count=500&offset=9500")["TotalCount"], 1);
    // Query keys are case-insensitive, like paths.
    assert_eq!(
        server_call(&mock, "GET", "/Bounces?Count=1&OFFSET=0", None).json()["TotalCount"],
        1
    );
    // Bounces need a server token.
    for path in ["/bounces?count=1&offset=0", "/deliverystats", "/bounces/1"] {
        account_call(&mock, "GET", path, None).expect_error(401, 10);
    }
}

#[test]
fn one_bounce_its_dump_and_reactivation() {
    let mock = MockServer::start().unwrap();
    let hard = bounce(
        &mock,
        json!({"Email": "hard@example.com", "Details": "smtp;550 unknown user", "Content": "Return-Path: <>\r\n\r\nbounced"}),
    );
    let id = hard["ID"].as_i64().unwrap();
    let got = server_call(&mock, "GET", &format!("/bounces/{id}"), None).json();
    assert_eq!(got, hard);
    assert_eq!(got["Content"], "Return-Path: <>\r\n\r\nbounced");
    assert_eq!(got["DumpAvailable"], true);
    assert_eq!(
        server_call(&mock, "GET", &format!("/bounces/{id}/dump"), None).json(),
        json!({"Body": "Return-Path: <>\r\n\r\nbounced"})
    );

    // The inactive recipient is refused until it is reactivated.
    server_call(&mock, "POST", "/email", Some(&message("hard@example.com"))).expect_error(422, 406);
    let activated = server_call(&mock, "PUT", &format!("/bounces/{id}/activate"), None).expect_ok();
    assert_eq!(activated["Message"], "OK");
    assert_eq!(activated["Bounce"]["ID"], id);
    assert_eq!(activated["Bounce"]["Inactive"], false);
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&message("hard@example.com"))).status,
        200
    );
    // Activating again changes nothing.
    let again = server_call(&mock, "PUT", &format!("/bounces/{id}/activate"), None).json();
    assert_eq!(again, activated);

    let complaint = bounce(
        &mock,
        json!({"Email": "spam@example.com", "Type": "SpamComplaint"}),
    );
    let complaint = complaint["ID"].as_i64().unwrap();
    assert_eq!(
        server_call(&mock, "GET", &format!("/bounces/{complaint}/dump"), None).json(),
        json!({"Body": ""}),
        "no dump"
    );
    server_call(
        &mock,
        "PUT",
        &format!("/bounces/{complaint}/activate"),
        None,
    )
    .expect_error(422, 1003);
    server_call(&mock, "POST", "/email", Some(&message("spam@example.com"))).expect_error(422, 406);

    for missing in ["1", "abc", "99999999999"] {
        for path in [
            format!("/bounces/{missing}"),
            format!("/bounces/{missing}/dump"),
        ] {
            server_call(&mock, "GET", &path, None).expect_error(422, 1001);
        }
        server_call(&mock, "PUT", &format!("/bounces/{missing}/activate"), None)
            .expect_error(422, 1001);
    }
}

#[test]
fn a_bounce_of_a_sent_message_takes_its_fields() {
    let mock = MockServer::start().unwrap();
    let mut body = message("ann@example.com");
    body["Tag"] = "welcome".into();
    body["MessageStream"] = "broadcast".into();
    let sent = server_call(&mock, "POST", "/email", Some(&body)).json();
    let message_id = sent["MessageID"].as_str().unwrap();
    let recorded = bounce(
        &mock,
        json!({"Email": "ann@example.com", "MessageID": message_id, "Type": "HardBounce"}),
    );
    assert_eq!(
        [
            &recorded["From"],
            &recorded["Subject"],
            &recorded["Tag"],
            &recorded["MessageStream"]
        ],
        ["sender@example.com", "Hello", "welcome", "broadcast"]
    );
    // Its stream, not `outbound`, is where the address is now inactive.
    server_call(&mock, "POST", "/email", Some(&body)).expect_error(422, 406);
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&message("ann@example.com"))).status,
        200
    );
    let details = server_call(
        &mock,
        "GET",
        &format!("/messages/outbound/{message_id}/details"),
        None,
    )
    .json();
    assert_eq!(
        details["MessageEvents"],
        json!([{"Recipient": "ann@example.com", "Type": "Bounced", "ReceivedAt": recorded["BouncedAt"],
                "Details": {"Summary": recorded["Description"], "BounceID": recorded["ID"].to_string()}}])
    );
}

#[test]
fn recording_a_bounce_checks_its_fields() {
    let mock = MockServer::start().unwrap();
    for (body, status) in [
        (json!({}), 400),
        (json!({"Email": "not an address"}), 400),
        (json!({"Email": "a@example.com", "Type": "Quantum"}), 400),
        (json!({"Email": "a@example.com", "Inactive": "yes"}), 422),
        (
            json!({"Email": "a@example.com", "MessageStream": "nowhere"}),
            404,
        ),
    ] {
        let reply = open_call(&mock, "POST", "/__mock/bounces", Some(&body));
        assert_eq!(reply.status, status, "{body}: {}", reply.text());
    }
    assert_eq!(
        list(&mock, "count=10&offset=0")["TotalCount"],
        1,
        "nothing was recorded"
    );
    // The Rust helper records the same way.
    let added = mock.add_bounce(json!({"Email": "b@example.com", "Type": "DnsError"}));
    assert_eq!(added["Name"], "DNS error");
    assert_eq!(list(&mock, "count=10&offset=0")["Bounces"][0], added);
    mock.reset();
    assert_eq!(list(&mock, "count=10&offset=0")["TotalCount"], 1);
}

#[test]
fn activating_clears_every_bounce_of_the_address_on_its_stream() {
    let mock = MockServer::start().unwrap();
    let inactive_mails =
        || server_call(&mock, "GET", "/deliverystats", None).json()["InactiveMails"].clone();
    let hard = bounce(&mock, json!({"Email": "Twice@Example.com"}));
    // The same address in another casing, on the same stream in another casing.
    let manual = bounce(
        &mock,
        json!({"Email": "twice@example.com", "Type": "ManuallyDeactivated", "MessageStream": "OUTBOUND"}),
    );
    assert_eq!(inactive_mails(), 2, "the seeded address and this one");

    server_call(
        &mock,
        "PUT",
        &format!("/bounces/{}/activate", hard["ID"]),
        None,
    )
    .expect_ok();
    let got = |bounce: &Value| {
        server_call(&mock, "GET", &format!("/bounces/{}", bounce["ID"]), None).expect_ok()
    };
    assert_eq!(got(&manual)["Inactive"], false);
    assert_eq!(got(&hard)["Inactive"], false);
    assert_eq!(
        emails(&list(&mock, "count=10&offset=0&inactive=true")),
        ["inactive@example.com"]
    );
    assert_eq!(inactive_mails(), 1);
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&message("twice@example.com"))).status,
        200
    );

    // A bounce on another stream is another matter: activating on `outbound` leaves it.
    let mut broadcast = message("twice@example.com");
    broadcast["MessageStream"] = "broadcast".into();
    let elsewhere = bounce(
        &mock,
        json!({"Email": "twice@example.com", "MessageStream": "broadcast"}),
    );
    server_call(
        &mock,
        "PUT",
        &format!("/bounces/{}/activate", manual["ID"]),
        None,
    )
    .expect_ok();
    assert_eq!(got(&elsewhere)["Inactive"], true);
    assert_eq!(inactive_mails(), 2);
    server_call(&mock, "POST", "/email", Some(&broadcast)).expect_error(422, 406);
}

#[test]
fn the_seeded_suppression_is_on_the_seeded_bounce_stream_only() {
    let mock = MockServer::start().unwrap();
    let mut broadcast = message("inactive@example.com");
    broadcast["MessageStream"] = "broadcast".into();
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&broadcast)).status,
        200,
        "no bounce deactivated the address on broadcast"
    );
    server_call(
        &mock,
        "POST",
        "/email",
        Some(&message("inactive@example.com")),
    )
    .expect_error(422, 406);
    let seeded = &list(&mock, "count=1&offset=0")["Bounces"][0];
    server_call(
        &mock,
        "PUT",
        &format!("/bounces/{}/activate", seeded["ID"]),
        None,
    )
    .expect_ok();
    assert_eq!(
        server_call(
            &mock,
            "POST",
            "/email",
            Some(&message("inactive@example.com"))
        )
        .status,
        200
    );
}

#[test]
fn a_refused_bounce_uses_up_no_id() {
    let mock = MockServer::start().unwrap();
    let first = bounce(&mock, json!({"Email": "a@example.com"}));
    let missing = json!({"Email": "b@example.com", "MessageStream": "nowhere"});
    open_call(&mock, "POST", "/__mock/bounces", Some(&missing)).expect_error(404, 404);
    let second = bounce(&mock, json!({"Email": "b@example.com"}));
    assert_eq!(
        second["ID"].as_i64().unwrap(),
        first["ID"].as_i64().unwrap() + 1
    );
}
