//! The async client over real HTTP against the mock server: sending, errors, paging as a
//! stream, operations by name, and how the transport retries, times out, reports failures
//! and behaves when a call's future is dropped. The fault expectations are the blocking
//! client's (crates/ureq/tests/against_mock.rs).

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use postmark_kit::api::bounces::ListBounces;
use postmark_kit::api::email::SendEmailBatch;
use postmark_kit::api::raw::Raw;
use postmark_kit::api::servers::{CreateServer, GetCurrentServer, ListServers};
use postmark_kit::api::webhooks::{CreateWebhook, ListWebhooks};
use postmark_kit::{ErrorCode, ErrorKind, RetryPolicy, StopReason};
use postmark_kit_mock::{Fault, MockServer};
use postmark_kit_reqwest::{AccountClient, ClientError, ServerClient, TransportErrorKind};

use crate::support::{account_client, email, quick_retry, seen, server_client, server_client_with};

mod support;

fn status(status: u16, retry_after: Option<u32>) -> Fault {
    Fault::Status {
        status,
        retry_after,
    }
}

fn transport_kind(result: Result<impl std::fmt::Debug, ClientError>) -> TransportErrorKind {
    let error = result.unwrap_err();
    error
        .transport_kind()
        .unwrap_or_else(|| panic!("not a transport error: {error:?}"))
}

/// Waits until the mock has logged `count` API requests (at most 10 s).
async fn logged(mock: &MockServer, count: usize) {
    for _ in 0..1_000 {
        if mock.requests().len() >= count {
            return;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("the mock logged {:?}, not {count} requests", seen(mock));
}

/// `count` servers named `{prefix}{i}`.
async fn create_servers(client: &AccountClient, prefix: &str, count: usize) {
    for i in 0..count {
        client
            .create_server(&CreateServer {
                name: format!("{prefix}{i}"),
                ..Default::default()
            })
            .await
            .unwrap();
    }
}

#[tokio::test]
async fn send_email_and_the_mock_keeps_it() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let sent = client
        .send_email(&email("receiver@example.com"))
        .await
        .unwrap();
    assert!(sent.is_accepted());
    assert_eq!(sent.to.as_deref(), Some("receiver@example.com"));
    let kept = mock.sent_messages();
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0]["MessageID"], sent.message_id.unwrap().as_str());

    let batch = SendEmailBatch(vec![email("a@example.com"), email("not-an-address")]);
    let results = client.send_email_batch(&batch).await.unwrap();
    assert!(results[0].is_accepted());
    assert_eq!(
        results[1].error().unwrap().code,
        ErrorCode::INVALID_EMAIL_REQUEST
    );
}

#[tokio::test]
async fn api_errors_decode_and_never_show_the_token() {
    let mock = MockServer::start().unwrap();
    let err = server_client(&mock)
        .send_email(&email("inactive@example.com"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INACTIVE_RECIPIENT));
    assert_eq!(err.api_kind(), Some(ErrorKind::Unprocessable));

    // The account token in the server-token header.
    let wrong = ServerClient::builder(mock.account_token())
        .unwrap()
        .base_url(&mock.url())
        .unwrap();
    let shown_builder = format!("{wrong:?}");
    let wrong = wrong.build().unwrap();
    let err = wrong
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::InvalidToken));
    assert_eq!(err.code(), Some(ErrorCode::INVALID_TOKEN));
    let paged = wrong.paginate(ListBounces::default()).unwrap();
    for shown in [
        err.to_string(),
        format!("{err:?}"),
        format!("{wrong:?}"),
        shown_builder,
        format!("{paged:?}"),
    ] {
        assert!(!shown.contains(mock.account_token()), "{shown}");
    }
}

#[tokio::test]
async fn transport_errors_never_show_the_token() {
    let mock = MockServer::start().unwrap();
    mock.inject(Fault::Drop, 1);
    let client = server_client_with(&mock, RetryPolicy::never(), Duration::from_secs(5));
    let err = client
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap_err();
    assert_eq!(err.transport_kind(), Some(TransportErrorKind::Io));
    for shown in [err.to_string(), format!("{err:?}")] {
        assert!(shown.contains(&mock.url()), "names the URL: {shown}");
        assert!(!shown.contains(mock.server_token()), "{shown}");
    }
}

