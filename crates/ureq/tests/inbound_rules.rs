//! The Inbound rules operations of the ureq client over real HTTP against the mock server.

use postmark_kit::api::inbound_rules::*;
use postmark_kit::api::messages::InboundStatus;
use postmark_kit::{BuildError, ErrorCode};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::ClientError;
use serde_json::json;

use crate::support::{seen, server_client};

mod support;

#[test]
fn rules_created_paged_applied_and_deleted() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let none = client
        .list_inbound_rules(&ListInboundRules::default())
        .unwrap();
    assert_eq!((none.total_count, none.inbound_rules.len()), (0, 0));

    let created: Vec<InboundRule> = ["spam@example.com", "bad.example", "junk@example.org"]
        .into_iter()
        .map(|rule| {
            client
                .create_inbound_rule(&CreateInboundRule { rule: rule.into() })
                .unwrap()
        })
        .collect();
    assert_eq!(created[1].rule, "bad.example");
    assert!(created[0].id < created[1].id && created[1].id < created[2].id);

    let walked: Vec<InboundRule> = client
        .paginate(ListInboundRules {
            count: 2,
            offset: 0,
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(walked, created);

    // Mail from a blocked domain is kept back.
    let blocked = mock.add_inbound_message(json!({
        "From": "someone@bad.example", "To": "desk@inbound.example.com", "Subject": "Offer"
    }));
    assert_eq!(blocked["Status"], InboundStatus::Blocked.as_str());

    let deleted = client
        .delete_inbound_rule(&DeleteInboundRule { id: created[1].id })
        .unwrap();
    assert_eq!(deleted.message, "Rule bad.example removed.");
    let left = client
        .list_inbound_rules(&ListInboundRules::default())
        .unwrap();
    assert_eq!(left.total_count, 2);
    assert_eq!(left.inbound_rules, [created[0].clone(), created[2].clone()]);
    let passed = mock.add_inbound_message(json!({
        "From": "someone@bad.example", "To": "desk@inbound.example.com", "Subject": "Offer"
    }));
    assert_eq!(passed["Status"], InboundStatus::Processed.as_str());

    assert_eq!(
        seen(&mock),
        [
            "GET /triggers/inboundrules?count=500&offset=0".to_owned(),
            "POST /triggers/inboundrules".to_owned(),
            "POST /triggers/inboundrules".to_owned(),
            "POST /triggers/inboundrules".to_owned(),
            "GET /triggers/inboundrules?count=2&offset=0".to_owned(),
            "GET /triggers/inboundrules?count=2&offset=2".to_owned(),
            format!("DELETE /triggers/inboundrules/{}", created[1].id),
            "GET /triggers/inboundrules?count=500&offset=0".to_owned(),
        ]
    );
}

#[test]
fn refusals_by_postmark_and_before_sending() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let rule = CreateInboundRule {
        rule: "spam@example.com".into(),
    };
    client.create_inbound_rule(&rule).unwrap();
    let err = client.create_inbound_rule(&rule).unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INBOUND_RULE_EXISTS));
    let err = client
        .delete_inbound_rule(&DeleteInboundRule { id: 999 })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INBOUND_RULE_NOT_FOUND));
    assert_eq!(mock.requests().len(), 3);

    let err = client
        .create_inbound_rule(&CreateInboundRule { rule: " ".into() })
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::MissingField { field }) if field == "Rule"),
        "{err:?}"
    );
    assert_eq!(mock.requests().len(), 3);
}
