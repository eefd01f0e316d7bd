//! What the test files against the mock share: clients for it, and a message to send.

// Each test file includes this module and uses the helpers it needs.
#![allow(dead_code)]

use std::time::Duration;

use postmark_kit::RetryPolicy;
use postmark_kit::api::email::SendEmail;
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::{AccountClient, ServerClient};

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
    server_client_with(
        mock,
        mock.server_token(),
        quick_retry(),
        Duration::from_secs(5),
    )
}

pub(crate) fn server_client_with(
    mock: &MockServer,
    token: &str,
    retry: RetryPolicy,
    timeout: Duration,
) -> ServerClient {
    ServerClient::builder(token)
        .unwrap()
        .base_url(&mock.url())
        .unwrap()
        .retry(retry)
        .timeout(timeout)
        .build()
}

pub(crate) fn account_client(mock: &MockServer) -> AccountClient {
    AccountClient::builder(mock.account_token())
        .unwrap()
        .base_url(&mock.url())
        .unwrap()
        .retry(quick_retry())
        .build()
}

/// A minimal message to `to`.
pub(crate) fn email(to: &str) -> SendEmail {
    SendEmail::new("sender@example.com", to, "Hello").text_body("Hi")
}
