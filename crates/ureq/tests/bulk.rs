//! The Bulk operations of the ureq client over real HTTP against the mock server.

use postmark_kit::api::bulk::*;
use postmark_kit::api::raw::Raw;
use postmark_kit::{BuildError, ErrorCode, ErrorKind, Server};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{ClientError, ServerClient};
use serde_json::json;

use crate::support::{seen, server_client};

mod support;

/// A newsletter to `to`, one message each, its subject naming the recipient.
fn newsletter(to: &[&str]) -> SendBulkEmail {
    SendBulkEmail {
        from: "news@example.com".into(),
        subject: Some("News for {{name}}".into()),
        text_body: Some("Hello {{name}}".into()),
        tag: Some("digest".into()),
        messages: to
            .iter()
            .map(|to| BulkMessage {
                to: (*to).into(),
                template_model: json!({"name": to.split('@').next().unwrap()})
                    .as_object()
                    .cloned(),
                ..Default::default()
            })
            .collect(),
        ..Default::default()
    }
}

/// Has the mock send the next part of a bulk request (a control route, not
/// Postmark's API: it is not logged).
fn advance(client: &ServerClient, id: &str) {
    client
        .raw(&Raw::<Server>::new(
            http::Method::POST,
            format!("/__mock/bulk/{id}/advance"),
        ))
        .unwrap();
}

#[test]
fn a_bulk_request_sent_followed_and_delivered() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let recipients = ["ada@example.com", "bo@example.com", "cy@example.com"];

    let accepted = client.send_bulk_email(&newsletter(&recipients)).unwrap();
    assert_eq!(accepted.status, Some(BulkStatus::Accepted));
    assert!(accepted.submitted_at.is_some());
    let status = |client: &ServerClient| {
        client
            .get_bulk_email_status(&GetBulkEmailStatus {
                id: accepted.id.clone(),
            })
            .unwrap()
    };
    let waiting = status(&client);
    assert_eq!(waiting.id, accepted.id);
    assert_eq!(waiting.status, Some(BulkStatus::Accepted));
    assert_eq!(waiting.total_messages, 3);
    assert_eq!(waiting.percentage_completed, 0.0);
    assert_eq!(waiting.subject.as_deref(), Some("News for {{name}}"));
    assert!(mock.sent_messages().is_empty());

    advance(&client, &accepted.id);
    let halfway = status(&client);
    assert_eq!(halfway.status, Some(BulkStatus::Processing));
    assert_eq!(halfway.percentage_completed, 66.7);
    advance(&client, &accepted.id);
    let done = status(&client);
    assert_eq!(done.status, Some(BulkStatus::Completed));
    assert_eq!(done.percentage_completed, 100.0);

    let sent: Vec<(String, String)> = mock
        .sent_messages()
        .iter()
        .map(|m| {
            (
                m["Subject"].as_str().unwrap().to_owned(),
                m["MessageStream"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        sent,
        [
            ("News for ada".to_owned(), "broadcast".to_owned()),
            ("News for bo".to_owned(), "broadcast".to_owned()),
            ("News for cy".to_owned(), "broadcast".to_owned()),
        ]
    );
    let path = format!("/email/bulk/{}", accepted.id);
    assert_eq!(
        seen(&mock),
        [
            "POST /email/bulk".to_owned(),
            format!("GET {path}"),
            format!("GET {path}"),
            format!("GET {path}"),
        ]
    );
}

#[test]
fn the_list_pages_by_key_newest_first() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let ids: Vec<String> = ["a@example.com", "b@example.com", "c@example.com"]
        .into_iter()
        .map(|to| client.send_bulk_email(&newsletter(&[to])).unwrap().id)
        .collect();
    mock.clear_requests();

    let first = client
        .list_bulk_emails(&ListBulkEmails {
            count: Some(2),
            pagination_key: None,
        })
        .unwrap();
    let listed: Vec<&str> = first.requests.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(listed, [ids[2].as_str(), ids[1].as_str()]);
    assert!(first.requests.iter().all(|r| r.total_messages == 1));
    let key = first.pagination_key.clone().unwrap();
    assert_eq!(key, ids[0]);
    let last = client
        .list_bulk_emails(&ListBulkEmails {
            count: Some(2),
            pagination_key: Some(key.clone()),
        })
        .unwrap();
    assert_eq!(last.requests.len(), 1);
    assert_eq!(last.requests[0].id, ids[0]);
    assert_eq!(last.pagination_key, None);
    let everything = client.list_bulk_emails(&ListBulkEmails::default()).unwrap();
    assert_eq!(everything.requests.len(), 3);

    assert_eq!(
        seen(&mock),
        [
            "GET /email/bulk?count=2".to_owned(),
            format!("GET /email/bulk?count=2&paginationKey={key}"),
            "GET /email/bulk".to_owned(),
        ]
    );
}

#[test]
fn refusals_by_postmark_and_before_sending() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);

    let err = client
        .get_bulk_email_status(&GetBulkEmailStatus {
            id: "f1b8d0a2-8a5c-4c4e-9d55-0c2d1f0e7a11".into(),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::BULK_NOT_FOUND));
    assert_eq!(err.api_kind(), Some(ErrorKind::NotFound));
    let err = client
        .list_bulk_emails(&ListBulkEmails {
            count: None,
            pagination_key: Some("forged".into()),
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INVALID_PAGINATION_KEY));
    // A transactional stream takes no bulk request: the whole of it is refused.
    let transactional = SendBulkEmail {
        message_stream: Some("outbound".into()),
        ..newsletter(&["a@example.com"])
    };
    let err = client.send_bulk_email(&transactional).unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::MULTIPLE_ERRORS));
    assert_eq!(mock.requests().len(), 3);

    let mut crowded = newsletter(&["a@example.com", "b@example.com"]);
    crowded.messages[1].bcc = Some(
        (0..51)
            .map(|i| format!("r{i}@example.com"))
            .collect::<Vec<_>>()
            .join(","),
    );
    let err = client.send_bulk_email(&crowded).unwrap_err();
    assert!(
        matches!(
            &err,
            ClientError::Build(BuildError::InBatch { index: 1, source })
                if **source == BuildError::TooManyRecipients { count: 51, max: 50 }
        ),
        "{err:?}"
    );
    assert_eq!(mock.requests().len(), 3);
}

