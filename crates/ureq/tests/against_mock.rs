//! The ureq client over real HTTP against the mock server: sending, servers and webhooks,
//! operations by name, and how the transport retries, times out and reports failures.
//! Bounces, messages, stats, domains, sender signatures and data removals have test files
//! of their own.

use std::time::{Duration, Instant};

use postmark_kit::api::common::TrackLinks;
use postmark_kit::api::email::*;
use postmark_kit::api::raw::Raw;
use postmark_kit::api::servers::*;
use postmark_kit::api::webhooks::*;
use postmark_kit::{ErrorCode, ErrorKind, RetryPolicy, StopReason};
use postmark_kit_mock::{Fault, MockServer};
use postmark_kit_ureq::{ClientError, ServerClient, TransportErrorKind};
use serde_json::json;

use crate::support::{account_client, email, quick_retry, server_client, server_client_with};

mod support;

fn status(status: u16, retry_after: Option<u32>) -> Fault {
    Fault::Status {
        status,
        retry_after,
    }
}

/// A page from a proxy in front of Postmark, instead of its JSON envelope.
fn page(status: u16, content_type: &str, body: &str, retry_after: Option<u32>) -> Fault {
    Fault::Page {
        status,
        content_type: content_type.into(),
        body: body.into(),
        retry_after,
    }
}

/// The error of a read whose only attempt `fault` answers, and a check that it was the
/// only attempt.
fn error_from(mock: &MockServer, fault: Fault) -> ClientError {
    mock.inject(fault, 1);
    let once = server_client_with(
        mock,
        mock.server_token(),
        RetryPolicy::never(),
        Duration::from_secs(5),
    );
    let err = once.get_current_server(&GetCurrentServer {}).unwrap_err();
    assert_eq!(mock.requests().len(), 1);
    err
}

/// A read that `fault` (carrying `Retry-After: 1`) answers once succeeds on its retry,
/// having waited the second out.
fn a_read_waits_out_retry_after(fault: Fault) {
    let mock = MockServer::start().unwrap();
    mock.inject(fault, 1);
    let start = Instant::now();
    let server = server_client(&mock)
        .get_current_server(&GetCurrentServer {})
        .unwrap();
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(server.api_tokens, [mock.server_token()]);
    assert_eq!(mock.requests().len(), 2);
}

fn template(alias: &str, to: &str) -> SendEmailWithTemplate {
    SendEmailWithTemplate {
        from: "sender@example.com".into(),
        to: Some(to.into()),

        template_alias: Some(alias.into()),
        template_model: json!({"name": "Ada"}).as_object().unwrap().clone(),
        ..Default::default()
    }
}

#[test]
fn send_email_and_the_mock_keeps_it() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let sent = client.send_email(&email("receiver@example.com")).unwrap();
    assert!(sent.is_accepted());
    assert_eq!(sent.to.as_deref(), Some("receiver@example.com"));
    let id = sent.message_id.unwrap();
    let kept = mock.sent_messages();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["MessageID"], id.as_str());
}

#[test]
fn batch_returns_one_result_per_message_and_a_bad_one_fails_alone() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let batch = SendEmailBatch(vec![
        email("a@example.com"),
        email("not-an-address"),
        email("inactive@example.com"),
    ]);
    let results = client.send_email_batch(&batch).unwrap();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_accepted());
    assert_eq!(
        results[1].error().unwrap().code,
        ErrorCode::INVALID_EMAIL_REQUEST
    );
    assert_eq!(results[1].message_id, None);
    assert_eq!(
        results[2].error().unwrap().code,
        ErrorCode::INACTIVE_RECIPIENT
    );
    assert_eq!(mock.sent_messages().len(), 1);
}

#[test]
fn template_sends() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let sent = client
        .send_email_with_template(&template("welcome", "a@example.com"))
        .unwrap();
    assert!(sent.is_accepted());
    let err = client
        .send_email_with_template(&template("no-such-template", "a@example.com"))
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::TEMPLATE_NOT_FOUND));
    assert_eq!(err.api_kind(), Some(ErrorKind::Unprocessable));

    let results = client
        .send_email_batch_with_templates(&SendEmailBatchWithTemplates {
            messages: vec![
                template("welcome", "a@example.com"),
                template("missing", "b@example.com"),
            ],
        })
        .unwrap();
    assert!(results[0].is_accepted());
    assert_eq!(results[1].error_code, ErrorCode::TEMPLATE_NOT_FOUND);
}

