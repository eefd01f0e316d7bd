//! Provisions a server for a new environment and keeps its token: creates
//! the server with the account token, takes the server token from the
//! answer, and sends a first message with it.
//!
//! Offline against an in-process mock server by default; with
//! `POSTMARK_ACCOUNT_TOKEN` (and optionally `POSTMARK_API_URL`) set, on that
//! account, sending from `POSTMARK_FROM` (a confirmed sender signature) to
//! `POSTMARK_TO`.
//!
//! ```sh
//! cargo run --example provision_server -- staging
//! ```

#![allow(clippy::print_stdout, reason = "an example reports what it does")]

mod common;

use common::{Env, Result, masked};
use postmark_kit_ureq::postmark_kit::api::email::SendEmail;
use postmark_kit_ureq::postmark_kit::api::servers::CreateServer;

fn main() -> Result<()> {
    let environment = std::env::args().nth(1).unwrap_or_else(|| "staging".into());
    run(&Env::from_env_or_mock()?, &environment)
}

fn run(env: &Env, environment: &str) -> Result<()> {
    let server = env.account()?.create_server(&CreateServer {
        name: format!("{environment} ({})", std::process::id()),
        ..Default::default()
    })?;
    // The answer to the creation is the one place the account hands out the
    // new server's token: keep it (a secret store, the environment's config).
    let token = server
        .api_tokens
        .first()
        .ok_or("Postmark answered the new server without a token")?;
    println!(
        "server {} \"{}\" created; its token {} is the environment's POSTMARK_SERVER_TOKEN",
        server.id,
        server.name,
        masked(token)
    );

    let client = env.server_client(token)?;
    let var = |name: &str, default: &str| std::env::var(name).unwrap_or_else(|_| default.into());
    let first = SendEmail::new(
        var("POSTMARK_FROM", "sender@example.com"),
        var("POSTMARK_TO", "receiver@example.com"),
        format!("{environment} is ready"),
    )
    .text_body("The first message of a new server.");
    let sent = client.send_email(&first)?;
    println!(
        "first message sent with the new token: MessageID {}",
        sent.message_id.as_deref().unwrap_or("?")
    );
    if let Some(mock) = &env.mock {
        // Offline, the mock shows which server sent it.
        let sent = mock.sent_messages();
        let last = sent.last().ok_or("the mock recorded no message")?;
        assert_eq!(last["Subject"], format!("{environment} is ready"));
    }
    Ok(())
}

#[test]
fn runs_offline() {
    run(&Env::mock().unwrap(), "test").unwrap();
}
