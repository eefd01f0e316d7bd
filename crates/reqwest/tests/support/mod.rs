//! What the test files against the mock share: async clients for it, its request log,
//! and a message to send.

// Each test file includes this module and uses the helpers it needs.
#![allow(dead_code)]

use std::time::Duration;

use postmark_kit::RetryPolicy;
use postmark_kit::api::email::SendEmail;
use postmark_kit_mock::MockServer;
use postmark_kit_reqwest::{AccountClient, ServerClient};

/// Fast retries, so fault tests take milliseconds.
pub(crate) fn quick_retry() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 3,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

pub(crate) fn server_client(mock: &MockServer) -> ServerClient {
    server_client_with(mock, quick_retry(), Duration::from_secs(5))
}

pub(crate) fn server_client_with(
    mock: &MockServer,
    retry: RetryPolicy,
    timeout: Duration,
) -> ServerClient {
    ServerClient::builder(mock.server_token())
        .unwrap()
        .base_url(&mock.url())
        .unwrap()
        .retry(retry)
        .timeout(timeout)
        .build()
        .unwrap()
}

pub(crate) fn account_client(mock: &MockServer) -> AccountClient {
    AccountClient::builder(mock.account_token())
        .unwrap()
        .base_url(&mock.url())
        .unwrap()
        .retry(quick_retry())
        .build()
        .unwrap()
}

/// The mock's request log as `METHOD /path?query` lines, oldest first.
pub(crate) fn seen(mock: &MockServer) -> Vec<String> {
    seen_in(&mock.requests())
}

/// A minimal message to `to`.
pub(crate) fn email(to: &str) -> SendEmail {
    SendEmail::new("sender@example.com", to, "Hello").text_body("Hi")
}

/// A request log as `METHOD /path?query` lines.
pub(crate) fn seen_in(log: &[postmark_kit_mock::SeenRequest]) -> Vec<String> {
    log.iter()
        .map(|r| match r.query.as_str() {
            "" => format!("{} {}", r.method, r.path),
            query => format!("{} {}?{query}", r.method, r.path),
        })
        .collect()
}