#[tokio::test]
async fn raw_requests_share_auth_and_error_decoding() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let server = client
        .raw(&Raw::new(http::Method::GET, "/server"))
        .await
        .unwrap();
    assert!(server["ApiTokens"].as_array().is_some());
    let err = client
        .raw(&Raw::new(http::Method::GET, "/no-such-route"))
        .await
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::NotFound));
}

#[tokio::test]
async fn a_paged_list_is_a_stream_that_stops_where_the_core_says() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    create_servers(&client, "bulk-", 7).await;
    mock.clear_requests();
    let listing = ListServers {
        count: 2,
        name: Some("bulk".into()),
        ..Default::default()
    };
    let mut walk = client.paginate(listing.clone()).unwrap();
    let mut names = Vec::new();
    while let Some(server) = walk.next().await {
        names.push(server.unwrap().name);
    }
    assert_eq!(
        names,
        (0..7).map(|i| format!("bulk-{i}")).collect::<Vec<_>>()
    );
    assert_eq!(walk.cursor().stop_reason(), Some(StopReason::Exhausted));
    assert_eq!(mock.requests().len(), 4, "pages of 2 for 7 servers");
    assert!(
        walk.next().await.is_none(),
        "a finished walk stays finished"
    );
    assert_eq!(mock.requests().len(), 4);

    let mut limited = client.paginate_at_most(listing, Some(3)).unwrap();
    let taken: Vec<_> = limited.by_ref().collect().await;
    assert_eq!(taken.len(), 3);
    assert_eq!(limited.cursor().stop_reason(), Some(StopReason::Limit));
}

/// A walk stopped part-way through a page resumes at the first item it did not hand
/// out; one whose page fetch was dropped half-way resumes at that page.
#[tokio::test]
async fn a_resumed_walk_skips_nothing() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    create_servers(&client, "walk-", 5).await;
    let listing = ListServers {
        count: 3,
        name: Some("walk-".into()),
        ..Default::default()
    };
    let mut walk = client.paginate(listing.clone()).unwrap();
    assert_eq!(walk.next().await.unwrap().unwrap().name, "walk-0");
    let saved = serde_json::to_string(&walk.cursor()).unwrap();
    drop(walk);

    let mut resumed = client.resume(listing.clone(), serde_json::from_str(&saved).unwrap());
    let mut names = Vec::new();
    // The first page of the resumed walk, from walk-1.
    for _ in 0..3 {
        names.push(resumed.next().await.unwrap().unwrap().name);
    }
    // The next page is slow to come; the caller stops waiting for it.
    mock.inject(Fault::Delay(Duration::from_secs(1)), 1);
    let waited = tokio::time::timeout(Duration::from_millis(100), resumed.next()).await;
    assert!(waited.is_err(), "the page came before the delay was over");
    let cursor = resumed.cursor();
    drop(resumed);
    let rest: Vec<String> = client
        .resume(listing, cursor)
        .map(|server| server.unwrap().name)
        .collect()
        .await;
    names.extend(rest);
    assert_eq!(names, ["walk-1", "walk-2", "walk-3", "walk-4"]);
}

