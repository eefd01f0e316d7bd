//! The Messages operations of the ureq client over real HTTP against the mock server.

use postmark_kit::api::common::EmailAddress;
use postmark_kit::api::messages::*;
use postmark_kit::webhook::{ClickLocation, Platform};
use postmark_kit::{BuildError, ErrorCode};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{ClientError, ServerClient};
use serde_json::json;

use crate::support::{email, server_client};

mod support;

/// Sends a message to `to` with `tag` and returns its MessageID.
fn send(client: &ServerClient, to: &str, tag: &str) -> String {
    let mut message = email(to);
    message.tag = Some(tag.into());
    message.metadata = Some([("order".to_owned(), tag.to_owned())].into());
    client.send_email(&message).unwrap().message_id.unwrap()
}

#[test]
fn outbound_search_paginate_details_and_dump() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let ids: Vec<String> = (0..5)
        .map(|i| {
            send(
                &client,
                &format!("Reader {i} <r{i}@example.com>"),
                &format!("t{i}"),
            )
        })
        .collect();

    let found = client
        .search_outbound_messages(&SearchOutboundMessages {
            recipient: Some("r3@example.com".into()),
            from_email: Some("sender@example.com".into()),
            tag: Some("t3".into()),
            subject: Some("Hello".into()),

            status: Some(OutboundStatus::Sent),
            from_date: Some("2020-01-01".into()),
            to_date: None,

            message_stream: Some("outbound".into()),
            metadata: Some(MetadataFilter {
                key: "order".into(),
                value: "t3".into(),
            }),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(found.total_count, 1);
    let message = &found.messages[0];
    assert_eq!(message.message_id, ids[3]);
    assert_eq!(
        message.to,
        [EmailAddress {
            email: "r3@example.com".into(),
            name: Some("Reader 3".into()),
        }]
    );
    assert_eq!(message.status, Some(OutboundStatus::Sent));
    assert_eq!(message.metadata["order"], "t3");

    mock.clear_requests();
    let walked: Vec<String> = client
        .paginate(SearchOutboundMessages {
            count: 2,
            ..Default::default()
        })
        .unwrap()
        .map(|m| m.unwrap().message_id)
        .collect();
    assert_eq!(walked, ids.iter().rev().cloned().collect::<Vec<_>>());
    assert_eq!(mock.requests().len(), 3);

    let details = client
        .get_outbound_message_details(&GetOutboundMessageDetails { id: ids[0].clone() })
        .unwrap();
    assert_eq!(details.message.message_id, ids[0]);
    assert_eq!(details.text_body.as_deref(), Some("Hi"));
    let dump = client
        .get_outbound_message_dump(&GetOutboundMessageDump { id: ids[0].clone() })
        .unwrap();
    assert_eq!(dump.body, details.body);
    assert!(dump.body.unwrap().contains("Subject: Hello"));

    let err = client
        .get_outbound_message_details(&GetOutboundMessageDetails {
            id: "unknown".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::MESSAGE_NOT_FOUND));
    // A blank ID never leaves the client.
    mock.clear_requests();
    let err = client
        .get_outbound_message_dump(&GetOutboundMessageDump { id: String::new() })
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::MissingField { field }) if field == "id"),
        "{err:?}"
    );
    assert!(mock.requests().is_empty());
}

