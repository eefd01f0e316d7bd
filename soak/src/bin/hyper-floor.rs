//! The mock's HTTP limits on hyper's HTTP/1.1 server instead of the hand-written one, for
//! `mock-load` to measure beside it (`mock-load --mock target/release/hyper-floor`): it
//! starts as `postmark-mock` does (`--request-timeout-ms T`, prints `url=` and
//! `server_token=`), answers `GET /server` with a server's JSON when the token is right,
//! and reads `POST /email` bodies with the mock's limits (60 MB, the request timeout,
//! 413, 408, 400 for a body that is not JSON). It has no API behind it: what it measures
//! is the HTTP layer alone, a floor for the mock's requests per second.

use std::convert::Infallible;
use std::io::Write;
use std::time::Duration;

use bytes::Bytes;
use http::{Method, Request, Response, StatusCode};
use http_body_util::{BodyExt, Full, Limited};
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use tokio::net::TcpListener;

/// The mock's limits (crates/mock/src/http.rs).
const MAX_HEAD: usize = 64 * 1024;
const MAX_BODY: usize = 60 * 1024 * 1024;
const TOKEN: &str = "hyper-floor-token";
/// The size and shape of the mock's answer to `GET /server`.
const SERVER: &str = r#"{"ID":1,"Name":"Default server","ApiTokens":["****"],"Color":"Purple","SmtpApiActivated":true,"RawEmailEnabled":false,"DeliveryType":"Live","ServerLink":"https://account.postmarkapp.com/servers/1/streams","InboundAddress":"0123456789abcdef@inbound.postmarkapp.com","InboundHookUrl":"","BounceHookUrl":"","OpenHookUrl":"","DeliveryHookUrl":"","PostFirstOpenOnly":false,"InboundDomain":"","InboundHash":"0123456789abcdef","InboundSpamThreshold":0,"TrackOpens":false,"TrackLinks":"None","IncludeBounceContentInHook":false,"ClickHookUrl":"","EnableSmtpApiErrorHooks":false}"#;

fn main() -> std::io::Result<()> {
    let mut timeout = Duration::from_secs(30);
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--request-timeout-ms" {
            let ms = args.next().and_then(|v| v.parse().ok()).unwrap_or(30_000);
            timeout = Duration::from_millis(ms);
        }
    }
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(serve(timeout))
}

async fn serve(timeout: Duration) -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "url=http://{}\nserver_token={TOKEN}",
        listener.local_addr()?
    )?;
    out.flush()?;
    drop(out);
    loop {
        let (stream, _) = listener.accept().await?;
        tokio::spawn(async move {
            // A connection's error (a client gone, a head too large) ends only it.
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(timeout)
                .max_buf_size(MAX_HEAD)
                .serve_connection(
                    TokioIo::new(stream),
                    service_fn(move |request| handle(request, timeout)),
                )
                .await;
        });
    }
}

async fn handle(
    request: Request<Incoming>,
    timeout: Duration,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let answer = |status: StatusCode, body: &'static str| {
        let mut response = Response::new(Full::new(Bytes::from_static(body.as_bytes())));
        *response.status_mut() = status;
        response
    };
    let token = request
        .headers()
        .get("x-postmark-server-token")
        .is_some_and(|value| value == TOKEN);
    Ok(match (request.method(), request.uri().path()) {
        (&Method::GET, "/server") if token => answer(StatusCode::OK, SERVER),
        (&Method::POST, "/email") => {
            let declared = request
                .headers()
                .get(http::header::CONTENT_LENGTH)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.parse::<usize>().ok());
            if declared.is_some_and(|length| length > MAX_BODY) {
                let mut refused = answer(StatusCode::PAYLOAD_TOO_LARGE, "Request entity too large");
                refused
                    .headers_mut()
                    .insert(http::header::CONNECTION, "close".parse().unwrap());
                return Ok(refused);
            }
            let body = Limited::new(request.into_body(), MAX_BODY).collect();
            match tokio::time::timeout(timeout, body).await {
                Err(_) => {
                    let mut late = answer(StatusCode::REQUEST_TIMEOUT, "Request timeout");
                    late.headers_mut()
                        .insert(http::header::CONNECTION, "close".parse().unwrap());
                    late
                }
                Ok(Err(_)) => answer(StatusCode::PAYLOAD_TOO_LARGE, "Request entity too large"),
                Ok(Ok(body)) => match serde_json::from_slice::<serde_json::Value>(&body.to_bytes())
                {
                    Ok(_) if token => answer(StatusCode::OK, r#"{"ErrorCode":0,"Message":"OK"}"#),
                    Ok(_) => answer(
                        StatusCode::UNAUTHORIZED,
                        r#"{"ErrorCode":10,"Message":"No token"}"#,
                    ),
                    Err(_) => answer(
                        StatusCode::BAD_REQUEST,
                        r#"{"ErrorCode":402,"Message":"Invalid JSON"}"#,
                    ),
                },
            }
        }
        (_, "/server") => answer(
            StatusCode::UNAUTHORIZED,
            r#"{"ErrorCode":10,"Message":"No token"}"#,
        ),
        _ => answer(
            StatusCode::NOT_FOUND,
            r#"{"ErrorCode":404,"Message":"Not found"}"#,
        ),
    })
}
