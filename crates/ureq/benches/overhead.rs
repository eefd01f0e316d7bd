//! What the client adds on top of the network: requests per second of the
//! ureq client against the in-process mock, next to a minimal keep-alive
//! HTTP/1.1 client over `std::net` sending the same requests as prebuilt
//! bytes (and reading status, headers and a Content-Length body, nothing
//! more). The ratio client ÷ minimal is the overhead of building, sending
//! through ureq and parsing.
//!
//! `cargo bench -p postmark-kit-ureq --bench overhead`. Each figure is the
//! median of a few rounds of sequential requests on one connection; the two
//! clients alternate so that a busy machine slows both alike.

#![allow(clippy::print_stdout, reason = "a benchmark binary reports on stdout")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use http::Request;
use postmark_kit::api::servers::GetCurrentServer;
use postmark_kit::{Config, Endpoint, Server, build};
use postmark_kit_mock::MockServer;
use postmark_kit_ureq::ServerClient;

#[path = "../../core/benches/common/message.rs"]
mod message;

/// Requests per round.
const N: usize = 2000;
/// Rounds per client and operation; the median is reported.
const ROUNDS: usize = 3;
/// Requests each client sends before timing, per operation.
const WARM_UP: usize = 200;

fn main() {
    let mock = MockServer::start().expect("the mock starts");
    let client = ServerClient::builder(mock.server_token())
        .and_then(|b| b.base_url(&mock.url()))
        .expect("a valid token and URL")
        .build();
    let config = client.config().clone();
    let mut minimal = Minimal::connect(mock.port());

    let email = message::typical_message();
    let send = Operation {
        name: "send_email",
        client: &|| {
            let sent = client.send_email(&email).expect("the mock accepts it");
            assert!(sent.is_accepted());
        },
        wire: wire_bytes(&config, &email),
    };
    let get = Operation {
        name: "get_current_server",
        client: &|| {
            client
                .get_current_server(&GetCurrentServer {})
                .expect("the mock answers");
        },
        wire: wire_bytes(&config, &GetCurrentServer {}),
    };

    println!(
        "ureq client vs minimal std::net client, in-process mock, one keep-alive connection each;\n\
         median of {ROUNDS} rounds of {N} sequential requests (min–max in brackets)\n"
    );
    println!(
        "{:<20} {:>22} {:>22} {:>9} {:>13} {:>13}",
        "operation", "client req/s", "minimal req/s", "overhead", "client CPU", "minimal CPU"
    );
    for op in [send, get] {
        for _ in 0..WARM_UP {
            (op.client)();
            minimal.exchange(&op.wire);
        }
        let mut client_runs = Vec::new();
        let mut minimal_runs = Vec::new();
        for _ in 0..ROUNDS {
            client_runs.push(measure(&mut || (op.client)()));
            minimal_runs.push(measure(&mut || minimal.exchange(&op.wire)));
        }
        let client_rate = Rates::of(&client_runs);
        let minimal_rate = Rates::of(&minimal_runs);
        println!(
            "{:<20} {:>22} {:>22} {:>8.2}× {:>13} {:>13}",
            op.name,
            client_rate.to_string(),
            minimal_rate.to_string(),
            minimal_rate.median / client_rate.median,
            cpu_per_request(&client_runs),
            cpu_per_request(&minimal_runs),
        );
    }
    println!(
        "\noverhead = client time per request ÷ minimal time per request; CPU = the calling \
         thread's on-CPU time per request, median (the mock runs on other threads, but loopback \
         delivery to it is partly done in the sender's system calls)"
    );
}

struct Operation<'a> {
    name: &'static str,
    client: &'a dyn Fn(),
    wire: Vec<u8>,
}

/// One round: wall time per request, and the thread's CPU time per request
/// when the kernel reports it.
struct Run {
    wall: Duration,
    cpu: Option<Duration>,
}

