//! Peers benchmark driver for postmark-kit's async client: the sans-IO core
//! on reqwest, on a current-thread Tokio runtime as postmark-rs's driver.
//! Env: BASE_URL WORKLOAD N FIXTURES (see the harness's README); the last
//! line on stdout is the run's JSON record.

use std::time::Instant;

use futures_util::StreamExt;
use postmark_kit::api::bounces::ListBounces;
use postmark_kit::api::email::SendEmailBatch;
use postmark_kit::api::messages::SearchOutboundMessages;
use postmark_kit::api::servers::GetCurrentServer;
use postmark_kit_reqwest::{ClientError, ServerClient};

use driver::{Message, Run, Settings, cpu_seconds};

// The blocking driver's settings, fixture message and record.
#[path = "../../postmark-kit-rs/src/driver.rs"]
mod driver;

const PEER: &str = "postmark-kit-reqwest";

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let settings = Settings::from_env();
    let workload = settings.workload.as_str();
    let n = settings.n;
    let emit =
        |seconds, cpu, run: &Run, version: &str| settings.emit(PEER, seconds, cpu, run, version);

    let client = ServerClient::builder("bench-token")
        .and_then(|b| b.base_url(&settings.base))
        .map_err(ClientError::from)
        .and_then(|b| b.build());
    let client = match client {
        Ok(client) => client,
        Err(e) => return emit(0.0, 0.0, &Run::failed(e.to_string()), ""),
    };
    let version = client
        .config()
        .user_agent()
        .to_str()
        .unwrap_or_default()
        .replace('/', " ")
        + " (postmark-kit-reqwest, tokio current_thread)";

    if workload == "cold" {
        let mut run = Run::new();
        run.check(client.get_current_server(&GetCurrentServer {}).await, |s| {
            s.id == 100_000
        });
        return emit(settings.since_start(), 0.0, &run, &version);
    }

    let message = match Message::load(&format!("{}/message.json", settings.fixtures)) {
        Ok(message) => message,
        Err(e) => return emit(0.0, 0.0, &Run::failed(e), &version),
    };
    let attachment =
        std::fs::read(format!("{}/attachment.bin", settings.fixtures)).unwrap_or_default();

    let mut run = Run::new();
    // Warm-up: one GET /server opens the keep-alive connection, as for every peer.
    run.check(
        client.get_current_server(&GetCurrentServer {}).await,
        |_| true,
    );
    run.requests = 0;

    let cpu_start = cpu_seconds();
    let timer = Instant::now();
    match workload {
        "send1" => {
            for _ in 0..n {
                let email = message.email(None);
                run.check(client.send_email(&email).await, |sent| sent.is_accepted());
            }
        }
        "batch500" | "attach" => {
            let (size, attachment) = if workload == "attach" {
                run.notes = driver::ATTACH_NOTE;
                (100, Some(attachment.as_slice()))
            } else {
                (500, None)
            };
            for _ in 0..n {
                let batch = SendEmailBatch((0..size).map(|_| message.email(attachment)).collect());
                // The mock answers every batch with 500 results.
                run.check(client.send_email_batch(&batch).await, |results| {
                    results.len() == 500 && results.iter().all(|r| r.is_accepted())
                });
            }
        }
        "search" => {
            run.notes = driver::SEARCH_NOTE;
            let search = SearchOutboundMessages {
                count: 500,
                ..Default::default()
            };
            for _ in 0..n {
                run.check(client.search_outbound_messages(&search).await, |page| {
                    page.total_count == 10_000 && page.messages.len() == 500
                });
            }
        }
        "paginate" => {
            run.notes = driver::PAGINATE_NOTE;
            let walk = ListBounces {
                count: 500,
                ..Default::default()
            };
            for _ in 0..n {
                let mut seen: usize = 0;
                let walked = match client.paginate(walk.clone()) {
                    Ok(mut bounces) => loop {
                        match bounces.next().await {
                            Some(Ok(_)) => seen += 1,
                            Some(Err(e)) => break Err(e),
                            None => break Ok(()),
                        }
                    },
                    Err(e) => Err(e),
                };
                run.check_walk(walked, seen);
            }
        }
        other => run.fail(format!("unknown workload {other}")),
    }
    let seconds = timer.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    emit(seconds, cpu, &run, &version);
}
