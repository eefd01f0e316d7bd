//! Sending any number of messages as batches, over real HTTP against the mock
//! server: one result per message in the caller's order, nothing sent when a
//! message is refused locally, the results before a failed batch kept. The
//! expectations are the blocking client's (crates/ureq/tests/batches.rs).

use std::time::Duration;

use postmark_kit::api::email::{SendEmail, SendEmailWithTemplate};
use postmark_kit::{BuildError, ErrorCode};
use postmark_kit_mock::{Fault, MockServer};
use postmark_kit_reqwest::ClientError;

use crate::support::{email, seen, server_client};

mod support;

#[tokio::test]
async fn more_than_500_messages_answer_one_result_each_in_order() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let mut messages: Vec<SendEmail> = (0..1_201)
        .map(|i| email(&format!("r{i}@example.com")))
        .collect();
    // The mock's seeded inactive address: refused, and the others sent.
    messages[700] = email("inactive@example.com");

    let results = client.send_email_batches(&messages).await.unwrap();
    assert_eq!(results.len(), 1_201);
    assert_eq!(seen(&mock), ["POST /email/batch"; 3]);
    for (i, result) in results.iter().enumerate() {
        if i == 700 {
            assert_eq!(result.error().unwrap().code, ErrorCode::INACTIVE_RECIPIENT);
            continue;
        }
        assert!(result.is_accepted(), "{i}: {result:?}");
        assert_eq!(
            result.to.as_deref(),
            Some(format!("r{i}@example.com").as_str())
        );
    }
    assert_eq!(mock.sent_messages().len(), 1_200);
}

#[tokio::test]
async fn a_message_refused_locally_sends_nothing() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let mut messages: Vec<SendEmail> = (0..600)
        .map(|i| email(&format!("r{i}@example.com")))
        .collect();
    messages[550].to = None;
    let error = client.send_email_batches(&messages).await.unwrap_err();
    assert!(error.sent.is_empty());
    assert!(
        matches!(
            &error.error,
            ClientError::Build(BuildError::InBatch { index: 550, source })
                if **source == BuildError::MissingField { field: "To".into() }
        ),
        "{error:?}"
    );
    assert!(mock.requests().is_empty());
}

#[tokio::test]
async fn a_failed_batch_stops_the_sends_and_keeps_the_results_before_it() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let messages: Vec<SendEmail> = (0..750)
        .map(|i| email(&format!("r{i}@example.com")))
        .collect();
    // The first batch goes through (a fault of no delay), the second meets
    // an error Postmark does not take back on a retry.
    mock.inject(Fault::Delay(Duration::ZERO), 1);
    mock.inject(
        Fault::Status {
            status: 422,
            retry_after: None,
        },
        1,
    );
    let error = client.send_email_batches(&messages).await.unwrap_err();
    assert_eq!(error.sent.len(), 500);
    assert!(error.sent.iter().all(|r| r.is_accepted()));
    assert_eq!(error.error.code(), Some(ErrorCode::from(422)));
    assert_eq!(seen(&mock), ["POST /email/batch"; 2]);
    assert_eq!(mock.sent_messages().len(), 500);
}

#[tokio::test]
async fn template_sends_in_batches() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let messages: Vec<SendEmailWithTemplate> = (0..501)
        .map(|i| SendEmailWithTemplate {
            from: "sender@example.com".into(),
            to: Some(format!("t{i}@example.com")),
            template_alias: Some("welcome".into()),
            ..Default::default()
        })
        .collect();
    let results = client
        .send_email_batches_with_templates(&messages)
        .await
        .unwrap();
    assert_eq!(results.len(), 501);
    assert!(results.iter().all(|r| r.is_accepted()));
    assert_eq!(results[500].to.as_deref(), Some("t500@example.com"));
    assert_eq!(seen(&mock), ["POST /email/batchWithTemplates"; 2]);
}