#[test]
fn inactive_recipient_is_an_api_error() {
    let mock = MockServer::start().unwrap();
    let err = server_client(&mock)
        .send_email(&email("inactive@example.com"))
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INACTIVE_RECIPIENT));
    let ClientError::Api(api) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(api.status(), 422);
    assert!(api.request_id().is_some());
}

#[test]
fn wrong_and_missing_tokens_are_401() {
    let mock = MockServer::start().unwrap();
    // The account token in the server-token header.
    let wrong = server_client_with(
        &mock,
        mock.account_token(),
        quick_retry(),
        Duration::from_secs(5),
    );
    let err = wrong.get_current_server(&GetCurrentServer {}).unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::InvalidToken));
    assert_eq!(err.code(), Some(ErrorCode::INVALID_TOKEN));
    assert!(!err.to_string().contains(mock.account_token()));
    assert!(!format!("{err:?}").contains(mock.account_token()));
    assert!(!format!("{wrong:?}").contains(mock.account_token()));
}

#[test]
fn current_server_get_and_edit() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let before = client.get_current_server(&GetCurrentServer {}).unwrap();
    assert!(before.api_tokens.iter().any(|t| t == mock.server_token()));
    let after = client
        .edit_current_server(&EditCurrentServer {
            name: Some("Renamed".into()),
            color: Some(Color::Turquoise),
            track_links: Some(TrackLinks::TextOnly),

            ..Default::default()
        })
        .unwrap();
    assert_eq!(after.id, before.id);
    assert_eq!(after.name, "Renamed");
    assert_eq!(after.color, Some(Color::Turquoise));
    assert_eq!(after.track_links, Some(TrackLinks::TextOnly));
    // Fields not sent are unchanged.
    assert_eq!(after.track_opens, before.track_opens);
    assert_eq!(after.inbound_hash, before.inbound_hash);
}

