//! Searches past Postmark's 10,000-item paging cap, walked in split date
//! windows over real HTTP against the mock server. The expectations are the
//! blocking client's (crates/ureq/tests/windows.rs).

use std::collections::HashSet;

use postmark_kit::api::bounces::ListBounces;
use postmark_kit::api::messages::SearchOutboundMessages;
use postmark_kit::api::raw::Raw;
use postmark_kit::{BuildError, Server};
use postmark_kit_mock::MockServer;
use postmark_kit_reqwest::{ClientError, ServerClient};
use serde_json::json;

use crate::support::{seen, server_client};

mod support;

/// Records `count` sent messages at noon of `date` through the mock's
/// control route, and answers their IDs.
async fn seed(client: &ServerClient, date: &str, count: u32) -> Vec<String> {
    let mut seed = Raw::<Server>::new(http::Method::POST, "/__mock/stats/seed");
    seed.body = Some(json!({"Date": date, "Count": count, "Tag": "seeded"}));
    let answer = client.raw(&seed).await.unwrap();
    answer["MessageIDs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| id.as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn a_search_over_10000_messages_is_walked_whole() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    // 11,000 messages over 11 days; and messages outside the window.
    let mut seeded = Vec::new();
    for day in 1..=11 {
        seeded.extend(seed(&client, &format!("2026-01-{day:02}"), 1_000).await);
    }
    seed(&client, "2025-12-31", 5).await;
    seed(&client, "2026-01-12", 5).await;
    mock.clear_requests();
    let search = SearchOutboundMessages {
        tag: Some("seeded".into()),
        ..SearchOutboundMessages::default()
    };

    let walked = client
        .walk_windows(&search, "2026-01-01", "2026-01-11")
        .await
        .unwrap();
    assert!(walked.truncated.is_empty());
    let ids: Vec<&str> = walked.items.iter().map(|m| m.message_id.as_str()).collect();
    assert_eq!(ids.len(), 11_000);
    assert_eq!(
        ids.iter().collect::<HashSet<_>>().len(),
        11_000,
        "each once"
    );
    // Newest first: the days in reverse.
    let days: Vec<&str> = walked.items.iter().map(|m| &m.received_at[..10]).collect();
    let mut newest_first = days.clone();
    newest_first.sort_unstable_by(|a, b| b.cmp(a));
    assert_eq!(days, newest_first);
    let mut expected: Vec<&str> = seeded.iter().map(String::as_str).collect();
    expected.sort_unstable();
    let mut got = ids.clone();
    got.sort_unstable();
    assert_eq!(got, expected);
    // The window was split, and the walk stayed within the cap.
    let requests = seen(&mock);
    assert!(requests.iter().any(|r| r.contains("todate=2026-01-06T")));
    assert!(requests.len() < 40, "{} requests", requests.len());
}

#[tokio::test]
async fn a_window_under_the_cap_is_one_walk_and_bad_dates_are_refused() {
    let mock = MockServer::start().unwrap();
    let client = server_client(&mock);
    for email in ["a@example.com", "b@example.com"] {
        let mut bounce = Raw::<Server>::new(http::Method::POST, "/__mock/bounces");
        bounce.body =
            Some(json!({"Email": email, "BouncedAt": "2026-02-03T10:00:00.0000000-05:00"}));
        client.raw(&bounce).await.unwrap();
    }
    mock.clear_requests();
    let walked = client
        .walk_windows(&ListBounces::default(), "2026-02-01", "2026-02-28")
        .await
        .unwrap();
    let emails: Vec<&str> = walked
        .items
        .iter()
        .map(|b| b.email.as_deref().unwrap())
        .collect();
    assert_eq!(emails, ["b@example.com", "a@example.com"]);
    assert_eq!(
        seen(&mock),
        [
            "GET /bounces?count=500&offset=0&fromdate=2026-02-01T00%3A00%3A00&todate=2026-02-28T23%3A59%3A59"
        ]
    );
    let refused = client
        .walk_windows(&ListBounces::default(), "2026-02-30", "2026-03-01")
        .await;
    assert!(
        matches!(refused, Err(ClientError::Build(BuildError::InvalidValue { ref field, .. })) if field == "fromdate"),
        "{refused:?}"
    );
}
