use postmark_kit_mock::{MockServer, StreamType};
use serde_json::{Value, json};

use crate::support::{Conn, SERVER, is_uuid, message, server_call};

#[test]
fn send_email_is_accepted_and_recorded() {
    let mock = MockServer::start().unwrap();
    let body = json!({
        "From": "Sender <sender@example.com>",
        "To": "\"Doe, Jane\" <jane@example.com>, bob@example.com",
        "Cc": "carol@example.com",
        "Bcc": null,
        "Subject": "Invoice",
        "HtmlBody": "<b>Hi</b>",
        "TextBody": "Hi",
        "Tag": "invoice",
        "Metadata": {"order": "42"},
        "Headers": [{"Name": "X-Test", "Value": "1"}],
        "Attachments": [{"Name": "a.txt", "Content": "aGk=", "ContentType": "text/plain"}],
        "TrackOpens": true,
        "TrackLinks": "htmlonly",
    });
    let sent = server_call(&mock, "POST", "/email", Some(&body)).expect_ok();
    assert_eq!(sent["ErrorCode"], 0);
    assert_eq!(sent["Message"], "OK");
    assert_eq!(
        sent["To"],
        "\"Doe, Jane\" <jane@example.com>, bob@example.com"
    );
    let id = sent["MessageID"].as_str().unwrap();
    assert!(is_uuid(id), "{id}");
    let submitted = sent["SubmittedAt"].as_str().unwrap();
    // US Eastern: -05:00 in winter, -04:00 in summer.
    assert!(
        (submitted.ends_with("-05:00") || submitted.ends_with("-04:00")) && submitted.len() == 33,
        "{submitted}"
    );

    let stored = mock.sent_messages();
    assert_eq!(stored.len(), 1);
    let m = &stored[0];
    assert_eq!(m["MessageID"], id);
    assert_eq!(m["MessageStream"], "outbound");
    assert_eq!(m["Status"], "Sent");
    assert_eq!(
        m["To"],
        json!([{"Email": "jane@example.com", "Name": "Doe, Jane"}, {"Email": "bob@example.com", "Name": ""}])
    );
    assert_eq!(
        m["Recipients"],
        json!(["jane@example.com", "bob@example.com", "carol@example.com"])
    );
    assert_eq!(
        (m["Subject"].as_str(), m["Tag"].as_str()),
        (Some("Invoice"), Some("invoice"))
    );
    assert_eq!(m["Metadata"], json!({"order": "42"}));
    assert_eq!(m["Headers"], json!([{"Name": "X-Test", "Value": "1"}]));
    assert_eq!(m["Attachments"], json!(["a.txt"]));
    assert_eq!(
        (m["TrackOpens"].as_bool(), m["TrackLinks"].as_str()),
        (Some(true), Some("HtmlOnly"))
    );
}

#[test]
fn field_names_are_case_insensitive() {
    let mock = MockServer::start().unwrap();
    let body = json!({"from": "a@example.com", "TO": "b@example.com", "textbody": "x"});
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&body)).json()["ErrorCode"],
        0
    );
}

#[test]
fn invalid_sends_are_rejected_with_postmark_codes() {
    let mock = MockServer::start().unwrap();
    mock.add_stream("archived", StreamType::Broadcasts, true);
    let many: Vec<String> = (0..51).map(|i| format!("r{i}@example.com")).collect();
    let with = |key: &str, value: Value| {
        let mut m = message("to@example.com");
        m[key] = value;
        m
    };
    let cases = [
        (with("From", Value::Null), 300),
        (with("From", json!("not-an-address")), 300),
        (with("To", Value::Null), 300),
        (with("To", json!("ok@example.com, broken@")), 300),
        (with("Cc", json!("nope")), 300),
        (with("ReplyTo", json!("nope")), 300),
        (
            json!({"From": "a@example.com", "To": "b@example.com", "TextBody": "", "HtmlBody": null}),
            300,
        ),
        (with("To", json!(many.join(","))), 300),
        (with("Tag", json!("t".repeat(1001))), 300),
        (with("TrackLinks", json!("Always")), 300),
        (with("MessageStream", json!("nope")), 1235),
        (with("MessageStream", json!("archived")), 1235),
        (with("MessageStream", json!("inbound")), 1236),
        (with("To", json!(5)), 402),
        (with("Metadata", json!({"n": 1})), 402),
    ];
    for (body, code) in cases {
        let reply = server_call(&mock, "POST", "/email", Some(&body));
        assert_eq!(
            (reply.status, reply.json()["ErrorCode"].as_i64()),
            (422, Some(code)),
            "{body}: {}",
            reply.text()
        );
    }
    server_call(&mock, "POST", "/email", None).expect_error(422, 402);
    let mut conn = Conn::open(&mock);
    conn.request(
        "POST",
        "/email",
        &[(SERVER, mock.server_token())],
        Some(b"{\"From\":"),
    )
    .expect_error(422, 402);
    assert!(mock.sent_messages().is_empty());
}

