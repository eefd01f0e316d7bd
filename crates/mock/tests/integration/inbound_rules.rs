use postmark_kit_mock::MockServer;
use serde_json::json;

use crate::support::{column, server_call};

fn add_rule(mock: &MockServer, rule: &str) -> crate::support::Reply {
    server_call(
        mock,
        "POST",
        "/triggers/inboundrules",
        Some(&json!({"Rule": rule})),
    )
}

#[test]
fn rules_are_listed_paged_created_and_deleted() {
    let mock = MockServer::start().unwrap();
    let first = add_rule(&mock, "spammer@example.com").expect_ok();
    assert_eq!(
        first,
        json!({"ID": first["ID"], "Rule": "spammer@example.com"})
    );
    add_rule(&mock, "junk.example.org").expect_ok();
    add_rule(&mock, "third.example").expect_ok();

    let page = server_call(
        &mock,
        "GET",
        "/triggers/inboundRules?count=2&offset=1",
        None,
    )
    .expect_ok();
    assert_eq!(page["TotalCount"], 3);
    assert_eq!(
        column(&page, "InboundRules", "Rule"),
        ["junk.example.org", "third.example"]
    );
    server_call(
        &mock,
        "GET",
        "/triggers/inboundrules?count=501&offset=0",
        None,
    )
    .expect_error(422, 800);
    server_call(&mock, "GET", "/triggers/inboundrules?count=5", None).expect_error(422, 800);

    add_rule(&mock, "SPAMMER@example.com").expect_error(422, 810);
    add_rule(&mock, "not a rule").expect_error(422, 813);
    add_rule(&mock, "a@b").expect_error(422, 813);
    add_rule(&mock, "").expect_error(422, 809);

    let id = first["ID"].as_i64().unwrap();
    let removed = server_call(
        &mock,
        "DELETE",
        &format!("/triggers/inboundrules/{id}"),
        None,
    )
    .expect_ok();
    assert_eq!(
        removed,
        json!({"ErrorCode": 0, "Message": "Rule spammer@example.com removed."})
    );
    server_call(
        &mock,
        "DELETE",
        &format!("/triggers/inboundrules/{id}"),
        None,
    )
    .expect_error(422, 812);
    server_call(&mock, "DELETE", "/triggers/inboundrules/x", None).expect_error(422, 812);
    let page = server_call(
        &mock,
        "GET",
        "/triggers/inboundrules?count=10&offset=0",
        None,
    )
    .expect_ok();
    assert_eq!(page["TotalCount"], 2);
}

#[test]
fn mail_from_a_blocked_sender_or_domain_is_blocked() {
    let mock = MockServer::start().unwrap();
    add_rule(&mock, "spammer@example.com").expect_ok();
    let domain_rule = add_rule(&mock, "junk.example.org").expect_ok();
    let receive = |from: &str| {
        mock.add_inbound_message(
            json!({"From": from, "To": "desk@inbound.example.com", "Subject": from}),
        )
    };
    let blocked = receive("Spammer <SPAMMER@example.com>");
    assert_eq!(blocked["Status"], "Blocked");
    assert!(
        blocked["BlockedReason"]
            .as_str()
            .unwrap()
            .contains("spammer@example.com")
    );
    assert_eq!(receive("anyone@junk.example.org")["Status"], "Blocked");
    assert_eq!(receive("friend@example.com")["Status"], "Processed");
    assert_eq!(
        receive("x@sub.junk.example.org")["Status"],
        "Processed",
        "a domain rule names one domain"
    );
    let explicit = mock.add_inbound_message(json!({"From": "spammer@example.com", "To": "desk@inbound.example.com", "Status": "Failed"}));
    assert_eq!(explicit["Status"], "Failed", "a given status wins");

    let search = server_call(
        &mock,
        "GET",
        "/messages/inbound?count=10&offset=0&status=blocked",
        None,
    )
    .expect_ok();
    assert_eq!(
        column(&search, "InboundMessages", "Subject"),
        ["anyone@junk.example.org", "Spammer <SPAMMER@example.com>"]
    );
    let id = blocked["MessageID"].as_str().unwrap();
    server_call(
        &mock,
        "PUT",
        &format!("/messages/inbound/{id}/bypass"),
        None,
    )
    .expect_ok();

    let rule_id = domain_rule["ID"].as_i64().unwrap();
    server_call(
        &mock,
        "DELETE",
        &format!("/triggers/inboundrules/{rule_id}"),
        None,
    )
    .expect_ok();
    assert_eq!(receive("anyone@junk.example.org")["Status"], "Processed");
}
