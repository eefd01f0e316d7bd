//! The Data removals operations of the ureq client over real HTTP against the mock
//! server: a request, its status before and after it is carried out, and what goes.

use http::Method;
use postmark_kit::api::data_removals::*;
use postmark_kit::api::messages::SearchOutboundMessages;
use postmark_kit::api::raw::Raw;
use postmark_kit::{BuildError, ErrorCode};
use postmark_kit_mock::{MockServer, TokenKind};
use postmark_kit_ureq::ClientError;

use crate::support::{account_client, email, server_client};

mod support;

#[test]
fn a_removal_from_request_to_done() {
    let mock = MockServer::start().unwrap();
    let server = server_client(&mock);
    let client = account_client(&mock);
    server.send_email(&email("jane@example.org")).unwrap();
    server.send_email(&email("kim@example.org")).unwrap();

    let requested = client
        .create_data_removal(&CreateDataRemoval {
            requested_by: "privacy@example.com".into(),
            requested_for: "jane@example.org".into(),
            notify_when_completed: Some(true),
        })
        .unwrap();
    assert_eq!(requested.status, Some(DataRemovalStatus::Pending));
    let id = requested.id;
    let status = client
        .get_data_removal_status(&GetDataRemovalStatus { id })
        .unwrap();
    assert_eq!(status, requested);

    // Postmark carries it out in its own time; the mock when told to.
    client
        .raw(&Raw::new(
            Method::POST,
            format!("/__mock/data-removals/{id}/complete"),
        ))
        .unwrap();
    let done = client
        .get_data_removal_status(&GetDataRemovalStatus { id })
        .unwrap();
    assert_eq!((done.id, done.status), (id, Some(DataRemovalStatus::Done)));
    let left = server
        .search_outbound_messages(&SearchOutboundMessages::default())
        .unwrap();
    let recipients: Vec<&str> = left
        .messages
        .iter()
        .flat_map(|m| m.recipients.iter().map(String::as_str))
        .collect();
    assert_eq!(recipients, ["kim@example.org"]);

    let log: Vec<(String, String, TokenKind)> = mock
        .requests()
        .into_iter()
        .map(|r| (r.method, r.path, r.token))
        .collect();
    let removal = format!("/data-removals/{id}");
    assert_eq!(
        &log[2..5],
        [
            ("POST".into(), "/data-removals".into(), TokenKind::Account),
            ("GET".into(), removal.clone(), TokenKind::Account),
            ("GET".into(), removal, TokenKind::Account),
        ]
    );
}

#[test]
fn refusals_before_sending_and_by_postmark() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    let err = client
        .create_data_removal(&CreateDataRemoval {
            requested_by: "privacy@example.com".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert!(
        matches!(&err, ClientError::Build(BuildError::MissingField { field }) if field == "RequestedFor"),
        "{err:?}"
    );
    assert!(mock.requests().is_empty());

    let err = client
        .create_data_removal(&CreateDataRemoval {
            requested_by: "privacy@example.com".into(),
            requested_for: "not an address".into(),
            notify_when_completed: None,
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::DATA_REMOVAL_INVALID));
    let err = client
        .get_data_removal_status(&GetDataRemovalStatus { id: 99 })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::DATA_REMOVAL_ID_INVALID));
    let paths: Vec<String> = mock.requests().into_iter().map(|r| r.path).collect();
    assert_eq!(paths, ["/data-removals", "/data-removals/99"]);
}
