//! Audits every server's webhooks across the account: walks every server,
//! lists each one's webhooks with that server's own token, and prints one
//! table (server, URL, triggers). With `--delete URL`, deletes the webhooks
//! pointing at that URL on every server.
//!
//! Offline against an in-process mock server by default (two servers with
//! webhooks are set up first); with `POSTMARK_ACCOUNT_TOKEN` (and optionally
//! `POSTMARK_API_URL`) set, on that account.
//!
//! ```sh
//! cargo run --example audit_webhooks -- --delete https://old.example.com/hook
//! ```

#![allow(clippy::print_stdout, reason = "an example reports what it does")]

mod common;

use common::{Env, Result};
use postmark_kit_ureq::postmark_kit::api::servers::{CreateServer, ListServers};
use postmark_kit_ureq::postmark_kit::api::webhooks::{
    CreateWebhook, ListWebhooks, Triggers, Webhook,
};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let doomed = match args.iter().position(|a| a == "--delete") {
        Some(i) => Some(args.get(i + 1).ok_or("--delete needs a URL")?.clone()),
        None => None,
    };
    let env = Env::from_env_or_mock()?;
    if env.mock.is_some() {
        set_up(&env)?;
    }
    let rows = run(&env, doomed.as_deref())?;
    println!("{} webhooks", rows.len());
    Ok(())
}

/// Offline: two servers more, each with a webhook to a URL they share and
/// one of its own.
fn set_up(env: &Env) -> Result<()> {
    for name in ["shop", "blog"] {
        let server = env.account()?.create_server(&CreateServer {
            name: name.into(),
            ..Default::default()
        })?;
        let client = env.server_client(&server.api_tokens[0])?;
        for url in [
            "https://old.example.com/hook".to_owned(),
            format!("https://{name}.example.com/events"),
        ] {
            client.create_webhook(&CreateWebhook {
                url,
                triggers: Some(Triggers::all()),
                verify: Some(false),
                ..Default::default()
            })?;
        }
    }
    Ok(())
}

/// The triggers a webhook has on, by name.
fn triggers(webhook: &Webhook) -> String {
    let triggers = webhook.triggers;
    let on = [
        ("Open", triggers.open.is_some_and(|t| t.enabled)),
        ("Click", triggers.click.is_some_and(|t| t.enabled)),
        ("Delivery", triggers.delivery.is_some_and(|t| t.enabled)),
        ("Bounce", triggers.bounce.is_some_and(|t| t.enabled)),
        (
            "SpamComplaint",
            triggers.spam_complaint.is_some_and(|t| t.enabled),
        ),
        (
            "SubscriptionChange",
            triggers.subscription_change.is_some_and(|t| t.enabled),
        ),
    ];
    let names: Vec<&str> = on
        .iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| *name)
        .collect();
    names.join(",")
}

/// Prints the table and deletes what points at `doomed`; answers the rows
/// (server, URL, triggers) as they were before any deletion.
fn run(env: &Env, doomed: Option<&str>) -> Result<Vec<(String, String, String)>> {
    let mut rows = Vec::new();
    let mut deleted = 0;
    for server in env.account()?.paginate(ListServers::default())? {
        let server = server?;
        let token = server
            .api_tokens
            .first()
            .ok_or_else(|| format!("server {} came without a token", server.id))?;
        // Webhooks belong to a server: only its own token lists them.
        let client = env.server_client(token)?;
        for webhook in client.list_webhooks(&ListWebhooks::default())?.webhooks {
            rows.push((server.name.clone(), webhook.url.clone(), triggers(&webhook)));
        }
        if let Some(url) = doomed {
            deleted += client.delete_webhooks_pointing_at(url)?.len();
        }
    }
    let width = |column: fn(&(String, String, String)) -> &String| {
        rows.iter()
            .map(|row| column(row).chars().count())
            .max()
            .unwrap_or(0)
    };
    let (server_width, url_width) = (width(|r| &r.0).max(6), width(|r| &r.1).max(3));
    println!("{:server_width$}  {:url_width$}  TRIGGERS", "SERVER", "URL");
    for (server, url, triggers) in &rows {
        println!("{server:server_width$}  {url:url_width$}  {triggers}");
    }
    if let Some(url) = doomed {
        println!("deleted {deleted} webhooks pointing at {url}");
    }
    Ok(rows)
}

#[test]
fn runs_offline() {
    let env = Env::mock().unwrap();
    set_up(&env).unwrap();
    let rows = run(&env, Some("https://OLD.example.com/hook/")).unwrap();
    let urls: Vec<(&str, &str)> = rows
        .iter()
        .map(|(s, u, _)| (s.as_str(), u.as_str()))
        .collect();
    assert_eq!(
        urls,
        [
            ("shop", "https://old.example.com/hook"),
            ("shop", "https://shop.example.com/events"),
            ("blog", "https://old.example.com/hook"),
            ("blog", "https://blog.example.com/events"),
        ]
    );
    assert_eq!(
        rows[0].2,
        "Open,Click,Delivery,Bounce,SpamComplaint,SubscriptionChange"
    );
    // The second audit finds only the webhooks of their own URLs.
    let rows = run(&env, None).unwrap();
    assert_eq!(rows.len(), 2);
    assert!(
        rows.iter()
            .all(|(_, url, _)| !url.contains("old.example.com"))
    );
}