#[test]
fn servers_crud_and_paging() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    let created = client
        .create_server(&CreateServer {
            name: "Staging".into(),
            delivery_type: Some(DeliveryType::Sandbox),
            color: Some(Color::Green),
            inbound_spam_threshold: Some(10),

            ..Default::default()
        })
        .unwrap();
    assert_eq!(created.name, "Staging");
    assert_eq!(created.delivery_type, Some(DeliveryType::Sandbox));
    assert_eq!(created.color, Some(Color::Green));
    assert_eq!(created.inbound_spam_threshold, Some(10));
    assert_eq!(created.api_tokens.len(), 1);

    let fetched = client.get_server(&GetServer { id: created.id }).unwrap();
    assert_eq!(fetched, created);

    let edited = client
        .edit_server(&EditServer {
            id: created.id,
            name: Some("Staging 2".into()),

            ..Default::default()
        })
        .unwrap();
    assert_eq!(edited.name, "Staging 2");
    assert_eq!(edited.delivery_type, Some(DeliveryType::Sandbox));

    let duplicate = client
        .create_server(&CreateServer {
            name: "Staging 2".into(),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(duplicate.code(), Some(ErrorCode::SERVER_NAME_EXISTS));

    for i in 0..7 {
        client
            .create_server(&CreateServer {
                name: format!("bulk-{i}"),
                ..Default::default()
            })
            .unwrap();
    }
    let page = client
        .list_servers(&ListServers {
            count: 3,
            offset: 0,
            name: Some("BULK".into()),
        })
        .unwrap();
    assert_eq!(page.total_count, 7);
    assert_eq!(page.servers.len(), 3);

    mock.clear_requests();
    let listing = ListServers {
        count: 2,
        name: Some("bulk".into()),
        ..Default::default()
    };
    let names: Vec<String> = client
        .paginate(listing.clone())
        .unwrap()
        .map(|s| s.unwrap().name)
        .collect();
    assert_eq!(
        names,
        (0..7).map(|i| format!("bulk-{i}")).collect::<Vec<_>>()
    );
    assert_eq!(mock.requests().len(), 4, "pages of 2 for 7 servers");

    let mut limited = client.paginate_at_most(listing, Some(3)).unwrap();
    assert_eq!(limited.by_ref().count(), 3);
    assert_eq!(limited.cursor().stop_reason(), Some(StopReason::Limit));

    let deleted = client
        .delete_server(&DeleteServer { id: created.id })
        .unwrap();
    assert_eq!(deleted.error_code, ErrorCode::SUCCESS);
    let gone = client
        .get_server(&GetServer { id: created.id })
        .unwrap_err();
    assert!(gone.code().is_some());
}

#[test]
fn webhooks_crud_verify_statistics_and_url_helpers() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let url = "https://hooks.example.com/postmark";
    let create = |stream: &str| CreateWebhook {
        url: url.into(),
        message_stream: Some(stream.into()),
        http_auth: Some(HttpAuth {
            username: "user".into(),
            password: "pass".into(),
        }),
        triggers: Some(Triggers::all()),

        ..Default::default()
    };
    let first = client.create_webhook(&create("outbound")).unwrap();
    assert_eq!(first.url, url);
    assert_eq!(first.triggers, Triggers::all());
    assert_eq!(first.http_auth.as_ref().unwrap().username, "user");
    let second = client.create_webhook(&create("broadcast")).unwrap();
    let other = client
        .create_webhook(&CreateWebhook {
            url: "https://elsewhere.example.com/x".into(),
            ..Default::default()
        })
        .unwrap();

    let all = client.list_webhooks(&ListWebhooks::default()).unwrap();
    assert_eq!(all.webhooks.len(), 3);
    let broadcast = client
        .list_webhooks(&ListWebhooks {
            message_stream: Some("broadcast".into()),
        })
        .unwrap();
    assert_eq!(broadcast.webhooks.len(), 1);
    assert_eq!(broadcast.webhooks[0].id, second.id);

    let got = client.get_webhook(&GetWebhook { id: first.id }).unwrap();
    assert_eq!(got, first);

    let edited = client
        .edit_webhook(&EditWebhook {
            id: first.id,
            url: None,
            triggers: Some(Triggers {
                click: Some(Trigger { enabled: false }),
                ..Default::default()
            }),

            ..Default::default()
        })
        .unwrap();
    assert_eq!(edited.triggers.click, Some(Trigger { enabled: false }));
    assert_eq!(
        edited.triggers.open, first.triggers.open,
        "unchanged trigger"
    );

    let verification = client
        .verify_webhook(&VerifyWebhook { id: first.id })
        .unwrap();
    assert!(verification.success);
    assert_eq!(verification.id, first.id);
    let stats = client
        .get_webhook_statistics(&GetWebhookStatistics { id: first.id })
        .unwrap();
    assert_eq!(stats.webhook_id, first.id);
    assert_eq!(stats.time_range.hours, 24);

    let pointing: Vec<i64> = client
        .webhooks_pointing_at("HTTPS://hooks.example.com/postmark/")
        .unwrap()
        .iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(pointing, [first.id, second.id]);
    // A failure part-way says what was deleted before it.
    mock.inject_on(&format!("/webhooks/{}", second.id), status(422, None), 1);
    let stopped = client.delete_webhooks_pointing_at(url).unwrap_err();
    assert_eq!(stopped.deleted, [first.id]);
    assert_eq!(stopped.error.code(), Some(ErrorCode::from(422)));
    let deleted = client.delete_webhooks_pointing_at(url).unwrap();
    assert_eq!(deleted, [second.id]);
    let left = client.list_webhooks(&ListWebhooks::default()).unwrap();
    assert_eq!(left.webhooks.len(), 1);
    assert_eq!(left.webhooks[0].id, other.id);

    let missing = client
        .get_webhook(&GetWebhook { id: first.id })
        .unwrap_err();
    assert_eq!(missing.code(), Some(ErrorCode::WEBHOOK_NOT_FOUND));
    let deleted = client
        .delete_webhook(&DeleteWebhook { id: other.id })
        .unwrap();
    assert!(deleted.message.contains("removed"));
}

#[test]
fn failed_verification_saves_nothing() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let err = client
        .create_webhook(&CreateWebhook {
            url: "https://fail.invalid/hook".into(),
            triggers: Some(Triggers::all()),

            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::WEBHOOK_VERIFICATION_FAILED));
    assert!(
        client
            .list_webhooks(&ListWebhooks::default())
            .unwrap()
            .webhooks
            .is_empty()
    );
}

#[test]
fn raw_requests_share_auth_and_error_decoding() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let server = client.raw(&Raw::new(http::Method::GET, "/server")).unwrap();
    assert!(server["ApiTokens"].as_array().is_some());
    let err = client
        .raw(
            &Raw::new(http::Method::GET, "/servers")
                .query("count", 1)
                .query("offset", 0),
        )
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INVALID_TOKEN));
    let account = account_client(&mock)
        .raw(
            &Raw::new(http::Method::GET, "/servers")
                .query("count", 1)
                .query("offset", 0),
        )
        .unwrap();
    assert_eq!(account["Servers"].as_array().unwrap().len(), 1);
    let sent = client
        .raw(&Raw::new(http::Method::POST, "/email").body(json!({
            "From": "a@example.com", "To": "b@example.com", "TextBody": "x"
        })))
        .unwrap();
    assert_eq!(sent["ErrorCode"], 0);
}

