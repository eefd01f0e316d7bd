//! Sends an email and a batch, creates a server and a webhook, and lists them.
//!
//! With no environment it runs against an in-process mock server, offline.
//! With `POSTMARK_SERVER_TOKEN` and/or `POSTMARK_ACCOUNT_TOKEN` set (and
//! optionally `POSTMARK_API_URL`) it talks to that server instead; the
//! account steps need the account token.
//!
//! ```sh
//! cargo run --example quickstart
//! ```

#![allow(clippy::print_stdout, reason = "an example reports what it does")]

use postmark_kit_ureq::postmark_kit::api::email::{SendEmail, SendEmailBatch};
use postmark_kit_ureq::postmark_kit::api::servers::{CreateServer, DeleteServer, ListServers};
use postmark_kit_ureq::postmark_kit::api::webhooks::{
    CreateWebhook, DeleteWebhook, ListWebhooks, Triggers,
};
use postmark_kit_ureq::{AccountClient, ServerClient};

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn main() -> Result<()> {
    // Keeps the mock alive for the whole run when there is one.
    let (mock, server, account) = clients()?;

    let email = SendEmail::new("sender@example.com", "receiver@example.com", "Hello")
        .html_body("<p>Hello from <b>postmark-kit</b></p>")
        .text_body("Hello from postmark-kit");
    let sent = server.send_email(&email)?;
    println!(
        "email accepted: MessageID {}",
        sent.message_id.unwrap_or_default()
    );

    let mut bad = email.clone();
    bad.to = Some("not-an-address".into());
    let batch = SendEmailBatch(vec![email.clone(), bad, email]);
    println!("batch of {}:", batch.0.len());
    for (i, result) in server.send_email_batch(&batch)?.iter().enumerate() {
        match result.error() {
            None => println!(
                "  message {i}: accepted as {}",
                result.message_id.as_deref().unwrap_or("?")
            ),
            Some(error) => println!("  message {i}: rejected: {error}"),
        }
    }

    let webhook = server.create_webhook(&CreateWebhook {
        url: "https://example.com/postmark-webhook".into(),
        triggers: Some(Triggers::all()),
        // Postmark test-posts every trigger before saving a webhook;
        // example.com would not answer them.
        verify: Some(false),

        ..Default::default()
    })?;
    println!("webhook {} created for {}", webhook.id, webhook.url);
    for webhook in server.list_webhooks(&ListWebhooks::default())?.webhooks {
        println!(
            "  webhook {}: {} ({})",
            webhook.id,
            webhook.url,
            webhook.message_stream.unwrap_or_default()
        );
    }

    if mock.is_none() {
        // Leave a real server as it was.
        server.delete_webhook(&DeleteWebhook { id: webhook.id })?;
    }

    let Some(account) = account else {
        println!("POSTMARK_ACCOUNT_TOKEN is not set: skipping the server steps");
        return Ok(());
    };
    let created = account.create_server(&CreateServer {
        name: format!("postmark-kit quickstart {}", std::process::id()),
        ..Default::default()
    })?;
    println!("server {} created: {}", created.id, created.name);
    println!("servers:");
    for server in account.paginate(ListServers::default())? {
        let server = server?;
        println!("  {}: {}", server.id, server.name);
    }
    if mock.is_none() {
        // Leave a real account as it was.
        account.delete_server(&DeleteServer { id: created.id })?;
    }
    Ok(())
}

/// The clients: from the environment when a token is set, else on a fresh mock.
fn clients() -> Result<(
    Option<postmark_kit_mock::MockServer>,
    ServerClient,
    Option<AccountClient>,
)> {
    let server = ServerClient::from_env().transpose()?;
    let account = AccountClient::from_env().transpose()?;
    if server.is_some() || account.is_some() {
        let server =
            server.ok_or("POSTMARK_SERVER_TOKEN is needed when POSTMARK_ACCOUNT_TOKEN is set")?;
        return Ok((None, server, account));
    }
    let mock = postmark_kit_mock::MockServer::start()?;
    println!(
        "no POSTMARK_* token set: using a local mock server at {}",
        mock.url()
    );
    let server = ServerClient::builder(mock.server_token())?
        .base_url(&mock.url())?
        .build();
    let account = AccountClient::builder(mock.account_token())?
        .base_url(&mock.url())?
        .build();
    Ok((Some(mock), server, Some(account)))
}
