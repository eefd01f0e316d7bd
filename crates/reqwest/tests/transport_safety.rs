//! What the transport does with the token and with failures that prove the request never
//! left: plain `http://` only to this machine, no redirect followed, and a failed TLS
//! handshake classified (and retried) as a connection that was never made. The blocking
//! client's tests (crates/ureq/tests/transport_safety.rs) make the same checks.

use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use postmark_kit::RetryPolicy;
use postmark_kit::Server;
use postmark_kit::api::email::SendEmail;
use postmark_kit::api::servers::GetCurrentServer;
use postmark_kit_reqwest::{ClientBuilder, ServerClient, TransportErrorKind};

/// A loopback listener that answers every connection with `answer` (after reading what
/// the client sends first, up to a short pause) and counts the connections.
fn plain_listener(answer: Vec<u8>) -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&accepted);
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            count.fetch_add(1, Ordering::SeqCst);
            stream
                .set_read_timeout(Some(Duration::from_millis(200)))
                .unwrap();
            let mut hello = [0u8; 4096];
            let _ = stream.read(&mut hello);
            let _ = stream.write_all(&answer);
        }
    });
    (port, accepted)
}

fn client(base_url: &str, attempts: u32) -> ServerClient {
    builder(base_url, attempts).build().unwrap()
}

fn builder(base_url: &str, attempts: u32) -> ClientBuilder<Server> {
    ServerClient::builder("tls-test-token")
        .unwrap()
        .base_url(base_url)
        .unwrap()
        .retry(RetryPolicy {
            max_attempts: attempts,
            base_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(2),
            ..RetryPolicy::default()
        })
        .timeout(Duration::from_secs(5))
}

/// A resolver that answers every name with `answer` (`None`: no such host), counting
/// the lookups: nothing leaves this machine to look a name up.
struct Lookups {
    answer: Option<SocketAddr>,
    count: Arc<AtomicUsize>,
}

impl reqwest::dns::Resolve for Lookups {
    fn resolve(&self, _: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.count.fetch_add(1, Ordering::SeqCst);
        let answer = self.answer;
        Box::pin(async move {
            match answer {
                Some(address) => Ok(Box::new(std::iter::once(address)) as reqwest::dns::Addrs),
                None => Err("no such host".into()),
            }
        })
    }
}

/// A client for `http://localhost:{port}` whose lookups of `localhost` answer `answer`,
/// with the number of lookups made.
fn resolving_to(answer: Option<SocketAddr>, port: u16) -> (ServerClient, Arc<AtomicUsize>) {
    let count = Arc::new(AtomicUsize::new(0));
    let resolver = Lookups {
        answer,
        count: Arc::clone(&count),
    };
    let http = reqwest::Client::builder()
        .dns_resolver(Arc::new(resolver))
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let client = builder(&format!("http://localhost:{port}"), 3)
        .http_client(http)
        .build()
        .unwrap();
    (client, count)
}

/// A loopback port where nothing listens: bound, then released.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[tokio::test]
async fn a_failed_lookup_and_a_refused_connection_are_connect_failures_retried_even_for_a_send() {
    let port = closed_port();
    let refused = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
    for answer in [None, Some(refused)] {
        let (client, lookups) = resolving_to(answer, port);
        let email = SendEmail::new("a@example.com", "b@example.com", "s").text_body("t");
        let error = client.send_email(&email).await.unwrap_err();
        assert_eq!(
            error.transport_kind(),
            Some(TransportErrorKind::Connect),
            "{answer:?}: {error}"
        );
        // Never sent, so even the send was tried again, up to the policy's three tries,
        // each from its lookup.
        assert_eq!(lookups.load(Ordering::SeqCst), 3, "{answer:?}");
    }
}

#[tokio::test]
async fn a_failed_tls_handshake_is_a_connect_failure_and_is_retried_even_for_a_send() {
    for answer in [
        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".to_vec(),
        Vec::new(),
    ] {
        let (port, accepted) = plain_listener(answer.clone());
        let client = client(&format!("https://127.0.0.1:{port}"), 3);
        let email = SendEmail::new("a@example.com", "b@example.com", "s").text_body("t");
        let error = client.send_email(&email).await.unwrap_err();
        assert_eq!(
            error.transport_kind(),
            Some(TransportErrorKind::Connect),
            "{answer:?}: {error}"
        );
        assert_eq!(accepted.load(Ordering::SeqCst), 3, "{answer:?}");
    }
}

#[tokio::test]
async fn a_redirect_is_not_followed_with_the_token() {
    let (port, accepted) =
        plain_listener(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}".to_vec());
    let (redirecting, _) = plain_listener(
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{port}/server\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .into_bytes(),
    );
    let error = client(&format!("http://127.0.0.1:{redirecting}"), 1)
        .get_current_server(&GetCurrentServer {})
        .await
        .unwrap_err();
    assert!(error.to_string().contains("307"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[test]
fn plain_http_to_another_host_is_refused_without_connecting() {
    for url in ["http://api.postmarkapp.com", "http://192.0.2.1:8025"] {
        let error = ServerClient::builder("t")
            .unwrap()
            .base_url(url)
            .unwrap_err();
        assert!(error.to_string().contains("clear text"), "{error}");
    }
    assert!(
        ServerClient::builder("t")
            .unwrap()
            .allow_insecure_http()
            .base_url("http://192.0.2.1:8025")
            .is_ok()
    );
}