#[test]
fn inbound_search_details_bypass_and_retry() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let receive = |status: &str| {
        let received = mock.add_inbound_message(json!({
            "From": "Ann <ann@example.com>", "To": "desk+ticket-9@inbound.example.com",
            "Subject": "Help", "TextBody": "Please", "Status": status,
        }));
        received["MessageID"].as_str().unwrap().to_owned()
    };
    let blocked = receive("Blocked");
    let failed = receive("Failed");

    let search = |status| {
        client
            .search_inbound_messages(&SearchInboundMessages {
                from_email: Some("ann@example.com".into()),

                mailbox_hash: Some("ticket-9".into()),
                status,
                ..Default::default()
            })
            .unwrap()
    };
    let found = search(Some(InboundStatus::Blocked));
    assert_eq!(found.total_count, 1);
    let item = &found.inbound_messages[0];
    assert_eq!(item.message.message_id.as_deref(), Some(blocked.as_str()));
    assert_eq!(item.status, Some(InboundStatus::Blocked));
    assert_eq!(
        item.message.from_full.as_ref().unwrap().name.as_deref(),
        Some("Ann")
    );
    assert_eq!(
        search(None).total_count,
        0,
        "Postmark's default is processed"
    );

    let details = client
        .get_inbound_message_details(&GetInboundMessageDetails { id: failed.clone() })
        .unwrap();
    assert_eq!(details.status, Some(InboundStatus::Failed));
    assert_eq!(details.message.text_body.as_deref(), Some("Please"));

    let bypassed = client
        .bypass_inbound_message(&BypassInboundMessage {
            id: blocked.clone(),
        })
        .unwrap();
    assert!(bypassed.error_code.is_success());
    assert!(bypassed.message.contains(&blocked));
    let err = client
        .bypass_inbound_message(&BypassInboundMessage { id: blocked })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INBOUND_BYPASS_FAILED));
    let retried = client
        .retry_inbound_message(&RetryInboundMessage { id: failed.clone() })
        .unwrap();
    assert!(retried.error_code.is_success());
    let err = client
        .retry_inbound_message(&RetryInboundMessage { id: failed })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INBOUND_RETRY_FAILED));
    assert_eq!(search(None).total_count, 2);
}

#[test]
fn opens_and_clicks() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let id = send(&client, "jane@example.com", "digest");
    for platform in ["WebMail", "Mobile", "Desktop"] {
        mock.add_open(json!({"MessageID": id, "Platform": platform,
            "Client": {"Name": "Gmail", "Company": "Google", "Family": "Gmail"}}));
    }
    mock.add_click(
        json!({"MessageID": id, "OriginalLink": "https://example.com/a", "ClickLocation": "Text"}),
    );

    let mobile = client
        .search_message_opens(&SearchMessageOpens {
            recipient: Some("jane@example.com".into()),
            tag: Some("digest".into()),
            client_family: Some("Gmail".into()),
            platform: Some(Platform::Mobile),
            message_stream: Some("outbound".into()),

            ..Default::default()
        })
        .unwrap();
    assert_eq!(mobile.total_count, 1);
    let open = &mobile.opens[0];
    assert_eq!(open.interaction.platform, Some(Platform::Mobile));
    assert_eq!(open.interaction.message_id.as_deref(), Some(id.as_str()));
    assert_eq!(open.first_open, Some(false));

    mock.clear_requests();
    let platforms: Vec<Platform> = client
        .paginate(GetMessageOpens {
            id: id.clone(),
            count: 2,
            offset: 0,
        })
        .unwrap()
        .map(|open| open.unwrap().interaction.platform.unwrap())
        .collect();
    assert_eq!(
        platforms,
        [Platform::Desktop, Platform::Mobile, Platform::WebMail]
    );
    assert_eq!(mock.requests().len(), 2);

    let clicks = client
        .search_message_clicks(&SearchMessageClicks::default())
        .unwrap();
    assert_eq!(clicks.total_count, 1);
    assert_eq!(clicks.clicks[0].click_location, Some(ClickLocation::Text));
    assert_eq!(
        clicks.clicks[0].original_link.as_deref(),
        Some("https://example.com/a")
    );
    let of_message = client
        .get_message_clicks(&GetMessageClicks {
            id,
            ..Default::default()
        })
        .unwrap();
    assert_eq!(of_message, clicks);

    let err = client
        .search_message_opens(&SearchMessageOpens {
            platform: Some(Platform::Other("Watch".into())),

            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::MESSAGES_QUERY_INVALID));
}
