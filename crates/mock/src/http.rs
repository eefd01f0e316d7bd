//! HTTP/1.1 on the wire: reading one request with hard limits, writing one response.
//!
//! Only what API clients send is supported: origin-form targets, `Content-Length` or
//! `Transfer-Encoding: chunked` bodies, `Expect: 100-continue` and keep-alive. Anything else
//! is rejected with an [`HttpError`] that maps to a 4xx answer after which the connection is
//! closed, because the request boundary can no longer be trusted.

use std::borrow::Cow;
use std::io::{self, BufRead, Read, Write};

/// Limit for the request line plus all header lines (and chunked trailers).
pub(crate) const MAX_HEAD: usize = 64 * 1024;
/// Limit for a request body; above every per-route limit, so those can answer 413 themselves.
pub(crate) const MAX_BODY: usize = 60 * 1024 * 1024;
/// Limit for one chunk-size line; real clients send a few hex digits.
const MAX_CHUNK_LINE: usize = 1024;

/// CORS headers sent on every response: a browser page on another loopback origin calls us.
const CORS: &str = "Access-Control-Allow-Origin: *\r\n\
                    Access-Control-Expose-Headers: Retry-After, X-Request-Id\r\n";

#[derive(Debug)]
pub(crate) struct Request {
    pub(crate) method: String,
    /// Path as sent, without the query string and not percent-decoded.
    pub(crate) path: String,
    /// Raw query string without the `?`.
    pub(crate) query: String,
    headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
    pub(crate) keep_alive: bool,
}

impl Request {
    /// First header with this name (names are case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug)]
pub(crate) enum HttpError {
    /// The peer went away mid-request or the socket failed: nothing can be answered.
    Disconnected,
    Malformed(&'static str),
    HeadTooLarge,
    BodyTooLarge,
    /// The request did not arrive whole in time.
    TimedOut,
}

impl From<io::Error> for HttpError {
    fn from(error: io::Error) -> Self {
        match error.kind() {
            io::ErrorKind::TimedOut => HttpError::TimedOut,
            _ => HttpError::Disconnected,
        }
    }
}

impl HttpError {
    /// The answer to send before closing, if the peer can still hear one.
    pub(crate) fn response(&self) -> Option<Response> {
        let (status, text) = match self {
            HttpError::Disconnected => return None,
            HttpError::Malformed(why) => (400, *why),
            HttpError::HeadTooLarge => (431, "Request header fields too large"),
            HttpError::BodyTooLarge => (413, "Request entity too large"),
            HttpError::TimedOut => (408, "Request timeout"),
        };
        Some(Response::text(status, text).closing())
    }
}

/// Reads one request. `Ok(None)` means the peer closed the connection between requests.
/// `interim` receives the `100 Continue` answer when the client waits for it.
pub(crate) fn read_request<R: BufRead, W: Write>(
    input: &mut R,
    interim: &mut W,
) -> Result<Option<Request>, HttpError> {
    let mut budget = MAX_HEAD;
    // A connection that stays idle until the reader's deadline is closed without an
    // answer: there is no request to answer, and a client about to reuse it must not
    // read a 408 as the answer to its next one.
    match input.fill_buf() {
        Ok([]) => return Ok(None),
        Err(error) if error.kind() == io::ErrorKind::TimedOut => return Ok(None),
        Err(_) => return Err(HttpError::Disconnected),
        Ok(_) => {}
    }
    // Tolerate stray empty lines before a request (RFC 9112 §2.2); some clients add a CRLF
    // after a POST body.
    let request_line = loop {
        match read_line(input, &mut budget)? {
            None => return Ok(None),
            Some(line) if line.is_empty() => continue,
            Some(line) => break line,
        }
    };
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some(version), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(HttpError::Malformed("Malformed request line"));
    };
    if method.is_empty() || !method.bytes().all(is_token_byte) {
        return Err(HttpError::Malformed("Malformed method"));
    }
    let mut keep_alive = match version {
        "HTTP/1.1" => true,
        "HTTP/1.0" => false,
        _ => return Err(HttpError::Malformed("Unsupported HTTP version")),
    };
    let (path, query) = split_target(target)?;

    let mut headers = Vec::new();
    loop {
        let line = read_line(input, &mut budget)?
            .ok_or(HttpError::Malformed("Connection closed inside the header"))?;
        if line.is_empty() {
            break;
        }
        headers.push(parse_header(&line)?);
    }

