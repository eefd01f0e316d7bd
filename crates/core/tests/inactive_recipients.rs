//! The recipients Postmark refuses as inactive, read from whole responses as
//! a caller gets them: a send accepted with some inactive recipients, a send
//! refused with ErrorCode 406, and a batch with both.

use postmark_kit::api::email::{SendEmail, SendEmailBatch};
use postmark_kit::{Error, ErrorCode, parse};
use serde_json::{Value, json};

/// Every wording Postmark has used, shared with the npm and Python packages' tests.
const WORDINGS: &str = include_str!("../../../tests/conformance/inactive_recipients.json");

fn response(status: u16, body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(status)
        .body(body.as_bytes().to_vec())
        .unwrap()
}

#[test]
fn an_accepted_send_names_the_recipients_it_leaves_out() {
    let sent = parse::<SendEmail>(response(
        200,
        r#"{"To":"a@example.com, b@example.com","SubmittedAt":"2026-01-01T10:00:00-05:00",
            "MessageID":"0a129aee-e1cd-480d-b08d-4f48548ff48d","ErrorCode":0,
            "Message":"Message OK, but will not deliver to these inactive addresses: b@example.com"}"#,
    ))
    .unwrap();
    assert!(sent.is_accepted());
    assert_eq!(sent.inactive_recipients(), ["b@example.com"]);
    let ok = parse::<SendEmail>(response(
        200,
        r#"{"To":"a@example.com","MessageID":"m","ErrorCode":0,"Message":"OK"}"#,
    ))
    .unwrap();
    assert!(ok.inactive_recipients().is_empty());
}

#[test]
fn a_refused_send_names_every_inactive_recipient() {
    let error: Error = parse::<SendEmail>(response(
        422,
        r#"{"ErrorCode":406,"Message":"You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: a@example.com, b@example.com. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression."}"#,
    ))
    .unwrap_err();
    assert_eq!(error.code(), Some(ErrorCode::INACTIVE_RECIPIENT));
    assert_eq!(
        error.inactive_recipients(),
        ["a@example.com", "b@example.com"]
    );
}

#[test]
fn a_batch_names_them_per_message() {
    let results = parse::<SendEmailBatch>(response(
        200,
        r#"[{"To":"a@example.com","MessageID":"m1","ErrorCode":0,"Message":"OK"},
            {"ErrorCode":406,"Message":"You tried to send to a recipient that has been marked as inactive. Found inactive addresses: c@example.com. Inactive recipients are ones that have generated a hard bounce or a spam complaint. "},
            {"ErrorCode":406,"Message":"Inactive recipient"},
            {"To":"d@example.com, e@example.com","MessageID":"m4","ErrorCode":0,
             "Message":"Message OK, but will not deliver to these inactive addresses: e@example.com"},
            {"ErrorCode":300,"Message":"Found inactive addresses: f@example.com. Not ours."}]"#,
    ))
    .unwrap();
    let named: Vec<Vec<String>> = results
        .iter()
        .map(|result| result.inactive_recipients())
        .collect();
    assert_eq!(
        named,
        [
            vec![],
            vec!["c@example.com".to_owned()],
            vec![],
            vec!["e@example.com".to_owned()],
            vec![],
        ]
    );
    assert_eq!(
        results[1].error().unwrap().inactive_recipients(),
        ["c@example.com"]
    );
}

#[test]
fn every_wording_names_its_addresses_refused_or_accepted() {
    let wordings: Vec<Value> = serde_json::from_str(WORDINGS).unwrap();
    assert!(wordings.len() >= 10);
    for wording in wordings {
        let message = wording["message"].as_str().unwrap();
        let addresses: Vec<String> = serde_json::from_value(wording["addresses"].clone()).unwrap();
        let refusal = json!({"ErrorCode": 406, "Message": message}).to_string();
        let refused = parse::<SendEmail>(response(422, &refusal)).unwrap_err();
        assert_eq!(refused.inactive_recipients(), addresses, "{message}");
        let accepted =
            json!({"To": "a@example.com", "MessageID": "m", "ErrorCode": 0, "Message": message});
        let sent = parse::<SendEmail>(response(200, &accepted.to_string())).unwrap();
        assert_eq!(sent.inactive_recipients(), addresses, "{message}");
    }
}
