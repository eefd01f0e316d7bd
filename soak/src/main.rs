//! A bounded fault soak: one client (the ureq client in this process, the Python wheel or
//! the npm package in Node, each in its own process) makes N calls against the mock server
//! on 127.0.0.1 while the mock answers a fixed share of requests with a fault picked at
//! random: 429, 500, 503, a proxy's HTML page (502), a delay past the client's timeout or
//! a dropped connection.
//!
//! Four in ten calls send a message (`send_email`, not idempotent), the others read
//! (`list_bounces`, idempotent). Each call carries its number in a field the mock keeps:
//! the message's `Tag`, the read's `tag` query parameter. From the mock's own records it
//! then checks that
//! - no message was accepted twice (unless `--retry-sends` opted into resending),
//! - every read was tried at least once and at most the policy's attempts, and ended in
//!   a success or an error of a known kind,
//! - no call took longer than its attempts' timeouts and backoffs allow,
//! - no error text (message, `Debug`, `repr`) holds the token,
//!
//! and prints the retries and the latency percentiles. It exits non-zero when a check
//! fails.
//!
//! Usage: `postmark-kit-soak [--client ureq|python|node] [--calls N] [--share F]
//! [--concurrency C] [--seed S] [--retry-sends]`; `python` runs `.venv/bin/python`
//! (`just test-python` installs the wheel there), `node` the package of bindings/wasm
//! (`just wasm-build` builds it).

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use postmark_kit::api::bounces::ListBounces;
use postmark_kit::api::email::SendEmail;
use postmark_kit::{ErrorKind, RetryPolicy};
use postmark_kit_mock::{Fault, MockServer};
use postmark_kit_ureq::{ClientError, ServerClient};
use serde_json::Value;

/// One attempt's limit: the delay fault waits past it.
const TIMEOUT: Duration = Duration::from_millis(300);
/// Retries quick enough for a soak of minutes, with the default number of attempts.
const MAX_ATTEMPTS: u32 = 3;
const BASE_DELAY: Duration = Duration::from_millis(10);
const MAX_DELAY: Duration = Duration::from_millis(100);
/// What a call may take beyond its attempts' timeouts and waits: scheduling on a
/// loaded machine, a process start's first call.
const SLACK: Duration = Duration::from_secs(2);

