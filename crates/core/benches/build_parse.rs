//! What the core costs per call, without any I/O: building the request of
//! `send_email` and of a 500-message `send_email_batch`, and parsing their
//! answers (one send result; 500 of them), through the typed API and through
//! the dynamic one the bindings use (operation name and JSON).
//!
//! `cargo bench -p postmark-kit --bench build_parse`; criterion prints the
//! time per operation.

use std::fmt::Write as _;
use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use http::Response;
use postmark_kit::api::email::{SendEmail, SendEmailBatch};
use postmark_kit::ops::find;
use postmark_kit::{Config, Server, Token, build, parse};
use serde_json::Value;

#[path = "common/message.rs"]
mod message;

const BATCH: usize = 500;

/// One send result in Postmark's shape, numbered so that every item differs.
fn send_result(i: u64) -> String {
    // A fixed-seed mix gives MessageIDs and timestamps that look random.
    let x = (i + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    format!(
        r#"{{"To":"Jane Doe <jane.doe@example.org>","SubmittedAt":"2026-11-{:02}T{:02}:{:02}:{:02}.{:07}-05:00","MessageID":"{:08x}-{:04x}-4{:03x}-a{:03x}-{:012x}","ErrorCode":0,"Message":"OK"}}"#,
        6 + x % 15,
        (x >> 8) % 24,
        (x >> 16) % 60,
        (x >> 24) % 60,
        (x >> 32) % 10_000_000,
        x >> 32,
        (x >> 16) & 0xffff,
        (x >> 4) & 0xfff,
        (x >> 20) & 0xfff,
        x & 0xffff_ffff_ffff,
    )
}

fn batch_answer() -> Vec<u8> {
    let mut body = String::from("[");
    for i in 0..BATCH as u64 {
        if i > 0 {
            body.push(',');
        }
        write!(body, "{}", send_result(i)).expect("writing to a String cannot fail");
    }
    body.push(']');
    body.into_bytes()
}

fn config() -> Config<Server> {
    Config::new(Token::new("bench-server-token").expect("a valid token"))
        .with_base_url("http://127.0.0.1:18480")
        .expect("a valid base URL")
}

fn typed(c: &mut Criterion) {
    let config = config();
    let email = message::typical_message();
    let batch = SendEmailBatch(vec![email.clone(); BATCH]);
    let one = send_result(0).into_bytes();
    let many = batch_answer();

    let mut group = c.benchmark_group("typed");
    group.bench_function("send_email/build", |b| {
        b.iter(|| build(&config, black_box(&email)).expect("builds"))
    });
    group.bench_function("send_email/parse", |b| {
        b.iter(|| parse::<SendEmail>(Response::new(black_box(one.as_slice()))).expect("parses"))
    });
    group.bench_function("send_email/build+parse", |b| {
        b.iter(|| {
            let request = build(&config, black_box(&email)).expect("builds");
            let sent = parse::<SendEmail>(Response::new(black_box(one.as_slice())));
            (request, sent.expect("parses"))
        })
    });
    group.bench_function("send_email_batch/build", |b| {
        b.iter(|| build(&config, black_box(&batch)).expect("builds"))
    });
    group.bench_function("send_email_batch/parse", |b| {
        b.iter(|| {
            parse::<SendEmailBatch>(Response::new(black_box(many.as_slice()))).expect("parses")
        })
    });
    group.bench_function("send_email_batch/build+parse", |b| {
        b.iter(|| {
            let request = build(&config, black_box(&batch)).expect("builds");
            let sent = parse::<SendEmailBatch>(Response::new(black_box(many.as_slice())));
            (request, sent.expect("parses"))
        })
    });
    group.finish();
}

fn dynamic(c: &mut Criterion) {
    let config = config();
    let email = message::typical_message();
    // What a binding hands over: the parameters as JSON with Postmark's names.
    let email_params = serde_json::to_value(&email).expect("serializes");
    let batch_params = Value::Array(vec![email_params.clone(); BATCH]).to_string();
    let email_params = email_params.to_string();
    let one = send_result(0).into_bytes();
    let many = batch_answer();
    let one = Response::new(one.as_slice());
    let many = Response::new(many.as_slice());

    let mut group = c.benchmark_group("dynamic");
    for (name, params, answer) in [
        ("send_email", &email_params, &one),
        ("send_email_batch", &batch_params, &many),
    ] {
        let op = find(name).expect("in the table");
        group.bench_function(format!("{name}/build"), |b| {
            b.iter(|| op.build(&config, black_box(params)).expect("builds"))
        });
        group.bench_function(format!("{name}/parse"), |b| {
            b.iter(|| op.parse(black_box(answer)).expect("parses"))
        });
        group.bench_function(format!("{name}/build+parse"), |b| {
            b.iter(|| {
                let built = op.build(&config, black_box(params)).expect("builds");
                (built, op.parse(black_box(answer)).expect("parses"))
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs: the figures are stable to a few percent well before criterion's defaults.
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = typed, dynamic
}
criterion_main!(benches);