    let mut request = Request {
        method: method.to_owned(),
        path,
        query,
        headers,
        body: Vec::new(),
        keep_alive: false,
    };
    if let Some(connection) = request.header("Connection") {
        for option in connection.split(',').map(str::trim) {
            if option.eq_ignore_ascii_case("close") {
                keep_alive = false;
            } else if option.eq_ignore_ascii_case("keep-alive") {
                keep_alive = true;
            }
        }
    }
    request.keep_alive = keep_alive;

    let framing = body_framing(&request)?;
    let has_body = !matches!(framing, Framing::Length(0));
    let expects_continue = request
        .header("Expect")
        .is_some_and(|v| v.eq_ignore_ascii_case("100-continue"));
    if expects_continue && has_body {
        interim.write_all(b"HTTP/1.1 100 Continue\r\n\r\n")?;
        interim.flush()?;
    }
    request.body = match framing {
        Framing::Length(len) => read_exact_body(input, len)?,
        Framing::Chunked => read_chunked_body(input, &mut budget)?,
    };
    Ok(Some(request))
}

enum Framing {
    Length(usize),
    Chunked,
}

fn body_framing(request: &Request) -> Result<Framing, HttpError> {
    let lengths: Vec<&str> = request
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("Content-Length"))
        .map(|(_, v)| v.as_str())
        .collect();
    if let Some(coding) = request.header("Transfer-Encoding") {
        // Both framings at once is the classic request-smuggling shape: refuse it.
        if !lengths.is_empty() {
            return Err(HttpError::Malformed(
                "Both Content-Length and Transfer-Encoding",
            ));
        }
        if !coding.trim().eq_ignore_ascii_case("chunked") {
            return Err(HttpError::Malformed("Unsupported Transfer-Encoding"));
        }
        return Ok(Framing::Chunked);
    }
    let Some(first) = lengths.first() else {
        return Ok(Framing::Length(0));
    };
    if lengths.iter().any(|v| v != first) {
        return Err(HttpError::Malformed("Conflicting Content-Length headers"));
    }
    if first.is_empty() || !first.bytes().all(|b| b.is_ascii_digit()) {
        return Err(HttpError::Malformed("Invalid Content-Length"));
    }
    // Too many digits to parse is certainly too large.
    match first.parse::<usize>() {
        Ok(len) if len <= MAX_BODY => Ok(Framing::Length(len)),
        _ => Err(HttpError::BodyTooLarge),
    }
}

/// Room reserved for a body before its bytes arrive: `Content-Length` is the client's
/// word, and a lying one must not make a connection hold 60 MB it never sent.
const BODY_RESERVE: usize = 64 * 1024;

fn read_exact_body<R: BufRead>(input: &mut R, len: usize) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::with_capacity(len.min(BODY_RESERVE));
    input.take(len as u64).read_to_end(&mut body)?;
    if body.len() != len {
        return Err(HttpError::Disconnected);
    }
    Ok(body)
}

fn read_chunked_body<R: BufRead>(input: &mut R, budget: &mut usize) -> Result<Vec<u8>, HttpError> {
    let mut body = Vec::new();
    loop {
        let mut line_budget = MAX_CHUNK_LINE;
        let line = read_line(input, &mut line_budget)?.ok_or(HttpError::Disconnected)?;
        let size_text = line.split(';').next().unwrap_or("").trim();
        if size_text.is_empty() || !size_text.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(HttpError::Malformed("Invalid chunk size"));
        }
        let size = usize::from_str_radix(size_text, 16).map_err(|_| HttpError::BodyTooLarge)?;
        if size == 0 {
            break;
        }
        if size > MAX_BODY - body.len() {
            return Err(HttpError::BodyTooLarge);
        }
        let before = body.len();
        input.by_ref().take(size as u64).read_to_end(&mut body)?;
        if body.len() - before != size {
            return Err(HttpError::Disconnected);
        }
        let mut crlf_budget = 2;
        match read_line(input, &mut crlf_budget) {
            Ok(Some(rest)) if rest.is_empty() => {}
            Ok(None) => return Err(HttpError::Disconnected),
            Ok(Some(_)) | Err(HttpError::HeadTooLarge) => {
                return Err(HttpError::Malformed("Chunk data longer than its size"));
            }
            Err(e) => return Err(e),
        }
    }
    // Trailer fields carry nothing we use; they only count against the header budget.
    loop {
        let line = read_line(input, budget)?.ok_or(HttpError::Disconnected)?;
        if line.is_empty() {
            return Ok(body);
        }
    }
}