#[test]
fn rate_limits_and_unavailability_are_retried_even_for_sends() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.inject(status(429, None), 1);
    mock.inject(status(503, None), 1);
    assert!(
        client
            .send_email(&email("a@example.com"))
            .unwrap()
            .is_accepted()
    );
    assert_eq!(mock.requests().len(), 3);
    assert_eq!(mock.sent_messages().len(), 1);
}

#[test]
fn retry_after_is_honoured() {
    a_read_waits_out_retry_after(status(429, Some(1)));
}

#[test]
fn a_429_without_an_envelope_is_rate_limited() {
    let mock = MockServer::start().unwrap();
    let err = error_from(&mock, status(429, Some(7)));
    assert_eq!(err.api_kind(), Some(ErrorKind::RateLimited));
    assert_eq!(err.code(), None);
    let ClientError::Api(postmark_kit::Error::Http {
        body, retry_after, ..
    }) = &err
    else {
        panic!("{err:?}")
    };
    assert_eq!(
        (body.as_str(), *retry_after),
        ("Too many requests. Slow down and retry later.", Some(7))
    );
}

#[test]
fn an_html_502_page_is_an_http_error_that_keeps_the_body() {
    let mock = MockServer::start().unwrap();
    let html = "<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>";
    let err = error_from(&mock, page(502, "text/html", html, None));
    assert_eq!(err.api_kind(), Some(ErrorKind::ServerError));
    let ClientError::Api(postmark_kit::Error::Http { status, body, .. }) = &err else {
        panic!("{err:?}")
    };
    assert_eq!((status.as_u16(), body.as_str()), (502, html));
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(!shown.contains(mock.server_token()), "{shown}");
    }
}

#[test]
fn an_html_503_page_with_retry_after_is_retried_for_a_read() {
    a_read_waits_out_retry_after(page(
        503,
        "text/html; charset=utf-8",
        "<html><body>Service Unavailable</body></html>",
        Some(1),
    ));
}

#[test]
fn a_415_is_unsupported_media_type() {
    let mock = MockServer::start().unwrap();
    let err = error_from(&mock, status(415, None));
    assert_eq!(err.api_kind(), Some(ErrorKind::UnsupportedMediaType));
    assert_eq!(err.code(), Some(ErrorCode::from(409)));
    // The client's own bodies always declare JSON: only the fault answered 415.
    let renamed = server_client(&mock)
        .edit_current_server(&EditCurrentServer {
            name: Some("Renamed".into()),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(renamed.name, "Renamed");
}

#[test]
fn a_send_is_not_repeated_after_a_500_unless_opted_in() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.inject(status(500, None), 1);
    let err = client.send_email(&email("a@example.com")).unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::ServerError));
    assert_eq!(mock.requests().len(), 1);

    let opted_in = server_client_with(
        &mock,
        mock.server_token(),
        RetryPolicy {
            retry_non_idempotent: true,
            ..quick_retry()
        },
        Duration::from_secs(5),
    );
    mock.clear_requests();
    mock.inject(status(500, None), 1);
    assert!(
        opted_in
            .send_email(&email("a@example.com"))
            .unwrap()
            .is_accepted()
    );
    assert_eq!(mock.requests().len(), 2);
}

#[test]
fn reads_are_retried_after_500_and_gets_give_up_after_max_attempts() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.inject(status(500, None), 2);
    client.get_current_server(&GetCurrentServer {}).unwrap();
    assert_eq!(mock.requests().len(), 3);
    mock.clear_requests();
    mock.inject(status(503, None), 5);
    let err = client.get_current_server(&GetCurrentServer {}).unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::Unavailable));
    assert_eq!(mock.requests().len(), 3, "max_attempts");
}

#[test]
fn a_dropped_connection_is_retried_for_reads_but_not_for_sends() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.inject(Fault::Drop, 1);
    client.get_current_server(&GetCurrentServer {}).unwrap();

    mock.inject(Fault::Drop, 1);
    let err = client.send_email(&email("a@example.com")).unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport {
                kind: TransportErrorKind::Io,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(mock.sent_messages().is_empty());
}