#[tokio::test]
async fn a_walk_moves_between_tasks_and_an_error_ends_it() {
    let mock = MockServer::start().unwrap();
    let client = account_client(&mock);
    create_servers(&client, "task-", 3).await;
    let listing = ListServers {
        count: 1,
        name: Some("task-".into()),
        ..Default::default()
    };
    mock.clear_requests();
    // The stream owns what it needs: it can run in a task of its own.
    let walk = client.paginate(listing).unwrap();
    let (first, mut walk) = tokio::spawn(async move {
        let mut walk = walk;
        (walk.next().await, walk)
    })
    .await
    .unwrap();
    assert_eq!(first.unwrap().unwrap().name, "task-0");
    // A 422 is not retried: the stream yields it and ends.
    mock.inject_on("/servers", status(422, None), 1);
    let second = walk.next().await.unwrap().unwrap_err();
    assert_eq!(second.code(), Some(ErrorCode::from(422)));
    assert!(walk.next().await.is_none());
    // The failed page is where a resumed walk starts.
    assert_eq!(walk.cursor().yielded(), 1);
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn operations_and_pages_by_name() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let op = |name| postmark_kit::ops::find(name).unwrap();
    let sent = client
        .call(
            op("send_email"),
            r#"{"From": "a@example.com", "To": "b@example.com", "TextBody": "x"}"#,
        )
        .await
        .unwrap();
    let sent: serde_json::Value = serde_json::from_str(&sent).unwrap();
    assert_eq!(sent["ErrorCode"], 0);
    let err = client
        .call(op("get_server"), r#"{"id": 1}"#)
        .await
        .unwrap_err();
    assert!(matches!(
        err,
        ClientError::Build(postmark_kit::BuildError::WrongTokenKind { .. })
    ));

    let account = account_client(&mock);
    create_servers(&account, "bulk", 4).await;
    let mut pager = op("list_servers")
        .pages(r#"{"count": 2, "name": "bulk"}"#, Some(3))
        .unwrap();
    // A dropped page fetch leaves the walk where it was.
    mock.inject(Fault::Delay(Duration::from_secs(1)), 1);
    let waited = tokio::time::timeout(Duration::from_millis(100), account.next_page(&mut pager));
    assert!(waited.await.is_err());
    assert_eq!(pager.cursor().yielded(), 0);
    let mut names = Vec::new();
    while let Some(items) = account.next_page(&mut pager).await.unwrap() {
        let items: Vec<serde_json::Value> = serde_json::from_str(&items).unwrap();
        names.extend(items.iter().map(|s| s["Name"].as_str().unwrap().to_owned()));
    }
    assert_eq!(names, ["bulk0", "bulk1", "bulk2"]);
}

#[tokio::test]
async fn webhook_url_helpers() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    let url = "https://hooks.example.com/postmark";
    let mut ids = Vec::new();
    for url in [url, "https://elsewhere.example.com/x", url] {
        let created = client
            .create_webhook(&CreateWebhook {
                url: url.into(),
                ..Default::default()
            })
            .await
            .unwrap();
        ids.push(created.id);
    }
    let pointing: Vec<i64> = client
        .webhooks_pointing_at("HTTPS://hooks.example.com/postmark/")
        .await
        .unwrap()
        .iter()
        .map(|w| w.id)
        .collect();
    assert_eq!(pointing, [ids[0], ids[2]]);
    // A failure part-way says what was deleted before it.
    mock.inject_on(&format!("/webhooks/{}", ids[2]), status(422, None), 1);
    let stopped = client.delete_webhooks_pointing_at(url).await.unwrap_err();
    assert_eq!(stopped.deleted, [ids[0]]);
    assert_eq!(stopped.error.code(), Some(ErrorCode::from(422)));
    assert_eq!(
        client.delete_webhooks_pointing_at(url).await.unwrap(),
        [ids[2]]
    );
    let left = client
        .list_webhooks(&ListWebhooks::default())
        .await
        .unwrap();
    assert_eq!(
        left.webhooks.iter().map(|w| w.id).collect::<Vec<_>>(),
        [ids[1]]
    );
}

#[tokio::test]
async fn rate_limits_and_unavailability_are_retried_even_for_sends() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.inject(status(429, None), 1);
    mock.inject(status(503, None), 1);
    assert!(
        client
            .send_email(&email("a@example.com"))
            .await
            .unwrap()
            .is_accepted()
    );
    assert_eq!(mock.requests().len(), 3);
    assert_eq!(mock.sent_messages().len(), 1);
}

