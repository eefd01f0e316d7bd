//! The Message streams operations of the ureq client over real HTTP against the mock
//! server.

use postmark_kit::api::streams::*;
use postmark_kit::{BuildError, ErrorCode};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{ClientError, ServerClient};

use crate::support::{email, seen, server_client};

mod support;

fn ids(client: &ServerClient, list: &ListMessageStreams) -> Vec<String> {
    client
        .list_message_streams(list)
        .unwrap()
        .message_streams
        .into_iter()
        .map(|s| s.id)
        .collect()
}

#[test]
fn a_stream_created_changed_archived_and_brought_back() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);

    let all = client
        .list_message_streams(&ListMessageStreams::default())
        .unwrap();
    assert_eq!(all.total_count, 3);
    let kinds: Vec<_> = all
        .message_streams
        .iter()
        .map(|s| (s.id.as_str(), s.message_stream_type.clone().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("outbound", MessageStreamType::Transactional),
            ("broadcast", MessageStreamType::Broadcasts),
            ("inbound", MessageStreamType::Inbound),
        ]
    );

    let created = client
        .create_message_stream(&CreateMessageStream {
            description: Some("Weekly news".into()),
            ..CreateMessageStream::new("digest", "Digest", MessageStreamType::Broadcasts)
        })
        .unwrap();
    assert_eq!(created.id, "digest");
    assert_eq!(created.server_id, Some(1));
    assert_eq!(created.description.as_deref(), Some("Weekly news"));
    assert_eq!(
        created.message_stream_type,
        Some(MessageStreamType::Broadcasts)
    );
    assert!(created.created_at.is_some());
    assert_eq!(
        (
            created.updated_at.as_deref(),
            created.archived_at.as_deref()
        ),
        (None, None)
    );
    // Broadcast streams handle unsubscribes unless told otherwise.
    assert_eq!(
        created
            .subscription_management_configuration
            .unsubscribe_handling_type,
        Some(UnsubscribeHandlingType::Postmark)
    );

    let edited = client
        .edit_message_stream(&EditMessageStream {
            stream_id: "digest".into(),
            name: Some("Weekly digest".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(edited.name, "Weekly digest");
    assert_eq!(edited.description.as_deref(), Some("Weekly news"));
    assert!(edited.updated_at.is_some());
    let fetched = client
        .get_message_stream(&GetMessageStream {
            stream_id: "digest".into(),
        })
        .unwrap();
    assert_eq!(fetched, edited);
    let broadcasts = ListMessageStreams {
        message_stream_type: Some(MessageStreamType::Broadcasts),
        include_archived_streams: None,
    };
    assert_eq!(ids(&client, &broadcasts), ["broadcast", "digest"]);

    let archived = client
        .archive_message_stream(&ArchiveMessageStream {
            stream_id: "digest".into(),
        })
        .unwrap();
    assert_eq!(
        (archived.id.as_str(), archived.server_id),
        ("digest", Some(1))
    );
    assert!(archived.expected_purge_date.is_some());
    assert_eq!(ids(&client, &broadcasts), ["broadcast"]);
    let with_archived = ListMessageStreams {
        include_archived_streams: Some(true),
        ..broadcasts.clone()
    };
    assert_eq!(ids(&client, &with_archived), ["broadcast", "digest"]);
    // An archived stream takes no mail.
    let mut message = email("a@example.com");
    message.message_stream = Some("digest".into());
    let refused = client.send_email(&message).unwrap_err();
    assert_eq!(
        refused.code(),
        Some(ErrorCode::MESSAGE_STREAM_DOES_NOT_EXIST)
    );

    let back = client
        .unarchive_message_stream(&UnarchiveMessageStream {
            stream_id: "digest".into(),
        })
        .unwrap();
    assert_eq!(back.archived_at, None);
    assert_eq!(back.expected_purge_date, None);
    assert_eq!(ids(&client, &broadcasts), ["broadcast", "digest"]);

    assert_eq!(
        seen(&mock),
        [
            "GET /message-streams",
            "POST /message-streams",
            "PATCH /message-streams/digest",
            "GET /message-streams/digest",
            "GET /message-streams?MessageStreamType=Broadcasts",
            "POST /message-streams/digest/archive",
            "GET /message-streams?MessageStreamType=Broadcasts",
            "GET /message-streams?MessageStreamType=Broadcasts&IncludeArchivedStreams=true",
            "POST /email",
            "POST /message-streams/digest/unarchive",
            "GET /message-streams?MessageStreamType=Broadcasts",
        ]
    );
}

#[test]
fn refusals_by_postmark_and_before_sending() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let err = client
        .archive_message_stream(&ArchiveMessageStream {
            stream_id: "outbound".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::MESSAGE_STREAM_NOT_ARCHIVABLE));
    let err = client
        .get_message_stream(&GetMessageStream {
            stream_id: "news".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::MESSAGE_STREAM_NOT_FOUND));
    let custom = CreateMessageStream {
        subscription_management_configuration: Some(SubscriptionManagement {
            unsubscribe_handling_type: Some(UnsubscribeHandlingType::Custom),
        }),
        ..CreateMessageStream::new("digest", "Digest", MessageStreamType::Broadcasts)
    };
    let err = client.create_message_stream(&custom).unwrap_err();
    assert_eq!(
        err.code(),
        Some(ErrorCode::CUSTOM_UNSUBSCRIBE_NOT_PERMITTED)
    );
    let err = client
        .create_message_stream(&CreateMessageStream::new(
            "more-inbound",
            "More",
            MessageStreamType::Inbound,
        ))
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INBOUND_STREAM_EXISTS));
    assert_eq!(mock.requests().len(), 4);

    let err = client
        .create_message_stream(&CreateMessageStream::new(
            "pm-digest",
            "Digest",
            MessageStreamType::Broadcasts,
        ))
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::InvalidValue { field, .. }) if field == "ID"),
        "{err:?}"
    );
    assert_eq!(mock.requests().len(), 4);
}
