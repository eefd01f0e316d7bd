use postmark_kit_mock::MockServer;
use serde_json::{Value, json};

use crate::support::{account_call, column, open_call};

fn create(mock: &MockServer, body: Value) -> crate::support::Reply {
    account_call(mock, "POST", "/senders", Some(&body))
}

#[test]
fn signatures_are_created_edited_confirmed_and_deleted() {
    let mock = MockServer::start().unwrap();
    let created = create(
        &mock,
        json!({"FromEmail": "billing@example.com", "Name": "Billing", "ReplyToEmail": "help@example.com",
               "ConfirmationPersonalNote": "Please confirm."}),
    )
    .expect_ok();
    let id = created["ID"].as_i64().unwrap();
    assert_eq!(
        (
            created["EmailAddress"].as_str(),
            created["ReplyToEmailAddress"].as_str(),
            created["Domain"].as_str()
        ),
        (
            Some("billing@example.com"),
            Some("help@example.com"),
            Some("example.com")
        )
    );
    assert_eq!(
        (created["Name"].as_str(), created["Confirmed"].as_bool()),
        (Some("Billing"), Some(false))
    );
    assert_eq!(created["ConfirmationPersonalNote"], "Please confirm.");
    assert_eq!(created["SPFHost"], "example.com");
    assert!(
        created["DKIMPendingHost"]
            .as_str()
            .unwrap()
            .ends_with("._domainkey.example.com")
    );

    create(
        &mock,
        json!({"FromEmail": "news@example.org", "Name": "News"}),
    )
    .expect_ok();
    let page = account_call(&mock, "GET", "/senders?count=1&offset=1", None).expect_ok();
    assert_eq!(page["TotalCount"], 2);
    assert_eq!(
        column(&page, "SenderSignatures", "EmailAddress"),
        ["news@example.org"]
    );
    assert_eq!(page["SenderSignatures"][0]["ReplyToEmailAddress"], "");
    account_call(&mock, "GET", "/senders?count=1", None).expect_error(422, 500);

    let path = format!("/senders/{id}");
    let edited = account_call(
        &mock,
        "PUT",
        &path,
        Some(
            &json!({"Name": "Accounts", "FromEmail": "other@example.com",
                                                                "ReplyToEmail": ""}),
        ),
    )
    .expect_ok();
    assert_eq!(
        (
            edited["Name"].as_str(),
            edited["EmailAddress"].as_str(),
            edited["ReplyToEmailAddress"].as_str()
        ),
        (Some("Accounts"), Some("billing@example.com"), Some(""))
    );
    account_call(
        &mock,
        "PUT",
        &path,
        Some(&json!({"ReplyToEmail": "x@example.com"})),
    )
    .expect_error(422, 511);

    // Unconfirmed: resending works; the DKIM key is still pending.
    let resent = account_call(&mock, "POST", &format!("{path}/resend"), None).expect_ok();
    assert_eq!(resent["ErrorCode"], 0);
    account_call(&mock, "POST", &format!("{path}/requestnewdkim"), None).expect_error(422, 505);
    assert_eq!(
        account_call(&mock, "POST", &format!("{path}/verifyspf"), None).expect_ok()["SPFVerified"],
        false
    );

    let confirmed = open_call(
        &mock,
        "POST",
        &format!("/__mock/senders/{id}/confirm"),
        None,
    )
    .expect_ok();
    assert_eq!(
        (
            confirmed["Confirmed"].as_bool(),
            confirmed["DKIMVerified"].as_bool()
        ),
        (Some(true), Some(true))
    );
    assert_eq!(
        account_call(&mock, "GET", &path, None).expect_ok()["Confirmed"],
        true
    );
    assert_eq!(
        account_call(&mock, "GET", "/senders?count=5&offset=0", None).expect_ok()["SenderSignatures"]
            [0]["Confirmed"],
        true
    );
    account_call(&mock, "POST", &format!("{path}/resend"), None).expect_error(422, 506);
    assert_eq!(
        account_call(&mock, "POST", &format!("{path}/verifyspf"), None).expect_ok()["SPFVerified"],
        true
    );
    assert_eq!(
        account_call(&mock, "POST", &format!("{path}/requestnewdkim"), None).expect_ok()["ErrorCode"],
        0
    );
    assert_eq!(
        account_call(&mock, "GET", &path, None).expect_ok()["DKIMUpdateStatus"],
        "Pending"
    );
    open_call(&mock, "POST", "/__mock/senders/999/confirm", None).expect_error(404, 404);

    let removed = account_call(&mock, "DELETE", &path, None).expect_ok();
    assert_eq!(
        removed,
        json!({"ErrorCode": 0, "Message": "Signature billing@example.com removed."})
    );
    account_call(&mock, "GET", &path, None).expect_error(404, 501);
}

#[test]
fn create_refuses_what_postmark_refuses() {
    let mock = MockServer::start().unwrap();
    create(&mock, json!({"FromEmail": "a@example.com", "Name": "A"})).expect_ok();
    create(&mock, json!({"Name": "A"})).expect_error(422, 520);
    create(&mock, json!({"FromEmail": "b@example.com"})).expect_error(422, 511);
    create(&mock, json!({"FromEmail": "not-an-address", "Name": "A"})).expect_error(422, 522);
    create(
        &mock,
        json!({"FromEmail": "Ann <b@example.com>", "Name": "A"}),
    )
    .expect_error(422, 522);
    create(
        &mock,
        json!({"FromEmail": "b@example.com", "Name": "A", "ReplyToEmail": "nope"}),
    )
    .expect_error(422, 522);
    create(&mock, json!({"FromEmail": "me@gmail.com", "Name": "A"})).expect_error(422, 503);
    create(&mock, json!({"FromEmail": "A@EXAMPLE.com", "Name": "A"})).expect_error(422, 504);
    create(
        &mock,
        json!({"FromEmail": "b@example.com", "Name": "x".repeat(256)}),
    )
    .expect_error(422, 521);
    create(&mock, json!({"FromEmail": "b@example.com", "Name": "A", "ConfirmationPersonalNote": "x".repeat(401)}))
        .expect_error(422, 521);
    create(
        &mock,
        json!({"FromEmail": "b@example.com", "Name": "A", "ReturnPathDomain": "pm.other.com"}),
    )
    .expect_error(422, 522);
    let page = account_call(&mock, "GET", "/senders?count=10&offset=0", None).expect_ok();
    assert_eq!(page["TotalCount"], 1, "nothing refused was saved");
}
