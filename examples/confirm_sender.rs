//! Adds a sender signature and waits until its owner confirms it: creates
//! it, then polls it with backoff until it is `Confirmed` or a deadline
//! passes, resending the confirmation email when asked to (`--resend`).
//!
//! Offline against an in-process mock server by default, where the mock's
//! control route confirms the signature part-way through the wait; with
//! `POSTMARK_ACCOUNT_TOKEN` (and optionally `POSTMARK_API_URL`) set, on that
//! account, for the address given (its owner must click the link).
//!
//! ```sh
//! cargo run --example confirm_sender -- you@your-domain.example --resend
//! ```

#![allow(clippy::print_stdout, reason = "an example reports what it does")]

mod common;

use std::time::{Duration, Instant};

use common::{Env, Result};
use postmark_kit_ureq::postmark_kit::api::raw::Raw;
use postmark_kit_ureq::postmark_kit::api::senders::{
    CreateSenderSignature, GetSenderSignature, ResendSenderSignatureConfirmation,
};
use postmark_kit_ureq::postmark_kit::{Account, http};

/// How long to wait, and between which polls.
struct Patience {
    first: Duration,
    most: Duration,
    deadline: Duration,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let from = args
        .iter()
        .find(|a| !a.starts_with("--"))
        .cloned()
        .unwrap_or_else(|| "billing@example.com".into());
    let resend = args.iter().any(|a| a == "--resend");
    let env = Env::from_env_or_mock()?;
    // A person takes minutes to click a link; the mock, milliseconds.
    let patience = match env.mock {
        Some(_) => Patience {
            first: Duration::from_millis(20),
            most: Duration::from_millis(200),
            deadline: Duration::from_secs(10),
        },
        None => Patience {
            first: Duration::from_secs(5),
            most: Duration::from_secs(60),
            deadline: Duration::from_secs(30 * 60),
        },
    };
    run(&env, &from, resend, &patience)
}

fn run(env: &Env, from: &str, resend: bool, patience: &Patience) -> Result<()> {
    let account = env.account()?;
    let signature = account.create_sender_signature(&CreateSenderSignature {
        from_email: from.into(),
        name: "Billing".into(),
        ..Default::default()
    })?;
    println!(
        "sender signature {} for {} created; confirmed: {}",
        signature.id, signature.email_address, signature.confirmed
    );
    if resend {
        account.resend_sender_signature_confirmation(&ResendSenderSignatureConfirmation {
            id: signature.id,
        })?;
        println!("confirmation email sent again");
    }

    let started = Instant::now();
    let mut wait = patience.first;
    for poll in 1.. {
        let current = account.get_sender_signature(&GetSenderSignature { id: signature.id })?;
        if current.confirmed {
            println!("confirmed after {poll} polls");
            return Ok(());
        }
        if started.elapsed() + wait > patience.deadline {
            return Err(format!(
                "{from} was not confirmed within {:?}; run again with --resend",
                patience.deadline
            )
            .into());
        }
        println!("poll {poll}: not confirmed yet; next look in {wait:?}");
        if poll == 2 && env.mock.is_some() {
            // Offline, the owner "clicks the link" now, part-way through the wait.
            let confirm = Raw::<Account>::new(
                http::Method::POST,
                format!("/__mock/senders/{}/confirm", signature.id),
            );
            account.raw(&confirm)?;
        }
        std::thread::sleep(wait);
        wait = (wait * 2).min(patience.most);
    }
    unreachable!("the loop returns")
}

#[test]
fn runs_offline() {
    let patience = Patience {
        first: Duration::from_millis(1),
        most: Duration::from_millis(5),
        deadline: Duration::from_secs(60),
    };
    run(&Env::mock().unwrap(), "ops@example.com", true, &patience).unwrap();
}
