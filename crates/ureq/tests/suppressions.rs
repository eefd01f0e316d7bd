//! The Suppressions operations of the ureq client over real HTTP against the mock server.

use postmark_kit::api::suppressions::*;
use postmark_kit::{BuildError, ErrorCode};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{ClientError, ServerClient};
use serde_json::json;

use crate::support::{email, seen, server_client};

mod support;

/// The addresses and reasons of the dump of `outbound` with `filters`.
fn dump(client: &ServerClient, filters: DumpSuppressions) -> Vec<(String, SuppressionReason)> {
    client
        .dump_suppressions(&DumpSuppressions {
            stream_id: "outbound".into(),
            ..filters
        })
        .unwrap()
        .suppressions
        .into_iter()
        .map(|s| (s.email_address, s.suppression_reason.unwrap()))
        .collect()
}

fn addresses(emails: &[&str]) -> Vec<SuppressionAddress> {
    emails.iter().map(|e| SuppressionAddress::new(*e)).collect()
}

#[test]
fn suppressed_by_hand_dumped_and_lifted() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);

    // The seeded hard bounce suppresses its recipient.
    let seeded = client
        .dump_suppressions(&DumpSuppressions {
            stream_id: "outbound".into(),
            ..Default::default()
        })
        .unwrap();
    let [bounced] = &seeded.suppressions[..] else {
        panic!("{seeded:?}")
    };
    assert_eq!(bounced.email_address, "inactive@example.com");
    assert_eq!(
        bounced.suppression_reason,
        Some(SuppressionReason::HardBounce)
    );
    assert_eq!(bounced.origin, Some(SuppressionOrigin::Recipient));
    assert!(bounced.created_at.is_some());

    let created = client
        .create_suppressions(&CreateSuppressions {
            stream_id: "outbound".into(),
            suppressions: addresses(&["a@example.com", "not an address"]),
        })
        .unwrap();
    let outcomes: Vec<_> = created
        .suppressions
        .iter()
        .map(|r| {
            (
                r.email_address.as_str(),
                r.status.clone().unwrap(),
                r.message.is_some(),
            )
        })
        .collect();
    assert_eq!(
        outcomes,
        [
            ("a@example.com", SuppressionStatus::Suppressed, false),
            ("not an address", SuppressionStatus::Failed, true),
        ]
    );
    let refused = client.send_email(&email("a@example.com")).unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::INACTIVE_RECIPIENT));

    let by_hand = dump(
        &client,
        DumpSuppressions {
            origin: Some(SuppressionOrigin::Customer),
            ..Default::default()
        },
    );
    assert_eq!(
        by_hand,
        [(
            "a@example.com".to_owned(),
            SuppressionReason::ManualSuppression
        )]
    );
    let bounces = dump(
        &client,
        DumpSuppressions {
            suppression_reason: Some(SuppressionReason::HardBounce),
            from_date: Some("2020-01-01".into()),
            ..Default::default()
        },
    );
    assert_eq!(
        bounces,
        [(
            "inactive@example.com".to_owned(),
            SuppressionReason::HardBounce
        )]
    );
    let one = dump(
        &client,
        DumpSuppressions {
            email_address: Some("A@example.com".into()),
            ..Default::default()
        },
    );
    assert_eq!(one.len(), 1);

    // Lifting the hard bounce's suppression reactivates its recipient.
    let deleted = client
        .delete_suppressions(&DeleteSuppressions {
            stream_id: "outbound".into(),
            suppressions: addresses(&["a@example.com", "inactive@example.com"]),
        })
        .unwrap();
    assert!(
        deleted
            .suppressions
            .iter()
            .all(|r| r.status == Some(SuppressionStatus::Deleted) && r.message.is_none())
    );
    assert!(dump(&client, DumpSuppressions::default()).is_empty());
    assert!(
        client
            .send_email(&email("a@example.com"))
            .unwrap()
            .is_accepted()
    );
    assert!(
        client
            .send_email(&email("inactive@example.com"))
            .unwrap()
            .is_accepted()
    );

    assert_eq!(
        seen(&mock),
        [
            "GET /message-streams/outbound/suppressions/dump",
            "POST /message-streams/outbound/suppressions",
            "POST /email",
            "GET /message-streams/outbound/suppressions/dump?Origin=Customer",
            "GET /message-streams/outbound/suppressions/dump?SuppressionReason=HardBounce&fromdate=2020-01-01",
            "GET /message-streams/outbound/suppressions/dump?EmailAddress=A%40example.com",
            "POST /message-streams/outbound/suppressions/delete",
            "GET /message-streams/outbound/suppressions/dump",
            "POST /email",
            "POST /email",
        ]
    );
}

#[test]
fn refusals_by_postmark_and_before_sending() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.add_bounce(json!({"Email": "spam@example.com", "Type": "SpamComplaint"}));

    // Only the recipient can take back a spam complaint.
    let kept = client
        .delete_suppressions(&DeleteSuppressions {
            stream_id: "outbound".into(),
            suppressions: addresses(&["spam@example.com"]),
        })
        .unwrap();
    assert_eq!(kept.suppressions[0].status, Some(SuppressionStatus::Failed));
    assert!(kept.suppressions[0].message.is_some());
    assert_eq!(
        dump(&client, DumpSuppressions::default()),
        [
            (
                "inactive@example.com".to_owned(),
                SuppressionReason::HardBounce
            ),
            (
                "spam@example.com".to_owned(),
                SuppressionReason::SpamComplaint
            ),
        ]
    );
    let err = client
        .create_suppressions(&CreateSuppressions {
            stream_id: "news".into(),
            suppressions: addresses(&["a@example.com"]),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::MESSAGE_STREAM_NOT_FOUND));
    assert_eq!(mock.requests().len(), 3);

    let many: Vec<String> = (0..51).map(|i| format!("r{i}@example.com")).collect();
    let err = client
        .create_suppressions(&CreateSuppressions {
            stream_id: "outbound".into(),
            suppressions: addresses(&many.iter().map(String::as_str).collect::<Vec<_>>()),
        })
        .unwrap_err();
    assert!(
        matches!(
            &err,
            ClientError::Build(BuildError::TooManyItems { field, count: 51, max: 50 })
                if field == "Suppressions"
        ),
        "{err:?}"
    );
    assert_eq!(mock.requests().len(), 3);
}
