use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{column, message, server_call};

fn create(mock: &MockServer, body: Value) -> crate::support::Reply {
    server_call(mock, "POST", "/message-streams", Some(&body))
}

fn ids(mock: &MockServer, query: &str) -> Vec<String> {
    let page = server_call(mock, "GET", &format!("/message-streams{query}"), None).expect_ok();
    assert_eq!(
        page["TotalCount"].as_u64(),
        page["MessageStreams"].as_array().map(|a| a.len() as u64)
    );
    column(&page, "MessageStreams", "ID")
        .into_iter()
        .map(str::to_owned)
        .collect()
}

fn send_on(mock: &MockServer, stream: &str) -> crate::support::Reply {
    let mut body = message("ann@example.com");
    body["MessageStream"] = stream.into();
    server_call(mock, "POST", "/email", Some(&body))
}

#[test]
fn list_create_get_edit_archive_and_unarchive() {
    let mock = MockServer::start().unwrap();
    assert_eq!(ids(&mock, ""), ["outbound", "broadcast", "inbound"]);
    assert_eq!(
        ids(&mock, "?MessageStreamType=all"),
        ["outbound", "broadcast", "inbound"]
    );
    assert_eq!(ids(&mock, "?messagestreamtype=Inbound"), ["inbound"]);
    server_call(
        &mock,
        "GET",
        "/message-streams?MessageStreamType=Outbound",
        None,
    )
    .expect_error(422, 1221);

    let created = create(
        &mock,
        json!({"ID": "news-letters", "Name": "Newsletters", "MessageStreamType": "broadcasts",
               "Description": "Monthly news"}),
    )
    .expect_ok();
    assert_eq!(created["ID"], "news-letters");
    assert_eq!(created["ServerID"], 1);
    assert_eq!(created["MessageStreamType"], "Broadcasts");
    assert_eq!(
        created["SubscriptionManagementConfiguration"],
        json!({"UnsubscribeHandlingType": "Postmark"})
    );
    assert_eq!(
        (
            &created["UpdatedAt"],
            &created["ArchivedAt"],
            &created["ExpectedPurgeDate"]
        ),
        (&Value::Null, &Value::Null, &Value::Null)
    );
    let fetched = server_call(&mock, "GET", "/message-streams/NEWS-LETTERS", None).expect_ok();
    assert_eq!(fetched, created);
    let outbound = server_call(&mock, "GET", "/message-streams/outbound", None).expect_ok();
    assert_eq!(
        (
            outbound["Name"].as_str(),
            outbound["MessageStreamType"].as_str()
        ),
        (Some("Default Transactional Stream"), Some("Transactional"))
    );
    server_call(&mock, "GET", "/message-streams/nope", None).expect_error(422, 1226);

    let edited = server_call(
        &mock,
        "PATCH",
        "/message-streams/news-letters",
        Some(&json!({"Name": "News", "Description": "", "MessageStreamType": "Inbound"})),
    )
    .expect_ok();
    assert_eq!(
        (edited["Name"].as_str(), &edited["Description"]),
        (Some("News"), &Value::Null)
    );
    assert_eq!(
        edited["MessageStreamType"], "Broadcasts",
        "the type cannot change"
    );
    assert!(edited["UpdatedAt"].is_string());
    server_call(
        &mock,
        "PATCH",
        "/message-streams/news-letters",
        Some(&json!({"Name": " "})),
    )
    .expect_error(422, 1223);
    server_call(
        &mock,
        "PUT",
        "/message-streams/news-letters",
        Some(&json!({"Name": "x"})),
    )
    .expect_error(405, 405);

    // Archiving: the stream leaves the default list and refuses sends until unarchived.
    send_on(&mock, "news-letters").expect_ok();
    let archived =
        server_call(&mock, "POST", "/message-streams/news-letters/archive", None).expect_ok();
    assert_eq!(archived["ID"], "news-letters");
    assert_eq!(archived["ServerID"], 1);
    let purge = archived["ExpectedPurgeDate"].as_str().unwrap().to_owned();
    let archived_at = server_call(&mock, "GET", "/message-streams/news-letters", None).expect_ok()
        ["ArchivedAt"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(purge > archived_at, "{purge} after {archived_at}");
    assert_eq!(ids(&mock, ""), ["outbound", "broadcast", "inbound"]);
    assert_eq!(
        ids(
            &mock,
            "?IncludeArchivedStreams=true&MessageStreamType=Broadcasts"
        ),
        ["broadcast", "news-letters"]
    );
    send_on(&mock, "news-letters").expect_error(422, 1235);
    server_call(&mock, "POST", "/message-streams/news-letters/archive", None)
        .expect_error(422, 1241);
    server_call(
        &mock,
        "POST",
        "/webhooks",
        Some(&json!({"Url": "https://example.com/h", "MessageStream": "news-letters"})),
    )
    .expect_error(422, 1350);

    let back = server_call(
        &mock,
        "POST",
        "/message-streams/news-letters/unarchive",
        None,
    )
    .expect_ok();
    assert_eq!(
        (&back["ArchivedAt"], &back["ExpectedPurgeDate"]),
        (&Value::Null, &Value::Null)
    );
    send_on(&mock, "news-letters").expect_ok();

    server_call(&mock, "POST", "/message-streams/outbound/archive", None).expect_error(422, 1229);
    server_call(&mock, "POST", "/message-streams/inbound/archive", None).expect_error(422, 1229);
    server_call(&mock, "POST", "/message-streams/nope/archive", None).expect_error(422, 1226);
    server_call(&mock, "POST", "/message-streams/broadcast/archive", None).expect_ok();
}

#[test]
fn create_applies_the_id_name_and_type_rules() {
    let mock = MockServer::start().unwrap();
    let stream = |id: &str| json!({"ID": id, "Name": "S", "MessageStreamType": "Transactional"});
    let cases = [
        (
            json!({"Name": "S", "MessageStreamType": "Transactional"}),
            1222,
        ),
        (stream("1st"), 1227),
        (stream("has space"), 1227),
        (stream(&"a".repeat(31)), 1227),
        (stream("pm-mine"), 1233),
        (stream("all"), 1237),
        (stream("Outbound"), 1230),
        (
            json!({"ID": "s", "MessageStreamType": "Transactional"}),
            1223,
        ),
        (
            json!({"ID": "s", "Name": "x".repeat(101), "MessageStreamType": "Transactional"}),
            1224,
        ),
        (
            json!({"ID": "s", "Name": "S", "MessageStreamType": "Outbound"}),
            1221,
        ),
        (
            json!({"ID": "s", "Name": "S", "MessageStreamType": "Inbound"}),
            1228,
        ),
        (
            json!({"ID": "s", "Name": "S", "MessageStreamType": "Broadcasts", "Description": "x".repeat(1001)}),
            1231,
        ),
        (
            json!({"ID": "s", "Name": "S", "MessageStreamType": "Broadcasts", "Description": "<b>bold</b>"}),
            1234,
        ),
        (
            json!({"ID": "s", "Name": "S", "MessageStreamType": "Broadcasts",
                "SubscriptionManagementConfiguration": {"UnsubscribeHandlingType": "Sometimes"}}),
            1240,
        ),
        (
            json!({"ID": "s", "Name": "S", "MessageStreamType": "Broadcasts",
                "SubscriptionManagementConfiguration": {"UnsubscribeHandlingType": "Custom"}}),
            1238,
        ),
        (
            json!({"ID": "s", "Name": "S", "MessageStreamType": "Broadcasts",
                "SubscriptionManagementConfiguration": {"UnsubscribeHandlingType": "None"}}),
            1239,
        ),
    ];
    for (body, code) in cases {
        let reply = create(&mock, body.clone());
        assert_eq!(reply.json()["ErrorCode"], code, "{body}: {}", reply.text());
        assert_eq!(reply.status, 422);
    }
    assert_eq!(
        ids(&mock, "?IncludeArchivedStreams=true").len(),
        3,
        "nothing was created"
    );
    let ok = create(&mock, json!({"ID": "Under_score-1", "Name": "S", "MessageStreamType": "Transactional",
                                  "Description": "a < b",
                                  "SubscriptionManagementConfiguration": {"UnsubscribeHandlingType": "postmark"}}))
        .expect_ok();
    assert_eq!(
        ok["SubscriptionManagementConfiguration"]["UnsubscribeHandlingType"],
        "Postmark"
    );
    for n in 0..6 {
        create(&mock, stream(&format!("extra{n}"))).expect_ok();
    }
    create(&mock, stream("eleventh")).expect_error(422, 1225);
}

fn suppress(mock: &MockServer, stream: &str, emails: &[&str]) -> Value {
    let items: Vec<Value> = emails.iter().map(|e| json!({"EmailAddress": e})).collect();
    server_call(
        mock,
        "POST",
        &format!("/message-streams/{stream}/suppressions"),
        Some(&json!({"Suppressions": items})),
    )
    .expect_ok()
}

fn unsuppress(mock: &MockServer, stream: &str, emails: &[&str]) -> Value {
    let items: Vec<Value> = emails.iter().map(|e| json!({"EmailAddress": e})).collect();
    server_call(
        mock,
        "POST",
        &format!("/message-streams/{stream}/suppressions/delete"),
        Some(&json!({"Suppressions": items})),
    )
    .expect_ok()
}

fn dump(mock: &MockServer, stream: &str, query: &str) -> Value {
    server_call(
        mock,
        "GET",
        &format!("/message-streams/{stream}/suppressions/dump{query}"),
        None,
    )
    .expect_ok()
}

#[test]
fn suppressions_are_kept_per_stream_and_refuse_sends() {
    let mock = MockServer::start().unwrap();
    let created = suppress(
        &mock,
        "outbound",
        &["Ann@Example.com", "not-an-address", "bob@example.com"],
    );
    assert_eq!(
        created,
        json!({"Suppressions": [
            {"EmailAddress": "Ann@Example.com", "Status": "Suppressed", "Message": null},
            {"EmailAddress": "not-an-address", "Status": "Failed", "Message": "An invalid email address was provided."},
            {"EmailAddress": "bob@example.com", "Status": "Suppressed", "Message": null},
        ]})
    );
    // The seeded hard bounce shows as a suppression by the recipient.
    let all = dump(&mock, "outbound", "");
    assert_eq!(
        column(&all, "Suppressions", "EmailAddress"),
        ["inactive@example.com", "Ann@Example.com", "bob@example.com"]
    );
    assert_eq!(
        (
            all["Suppressions"][0]["SuppressionReason"].as_str(),
            all["Suppressions"][0]["Origin"].as_str()
        ),
        (Some("HardBounce"), Some("Recipient"))
    );
    assert_eq!(
        (
            all["Suppressions"][1]["SuppressionReason"].as_str(),
            all["Suppressions"][1]["Origin"].as_str()
        ),
        (Some("ManualSuppression"), Some("Customer"))
    );
    assert!(all["Suppressions"][1]["CreatedAt"].is_string());
    let filtered = |query: &str| -> Vec<String> {
        column(
            &dump(&mock, "outbound", query),
            "Suppressions",
            "EmailAddress",
        )
        .into_iter()
        .map(str::to_owned)
        .collect()
    };
    assert_eq!(
        filtered("?SuppressionReason=HardBounce"),
        ["inactive@example.com"]
    );
    assert_eq!(
        filtered("?origin=customer"),
        ["Ann@Example.com", "bob@example.com"]
    );
    assert_eq!(
        filtered("?EmailAddress=BOB@example.com"),
        ["bob@example.com"]
    );
    assert_eq!(filtered("?fromdate=2000-01-01&todate=2999-12-31").len(), 3);
    assert!(filtered("?todate=2000-01-01").is_empty());
    assert!(
        dump(&mock, "broadcast", "")["Suppressions"]
            .as_array()
            .unwrap()
            .is_empty(),
        "per stream"
    );

    // Sends: a single send to suppressed addresses only is refused; a batch per message.
    let message_text = server_call(&mock, "POST", "/email", Some(&message("ann@example.com")))
        .expect_error(422, 406);
    assert!(message_text.contains("ann@example.com"), "{message_text}");
    let batch = json!([message("bob@example.com"), message("cat@example.com")]);
    let results = server_call(&mock, "POST", "/email/batch", Some(&batch)).expect_ok();
    assert_eq!(
        (
            results[0]["ErrorCode"].as_i64(),
            results[1]["ErrorCode"].as_i64()
        ),
        (Some(406), Some(0))
    );
    let mut broadcast = message("ann@example.com");
    broadcast["MessageStream"] = "broadcast".into();
    server_call(&mock, "POST", "/email", Some(&broadcast)).expect_ok();

    // Deleting lifts it (and reports Deleted for an address that was not there).
    let deleted = unsuppress(&mock, "outbound", &["ann@example.com", "zed@example.com"]);
    assert_eq!(
        column(&deleted, "Suppressions", "Status"),
        ["Deleted", "Deleted"]
    );
    server_call(&mock, "POST", "/email", Some(&message("ann@example.com"))).expect_ok();
}

#[test]
fn deleting_follows_the_reason_and_requests_are_checked() {
    let mock = MockServer::start().unwrap();
    mock.add_bounce(json!({"Email": "spam@example.com", "Type": "SpamComplaint"}));
    let refused = unsuppress(&mock, "outbound", &["spam@example.com"]);
    assert_eq!(
        refused["Suppressions"][0],
        json!({"EmailAddress": "spam@example.com", "Status": "Failed",
               "Message": "You do not have the required authority to change this suppression."})
    );
    assert_eq!(
        dump(&mock, "outbound", "?SuppressionReason=SpamComplaint")["Suppressions"][0]["EmailAddress"],
        "spam@example.com"
    );
    // Lifting a hard bounce's suppression reactivates the bounce.
    assert_eq!(
        unsuppress(&mock, "outbound", &["inactive@example.com"])["Suppressions"][0]["Status"],
        "Deleted"
    );
    let bounces = server_call(
        &mock,
        "GET",
        "/bounces?count=10&offset=0&emailFilter=inactive@",
        None,
    )
    .expect_ok();
    assert_eq!(bounces["Bounces"][0]["Inactive"], false);
    server_call(
        &mock,
        "POST",
        "/email",
        Some(&message("inactive@example.com")),
    )
    .expect_ok();

    let path = "/message-streams/outbound/suppressions";
    let many: Vec<Value> = (0..51)
        .map(|n| json!({"EmailAddress": format!("u{n}@example.com")}))
        .collect();
    server_call(&mock, "POST", path, Some(&json!({"Suppressions": many}))).expect_error(422, 1410);
    server_call(
        &mock,
        "POST",
        &format!("{path}/delete"),
        Some(&json!({"Suppressions": many})),
    )
    .expect_error(422, 1410);
    server_call(&mock, "POST", path, Some(&json!({}))).expect_error(422, 1409);
    server_call(&mock, "POST", path, None).expect_error(422, 1409);
    server_call(
        &mock,
        "POST",
        "/message-streams/nope/suppressions",
        Some(&json!({"Suppressions": []})),
    )
    .expect_error(422, 1226);
    server_call(
        &mock,
        "GET",
        "/message-streams/nope/suppressions/dump",
        None,
    )
    .expect_error(422, 1226);
    server_call(
        &mock,
        "GET",
        "/message-streams/outbound/suppressions/dump?SuppressionReason=Bounce",
        None,
    )
    .expect_error(422, 1404);
    server_call(
        &mock,
        "GET",
        "/message-streams/outbound/suppressions/dump?Origin=Robot",
        None,
    )
    .expect_error(422, 1405);
    let fifty: Vec<Value> = (0..50)
        .map(|n| json!({"EmailAddress": format!("u{n}@example.com")}))
        .collect();
    let ok = server_call(&mock, "POST", path, Some(&json!({"Suppressions": fifty}))).expect_ok();
    assert_eq!(ok["Suppressions"].as_array().unwrap().len(), 50);
}
