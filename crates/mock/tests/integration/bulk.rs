use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{is_uuid, open_call, server_call};

fn bulk(to: &[&str]) -> Value {
    let messages: Vec<Value> = to
        .iter()
        .map(|to| json!({"To": to, "TemplateModel": {"name": to.split('@').next().unwrap()}}))
        .collect();
    json!({"From": "news@example.com", "Subject": "Hello {{name}}", "HtmlBody": "<p>Hi {{name}}</p>",
           "Tag": "launch", "Messages": messages})
}

fn advance(mock: &MockServer, id: &str) -> Value {
    open_call(mock, "POST", &format!("/__mock/bulk/{id}/advance"), None).expect_ok()
}

#[test]
fn a_bulk_request_is_accepted_then_sent_step_by_step() {
    let mock = MockServer::start().unwrap();
    mock.add_stream("news", postmark_kit_mock::StreamType::Broadcasts, false);
    let mut body = bulk(&["ann@example.com", "bob@example.com", "cat@example.com"]);
    body["MessageStream"] = "news".into();
    let accepted = server_call(&mock, "POST", "/email/bulk", Some(&body)).expect_ok();
    let id = accepted["ID"].as_str().unwrap().to_owned();
    assert!(is_uuid(&id), "{accepted}");
    assert_eq!(accepted["Status"], "Accepted");
    let submitted = accepted["SubmittedAt"].as_str().unwrap();
    // US Eastern: -05:00 in winter, -04:00 in summer.
    assert!(
        submitted.ends_with("-05:00") || submitted.ends_with("-04:00"),
        "{submitted}"
    );

    let status = |mock: &MockServer| {
        server_call(mock, "GET", &format!("/email/bulk/{id}"), None).expect_ok()
    };
    let first = status(&mock);
    assert_eq!(
        first,
        json!({"Id": id, "SubmittedAt": accepted["SubmittedAt"], "TotalMessages": 3,
               "PercentageCompleted": 0.0, "Status": "Accepted", "Subject": "Hello {{name}}"})
    );
    assert!(first.get("ID").is_none(), "the status spells Id");
    assert!(
        mock.sent_messages().is_empty(),
        "nothing goes out before processing"
    );

    let processing = advance(&mock, &id);
    assert_eq!(
        (
            processing["Status"].as_str(),
            processing["PercentageCompleted"].as_f64()
        ),
        (Some("Processing"), Some(66.7))
    );
    assert_eq!(mock.sent_messages().len(), 2);
    let completed = advance(&mock, &id);
    assert_eq!(
        (
            completed["Status"].as_str(),
            completed["PercentageCompleted"].as_f64()
        ),
        (Some("Completed"), Some(100.0))
    );
    assert_eq!(status(&mock)["Status"], "Completed");
    let sent = mock.sent_messages();
    let subjects: Vec<&str> = sent
        .iter()
        .map(|m| m["Subject"].as_str().unwrap())
        .collect();
    assert_eq!(subjects, ["Hello ann", "Hello bob", "Hello cat"]);
    assert_eq!(sent[1]["HtmlBody"], "<p>Hi bob</p>");
    assert_eq!(
        (sent[2]["MessageStream"].as_str(), sent[2]["Tag"].as_str()),
        (Some("news"), Some("launch"))
    );
    assert_eq!(
        advance(&mock, &id)["Status"],
        "Completed",
        "completed stays"
    );
}

#[test]
fn templates_per_message_data_and_suppressed_recipients() {
    let mock = MockServer::start().unwrap();
    open_call(
        &mock,
        "POST",
        "/__mock/suppressions",
        Some(&json!({"EmailAddress": "gone@example.com", "MessageStream": "broadcast"})),
    )
    .expect_ok();
    let body = json!({
        "From": "news@example.com", "TemplateAlias": "welcome",
        "Metadata": {"campaign": "spring", "tier": "all"},
        "Messages": [
            {"To": "ann@example.com", "TemplateModel": {"name": "Ann"}, "Metadata": {"tier": "gold"}},
            {"To": "gone@example.com", "TemplateModel": {"name": "Gone"}},
        ],
    });
    let id = server_call(&mock, "POST", "/email/bulk", Some(&body)).expect_ok()["ID"]
        .as_str()
        .unwrap()
        .to_owned();
    advance(&mock, &id);
    let sent = mock.sent_messages();
    assert_eq!(
        sent.len(),
        1,
        "the suppressed recipient's message fails: {sent:?}"
    );
    assert_eq!(sent[0]["Subject"], "Welcome, Ann!");
    assert_eq!(
        sent[0]["MessageStream"], "broadcast",
        "the default bulk stream"
    );
    assert_eq!(
        sent[0]["Metadata"],
        json!({"campaign": "spring", "tier": "gold"})
    );
    assert_eq!(advance(&mock, &id)["PercentageCompleted"], 100.0);
}