/// The retry waits out `Retry-After` (1 s) although the policy's own backoff is 5 ms.
#[tokio::test]
async fn a_503_with_retry_after_is_waited_out() {
    let mock = MockServer::start().unwrap();
    mock.inject(status(503, Some(1)), 1);
    let start = Instant::now();
    let sent = server_client(&mock)
        .send_email(&email("a@example.com"))
        .await
        .unwrap();
    assert!(sent.is_accepted());
    assert!(start.elapsed() >= Duration::from_secs(1));
    assert_eq!(mock.requests().len(), 2);
    assert_eq!(mock.sent_messages().len(), 1);
}

#[tokio::test]
async fn a_retry_after_over_the_policy_limit_is_not_waited_for() {
    let mock = MockServer::start().unwrap();
    mock.inject(status(429, Some(120)), 1);
    let err = server_client(&mock)
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::RateLimited));
    let ClientError::Api(postmark_kit::Error::Http { retry_after, .. }) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(*retry_after, Some(120));
    assert_eq!(mock.requests().len(), 1);
}

#[tokio::test]
async fn a_send_is_not_repeated_after_a_500_unless_opted_in() {
    let mock = MockServer::start().unwrap();
    mock.inject(status(500, None), 1);
    let err = server_client(&mock)
        .send_email(&email("a@example.com"))
        .await
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::ServerError));
    assert_eq!(mock.requests().len(), 1);

    let opted_in = server_client_with(
        &mock,
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
            .await
            .unwrap()
            .is_accepted()
    );
    assert_eq!(mock.requests().len(), 2);
}

#[tokio::test]
async fn reads_are_retried_after_500_and_give_up_after_max_attempts() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.inject(status(500, None), 2);
    client
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap();
    assert_eq!(mock.requests().len(), 3);
    mock.clear_requests();
    mock.inject(status(503, None), 5);
    let err = client
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap_err();
    assert_eq!(err.api_kind(), Some(ErrorKind::Unavailable));
    assert_eq!(mock.requests().len(), 3, "max_attempts");
}

#[tokio::test]
async fn a_dropped_connection_is_retried_for_reads_but_not_for_sends() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.inject(Fault::Drop, 1);
    client
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap();
    assert_eq!(mock.requests().len(), 2);

    mock.clear_requests();
    mock.inject(Fault::Drop, 1);
    let kind = transport_kind(client.send_email(&email("a@example.com")).await);
    assert_eq!(kind, TransportErrorKind::Io);
    assert_eq!(mock.requests().len(), 1);
    assert!(mock.sent_messages().is_empty());
}

#[tokio::test]
async fn a_send_that_timed_out_is_not_resent() {
    let mock = MockServer::start().unwrap();
    let client = server_client_with(&mock, quick_retry(), Duration::from_millis(200));
    mock.inject(Fault::Delay(Duration::from_millis(600)), 1);
    let kind = transport_kind(client.send_email(&email("a@example.com")).await);
    assert_eq!(kind, TransportErrorKind::Timeout);
    // The server did process it: resending would have sent the email twice.
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(mock.sent_messages().len(), 1);
}

#[tokio::test]
async fn a_read_that_timed_out_is_retried() {
    let mock = MockServer::start().unwrap();
    let client = server_client_with(&mock, quick_retry(), Duration::from_millis(200));
    mock.inject(Fault::Delay(Duration::from_millis(600)), 1);
    client
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap();
    logged(&mock, 2).await;
    assert_eq!(seen(&mock), ["GET /server", "GET /server"]);
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error_and_retried() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let client = ServerClient::builder("token")
        .unwrap()
        .base_url(&format!("http://127.0.0.1:{port}"))
        .unwrap()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let kind = transport_kind(client.send_email(&email("a@example.com")).await);
    assert_eq!(kind, TransportErrorKind::Connect);
}