fn measure(request: &mut dyn FnMut()) -> Run {
    let cpu_start = thread_cpu();
    let start = Instant::now();
    for _ in 0..N {
        request();
    }
    let wall = start.elapsed() / N as u32;
    let cpu = thread_cpu()
        .zip(cpu_start)
        .map(|(end, start)| end.saturating_sub(start) / N as u32);
    Run { wall, cpu }
}

/// The calling thread's on-CPU time, from the first field of
/// `/proc/thread-self/schedstat` (nanoseconds): precise, and std only.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let nanos = stat.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(nanos))
}

fn cpu_per_request(runs: &[Run]) -> String {
    median(runs.iter().filter_map(|run| run.cpu).collect()).map_or_else(
        || "n/a".to_owned(),
        |cpu| format!("{:.1} µs", cpu.as_secs_f64() * 1e6),
    )
}

fn median(mut values: Vec<Duration>) -> Option<Duration> {
    values.sort();
    values.get(values.len() / 2).copied()
}

/// Requests per second over the rounds.
struct Rates {
    median: f64,
    min: f64,
    max: f64,
}

impl Rates {
    fn of(runs: &[Run]) -> Rates {
        let walls: Vec<Duration> = runs.iter().map(|run| run.wall).collect();
        let rate = |per_request: Duration| 1.0 / per_request.as_secs_f64();
        Rates {
            median: rate(median(walls.clone()).expect("at least one round")),
            min: rate(*walls.iter().max().expect("at least one round")),
            max: rate(*walls.iter().min().expect("at least one round")),
        }
    }
}

impl std::fmt::Display for Rates {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:.0} [{:.0}–{:.0}]", self.median, self.min, self.max)
    }
}

/// The request the core builds for `endpoint`, as HTTP/1.1 bytes: exactly
/// what the ureq client asks for, headers included, minus what ureq adds.
fn wire_bytes<E: Endpoint<Token = Server>>(config: &Config<Server>, endpoint: &E) -> Vec<u8> {
    let request: Request<Vec<u8>> = build(config, endpoint).expect("builds");
    let uri = request.uri();
    let mut wire = format!(
        "{} {} HTTP/1.1\r\nhost: {}\r\n",
        request.method(),
        uri.path_and_query().expect("a path").as_str(),
        uri.authority().expect("a host"),
    )
    .into_bytes();
    for (name, value) in request.headers() {
        wire.extend_from_slice(name.as_str().as_bytes());
        wire.extend_from_slice(b": ");
        wire.extend_from_slice(value.as_bytes());
        wire.extend_from_slice(b"\r\n");
    }
    if !request.body().is_empty() {
        wire.extend_from_slice(format!("content-length: {}\r\n", request.body().len()).as_bytes());
    }
    wire.extend_from_slice(b"\r\n");
    wire.extend_from_slice(request.body());
    wire
}

/// The least a sequential HTTP/1.1 client can do: write the request, read
/// the status line and headers, read a Content-Length body.
struct Minimal {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    line: String,
    body: Vec<u8>,
}

impl Minimal {
    fn connect(port: u16) -> Minimal {
        let writer = TcpStream::connect(("127.0.0.1", port)).expect("the mock listens");
        writer.set_nodelay(true).expect("TCP_NODELAY");
        let reader = BufReader::with_capacity(64 * 1024, writer.try_clone().expect("clone"));
        Minimal {
            reader,
            writer,
            line: String::new(),
            body: Vec::new(),
        }
    }

    fn exchange(&mut self, wire: &[u8]) {
        self.writer.write_all(wire).expect("request written");
        self.line.clear();
        self.reader.read_line(&mut self.line).expect("status line");
        assert!(
            self.line.starts_with("HTTP/1.1 200"),
            "unexpected answer: {}",
            self.line
        );
        let mut length = 0;
        loop {
            self.line.clear();
            self.reader.read_line(&mut self.line).expect("header line");
            let header = self.line.trim_end();
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':') {
                if name.eq_ignore_ascii_case("content-length") {
                    length = value.trim().parse().expect("a length");
                }
            }
        }
        self.body.resize(length, 0);
        self.reader.read_exact(&mut self.body).expect("body");
    }
}