#[test]
fn an_invalid_request_is_refused_whole_with_its_errors() {
    let mock = MockServer::start().unwrap();
    let reply = server_call(
        &mock,
        "POST",
        "/email/bulk",
        Some(&json!({"Messages": [], "MessageStream": "outbound"})),
    );
    reply.expect_error(422, 11);
    let errors = &reply.json()["Errors"];
    assert_eq!(errors["Messages"][0]["ErrorCode"], 300, "{errors}");
    assert_eq!(errors["From"][0]["ErrorCode"], 300);
    assert_eq!(errors["HtmlBody"][0]["ErrorCode"], 300);
    assert_eq!(
        errors["MessageStream"][0]["ErrorCode"], 1236,
        "not a Broadcasts stream"
    );

    let mut body = bulk(&["ann@example.com", "not an address"]);
    let reply = server_call(&mock, "POST", "/email/bulk", Some(&body));
    reply.expect_error(422, 11);
    assert_eq!(reply.json()["Errors"]["Messages[1]"][0]["ErrorCode"], 300);
    body["MessageStream"] = "nowhere".into();
    let reply = server_call(&mock, "POST", "/email/bulk", Some(&body));
    assert_eq!(
        reply.json()["Errors"]["MessageStream"][0]["ErrorCode"],
        1235
    );
    body["MessageStream"] = "broadcast".into();
    body["TemplateAlias"] = "nope".into();
    let reply = server_call(&mock, "POST", "/email/bulk", Some(&body));
    assert_eq!(
        reply.json()["Errors"]["TemplateId"][0]["ErrorCode"],
        300,
        "template and inline content"
    );

    server_call(
        &mock,
        "GET",
        "/email/bulk/00000000-0000-4000-8000-000000000000",
        None,
    )
    .expect_error(404, 12);
    assert!(
        server_call(&mock, "GET", "/email/bulk", None).expect_ok()["Requests"]
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn the_list_pages_newest_first_with_a_cursor() {
    let mock = MockServer::start().unwrap();
    let ids: Vec<String> = (0..3)
        .map(|_| {
            server_call(
                &mock,
                "POST",
                "/email/bulk",
                Some(&bulk(&["ann@example.com"])),
            )
            .expect_ok()["ID"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let ids_of = |page: &Value| -> Vec<String> {
        page["Requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["Id"].as_str().unwrap().to_owned())
            .collect()
    };
    let first = server_call(&mock, "GET", "/email/bulk?count=2", None).expect_ok();
    assert_eq!(ids_of(&first), [ids[2].clone(), ids[1].clone()]);
    let key = first["PaginationKey"].as_str().unwrap();
    let second = server_call(
        &mock,
        "GET",
        &format!("/email/bulk?count=2&PaginationKey={key}"),
        None,
    )
    .expect_ok();
    assert_eq!(ids_of(&second), [ids[0].clone()]);
    assert!(
        second.get("PaginationKey").is_none(),
        "the last page has no key"
    );
    assert_eq!(
        ids_of(&server_call(&mock, "GET", "/email/bulk", None).expect_ok()).len(),
        3
    );
    server_call(&mock, "GET", "/email/bulk?paginationKey=tampered", None).expect_error(422, 13);
    server_call(&mock, "GET", "/email/bulk?count=0", None).expect_error(422, 300);
    open_call(&mock, "POST", "/__mock/bulk/nope/advance", None).expect_error(404, 404);
}
