//! The Bounces operations of the ureq client over real HTTP against the mock server.

use postmark_kit::api::bounces::*;
use postmark_kit::webhook::BounceType;
use postmark_kit::{BuildError, ErrorCode, ErrorKind, StopReason};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::ClientError;
use serde_json::json;

use crate::support::{email, server_client};

mod support;

/// The seeded bounce of `inactive@example.com`, and `emails` bouncing softly.
fn mock_with_bounces(emails: &[&str]) -> MockServer {
    let mock = MockServer::start().unwrap();
    for email in emails {
        mock.add_bounce(json!({"Email": email, "Type": "SoftBounce", "Tag": "digest"}));
    }
    mock
}

#[test]
fn delivery_stats_and_a_filtered_page() {
    let mock = mock_with_bounces(&["a@example.com", "b@example.com"]);
    mock.add_bounce(json!({"Email": "c@example.org", "Type": "SpamComplaint"}));
    let client = server_client(&mock);

    let stats = client.get_delivery_stats(&GetDeliveryStats {}).unwrap();
    assert_eq!(stats.inactive_mails, 2);
    let counts: Vec<(Option<BounceType>, u64)> = stats
        .bounces
        .iter()
        .map(|b| (b.bounce_type.clone(), b.count))
        .collect();
    assert_eq!(
        counts,
        [
            (None, 4),
            (Some(BounceType::HardBounce), 1),
            (Some(BounceType::SoftBounce), 2),
            (Some(BounceType::SpamComplaint), 1),
        ]
    );

    let soft = client
        .list_bounces(&ListBounces {
            count: 1,
            bounce_type: Some(BounceType::SoftBounce),
            inactive: Some(false),
            email_filter: Some("EXAMPLE.COM".into()),
            tag: Some("digest".into()),
            from_date: Some("2020-01-01".into()),
            to_date: Some("2100-12-31T23:59:59".into()),

            message_stream: Some("outbound".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(soft.total_count, 2);
    let newest = &soft.bounces[0];
    assert_eq!(newest.email.as_deref(), Some("b@example.com"));
    assert_eq!(newest.bounce_type, BounceType::SoftBounce);
    assert_eq!(newest.tag.as_deref(), Some("digest"));
    assert!(newest.id > i64::from(u32::MAX));
    assert_eq!(
        mock.requests()[1].query,
        "count=1&offset=0&type=SoftBounce&inactive=false&emailFilter=EXAMPLE.COM&tag=digest&messagestream=outbound&fromdate=2020-01-01&todate=2100-12-31T23%3A59%3A59"
    );
}

#[test]
fn paginate_walks_every_page() {
    let emails: Vec<String> = (0..6).map(|i| format!("r{i}@example.com")).collect();
    let mock = mock_with_bounces(&emails.iter().map(String::as_str).collect::<Vec<_>>());
    let client = server_client(&mock);
    let walk = ListBounces {
        count: 2,
        ..Default::default()
    };
    let walked: Vec<String> = client
        .paginate(walk.clone())
        .unwrap()
        .map(|b| b.unwrap().email.unwrap())
        .collect();
    let mut expected: Vec<&str> = emails.iter().rev().map(String::as_str).collect();
    expected.push("inactive@example.com");
    assert_eq!(walked, expected);
    let offsets: Vec<String> = mock.requests().into_iter().map(|r| r.query).collect();
    assert_eq!(
        offsets,
        [
            "count=2&offset=0",
            "count=2&offset=2",
            "count=2&offset=4",
            "count=2&offset=6"
        ]
    );

    let mut limited = client.paginate_at_most(walk, Some(3)).unwrap();
    assert_eq!(limited.by_ref().count(), 3);
    assert_eq!(limited.cursor().stop_reason(), Some(StopReason::Limit));
}

#[test]
fn one_bounce_its_dump_and_reactivation() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let added = mock.add_bounce(json!({"Email": "hard@example.com", "Content": "raw bounce"}));
    let id = added["ID"].as_i64().unwrap();

    let bounce = client.get_bounce(&GetBounce { id }).unwrap();
    assert_eq!(bounce.id, id);
    assert_eq!(bounce.bounce_type, BounceType::HardBounce);
    assert_eq!(bounce.content.as_deref(), Some("raw bounce"));
    assert_eq!(
        (bounce.inactive, bounce.can_activate),
        (Some(true), Some(true))
    );
    let dump = client.get_bounce_dump(&GetBounceDump { id }).unwrap();
    assert_eq!(dump.body.as_deref(), Some("raw bounce"));

    let refused = client.send_email(&email("hard@example.com")).unwrap_err();
    assert_eq!(refused.code(), Some(ErrorCode::INACTIVE_RECIPIENT));
    let activation = client.activate_bounce(&ActivateBounce { id }).unwrap();
    assert_eq!(activation.message, "OK");
    let reactivated = activation.bounce.unwrap();
    assert_eq!((reactivated.id, reactivated.inactive), (id, Some(false)));
    assert!(
        client
            .send_email(&email("hard@example.com"))
            .unwrap()
            .is_accepted()
    );
}

#[test]
fn refusals_by_postmark_and_before_sending() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let complaint = mock.add_bounce(json!({"Email": "spam@example.com", "Type": "SpamComplaint"}));
    let err = client
        .activate_bounce(&ActivateBounce {
            id: complaint["ID"].as_i64().unwrap(),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::BOUNCE_NOT_ACTIVATABLE));
    assert_eq!(err.api_kind(), Some(ErrorKind::Unprocessable));
    let err = client.get_bounce(&GetBounce { id: 42 }).unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::BOUNCE_NOT_FOUND));
    assert_eq!(mock.requests().len(), 2);

    // Past Postmark's depth cap: refused without a request.
    let err = client
        .list_bounces(&ListBounces {
            count: 500,
            offset: 9_600,
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Build(BuildError::PagedTooDeep {
                end: 10_100,
                cap: 10_000
            })
        ),
        "{err:?}"
    );
    assert_eq!(mock.requests().len(), 2);
}

#[test]
fn bounces_by_name_for_the_bindings() {
    let mock = mock_with_bounces(&["a@example.com", "b@example.com"]);
    let client = server_client(&mock);
    let op = postmark_kit::ops::find("list_bounces").unwrap();
    let mut pager = op
        .pages(r#"{"count": 2, "type": "softbounce"}"#, None)
        .unwrap();
    let mut emails = Vec::new();
    while let Some(items) = client.next_page(&mut pager).unwrap() {
        let items: Vec<serde_json::Value> = serde_json::from_str(&items).unwrap();
        emails.extend(
            items
                .iter()
                .map(|b| b["Email"].as_str().unwrap().to_owned()),
        );
    }
    assert_eq!(emails, ["b@example.com", "a@example.com"]);
    assert_eq!(pager.cursor().stop_reason(), Some(StopReason::Exhausted));
}
