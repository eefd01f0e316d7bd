//! What postmark-kit's drivers share (the blocking one and, through a `#[path]`
//! module, the async one in ../postmark-kit-reqwest): the run's settings, the
//! fixture message, the CPU clock and the JSON record the harness reads.

use std::collections::BTreeMap;
use std::fmt::Display;
use std::time::Instant;

use postmark_kit::api::common::Attachment;
use postmark_kit::api::email::SendEmail;
use serde_json::{Value, json};

/// The harness's environment: BASE_URL WORKLOAD N FIXTURES.
pub struct Settings {
    pub base: String,
    pub workload: String,
    pub n: usize,
    pub fixtures: String,
    started: Instant,
}

impl Settings {
    pub fn from_env() -> Settings {
        let started = Instant::now();
        let env = |key: &str, default: &str| std::env::var(key).unwrap_or_else(|_| default.into());
        Settings {
            base: env("BASE_URL", "http://127.0.0.1:18480"),
            workload: env("WORKLOAD", "send1"),
            n: env("N", "1").parse().unwrap_or(1),
            fixtures: env("FIXTURES", ".work/fixtures"),
            started,
        }
    }

    /// Seconds since the process started: the cold workload's time.
    pub fn since_start(&self) -> f64 {
        self.started.elapsed().as_secs_f64()
    }

    /// Prints the run's record as the last line on stdout.
    pub fn emit(&self, peer: &str, seconds: f64, cpu: f64, run: &Run, version: &str) {
        let mut record = json!({
            "peer": peer,
            "workload": self.workload,
            "n": self.n,
            "seconds": seconds,
            "ok": run.ok,
            "cpu_s": cpu,
            "requests": run.requests,
            "process_s": self.since_start(),
            "version": version,
            "notes": run.notes,
        });
        if let Some(error) = &run.error {
            record["error"] = error.as_str().into();
        }
        println!("{record}");
    }
}

/// The fixture message, as an application would hold it before sending.
pub struct Message {
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
    pub fn load(path: &str) -> Result<Message, String> {
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
    pub fn email(&self, attachment: Option<&[u8]>) -> SendEmail {
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
pub fn cpu_seconds() -> f64 {
    let mut ts = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime only writes the timespec it is given.
    unsafe { libc::clock_gettime(libc::CLOCK_PROCESS_CPUTIME_ID, &mut ts) };
    ts.tv_sec as f64 + ts.tv_nsec as f64 * 1e-9
}

pub struct Run {
    pub ok: bool,
    pub requests: usize,
    pub notes: &'static str,
    pub error: Option<String>,
}

impl Run {
    pub fn new() -> Run {
        Run {
            ok: true,
            requests: 0,
            notes: "",
            error: None,
        }
    }

    pub fn failed(error: String) -> Run {
        let mut run = Run::new();
        run.fail(error);
        run
    }

    /// Records one response: the run stays ok while every response is an
    /// answer with the expected content; the first failure is kept.
    pub fn check<T, E: Display>(
        &mut self,
        result: Result<T, E>,
        expected: impl FnOnce(&T) -> bool,
    ) {
        self.requests += 1;
        match result {
            Ok(value) if expected(&value) => {}
            Ok(_) => self.fail("unexpected content".to_owned()),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// Records one walk of the 10,000 bounces: `seen` items, pages of 500.
    pub fn check_walk<E: Display>(&mut self, walked: Result<(), E>, seen: usize) {
        // The paginator makes one request per page it hands out.
        self.requests += seen.div_ceil(500);
        match walked {
            Err(e) => self.fail(e.to_string()),
            Ok(()) if seen != 10_000 => self.fail(format!("walked {seen} bounces, not 10000")),
            Ok(()) => {}
        }
    }

    pub fn fail(&mut self, error: String) {
        self.ok = false;
        self.error.get_or_insert(error);
    }
}

pub const ATTACH_NOTE: &str = "attachment base64 by the library (Attachment::from_bytes)";
pub const SEARCH_NOTE: &str = "typed search_outbound_messages: every message parsed into the \
                               library's OutboundMessage (recipients, attachments, metadata, enums)";
pub const PAGINATE_NOTE: &str = "the client's auto-pagination (paginate over ListBounces, pages \
                                 of 500), every bounce parsed into the library's Bounce";