#[test]
fn inactive_recipients_fail_only_when_all_are_inactive() {
    let mock = MockServer::start().unwrap();
    mock.suppress("Gone@Example.com");
    let all = server_call(
        &mock,
        "POST",
        "/email",
        Some(&message("inactive@example.com, gone@example.com")),
    );
    let text = all.expect_error(422, 406);
    assert!(
        text.contains("Found inactive addresses: inactive@example.com, gone@example.com. Inactive"),
        "{text}"
    );

    let some = server_call(
        &mock,
        "POST",
        "/email",
        Some(&message("ok@example.com, inactive@example.com")),
    );
    assert_eq!(some.status, 200);
    assert_eq!(
        some.json()["Message"],
        "Message OK, but will not deliver to these inactive addresses: inactive@example.com"
    );
    assert_eq!(mock.sent_messages().len(), 1);
    // Suppressions belong to a stream: the broadcast stream only has the seeded address.
    let mut broadcast = message("gone@example.com");
    broadcast["MessageStream"] = json!("broadcast");
    assert_eq!(
        server_call(&mock, "POST", "/email", Some(&broadcast)).json()["ErrorCode"],
        0
    );
}

#[test]
fn templated_sends_render_the_model() {
    let mock = MockServer::start().unwrap();
    let custom = mock.add_template("receipt", "Receipt {{ order.id }}", "<p>{{name}}</p>");
    let send = |path: &str, template: Value| {
        let mut body = json!({"From": "a@example.com", "To": "b@example.com",
                              "TemplateModel": {"name": "Ann & Bo", "order": {"id": 7}}});
        body.as_object_mut()
            .unwrap()
            .extend(template.as_object().unwrap().clone());
        server_call(&mock, "POST", path, Some(&body))
    };
    assert_eq!(
        send("/email/withTemplate", json!({"TemplateAlias": "WELCOME"})).json()["ErrorCode"],
        0
    );
    assert_eq!(
        send("/email/withTemplate/", json!({"TemplateId": custom})).json()["ErrorCode"],
        0
    );
    // TemplateId wins over TemplateAlias.
    assert_eq!(
        send(
            "/EMAIL/WITHTEMPLATE",
            json!({"TemplateId": 1000, "TemplateAlias": "receipt"})
        )
        .status,
        200
    );
    let subjects: Vec<Value> = mock
        .sent_messages()
        .iter()
        .map(|m| m["Subject"].clone())
        .collect();
    assert_eq!(
        subjects,
        [
            json!("Welcome, Ann & Bo!"),
            json!("Receipt 7"),
            json!("Welcome, Ann & Bo!")
        ]
    );
    assert_eq!(mock.sent_messages()[1]["HtmlBody"], "<p>Ann &amp; Bo</p>");

    send("/email/withTemplate", json!({})).expect_error(422, 1101);
    send("/email/withTemplate", json!({"TemplateAlias": "missing"})).expect_error(422, 1101);
    send("/email/withTemplate", json!({"TemplateId": 999})).expect_error(422, 1101);
    let no_model = json!({"From": "a@example.com", "To": "b@example.com", "TemplateId": 1000});
    server_call(&mock, "POST", "/email/withTemplate", Some(&no_model)).expect_error(422, 1120);
}

#[test]
fn batch_answers_one_result_per_message_in_order() {
    let mock = MockServer::start().unwrap();
    let batch = json!([
        message("one@example.com"),
        message("inactive@example.com"),
        {"From": "a@example.com", "To": "b@example.com"},
        message("two@example.com"),
    ]);
    let reply = server_call(&mock, "POST", "/email/batch", Some(&batch));
    assert_eq!(reply.status, 200);
    let results = reply.json();
    let codes: Vec<i64> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ErrorCode"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [0, 406, 300, 0]);
    assert_eq!(results[0]["To"], "one@example.com");
    assert_eq!(results[3]["To"], "two@example.com");
    let failed = results[2].as_object().unwrap();
    assert_eq!(failed.keys().collect::<Vec<_>>(), ["ErrorCode", "Message"]);
    let stored: Vec<Value> = mock
        .sent_messages()
        .iter()
        .map(|m| m["MessageID"].clone())
        .collect();
    assert_eq!(
        stored,
        [
            results[0]["MessageID"].clone(),
            results[3]["MessageID"].clone()
        ]
    );
}

