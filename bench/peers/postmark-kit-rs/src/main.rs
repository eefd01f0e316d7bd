//! Peers benchmark driver for postmark-kit: the sans-IO core on its blocking
//! ureq client. Env: BASE_URL WORKLOAD N FIXTURES (see the harness's README);
//! the last line on stdout is the run's JSON record.

use std::collections::BTreeMap;
use std::time::Instant;

use postmark_kit::api::bounces::ListBounces;
use postmark_kit::api::common::Attachment;
use postmark_kit::api::email::{SendEmail, SendEmailBatch};
use postmark_kit::api::messages::SearchOutboundMessages;
use postmark_kit::api::servers::GetCurrentServer;
use postmark_kit_ureq::{ClientError, ServerClient};
use serde_json::{Value, json};

const PEER: &str = "postmark-kit-rs";

/// The fixture message, as an application would hold it before sending.
struct Message {
    from: String,
    to: String,
    subject: String,
    html: String,
    text: String,
    tag: String,
    metadata: BTreeMap<String, String>,
    track_opens: bool,
}

impl Message {
    fn load(path: &str) -> Result<Message, String> {
        let bytes = std::fs::read(path).map_err(|e| format!("{path}: {e}"))?;
        let v: Value = serde_json::from_slice(&bytes).map_err(|e| format!("{path}: {e}"))?;
        let text = |key: &str| {
            v[key]
                .as_str()
                .map(str::to_owned)
                .ok_or_else(|| format!("{path}: no {key}"))
        };
        let metadata = v["Metadata"]
            .as_object()
            .ok_or_else(|| format!("{path}: no Metadata"))?
            .iter()
            .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_owned()))
            .collect();
        Ok(Message {
            from: text("From")?,
            to: text("To")?,
            subject: text("Subject")?,
            html: text("HtmlBody")?,
            text: text("TextBody")?,
            tag: text("Tag")?,
            metadata,
            track_opens: v["TrackOpens"].as_bool().unwrap_or_default(),
        })
    }

    /// The library's message object, built inside the timed loop like the
    /// other drivers do; the attachment is base64-encoded by the library.
    fn email(&self, attachment: Option<&[u8]>) -> SendEmail {
        let mut email = SendEmail::new(self.from.clone(), self.to.clone(), self.subject.clone())
            .html_body(self.html.clone())
            .text_body(self.text.clone());
        email.tag = Some(self.tag.clone());
        email.metadata = Some(self.metadata.clone());
        email.track_opens = Some(self.track_opens);
        if let Some(bytes) = attachment {
            email.attachments = Some(vec![Attachment::from_bytes(
                "statement.pdf",
                "application/pdf",
                bytes,
            )]);
        }
        email
    }
}

/// CPU time of the whole process, as the other Rust drivers measure it.
fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

struct Run {
    ok: bool,
    requests: usize,
    notes: &'static str,
    error: Option<String>,
}

impl Run {
    fn new() -> Run {
        Run {
            ok: true,
            requests: 0,
            notes: "",
            error: None,
        }
    }

    /// Records one response: the run stays ok while every response is an
    /// answer with the expected content; the first failure is kept.
    fn check<T>(&mut self, result: Result<T, ClientError>, expected: impl FnOnce(&T) -> bool) {
        self.requests += 1;
        match result {
            Ok(value) if expected(&value) => {}
            Ok(_) => self.fail("unexpected content".to_owned()),
            Err(e) => self.fail(e.to_string()),
        }
    }

    fn fail(&mut self, error: String) {
        self.ok = false;
        self.error.get_or_insert(error);
    }
}

