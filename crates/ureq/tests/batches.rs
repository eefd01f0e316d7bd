//! Sending any number of messages as batches, over real HTTP against the mock
//! server: more than 500 messages, bodies near 50 MB, and one result per
//! message in the caller's order.

use postmark_kit::api::email::{SendEmail, SendEmailBatch, SendEmailWithTemplate};
use postmark_kit::{BuildError, ErrorCode};
use std::time::Duration;

use postmark_kit_mock::{Fault, MockServer};
use postmark_kit_ureq::ClientError;

use crate::support::{email, seen, server_client};

mod support;

#[test]
fn more_than_500_messages_answer_one_result_each_in_order() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let mut messages: Vec<SendEmail> = (0..1_201)
        .map(|i| email(&format!("r{i}@example.com")))
        .collect();
    // The mock's seeded inactive address: refused alone, left out beside another.
    messages[700] = email("inactive@example.com");
    messages[1_100] = email("r1100@example.com, inactive@example.com");

    let results = client.send_email_batches(&messages).unwrap();
    assert_eq!(results.len(), 1_201);
    assert_eq!(
        seen(&mock),
        [
            "POST /email/batch",
            "POST /email/batch",
            "POST /email/batch"
        ]
    );
    for (i, result) in results.iter().enumerate() {
        if i == 700 {
            let refusal = result.error().unwrap();
            assert_eq!(refusal.code, ErrorCode::INACTIVE_RECIPIENT);
            assert_eq!(result.inactive_recipients(), ["inactive@example.com"]);
            continue;
        }
        assert!(result.is_accepted(), "{i}: {result:?}");
        let to = result.to.as_deref().unwrap();
        assert!(to.starts_with(&format!("r{i}@example.com")), "{i}: {to}");
    }
    assert_eq!(
        results[1_100].inactive_recipients(),
        ["inactive@example.com"]
    );
    assert!(results[1_099].inactive_recipients().is_empty());
    assert_eq!(mock.sent_messages().len(), 1_200);
}

/// Messages of `bytes` of body each, half HTML and half text (Postmark takes
/// at most 5 MB of each).
fn heavy(count: usize, bytes: usize) -> Vec<SendEmail> {
    let half = "x".repeat(bytes / 2);
    (0..count)
        .map(|i| {
            SendEmail::new("sender@example.com", format!("h{i}@example.com"), "Big")
                .html_body(&half)
                .text_body(&half)
        })
        .collect()
}

#[test]
fn bodies_near_50_mb_are_cut_under_the_limit() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    // Six messages of 9.5 MB: one batch would be 57 MB, which the core
    // refuses before sending (and Postmark with 413).
    let messages = heavy(6, 9_500_000);
    let whole = client.send_email_batch(&SendEmailBatch(messages.clone()));
    assert!(
        matches!(
            whole,
            Err(ClientError::Build(BuildError::PayloadTooLarge { max, .. })) if max == 50 * 1024 * 1024
        ),
        "{whole:?}"
    );
    assert!(mock.requests().is_empty());

    let results = client.send_email_batches(&messages).unwrap();
    let accepted: Vec<bool> = results.iter().map(|r| r.is_accepted()).collect();
    assert_eq!(accepted, [true; 6]);
    let to: Vec<&str> = results.iter().map(|r| r.to.as_deref().unwrap()).collect();
    assert_eq!(
        to,
        (0..6)
            .map(|i| format!("h{i}@example.com"))
            .collect::<Vec<_>>()
    );
    // Five fit in 50 MB, the sixth goes alone.
    assert_eq!(seen(&mock), ["POST /email/batch", "POST /email/batch"]);
}

#[test]
fn a_message_refused_locally_sends_nothing() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let mut messages: Vec<SendEmail> = (0..600)
        .map(|i| email(&format!("r{i}@example.com")))
        .collect();
    messages[550].to = None;
    let error = client.send_email_batches(&messages).unwrap_err();
    assert!(error.sent.is_empty());
    assert!(
        matches!(
            &error.error,
            ClientError::Build(BuildError::InBatch { index: 550, source })
                if **source == BuildError::MissingField { field: "To".into() }
        ),
        "{error:?}"
    );
    let too_big = heavy(2, 11 * 1024 * 1024);
    let error = client.send_email_batches(&too_big).unwrap_err();
    assert!(
        matches!(
            &error.error,
            ClientError::Build(BuildError::InBatch { index: 0, source })
                if matches!(**source, BuildError::PayloadTooLarge { .. })
        ),
        "{error:?}"
    );
    assert!(mock.requests().is_empty());
}

#[test]
fn a_failed_batch_stops_the_sends_and_keeps_the_results_before_it() {
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
    let error = client.send_email_batches(&messages).unwrap_err();
    assert_eq!(error.sent.len(), 500);
    assert!(error.sent.iter().all(|r| r.is_accepted()));
    assert_eq!(error.error.code(), Some(ErrorCode::from(422)));
    assert_eq!(seen(&mock), ["POST /email/batch", "POST /email/batch"]);
    assert_eq!(mock.sent_messages().len(), 500);
}

#[test]
fn template_sends_in_batches() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let messages: Vec<SendEmailWithTemplate> = (0..501)
        .map(|i| SendEmailWithTemplate {
            from: "sender@example.com".into(),
            to: Some(format!("t{i}@example.com")),
            template_alias: Some("welcome".into()),
            template_model: serde_json::json!({"name": format!("n{i}")})
                .as_object()
                .cloned()
                .unwrap(),
            ..Default::default()
        })
        .collect();
    let results = client.send_email_batches_with_templates(&messages).unwrap();
    assert_eq!(results.len(), 501);
    assert!(results.iter().all(|r| r.is_accepted()));
    assert_eq!(results[500].to.as_deref(), Some("t500@example.com"));
    assert_eq!(
        seen(&mock),
        [
            "POST /email/batchWithTemplates",
            "POST /email/batchWithTemplates"
        ]
    );
}