/// Reads one line (LF or CRLF terminated) charging its length to `budget`.
/// `Ok(None)` only when the input is at EOF before the first byte.
fn read_line<R: BufRead>(input: &mut R, budget: &mut usize) -> Result<Option<String>, HttpError> {
    let mut line = Vec::new();
    let read = input
        .by_ref()
        .take(*budget as u64)
        .read_until(b'\n', &mut line)?;
    if read == 0 {
        return if *budget == 0 {
            Err(HttpError::HeadTooLarge)
        } else {
            Ok(None)
        };
    }
    if line.last() != Some(&b'\n') {
        return Err(if read == *budget {
            HttpError::HeadTooLarge
        } else {
            HttpError::Disconnected
        });
    }
    *budget -= read;
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    String::from_utf8(line)
        .map(Some)
        .map_err(|_| HttpError::Malformed("Header is not valid UTF-8"))
}

fn parse_header(line: &str) -> Result<(String, String), HttpError> {
    if line.starts_with([' ', '\t']) {
        return Err(HttpError::Malformed("Obsolete header line folding"));
    }
    let (name, value) = line
        .split_once(':')
        .ok_or(HttpError::Malformed("Header line without a colon"))?;
    if name.is_empty() || !name.bytes().all(is_token_byte) {
        return Err(HttpError::Malformed("Malformed header name"));
    }
    Ok((name.to_owned(), value.trim_matches([' ', '\t']).to_owned()))
}

/// Splits a request target into path and query. Absolute-form targets (sent through
/// proxies) are reduced to their path.
fn split_target(target: &str) -> Result<(String, String), HttpError> {
    let origin_form = match target.split_once("://") {
        Some((scheme, rest))
            if scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https") =>
        {
            rest.find('/').map_or("/", |at| &rest[at..])
        }
        _ => target,
    };
    if !origin_form.starts_with('/') && origin_form != "*" {
        return Err(HttpError::Malformed("Malformed request target"));
    }
    let (path, query) = origin_form.split_once('?').unwrap_or((origin_form, ""));
    Ok((path.to_owned(), query.to_owned()))
}

fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

#[derive(Debug)]
pub(crate) struct Response {
    pub(crate) status: u16,
    content_type: Option<Cow<'static, str>>,
    headers: Vec<(&'static str, String)>,
    body: Vec<u8>,
    pub(crate) close: bool,
}

impl Response {
    pub(crate) fn json(status: u16, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type: Some(Cow::Borrowed("application/json; charset=utf-8")),
            headers: Vec::new(),
            body,
            close: false,
        }
    }

    /// Plain-text answers mimic Postmark's front proxy, which does not speak JSON.
    pub(crate) fn text(status: u16, text: &str) -> Self {
        Response {
            status,
            content_type: Some(Cow::Borrowed("text/plain; charset=utf-8")),
            headers: Vec::new(),
            body: text.as_bytes().to_vec(),
            close: false,
        }
    }

    /// Any body under a caller-chosen media type (injected proxy pages).
    pub(crate) fn page(status: u16, content_type: String, body: Vec<u8>) -> Self {
        Response {
            status,
            content_type: Some(Cow::Owned(content_type)),
            headers: Vec::new(),
            body,
            close: false,
        }
    }

    pub(crate) fn empty(status: u16) -> Self {
        Response {
            status,
            content_type: None,
            headers: Vec::new(),
            body: Vec::new(),
            close: false,
        }
    }

    pub(crate) fn header(mut self, name: &'static str, value: impl Into<String>) -> Self {
        self.headers.push((name, value.into()));
        self
    }

    pub(crate) fn closing(mut self) -> Self {
        self.close = true;
        self
    }

