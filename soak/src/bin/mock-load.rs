//! The mock server under load and bad input, on 127.0.0.1: CLIENTS keep-alive clients
//! read `GET /server` for SECONDS while hostile ones keep arriving, one every 20 ms, each
//! with one of: an oversized header, a Content-Length that overstates the body, a sender
//! that stops inside the head, a body past the size limit, a body that is not UTF-8, one
//! that is not JSON. Every hostile request must get a 4xx or a closed connection; every
//! good one a 200. The mock runs as its own process (`--mock PATH`, default the release
//! build of `postmark-mock`) so that its memory and threads can be read from /proc while
//! it works.
//!
//! Usage: `mock-load [--mock PATH] [--clients N] [--seconds S]`; prints requests per
//! second, the mock's peak memory (VmHWM) and most threads, and exits non-zero when a
//! check fails.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, ExitCode, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::thread;
use std::time::{Duration, Instant};

/// How long the mock gives a request to arrive: hostile senders that never finish are
/// cut off after it.
const REQUEST_TIMEOUT_MS: u64 = 500;

fn main() -> ExitCode {
    let mut mock = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../target/release/postmark-mock"
    ));
    let mut clients = 300usize;
    let mut seconds = 10u64;
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let value = args.next().unwrap_or_default();
        match flag.as_str() {
            "--mock" => mock = value.into(),
            "--clients" => clients = value.parse().unwrap_or(clients),
            "--seconds" => seconds = value.parse().unwrap_or(seconds),
            _ => {
                eprintln!("mock-load: unknown flag {flag}");
                return ExitCode::from(2);
            }
        }
    }
    match run(&mock, clients, Duration::from_secs(seconds)) {
        Ok(failures) if failures.is_empty() => ExitCode::SUCCESS,
        Ok(failures) => {
            for failure in failures.iter().take(20) {
                eprintln!("mock-load: FAILED: {failure}");
            }
            ExitCode::FAILURE
        }
        Err(message) => {
            eprintln!("mock-load: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(mock: &PathBuf, clients: usize, length: Duration) -> Result<Vec<String>, String> {
    let mut child = Command::new(mock)
        .args(["--request-timeout-ms", &REQUEST_TIMEOUT_MS.to_string()])
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run {}: {e}", mock.display()))?;
    let mut lines = BufReader::new(child.stdout.take().ok_or("no stdout")?).lines();
    let mut field = |name: &str| {
        lines
            .next()
            .and_then(Result::ok)
            .and_then(|line| line.strip_prefix(name).map(str::to_owned))
            .ok_or(format!("the mock did not print {name}"))
    };
    let url = field("url=")?;
    let token = field("server_token=")?;
    let address = url.trim_start_matches("http://").to_owned();
    let pid = child.id();

    let stop = AtomicBool::new(false);
    let served = AtomicUsize::new(0);
    let hostile_sent = AtomicUsize::new(0);
    let failures = std::sync::Mutex::new(Vec::new());
    let fail = |message: String| failures.lock().unwrap().push(message);
    let (mut peak_threads, mut peak_rss_kb) = (0u64, 0u64);
    let started = Instant::now();
    thread::scope(|scope| {
        for _ in 0..clients {
            scope.spawn(|| {
                if let Err(message) = keep_reading(&address, &token, &stop, &served) {
                    fail(message);
                }
            });
        }
        scope.spawn(|| {
            let mut kind = 0;
            while !stop.load(Ordering::SeqCst) {
                let (address, fail) = (&address, &fail);
                let which = kind % HOSTILE.len();
                scope.spawn(move || {
                    if let Err(message) = hostile(address, which) {
                        fail(format!("{}: {message}", HOSTILE[which]));
                    }
                });
                hostile_sent.fetch_add(1, Ordering::SeqCst);
                kind += 1;
                thread::sleep(Duration::from_millis(20));
            }
        });
        while started.elapsed() < length {
            thread::sleep(Duration::from_millis(100));
            let (threads, rss) = proc_status(pid);
            peak_threads = peak_threads.max(threads);
            peak_rss_kb = peak_rss_kb.max(rss);
        }
        stop.store(true, Ordering::SeqCst);
    });
    let took = started.elapsed();
    let high_water_kb = vm_hwm(pid);
    let (threads_after, _) = proc_status(pid);
    let _ = child.kill();
    let _ = child.wait();
    let served = served.load(Ordering::SeqCst);
    // Safe to print: it is the tool's output.
    #[allow(clippy::print_stdout)]
    {
        println!(
            "mock-load: {clients} keep-alive clients, {served} requests in {:.1} s: {:.0} requests/s; \
             {} hostile connections; mock peak memory {:.1} MB (VmHWM), most threads {peak_threads}, \
             {threads_after} threads at the end",
            took.as_secs_f64(),
            served as f64 / took.as_secs_f64(),
            hostile_sent.load(Ordering::SeqCst),
            high_water_kb.max(peak_rss_kb) as f64 / 1024.0,
        );
    }
    let mut failures = failures.into_inner().unwrap();
    // One thread per connection: the good clients, the hostile ones still inside their
    // timeout (50 a second for half a second, and those lingering two seconds after an
    // error answer), the acceptor and the main thread.
    let bound = clients as u64 + 50 * 3 + 2;
    if peak_threads > bound {
        failures.push(format!("the mock ran {peak_threads} threads, over {bound}"));
    }
    Ok(failures)
}

/// One keep-alive client: `GET /server` until told to stop, each answer a 200.
fn keep_reading(
    address: &str,
    token: &str,
    stop: &AtomicBool,
    served: &AtomicUsize,
) -> Result<(), String> {
    let stream = TcpStream::connect(address).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).ok();
    let mut reader = BufReader::new(stream);
    let request =
        format!("GET /server HTTP/1.1\r\nHost: x\r\nX-Postmark-Server-Token: {token}\r\n\r\n");
    while !stop.load(Ordering::SeqCst) {
        reader
            .get_mut()
            .write_all(request.as_bytes())
            .map_err(|e| format!("write: {e}"))?;
        let (status, _) = read_answer(&mut reader).ok_or("a good client got no answer")?;
        if status != 200 {
            return Err(format!("a good client got {status}"));
        }
        served.fetch_add(1, Ordering::SeqCst);
    }
    Ok(())
}

const HOSTILE: [&str; 6] = [
    "oversized header",
    "lying Content-Length",
    "slow sender that never finishes",
    "body past the size limit",
    "invalid UTF-8",
    "invalid JSON",
];

/// One hostile connection of kind `which`: a 4xx or a closed connection, within the
/// request timeout and a margin.
fn hostile(address: &str, which: usize) -> Result<(), String> {
    let mut stream = TcpStream::connect(address).map_err(|e| format!("connect: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_millis(REQUEST_TIMEOUT_MS + 3_000)))
        .ok();
    let json = |body: &[u8]| {
        let mut wire = format!(
            "POST /email HTTP/1.1\r\nContent-Type: application/json\r\nX-Postmark-Server-Token: x\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        wire.extend_from_slice(body);
        wire
    };
    let wire: Vec<u8> = match which {
        0 => format!("GET /server HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(70_000)).into_bytes(),
        1 => b"POST /email HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\n\r\n{\"From\":".to_vec(),
        2 => b"GET /server HTTP/1.1\r\nX-Postmark-Ser".to_vec(),
        3 => b"POST /email HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 70000000\r\n\r\n".to_vec(),
        4 => json(b"{\"From\": \"\xff\xfe\"}"),
        _ => json(b"{\"From\": [1, "),
    };
    // The server may close while a large head is still being written: that counts as
    // being refused.
    if stream.write_all(&wire).is_err() {
        return Ok(());
    }
    let mut reader = BufReader::new(stream);
    match read_answer(&mut reader) {
        None => Ok(()),
        Some((status, _)) if (400..500).contains(&status) => Ok(()),
        Some((status, _)) => Err(format!("answered {status}")),
    }
}

/// Reads one answer: its status and body; `None` when the connection closed or timed
/// out first.
fn read_answer(reader: &mut BufReader<TcpStream>) -> Option<(u16, Vec<u8>)> {
    let mut line = String::new();
    if reader.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let status = line.split(' ').nth(1)?.parse().ok()?;
    let mut length = 0usize;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header).ok()?;
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok()?;
            }
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).ok()?;
    Some((status, body))
}

/// The process's threads and resident memory (kB) now.
fn proc_status(pid: u32) -> (u64, u64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    (field(&status, "Threads:"), field(&status, "VmRSS:"))
}

/// The process's peak resident memory (kB).
fn vm_hwm(pid: u32) -> u64 {
    field(
        &std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default(),
        "VmHWM:",
    )
}

fn field(status: &str, name: &str) -> u64 {
    status
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
