use postmark_kit_mock::MockServer;
use serde_json::json;

use crate::support::{account_call, message, open_call, server_call};

#[test]
fn a_removal_is_pending_until_done_and_then_the_data_is_gone() {
    let mock = MockServer::start().unwrap();
    server_call(&mock, "POST", "/email", Some(&message("gone@example.com"))).expect_ok();
    server_call(&mock, "POST", "/email", Some(&message("kept@example.com"))).expect_ok();
    let id_of_gone = mock.sent_messages()[0]["MessageID"]
        .as_str()
        .unwrap()
        .to_owned();
    mock.add_open(json!({"MessageID": id_of_gone}));
    mock.add_bounce(
        json!({"Email": "gone@example.com", "MessageID": id_of_gone, "Type": "SoftBounce"}),
    );

    let body = json!({"RequestedBy": "dpo@example.com", "RequestedFor": "gone@example.com", "NotifyWhenCompleted": true});
    let created = account_call(&mock, "POST", "/data-removals", Some(&body)).expect_ok();
    let id = created["ID"].as_i64().unwrap();
    assert_eq!(created, json!({"ID": id, "Status": "Pending"}));
    assert_eq!(
        account_call(&mock, "GET", &format!("/data-removals/{id}"), None).expect_ok()["Status"],
        "Pending"
    );
    assert_eq!(
        mock.sent_messages().len(),
        2,
        "nothing erased while pending"
    );

    let done = open_call(
        &mock,
        "POST",
        &format!("/__mock/data-removals/{id}/complete"),
        None,
    )
    .expect_ok();
    assert_eq!(done, json!({"ID": id, "Status": "Done"}));
    assert_eq!(
        account_call(&mock, "GET", &format!("/data-removals/{id}"), None).expect_ok()["Status"],
        "Done"
    );
    let left: Vec<String> = mock
        .sent_messages()
        .iter()
        .map(|m| m["To"][0]["Email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(left, ["kept@example.com"]);
    let opens = server_call(
        &mock,
        "GET",
        "/messages/outbound/opens?count=10&offset=0",
        None,
    )
    .expect_ok();
    assert_eq!(opens["TotalCount"], 0);
    let bounces = server_call(
        &mock,
        "GET",
        "/bounces?count=10&offset=0&emailFilter=gone@",
        None,
    )
    .expect_ok();
    assert_eq!(bounces["TotalCount"], 0);
}

#[test]
fn requests_and_ids_are_checked() {
    let mock = MockServer::start().unwrap();
    let post = |body| account_call(&mock, "POST", "/data-removals", Some(&body));
    post(json!({"RequestedBy": "dpo@example.com"})).expect_error(422, 1300);
    post(json!({"RequestedBy": "dpo@example.com", "RequestedFor": "nope"})).expect_error(422, 1300);
    post(json!({"RequestedFor": "x@example.com"})).expect_error(422, 1300);
    account_call(&mock, "GET", "/data-removals/1", None).expect_error(422, 1301);
    account_call(&mock, "GET", "/data-removals/abc", None).expect_error(422, 1301);
    open_call(&mock, "POST", "/__mock/data-removals/1/complete", None).expect_error(404, 404);
    server_call(&mock, "POST", "/data-removals", Some(&json!({}))).expect_error(401, 10);
}