    /// Serialises the whole response into one buffer so it leaves in a single write.
    pub(crate) fn write_to<W: Write>(&self, out: &mut W, request_id: &str) -> io::Result<()> {
        let mut head = String::with_capacity(256);
        head.push_str("HTTP/1.1 ");
        head.push_str(&self.status.to_string());
        head.push(' ');
        head.push_str(reason(self.status));
        head.push_str("\r\n");
        if let Some(content_type) = &self.content_type {
            head.push_str("Content-Type: ");
            head.push_str(content_type);
            head.push_str("\r\n");
        }
        // RFC 9110 §8.6: no Content-Length on 1xx/204.
        if self.status != 204 {
            head.push_str("Content-Length: ");
            head.push_str(&self.body.len().to_string());
            head.push_str("\r\n");
        }
        head.push_str("X-Request-Id: ");
        head.push_str(request_id);
        head.push_str("\r\n");
        head.push_str(CORS);
        for (name, value) in &self.headers {
            head.push_str(name);
            head.push_str(": ");
            head.push_str(value);
            head.push_str("\r\n");
        }
        head.push_str(if self.close {
            "Connection: close\r\n\r\n"
        } else {
            "Connection: keep-alive\r\n\r\n"
        });
        let mut wire = head.into_bytes();
        wire.extend_from_slice(&self.body);
        out.write_all(&wire)?;
        out.flush()
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        404 => "Not Found",
        405 => "Method Not Allowed",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    fn parse(raw: &[u8]) -> (Result<Option<Request>, HttpError>, Vec<u8>) {
        let mut interim = Vec::new();
        let result = read_request(&mut BufReader::new(raw), &mut interim);
        (result, interim)
    }

    fn ok(raw: &[u8]) -> Request {
        match parse(raw).0 {
            Ok(Some(request)) => request,
            other => panic!("expected a request, got {other:?}"),
        }
    }

    fn status_of(raw: &[u8]) -> Option<u16> {
        match parse(raw).0 {
            Err(e) => e.response().map(|r| r.status),
            Ok(r) => panic!("expected an error, got {r:?}"),
        }
    }

    #[test]
    fn parses_a_get_with_query_and_headers() {
        let r = ok(b"GET /servers?count=10&offset=0 HTTP/1.1\r\nHost: x\r\nX-Postmark-Account-Token:  abc \r\n\r\n");
        assert_eq!(r.method, "GET");
        assert_eq!(r.path, "/servers");
        assert_eq!(r.query, "count=10&offset=0");
        assert_eq!(r.header("x-postmark-account-token"), Some("abc"));
        assert!(r.keep_alive);
        assert!(r.body.is_empty());
    }

    #[test]
    fn content_length_body_is_read_exactly() {
        let mut input = BufReader::new(
            &b"POST /email HTTP/1.1\r\nContent-Length: 5\r\n\r\nhelloGET / HTTP/1.1\r\n\r\n"[..],
        );
        let first = read_request(&mut input, &mut Vec::new()).unwrap().unwrap();
        assert_eq!(first.body, b"hello");
        let second = read_request(&mut input, &mut Vec::new()).unwrap().unwrap();
        assert_eq!((second.method.as_str(), second.path.as_str()), ("GET", "/"));
        assert!(read_request(&mut input, &mut Vec::new()).unwrap().is_none());
    }

    #[test]
    fn keep_alive_follows_version_and_connection_header() {
        assert!(!ok(b"GET / HTTP/1.0\r\n\r\n").keep_alive);
        assert!(ok(b"GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keep_alive);
        assert!(!ok(b"GET / HTTP/1.1\r\nConnection: foo, close\r\n\r\n").keep_alive);
    }

    #[test]
    fn chunked_body_with_extensions_and_trailers() {
        let r = ok(b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n4;ext=1\r\nWiki\r\n0005\r\npedia\r\n0\r\nTrailer: y\r\n\r\n");
        assert_eq!(r.body, b"Wikipedia");
    }

    #[test]
    fn expect_continue_gets_an_interim_answer_only_with_a_body() {
        let (r, interim) =
            parse(b"POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n{}");
        assert_eq!(r.unwrap().unwrap().body, b"{}");
        assert_eq!(interim, b"HTTP/1.1 100 Continue\r\n\r\n");
        let (_, interim) = parse(b"GET /x HTTP/1.1\r\nExpect: 100-continue\r\n\r\n");
        assert!(interim.is_empty());
    }

    #[test]
    fn oversized_body_is_refused_before_continue() {
        let raw = format!(
            "POST /x HTTP/1.1\r\nExpect: 100-continue\r\nContent-Length: {}\r\n\r\n",
            MAX_BODY + 1
        );
        let (r, interim) = parse(raw.as_bytes());
        assert!(matches!(r, Err(HttpError::BodyTooLarge)));
        assert!(interim.is_empty());
        assert_eq!(
            status_of(b"POST /x HTTP/1.1\r\nContent-Length: 99999999999999999999999\r\n\r\n"),
            Some(413)
        );
        assert_eq!(
            status_of(
                b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFFFFF\r\n"
            ),
            Some(413)
        );
        assert_eq!(
            status_of(b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3FFFFFF\r\n"),
            Some(413)
        );
    }

    #[test]
    fn oversized_head_is_431() {
        let raw = format!("GET / HTTP/1.1\r\nX-Big: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert_eq!(status_of(raw.as_bytes()), Some(431));
        let many = format!(
            "GET / HTTP/1.1\r\n{}\r\n",
            "X-A: b\r\n".repeat(MAX_HEAD / 8)
        );
        assert_eq!(status_of(many.as_bytes()), Some(431));
    }

    #[test]
    fn malformed_framing_is_400() {
        for raw in [
            &b"POST /x HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"[..],
            b"POST /x HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\n",
            b"POST /x HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
            b"POST /x HTTP/1.1\r\nContent-Length: 1 2\r\n\r\n",
            b"POST /x HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
            b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
            b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n",
        ] {
            assert_eq!(
                status_of(raw),
                Some(400),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn malformed_heads_are_400() {
        for raw in [
            &b"GET /\r\n\r\n"[..],
            b"GET / HTTP/2.0\r\n\r\n",
            b"GET  / HTTP/1.1\r\n\r\n",
            b"G(T / HTTP/1.1\r\n\r\n",
            b"GET nopath HTTP/1.1\r\n\r\n",
            b"GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            b"GET / HTTP/1.1\r\nBad Name: x\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: b\r\n folded\r\n\r\n",
            b"GET / HTTP/1.1\r\nA: \xff\r\n\r\n",
            b"GET / HTTP/1.1\r\n",
        ] {
            assert_eq!(
                status_of(raw),
                Some(400),
                "{}",
                String::from_utf8_lossy(raw)
            );
        }
    }

    #[test]
    fn truncated_body_is_a_silent_close() {
        assert_eq!(
            status_of(b"POST /x HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"),
            None
        );
        assert_eq!(
            status_of(b"POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab"),
            None
        );
        assert_eq!(status_of(b"GET / HTTP/1.1\r\nHost: x"), None);
    }

    #[test]
    fn lenient_forms_are_accepted() {
        let r = ok(b"\r\n\nPOST http://127.0.0.1:1/email/?a=1 HTTP/1.1\nContent-Length: 0\n\n");
        assert_eq!((r.path.as_str(), r.query.as_str()), ("/email/", "a=1"));
        assert_eq!(ok(b"OPTIONS * HTTP/1.1\r\n\r\n").path, "*");
        assert_eq!(ok(b"GET http://host HTTP/1.1\r\n\r\n").path, "/");
    }

    #[test]
    fn arbitrary_bytes_never_panic() {
        let valid = b"POST /email/batch?x=1 HTTP/1.1\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nExpect: 100-continue\r\n\r\n3\r\n[1]\r\n0\r\n\r\n";
        for cut in 0..valid.len() {
            let _ = parse(&valid[..cut]);
        }
        // xorshift: deterministic pseudo-random mutations of the valid request
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        for _ in 0..5000 {
            let mut raw = valid.to_vec();
            for _ in 0..4 {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                let at = (seed % raw.len() as u64) as usize;
                raw[at] = (seed >> 32) as u8;
            }
            let _ = parse(&raw);
        }
    }

    #[test]
    fn response_framing() {
        let mut out = Vec::new();
        Response::json(200, b"{}".to_vec())
            .header("Retry-After", "3")
            .write_to(&mut out, "rid")
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: 2\r\nX-Request-Id: rid\r\n"));
        assert!(text.contains("Access-Control-Allow-Origin: *\r\n"));
        assert!(text.ends_with("Retry-After: 3\r\nConnection: keep-alive\r\n\r\n{}"));

        let mut out = Vec::new();
        Response::empty(204)
            .closing()
            .write_to(&mut out, "r")
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 204 No Content\r\nX-Request-Id: r\r\n"));
        assert!(!text.contains("Content-Length"));
        assert!(text.ends_with("Connection: close\r\n\r\n"));
    }
}
