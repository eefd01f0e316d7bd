//! Postmark's published example bodies parse into the models, and error
//! responses of every documented status decode into something to branch on.

use postmark_kit::api::email::{SendEmail, SendEmailBatch};
use postmark_kit::api::servers::{GetServer, ListServers};
use postmark_kit::api::webhooks::*;
use postmark_kit::{Config, Endpoint, Error, ErrorCode, ErrorKind, Server, Token, parse};
use serde_json::Value;

mod support;

macro_rules! example {
    ($name:literal) => {
        include_str!(concat!("../../../../shared/postmark-api/examples/", $name))
    };
}

fn ok<E: Endpoint>(body: &str) -> E::Response {
    let response = http::Response::builder()
        .status(200)
        .body(body.as_bytes())
        .unwrap();
    parse::<E>(response).unwrap_or_else(|e| panic!("{}: {e}", E::OPERATION))
}

fn fail<E: Endpoint>(status: u16, body: &str) -> Error {
    let response = http::Response::builder()
        .status(status)
        .body(body.as_bytes())
        .unwrap();
    parse::<E>(response).unwrap_err()
}

#[test]
fn send_email_response() {
    let sent = ok::<SendEmail>(example!("send_email.response.json"));
    assert!(sent.is_accepted());
    assert!(sent.message_id.is_some());
    assert!(sent.error().is_none());
}

#[test]
fn batch_response_has_one_result_per_message() {
    let results = ok::<SendEmailBatch>(example!("send_email_batch.response.json"));
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[0].message_id.as_deref(),
        Some("b7bc2f4a-e38e-4336-af7d-e6c392c2f817")
    );
    assert!(results[0].is_accepted());
    let failed = results[1].error().unwrap();
    assert_eq!(failed.code, ErrorCode::INACTIVE_RECIPIENT);
    assert_eq!(failed.message, "Inactive recipient");
    assert_eq!(results[1].message_id, None);
}

#[test]
fn webhook_examples() {
    let list = ok::<ListWebhooks>(example!("list_webhooks.response.json"));
    assert_eq!(list.webhooks.len(), 2);
    let first = &list.webhooks[0];
    assert_eq!(first.id, 1234567);
    assert_eq!(first.http_auth.as_ref().unwrap().username, "user");
    assert_eq!(
        first.triggers.open,
        Some(OpenTrigger {
            enabled: true,
            post_first_open_only: false
        })
    );
    assert!(list.webhooks[1].triggers.bounce.unwrap().enabled);
    assert_eq!(
        list.pointing_at("http://WWW.example.com/webhook-test-bounce/")
            .count(),
        1
    );

    let verification = ok::<VerifyWebhook>(example!("verify_webhook.response.json"));
    assert_eq!(verification.id, 12345);
    assert!(!verification.success);
    assert_eq!(verification.results.len(), 5);
    assert_eq!(verification.results[4].status_code, Some(500));

    let stats = ok::<GetWebhookStatistics>(example!("get_webhook_statistics.response.json"));
    assert_eq!(stats.metrics.total_requests, 1000);
    assert_eq!(stats.metrics.success_rate, Some(95.0));
    assert_eq!(stats.statuses["Bounce"], WebhookStatus::Unverified);
    assert_eq!(
        stats.metrics_by_trigger["Delivery"].average_retry_response_time_ms,
        None
    );
    assert_eq!(stats.time_range.hours, 24);
}

#[test]
fn server_with_lowercase_color_and_unknown_fields() {
    let server = ok::<GetServer>(
        r#"{"ID":1,"Name":"Prod","ApiTokens":["x"],"Color":"red","TrackLinks":"none",
            "DeliveryType":"Live","InboundSpamThreshold":5,"BrandNewField":{"a":1}}"#,
    );
    assert_eq!(server.color, Some(postmark_kit::api::servers::Color::Red));
    assert_eq!(
        server.track_links,
        Some(postmark_kit::api::common::TrackLinks::None)
    );
    let old = ok::<GetServer>(r#"{"ID":2,"Name":"Old","Color":"ggrey"}"#);
    assert_eq!(old.delivery_type, None);
    assert_eq!(old.color.unwrap().as_str(), "ggrey");
}