/// A send waiting out a `Retry-After` when its future is dropped is never made again:
/// the retry state lived in the future.
#[tokio::test]
async fn a_send_dropped_mid_retry_is_not_repeated() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    mock.inject(status(503, Some(2)), 1);
    let message = email("a@example.com");
    tokio::select! {
        result = client.send_email(&message) => {
            panic!("the send ended before Retry-After was over: {result:?}")
        }
        // The first attempt's answer is in once the mock has logged it; the send is
        // then waiting for its retry.
        () = async {
            logged(&mock, 1).await;
            tokio::time::sleep(Duration::from_millis(300)).await;
        } => {}
    }
    // Past the moment the retry was due.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    assert_eq!(seen(&mock), ["POST /email"]);
    assert!(mock.sent_messages().is_empty());

    // The client is unharmed: the next send is made once.
    client.send_email(&email("b@example.com")).await.unwrap();
    assert_eq!(seen(&mock), ["POST /email", "POST /email"]);
    assert_eq!(mock.sent_messages().len(), 1);
}

#[tokio::test]
async fn connections_are_reused() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    for _ in 0..20 {
        client
            .get_current_server(&GetCurrentServer {})
            .await
            .unwrap();
    }
    client
        .clone()
        .send_email(&email("a@example.com"))
        .await
        .unwrap();
    assert_eq!(mock.connections_accepted(), 1);
}

/// 1,000 sends at once on clones of one client: each reaches the mock exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_concurrent_sends_are_each_made_once() {
    let mock = MockServer::start().unwrap();
    // Connections beyond the listener's backlog wait for a SYN retransmit: a generous
    // timeout keeps a slow connect from failing a send.
    let client = server_client_with(&mock, quick_retry(), Duration::from_secs(60));
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..1_000 {
        let client = client.clone();
        tasks.spawn(async move {
            let sent = client
                .send_email(&email(&format!("user{i}@example.com")))
                .await;
            sent.map(|sent| sent.to.unwrap_or_default())
        });
    }
    let mut accepted = BTreeSet::new();
    while let Some(joined) = tasks.join_next().await {
        accepted.insert(joined.unwrap().unwrap());
    }
    let expected: BTreeSet<String> = (0..1_000).map(|i| format!("user{i}@example.com")).collect();
    assert_eq!(accepted, expected);
    assert_eq!(mock.requests().len(), 1_000);
    let kept: BTreeSet<String> = mock
        .sent_messages()
        .iter()
        .map(|m| m["To"][0]["Email"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(kept, expected);
    assert!(mock.peak_in_flight() > 1, "the sends overlapped");
}

/// A reqwest client of the caller's own carries the requests, with the builder's
/// token, timeout and retries.
#[tokio::test]
async fn a_reqwest_client_of_your_own() {
    let mock = MockServer::start().unwrap();
    // No idle connection kept: each request connects anew, which the mock counts.
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(0)
        .build()
        .unwrap();
    let client = ServerClient::builder(mock.server_token())
        .unwrap()
        .base_url(&mock.url())
        .unwrap()
        .retry(quick_retry())
        .timeout(Duration::from_millis(200))
        .http_client(http)
        .build()
        .unwrap();
    for _ in 0..3 {
        client
            .get_current_server(&GetCurrentServer {})
            .await
            .unwrap();
    }
    assert_eq!(mock.connections_accepted(), 3);

    mock.inject(Fault::Delay(Duration::from_millis(600)), 1);
    let kind = transport_kind(client.send_email(&email("a@example.com")).await);
    assert_eq!(kind, TransportErrorKind::Timeout);
}

#[tokio::test]
async fn settings_from_arguments_or_the_environment() {
    assert_eq!(ServerClient::token_variable(), "POSTMARK_SERVER_TOKEN");
    assert_eq!(AccountClient::token_variable(), "POSTMARK_ACCOUNT_TOKEN");
    let mock = MockServer::start().unwrap();
    let builder = ServerClient::builder_from_env(Some(mock.server_token()), Some(&mock.url()))
        .unwrap()
        .unwrap();
    let client = builder.build().unwrap();
    assert_eq!(client.config().base_url(), mock.url());
    client
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap();
    assert!(matches!(
        ServerClient::builder_from_env(Some("token"), Some("ftp://nowhere")),
        Some(Err(postmark_kit::BuildError::InvalidBaseUrl { .. }))
    ));
}