#[test]
fn every_bulk_request_walked_by_key_and_resumed() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let mut ids: Vec<String> = (0..7)
        .map(|i| {
            let to = format!("r{i}@example.com");
            client.send_bulk_email(&newsletter(&[&to])).unwrap().id
        })
        .collect();
    ids.reverse(); // newest first
    mock.clear_requests();

    let walk = ListBulkEmails {
        count: Some(3),
        pagination_key: None,
    };
    let mut items = client.paginate(walk.clone()).unwrap();
    let first: Vec<String> = items.by_ref().take(4).map(|r| r.unwrap().id).collect();
    assert_eq!(first, ids[..4]);
    // Two items of the second page were fetched but not handed out: resuming
    // fetches that page again and starts at the first of them.
    let cursor = items.cursor();
    assert_eq!(cursor.yielded(), 4);
    let cursor = serde_json::from_str(&serde_json::to_string(&cursor).unwrap()).unwrap();
    let rest: Vec<String> = client
        .resume(walk.clone(), cursor)
        .map(|r| r.unwrap().id)
        .collect();
    assert_eq!(rest, ids[4..]);
    assert_eq!(
        seen(&mock),
        [
            "GET /email/bulk?count=3".to_owned(),
            format!("GET /email/bulk?count=3&paginationKey={}", ids[3]),
            format!("GET /email/bulk?count=3&paginationKey={}", ids[3]),
            format!("GET /email/bulk?count=3&paginationKey={}", ids[6]),
        ]
    );

    // The dynamic interface walks it the same way, to the last page.
    let mut pager = postmark_kit::ops::find("list_bulk_emails")
        .unwrap()
        .pages(r#"{"count": 5}"#, None)
        .unwrap();
    let mut walked = Vec::new();
    while let Some(items) = client.next_page(&mut pager).unwrap() {
        let items: Vec<serde_json::Value> = serde_json::from_str(&items).unwrap();
        walked.extend(items.iter().map(|r| r["Id"].as_str().unwrap().to_owned()));
    }
    assert_eq!(walked, ids);
    assert_eq!(
        pager.cursor().stop_reason(),
        Some(postmark_kit::StopReason::Exhausted)
    );
}
