//! What the transport does with the token and with failures that prove the request never
//! left: plain `http://` only to this machine, no redirect followed, and a failed TLS
//! handshake classified (and retried) as a connection that was never made.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;
use std::time::Duration;

use postmark_kit::RetryPolicy;
use postmark_kit::api::email::SendEmail;
use postmark_kit::api::servers::GetCurrentServer;
use postmark_kit_ureq::{ClientError, ServerClient, TransportErrorKind};

/// A loopback listener that answers every connection with `answer` (after reading what
/// the client sends first, up to a short pause) and counts the connections.
fn plain_listener(answer: &'static [u8]) -> (u16, Arc<AtomicUsize>) {
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
            let _ = stream.write_all(answer);
        }
    });
    (port, accepted)
}

fn quick_retry(attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts: attempts,
        base_delay: Duration::from_millis(1),
        max_delay: Duration::from_millis(2),
        ..RetryPolicy::default()
    }
}

fn client(base_url: &str, attempts: u32) -> ServerClient {
    ServerClient::builder("tls-test-token")
        .unwrap()
        .base_url(base_url)
        .unwrap()
        .retry(quick_retry(attempts))
        .timeout(Duration::from_secs(5))
        .build()
}

fn transport_kind(error: &ClientError) -> Option<TransportErrorKind> {
    match error {
        ClientError::Transport { kind, .. } => Some(*kind),
        _ => None,
    }
}

#[test]
fn a_failed_tls_handshake_is_a_connect_failure_and_is_retried_even_for_a_send() {
    // A server that speaks plain HTTP where TLS was expected: the handshake fails before
    // a byte of the request is written.
    for answer in [
        b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".as_slice(),
        b"",
    ] {
        let (port, accepted) = plain_listener(answer);
        let client = client(&format!("https://127.0.0.1:{port}"), 3);
        let email = SendEmail::new("a@example.com", "b@example.com", "s").text_body("t");
        let error = client.send_email(&email).unwrap_err();
        assert_eq!(
            transport_kind(&error),
            Some(TransportErrorKind::Connect),
            "{answer:?}: {error}"
        );
        // Never sent, so even the send was tried again, up to the policy's three tries.
        assert_eq!(accepted.load(Ordering::SeqCst), 3, "{answer:?}");
    }
}

/// Reads one HTTP request from `stream`: its head, then as many body bytes as its
/// `Content-Length` says. Answers the request's bytes.
fn read_request(stream: &mut impl Read) -> Vec<u8> {
    let mut request = Vec::new();
    let mut chunk = [0u8; 8192];
    loop {
        let read = stream.read(&mut chunk).unwrap();
        assert!(read > 0, "the client closed mid-request");
        request.extend_from_slice(&chunk[..read]);
        let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
        let Some(head) = text.find("\r\n\r\n") else {
            continue;
        };
        let length = text[..head]
            .lines()
            .find_map(|line| line.strip_prefix("content-length:"))
            .map_or(0, |length| length.trim().parse::<usize>().unwrap());
        if request.len() >= head + 4 + length {
            return request;
        }
    }
}

#[test]
fn a_kept_connection_the_server_closed_since_is_not_used_again() {
    // Each connection answers one send, keep-alive as far as its headers say, then closes.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let (closed, was_closed) = std::sync::mpsc::channel();
    thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            read_request(&mut stream);
            let body = br#"{"To":"b@example.com","SubmittedAt":"2026-01-01T10:00:00Z","MessageID":"m","ErrorCode":0,"Message":"OK"}"#;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes()).unwrap();
            stream.write_all(body).unwrap();
            drop(stream);
            closed.send(()).unwrap();
        }
    });
    // No retries: a send written into the closed connection would fail as "maybe sent".
    let client = client(&format!("http://127.0.0.1:{port}"), 1);
    let email = SendEmail::new("a@example.com", "b@example.com", "s").text_body("t");
    for _ in 0..3 {
        let sent = client.send_email(&email).unwrap();
        assert_eq!(sent.message_id.as_deref(), Some("m"));
        was_closed.recv().unwrap();
    }
}

#[test]
fn a_refused_connection_is_a_connect_failure() {
    // A port bound then released: nothing listens there.
    let port = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let error = client(&format!("http://127.0.0.1:{port}"), 1)
        .get_current_server(&GetCurrentServer {})
        .unwrap_err();
    assert_eq!(transport_kind(&error), Some(TransportErrorKind::Connect));
}

#[test]
fn a_redirect_is_not_followed_with_the_token() {
    let (port, accepted) = plain_listener(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}");
    // A Postmark look-alike that sends every request to another host.
    let redirect: &'static [u8] = Box::leak(
        format!(
            "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{port}/server\r\n\
             Content-Length: 0\r\nConnection: close\r\n\r\n"
        )
        .into_bytes()
        .into_boxed_slice(),
    );
    let (redirecting, _) = plain_listener(redirect);
    let error = client(&format!("http://127.0.0.1:{redirecting}"), 1)
        .get_current_server(&GetCurrentServer {})
        .unwrap_err();
    assert_eq!(
        error.api_kind().map(|k| k.as_str()),
        Some("other"),
        "{error}"
    );
    assert!(error.to_string().contains("307"), "{error}");
    assert_eq!(accepted.load(Ordering::SeqCst), 0);
}

#[test]
fn plain_http_to_another_host_is_refused_without_connecting() {
    // Nothing is listening at these addresses, and nothing is tried: the builder refuses.
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