#[test]
fn batch_level_errors() {
    let mock = MockServer::start().unwrap();
    let too_many = Value::Array(vec![message("a@example.com"); 501]);
    server_call(&mock, "POST", "/email/batch", Some(&too_many)).expect_error(422, 410);
    server_call(
        &mock,
        "POST",
        "/email/batch",
        Some(&message("a@example.com")),
    )
    .expect_error(422, 402);
    // A malformed item fails the whole request, like Postmark's deserializer.
    let malformed = json!([message("a@example.com"), {"From": "a@example.com", "To": ["x"]}]);
    server_call(&mock, "POST", "/email/batch", Some(&malformed)).expect_error(422, 402);
    assert_eq!(
        server_call(&mock, "POST", "/email/batch", Some(&json!([]))).json(),
        json!([])
    );
    assert!(mock.sent_messages().is_empty());
}

#[test]
fn batch_with_templates_wraps_messages() {
    let mock = MockServer::start().unwrap();
    let body = json!({"Messages": [
        {"From": "a@example.com", "To": "b@example.com", "TemplateAlias": "welcome", "TemplateModel": {"name": "X"}},
        {"From": "a@example.com", "To": "b@example.com", "TemplateAlias": "nope", "TemplateModel": {}},
        {"From": "a@example.com", "To": "inactive@example.com", "TemplateId": 1000, "TemplateModel": {}},
    ]});
    let results = server_call(&mock, "POST", "/email/batchWithTemplates", Some(&body)).json();
    let codes: Vec<i64> = results
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ErrorCode"].as_i64().unwrap())
        .collect();
    assert_eq!(codes, [0, 1101, 406]);
    server_call(&mock, "POST", "/email/batchWithTemplates", Some(&json!([])))
        .expect_error(422, 402);
    let too_many = json!({"Messages": vec![json!({}); 501]});
    server_call(&mock, "POST", "/email/batchWithTemplates", Some(&too_many)).expect_error(422, 410);
}

#[test]
fn test_token_validates_without_sending() {
    let mock = MockServer::start().unwrap();
    let mut conn = Conn::open(&mock);
    let body = serde_json::to_vec(&message("b@example.com")).unwrap();
    let reply = conn
        .request(
            "POST",
            "/email",
            &[(SERVER, "POSTMARK_API_TEST")],
            Some(&body),
        )
        .json();
    assert_eq!(reply["Message"], "Test job accepted");
    assert_eq!(reply["MessageID"], "00000000-0000-0000-0000-000000000000");
    conn.request(
        "POST",
        "/email",
        &[(SERVER, "POSTMARK_API_TEST")],
        Some(b"{}"),
    )
    .expect_error(422, 300);
    conn.request("GET", "/server", &[(SERVER, "POSTMARK_API_TEST")], None)
        .expect_error(401, 10);
    assert!(mock.sent_messages().is_empty());
}

#[test]
fn oversized_bodies_get_413_from_the_proxy() {
    let mock = MockServer::start().unwrap();
    let big = format!("{{\"TextBody\":\"{}\"}}", "x".repeat(10 * 1024 * 1024));
    let mut conn = Conn::open(&mock);
    let reply = conn.request(
        "POST",
        "/email",
        &[(SERVER, mock.server_token())],
        Some(big.as_bytes()),
    );
    assert_eq!(reply.status, 413);
    assert!(
        reply
            .header("Content-Type")
            .unwrap()
            .starts_with("text/plain")
    );
    // The same size is fine for a batch (it fails JSON validation instead), on the same connection.
    conn.request(
        "POST",
        "/email/batch",
        &[(SERVER, mock.server_token())],
        Some(big.as_bytes()),
    )
    .expect_error(422, 402);
    let huge = vec![b' '; 50 * 1024 * 1024 + 1];
    let reply = conn.request(
        "POST",
        "/email/batch",
        &[(SERVER, mock.server_token())],
        Some(&huge),
    );
    assert_eq!(reply.status, 413);
}