#[test]
fn a_body_that_does_not_match_reports_its_path() {
    let err = fail::<ListServers>(200, r#"{"TotalCount":1,"Servers":[{"ID":"seven"}]}"#);
    match err {
        Error::Decode { path, body, .. } => {
            assert_eq!(path, "Servers[0].ID");
            assert!(body.contains("seven"));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(fail::<ListServers>(200, "").kind(), ErrorKind::Decode);
    assert_eq!(
        fail::<ListServers>(200, "{} trailing").kind(),
        ErrorKind::Decode
    );
}

/// Full bodies of the response models, each field with a value.
fn full_responses() -> Vec<(&'static str, String)> {
    let server = r#"{"ID":1,"Name":"Prod","ApiTokens":["t"],"Color":"red","SmtpApiActivated":true,
        "RawEmailEnabled":false,"DeliveryType":"Live","ServerLink":"https://x","InboundAddress":"h@inbound.postmarkapp.com",
        "InboundHookUrl":"","BounceHookUrl":"","OpenHookUrl":"","DeliveryHookUrl":"","ClickHookUrl":"",
        "PostFirstOpenOnly":false,"InboundDomain":"","InboundHash":"h","InboundSpamThreshold":5,"TrackOpens":true,
        "TrackLinks":"none","IncludeBounceContentInHook":true,"EnableSmtpApiErrorHooks":false}"#;
    vec![
        (
            "send_email",
            example!("send_email.response.json").to_owned(),
        ),
        (
            "send_email_batch",
            example!("send_email_batch.response.json").to_owned(),
        ),
        (
            "list_webhooks",
            example!("list_webhooks.response.json").to_owned(),
        ),
        (
            "verify_webhook",
            example!("verify_webhook.response.json").to_owned(),
        ),
        (
            "get_webhook_statistics",
            example!("get_webhook_statistics.response.json").to_owned(),
        ),
        ("get_server", server.to_owned()),
        (
            "list_servers",
            format!(r#"{{"TotalCount":1,"Servers":[{server}]}}"#),
        ),
        (
            "delete_server",
            r#"{"ErrorCode":0,"Message":"Server 1 removed."}"#.to_owned(),
        ),
    ]
}

/// Postmark writes "no value" as `null` as often as it leaves a field out:
/// any single field of any response set to `null` still parses, and reads as
/// if it were absent.
#[test]
fn every_response_field_may_be_null() {
    for (name, body) in full_responses() {
        let op = postmark_kit::ops::find(name).unwrap();
        let full: Value = serde_json::from_str(&body).unwrap();
        let nulled = support::each_member_nulled(&full);
        assert!(nulled.len() >= 2, "{name}");
        for (path, body) in nulled {
            let text = body.to_string();
            let response = http::Response::builder()
                .status(200)
                .body(text.as_bytes())
                .unwrap();
            if let Err(e) = op.parse(&response) {
                panic!("{name} with {path} null: {e}");
            }
        }
    }
}

/// Postmark's published request bodies build through the dynamic interface
/// and are sent exactly as given.
#[test]
fn request_examples_are_sent_as_published() {
    let config = Config::<Server>::new(Token::new("t").unwrap());
    for (name, body) in [
        ("send_email", example!("send_email.request.json")),
        ("send_email", example!("send_email.full.request.json")),
        (
            "send_email_batch",
            example!("send_email_batch.request.json"),
        ),
        (
            "send_email_batch",
            example!("send_email_batch.full.request.json"),
        ),
        (
            "send_email_with_template",
            example!("send_email_with_template.request.json"),
        ),
        ("create_webhook", example!("create_webhook.request.json")),
    ] {
        let built = postmark_kit::ops::find(name)
            .unwrap()
            .build(&config, body)
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let sent: Value = serde_json::from_slice(built.request.body()).unwrap();
        let published: Value = serde_json::from_str(body).unwrap();
        assert_eq!(sent, published, "{name}");
    }
}