fn main() -> ExitCode {
    let settings = match Settings::parse(std::env::args().skip(1)) {
        Ok(settings) => settings,
        Err(message) => {
            eprintln!("soak: {message}");
            return ExitCode::from(2);
        }
    };
    match run(&settings) {
        Ok(report) => {
            // The report is the program's output.
            #[allow(clippy::print_stdout)]
            {
                println!("{}", report.text);
            }
            if report.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                for failure in &report.failures {
                    eprintln!("soak: FAILED: {failure}");
                }
                ExitCode::FAILURE
            }
        }
        Err(message) => {
            eprintln!("soak: {message}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, Clone)]
struct Settings {
    client: String,
    calls: usize,
    share: f64,
    concurrency: usize,
    seed: u64,
    retry_sends: bool,
}

impl Settings {
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Settings, String> {
        let mut settings = Settings {
            client: "ureq".into(),
            calls: 100_000,
            share: 0.1,
            concurrency: 16,
            seed: 1,
            retry_sends: false,
        };
        while let Some(flag) = args.next() {
            if flag == "--retry-sends" {
                settings.retry_sends = true;
                continue;
            }
            let value = args.next().ok_or_else(|| format!("{flag} needs a value"))?;
            let number = || {
                value
                    .parse::<u64>()
                    .map_err(|_| format!("{flag}: not a number"))
            };
            match flag.as_str() {
                "--client" => settings.client = value.clone(),
                "--calls" => settings.calls = number()? as usize,
                "--concurrency" => settings.concurrency = number()?.max(1) as usize,
                "--seed" => settings.seed = number()?,
                "--share" => {
                    settings.share = value
                        .parse()
                        .ok()
                        .filter(|share| (0.0..=1.0).contains(share))
                        .ok_or("--share: a number from 0 to 1")?;
                }
                _ => return Err(format!("unknown flag {flag}")),
            }
        }
        Ok(settings)
    }
}

/// What one call did, as its client saw it.
#[derive(Debug)]
struct Call {
    number: usize,
    send: bool,
    /// `None` for a success, else the error's kind.
    error: Option<String>,
    elapsed: Duration,
    /// Every text the client gave about the error: message, `Debug` or `repr`.
    text: String,
}

struct Report {
    text: String,
    failures: Vec<String>,
}

fn run(settings: &Settings) -> Result<Report, String> {
    let mock = MockServer::start().map_err(|e| format!("cannot start the mock: {e}"))?;
    let html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";
    mock.inject_randomly(
        settings.share,
        vec![
            Fault::Status {
                status: 429,
                retry_after: None,
            },
            Fault::Status {
                status: 500,
                retry_after: None,
            },
            Fault::Status {
                status: 503,
                retry_after: None,
            },
            Fault::Page {
                status: 502,
                content_type: "text/html".into(),
                body: html.into(),
                retry_after: None,
            },
            Fault::Delay(TIMEOUT * 2),
            Fault::Drop,
        ],
        settings.seed,
    );

    // The log keeps 100,000 requests: drained while the soak runs, counted by tag.
    let attempts: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    let logged = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicBool::new(false));
    let mock = Arc::new(mock);
    let drainer = {
        let (mock, attempts, logged, done) = (
            Arc::clone(&mock),
            Arc::clone(&attempts),
            Arc::clone(&logged),
            Arc::clone(&done),
        );
        thread::spawn(move || {
            loop {
                let finished = done.load(Ordering::SeqCst);
                let seen = mock.take_requests();
                logged.fetch_add(seen.len(), Ordering::SeqCst);
                let mut attempts = attempts.lock().unwrap();
                for request in seen {
                    if let Some(tag) = tag_of(&request.query) {
                        *attempts.entry(tag).or_default() += 1;
                    }
                }
                drop(attempts);
                if finished {
                    return;
                }
                thread::sleep(Duration::from_millis(100));
            }
        })
    };

    let started = Instant::now();
    let calls = match settings.client.as_str() {
        "ureq" => soak_ureq(&mock, settings),
        "python" | "node" => soak_process(&mock, settings),
        other => return Err(format!("unknown client {other}")),
    }?;
    let took = started.elapsed();
    // Requests held by a delay land after their client gave up: wait for them.
    thread::sleep(TIMEOUT * 3);
    done.store(true, Ordering::SeqCst);
    drainer.join().map_err(|_| "the log drainer panicked")?;

    let accepted = count_tags(&mock.sent_messages());
    let attempts = attempts.lock().unwrap();
    Ok(check(
        settings,
        mock.server_token(),
        &calls,
        &accepted,
        &attempts,
        logged.load(Ordering::SeqCst),
        took,
    ))
}

/// The tag of a call: `soak-N`, from a query string or a message's `Tag`.
fn tag_of(query: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix("tag="))
        .map(str::to_owned)
}

fn count_tags(messages: &[Value]) -> HashMap<String, u32> {
    let mut counts = HashMap::new();
    for message in messages {
        if let Some(tag) = message["Tag"].as_str() {
            *counts.entry(tag.to_owned()).or_default() += 1;
        }
    }
    counts
}

fn policy(retry_sends: bool) -> RetryPolicy {
    RetryPolicy {
        max_attempts: MAX_ATTEMPTS,
        base_delay: BASE_DELAY,
        max_delay: MAX_DELAY,
        retry_non_idempotent: retry_sends,
        ..RetryPolicy::default()
    }
}

/// Whether call `number` sends a message (four in ten) or reads.
fn is_send(number: usize) -> bool {
    number % 10 < 4
}

fn soak_ureq(mock: &MockServer, settings: &Settings) -> Result<Vec<Call>, String> {
    let client = ServerClient::builder(mock.server_token())
        .and_then(|b| b.base_url(&mock.url()))
        .map_err(|e| e.to_string())?
        .timeout(TIMEOUT)
        .retry(policy(settings.retry_sends))
        .build();
    let next = AtomicUsize::new(0);
    let calls = Mutex::new(Vec::with_capacity(settings.calls));
    thread::scope(|scope| {
        for _ in 0..settings.concurrency {
            scope.spawn(|| {
                let mut mine = Vec::new();
                loop {
                    let number = next.fetch_add(1, Ordering::SeqCst);
                    if number >= settings.calls {
                        break;
                    }
                    mine.push(call_ureq(&client, number));
                }
                calls.lock().unwrap().extend(mine);
            });
        }
    });
    Ok(calls.into_inner().unwrap())
}

fn call_ureq(client: &ServerClient, number: usize) -> Call {
    let tag = format!("soak-{number}");
    let started = Instant::now();
    let send = is_send(number);
    let result = if send {
        let mut email =
            SendEmail::new("soak@example.com", "reader@example.com", "Soak").text_body("soak");
        email.tag = Some(tag);
        client.send_email(&email).map(drop)
    } else {
        client
            .list_bounces(&ListBounces {
                count: 1,
                offset: 0,
                tag: Some(tag),
                ..Default::default()
            })
            .map(drop)
    };
    let elapsed = started.elapsed();
    let (error, text) = match result {
        Ok(()) => (None, String::new()),
        Err(error) => (Some(kind_of(&error)), format!("{error} {error:?}")),
    };
    Call {
        number,
        send,
        error,
        elapsed,
        text,
    }
}

fn kind_of(error: &ClientError) -> String {
    match error {
        ClientError::Transport { kind, .. } => kind.as_str().to_owned(),
        ClientError::Api(api) => api.kind().as_str().to_owned(),
        ClientError::Build(_) => "build".to_owned(),
        _ => "other".to_owned(),
    }
}

/// Runs the Python or Node driver (soak/clients/) against the mock; it prints one JSON
/// line per call: `{"n", "send", "error": kind|null, "ms", "text"}`.
fn soak_process(mock: &MockServer, settings: &Settings) -> Result<Vec<Call>, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .ok_or("no repository root")?;
    let (program, script): (PathBuf, PathBuf) = match settings.client.as_str() {
        "python" => (
            root.join(".venv/bin/python"),
            root.join("soak/clients/soak.py"),
        ),
        _ => ("node".into(), root.join("soak/clients/soak.mjs")),
    };
    let mut child = Command::new(&program)
        .arg(&script)
        .env("SOAK_URL", mock.url())
        .env("SOAK_TOKEN", mock.server_token())
        .env("SOAK_CALLS", settings.calls.to_string())
        .env("SOAK_CONCURRENCY", settings.concurrency.to_string())
        .env("SOAK_TIMEOUT_MS", TIMEOUT.as_millis().to_string())
        .env("SOAK_MAX_ATTEMPTS", MAX_ATTEMPTS.to_string())
        .env("SOAK_BASE_DELAY_MS", BASE_DELAY.as_millis().to_string())
        .env("SOAK_MAX_DELAY_MS", MAX_DELAY.as_millis().to_string())
        .env(
            "SOAK_RETRY_SENDS",
            if settings.retry_sends { "1" } else { "0" },
        )
        .env("SOAK_WASM", root.join("bindings/wasm/node.js"))
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", program.display()))?;
    let stdout = child.stdout.take().ok_or("no stdout")?;
    let mut calls = Vec::with_capacity(settings.calls);
    for line in BufReader::new(stdout).lines() {
        let line = line.map_err(|e| e.to_string())?;
        let value: Value =
            serde_json::from_str(&line).map_err(|e| format!("{e}: a driver line: {line}"))?;
        calls.push(Call {
            number: value["n"].as_u64().unwrap_or(u64::MAX) as usize,
            send: value["send"].as_bool().unwrap_or_default(),
            error: value["error"].as_str().map(str::to_owned),
            elapsed: Duration::from_secs_f64(value["ms"].as_f64().unwrap_or_default() / 1000.0),
            text: value["text"].as_str().unwrap_or_default().to_owned(),
        });
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    if !status.success() {
        return Err(format!(
            "the {} driver exited with {status}",
            settings.client
        ));
    }
    Ok(calls)
}

/// The error kinds a call may end in under these faults: the core's API error kinds and
/// the transport's, which the bindings' errors carry as their `kind` too (`network` is
/// the npm package's word for a broken connection).
fn known_kind(kind: &str) -> bool {
    let api = [
        ErrorKind::RateLimited,
        ErrorKind::ServerError,
        ErrorKind::Unavailable,
        ErrorKind::Decode,
        ErrorKind::Other,
    ]
    .map(ErrorKind::as_str);
    let transport = ["connect", "timeout", "io", "network"];
    api.contains(&kind) || transport.contains(&kind)
}

fn check(
    settings: &Settings,
    token: &str,
    calls: &[Call],
    accepted: &HashMap<String, u32>,
    attempts: &HashMap<String, u32>,
    logged: usize,
    took: Duration,
) -> Report {
    let mut failures = Vec::new();
    if calls.len() != settings.calls {
        failures.push(format!(
            "{} calls reported, {} made",
            calls.len(),
            settings.calls
        ));
    }
    let longest = TIMEOUT * MAX_ATTEMPTS + MAX_DELAY * (MAX_ATTEMPTS - 1) + SLACK;
    let mut outcomes: HashMap<(bool, String), usize> = HashMap::new();
    let mut histogram = [0usize; MAX_ATTEMPTS as usize + 2];
    let mut duplicates = 0;
    let mut lost_reads = 0;
    for call in calls {
        let tag = format!("soak-{}", call.number);
        let outcome = call.error.clone().unwrap_or_else(|| "ok".into());
        *outcomes.entry((call.send, outcome)).or_default() += 1;
        if let Some(kind) = &call.error {
            if !known_kind(kind) {
                failures.push(format!(
                    "call {} ended in an unknown kind {kind}",
                    call.number
                ));
            }
        }
        if !call.text.is_empty() && call.text.contains(token) {
            failures.push(format!(
                "call {}: the token is in its error text",
                call.number
            ));
        }
        if call.elapsed > longest {
            failures.push(format!(
                "call {} took {:?}, past the {longest:?} its attempts allow",
                call.number, call.elapsed
            ));
        }
        if call.send {
            let times = accepted.get(&tag).copied().unwrap_or(0);
            if times > 1 {
                duplicates += 1;
                if !settings.retry_sends {
                    failures.push(format!("message {tag} was accepted {times} times"));
                }
            }
            if call.error.is_none() && times == 0 {
                failures.push(format!("message {tag} was answered but not accepted"));
            }
        } else {
            let tries = attempts.get(&tag).copied().unwrap_or(0);
            histogram[(tries as usize).min(MAX_ATTEMPTS as usize + 1)] += 1;
            if tries == 0 {
                lost_reads += 1;
            }
            if tries > MAX_ATTEMPTS {
                failures.push(format!("read {tag} was tried {tries} times"));
            }
        }
    }
    if lost_reads > 0 {
        failures.push(format!("{lost_reads} reads never reached the mock"));
    }

    let mut latencies: Vec<Duration> = calls.iter().map(|c| c.elapsed).collect();
    latencies.sort();
    let percentile = |p: f64| {
        latencies
            .get(((latencies.len() as f64 * p).ceil() as usize).saturating_sub(1))
            .copied()
            .unwrap_or_default()
    };
    let mut text = format!(
        "soak: {} client, {} calls ({} sends, {} reads) at {} at once, {:.0}% of requests faulted, in {:.1} s ({:.0} calls/s)\n",
        settings.client,
        calls.len(),
        calls.iter().filter(|c| c.send).count(),
        calls.iter().filter(|c| !c.send).count(),
        settings.concurrency,
        settings.share * 100.0,
        took.as_secs_f64(),
        calls.len() as f64 / took.as_secs_f64(),
    );
    text += &format!(
        "  requests the mock logged: {logged}; retries: {}\n",
        logged.saturating_sub(calls.len())
    );
    text += &format!(
        "  reads by attempts: 1: {}, 2: {}, 3: {}\n",
        histogram[1], histogram[2], histogram[3]
    );
    let mut outcomes: Vec<_> = outcomes.into_iter().collect();
    outcomes.sort();
    for ((send, outcome), count) in outcomes {
        text += &format!(
            "  {} {outcome}: {count}\n",
            if send { "send" } else { "read" }
        );
    }
    text += &format!(
        "  messages accepted twice or more: {duplicates}{}\n",
        if settings.retry_sends {
            " (sends retried by choice)"
        } else {
            ""
        }
    );
    text += &format!(
        "  latency p50 {:?}, p90 {:?}, p99 {:?}, p99.9 {:?}, max {:?} (bound {longest:?})",
        percentile(0.5),
        percentile(0.9),
        percentile(0.99),
        percentile(0.999),
        latencies.last().copied().unwrap_or_default(),
    );
    failures.truncate(20);
    Report { text, failures }
}