fn main() {
    let started = Instant::now();
    let env = |key: &str, default: &str| std::env::var(key).unwrap_or_else(|_| default.into());
    let base = env("BASE_URL", "http://127.0.0.1:18480");
    let workload = env("WORKLOAD", "send1");
    let n: usize = env("N", "1").parse().unwrap_or(1);
    let fixtures = env("FIXTURES", ".work/fixtures");

    let client = match ServerClient::builder("bench-token").and_then(|b| b.base_url(&base)) {
        Ok(builder) => builder.build(),
        Err(e) => return emit(&workload, n, 0.0, 0.0, &failed(e.to_string()), "", started),
    };
    let version = client
        .config()
        .user_agent()
        .to_str()
        .unwrap_or_default()
        .replace('/', " ")
        + " (postmark-kit-ureq, blocking)";

    if workload == "cold" {
        let mut run = Run::new();
        run.check(client.get_current_server(&GetCurrentServer {}), |s| {
            s.id == 100_000
        });
        let seconds = started.elapsed().as_secs_f64();
        return emit(&workload, n, seconds, 0.0, &run, &version, started);
    }

    let message = match Message::load(&format!("{fixtures}/message.json")) {
        Ok(message) => message,
        Err(e) => return emit(&workload, n, 0.0, 0.0, &failed(e), &version, started),
    };
    let attachment = std::fs::read(format!("{fixtures}/attachment.bin")).unwrap_or_default();

    let mut run = Run::new();
    // Warm-up: one GET /server opens the keep-alive connection, as for every peer.
    run.check(client.get_current_server(&GetCurrentServer {}), |_| true);
    run.requests = 0;

    let cpu_start = cpu_seconds();
    let timer = Instant::now();
    match workload.as_str() {
        "send1" => {
            for _ in 0..n {
                let email = message.email(None);
                run.check(client.send_email(&email), |sent| sent.is_accepted());
            }
        }
        "batch500" | "attach" => {
            let (size, attachment) = if workload == "attach" {
                run.notes = "attachment base64 by the library (Attachment::from_bytes)";
                (100, Some(attachment.as_slice()))
            } else {
                (500, None)
            };
            for _ in 0..n {
                let batch = SendEmailBatch((0..size).map(|_| message.email(attachment)).collect());
                // The mock answers every batch with 500 results.
                run.check(client.send_email_batch(&batch), |results| {
                    results.len() == 500 && results.iter().all(|r| r.is_accepted())
                });
            }
        }
        "search" => {
            run.notes = "typed search_outbound_messages: every message parsed into the \
                         library's OutboundMessage (recipients, attachments, metadata, enums)";
            let search = SearchOutboundMessages {
                count: 500,
                ..Default::default()
            };
            for _ in 0..n {
                run.check(client.search_outbound_messages(&search), |page| {
                    page.total_count == 10_000 && page.messages.len() == 500
                });
            }
        }
        "paginate" => {
            run.notes = "the client's auto-pagination (paginate over ListBounces, pages of \
                         500), every bounce parsed into the library's Bounce";
            let walk = ListBounces {
                count: 500,
                ..Default::default()
            };
            for _ in 0..n {
                let mut seen: usize = 0;
                let walked = client.paginate(walk.clone()).and_then(|bounces| {
                    for bounce in bounces {
                        bounce?;
                        seen += 1;
                    }
                    Ok(())
                });
                // The paginator makes one request per page it hands out.
                run.requests += seen.div_ceil(500);
                match walked {
                    Err(e) => run.fail(e.to_string()),
                    Ok(()) if seen != 10_000 => {
                        run.fail(format!("walked {seen} bounces, not 10000"))
                    }
                    Ok(()) => {}
                }
            }
        }
        other => run.fail(format!("unknown workload {other}")),
    }
    let seconds = timer.elapsed().as_secs_f64();
    let cpu = cpu_seconds() - cpu_start;
    emit(&workload, n, seconds, cpu, &run, &version, started);
}

fn failed(error: String) -> Run {
    let mut run = Run::new();
    run.fail(error);
    run
}

fn emit(
    workload: &str,
    n: usize,
    seconds: f64,
    cpu: f64,
    run: &Run,
    version: &str,
    started: Instant,
) {
    let mut record = json!({
        "peer": PEER,
        "workload": workload,
        "n": n,
        "seconds": seconds,
        "ok": run.ok,
        "cpu_s": cpu,
        "requests": run.requests,
        "process_s": started.elapsed().as_secs_f64(),
        "version": version,
        "notes": run.notes,
    });
    if let Some(error) = &run.error {
        record["error"] = error.as_str().into();
    }
    println!("{record}");
}