#[test]
fn a_slow_answer_times_out() {
    let mock = MockServer::start().unwrap();
    let client = server_client_with(
        &mock,
        mock.server_token(),
        RetryPolicy::never(),
        Duration::from_millis(200),
    );
    mock.inject(Fault::Delay(Duration::from_millis(800)), 1);
    let err = client.get_current_server(&GetCurrentServer {}).unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn a_refused_connection_is_a_connect_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = ServerClient::builder("token")
        .unwrap()
        .base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .retry(RetryPolicy::never())
        .build();
    let err = client.get_current_server(&GetCurrentServer {}).unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport {
                kind: TransportErrorKind::Connect,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn operations_by_name_for_the_bindings() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let op = |name| postmark_kit::ops::find(name).unwrap();
    let sent = client
        .call(
            op("send_email"),
            r#"{"From": "a@example.com", "To": "b@example.com", "TextBody": "x"}"#,
        )
        .unwrap();
    let sent: serde_json::Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(sent["ErrorCode"], 0);
    assert!(sent["MessageID"].is_string());
    let err = client.call(op("get_server"), r#"{"id": 1}"#).unwrap_err();
    assert!(matches!(
        err,
        ClientError::Build(postmark_kit::BuildError::WrongTokenKind { .. })
    ));

    let account = account_client(&mock);
    for i in 0..4 {
        account
            .call(
                op("create_server"),
                &json!({"Name": format!("bulk{i}")}).to_string(),
            )
            .unwrap();
    }
    let mut pager = op("list_servers")
        .pages(r#"{"count": 2, "name": "bulk"}"#, Some(3))
        .unwrap();
    let mut names = Vec::new();
    while let Some(items) = account.next_page(&mut pager).unwrap() {
        let items: Vec<serde_json::Value> = serde_json::from_str(&items).unwrap();
        names.extend(items.iter().map(|s| s["Name"].as_str().unwrap().to_owned()));
    }
    assert_eq!(names, ["bulk0", "bulk1", "bulk2"]);
}

/// A walk stopped part-way through a page resumes at the first item it did
/// not hand out: the rest of that page is fetched again, not skipped.
#[test]
fn a_resumed_walk_skips_nothing() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    for i in 0..5 {
        client
            .create_server(&CreateServer {
                name: format!("walk-{i}"),
                ..Default::default()
            })
            .unwrap();
    }
    let listing = ListServers {
        count: 3,
        name: Some("walk-".into()),
        ..Default::default()
    };
    let mut walk = client.paginate(listing.clone()).unwrap();
    assert_eq!(walk.next().unwrap().unwrap().name, "walk-0");
    let saved = serde_json::to_string(&walk.cursor()).unwrap();
    drop(walk);
    let cursor = serde_json::from_str(&saved).unwrap();
    let rest: Vec<String> = client
        .resume(listing, cursor)
        .map(|s| s.unwrap().name)
        .collect();
    assert_eq!(rest, ["walk-1", "walk-2", "walk-3", "walk-4"]);
}

#[test]
fn connections_are_reused() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    for _ in 0..20 {
        client.get_current_server(&GetCurrentServer {}).unwrap();
    }
    client.send_email(&email("a@example.com")).unwrap();
    assert_eq!(mock.connections_accepted(), 1);
}

#[test]
fn unknown_routes_and_oversized_bodies_decode_to_their_kinds() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let err = client
        .raw(&Raw::new(http::Method::GET, "/no-such-route"))
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::NotFound));

    // The typed send refuses this before sending; a raw request lets the
    // server's own limit answer, as a plain-text 413.
    let huge = "x".repeat(MAX_MESSAGE_BYTES + 1);
    let err = client
        .raw(&Raw::new(http::Method::POST, "/email").body(json!({
            "From": "a@example.com", "To": "b@example.com", "TextBody": huge
        })))
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::PayloadTooLarge));
    assert!(
        matches!(err, ClientError::Api(postmark_kit::Error::Http { .. })),
        "{err:?}"
    );
    assert!(mock.sent_messages().is_empty());
}

#[test]
fn a_send_that_timed_out_is_not_resent() {
    let mock = MockServer::start().unwrap();
    let client = server_client_with(
        &mock,
        mock.server_token(),
        quick_retry(),
        Duration::from_millis(200),
    );
    mock.inject(Fault::Delay(Duration::from_millis(600)), 1);
    let err = client.send_email(&email("a@example.com")).unwrap_err();
    assert!(
        matches!(
            err,
            ClientError::Transport {
                kind: TransportErrorKind::Timeout,
                ..
            }
        ),
        "{err:?}"
    );
    // The server did process it: resending would have sent the email twice.
    std::thread::sleep(Duration::from_millis(600));
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(mock.sent_messages().len(), 1);
}
