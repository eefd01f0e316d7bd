//! A tiny HTTP/1.1 client on std::net, enough to talk to the mock like a real client does.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

use postmark_kit_mock::MockServer;
use serde_json::Value;

pub(crate) const SERVER: &str = "X-Postmark-Server-Token";
pub(crate) const ACCOUNT: &str = "X-Postmark-Account-Token";

#[derive(Debug)]
pub(crate) struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "status {} body is not JSON ({e}): {}",
                self.status,
                self.text()
            )
        })
    }

    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Asserts a 200 and returns the JSON body.
    #[track_caller]
    pub(crate) fn expect_ok(&self) -> Value {
        assert_eq!(self.status, 200, "{}", self.text());
        self.json()
    }

    /// Asserts a Postmark error envelope and returns its Message.
    #[track_caller]
    pub(crate) fn expect_error(&self, status: u16, code: i64) -> String {
        let body = self.json();
        assert_eq!(
            (self.status, body["ErrorCode"].as_i64()),
            (status, Some(code)),
            "{body}"
        );
        body["Message"].as_str().expect("Message").to_owned()
    }
}

/// One keep-alive connection.
pub(crate) struct Conn {
    reader: BufReader<TcpStream>,
}

impl Conn {
    pub(crate) fn open(mock: &MockServer) -> Conn {
        let stream = TcpStream::connect(("127.0.0.1", mock.port())).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        Conn {
            reader: BufReader::new(stream),
        }
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        self.reader.get_mut().write_all(bytes).expect("write");
    }

    /// Sends a request; a body gets `Content-Type: application/json` unless `headers` set one.
    pub(crate) fn send(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) {
        let mut head = format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        if let Some(body) = body {
            if !headers
                .iter()
                .any(|(n, _)| n.eq_ignore_ascii_case("Content-Type"))
            {
                head.push_str("Content-Type: application/json\r\n");
            }
            head.push_str(&format!("Content-Length: {}\r\n", body.len()));
        }
        head.push_str("\r\n");
        let mut wire = head.into_bytes();
        wire.extend_from_slice(body.unwrap_or_default());
        self.write(&wire);
    }

    pub(crate) fn request(
        &mut self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Reply {
        self.send(method, path, headers, body);
        self.read_reply().expect("a reply")
    }

    /// Reads one response; `None` when the server closed the connection instead.
    pub(crate) fn read_reply(&mut self) -> Option<Reply> {
        let mut line = String::new();
        if self.reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let status = line.split(' ').nth(1)?.parse().ok()?;
        let mut headers = Vec::new();
        loop {
            let mut line = String::new();
            self.reader.read_line(&mut line).ok()?;
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            let (name, value) = line.split_once(':')?;
            headers.push((name.to_owned(), value.trim().to_owned()));
        }
        let mut reply = Reply {
            status,
            headers,
            body: Vec::new(),
        };
        let length: usize = reply
            .header("Content-Length")
            .map_or(0, |v| v.parse().unwrap());
        reply.body = vec![0; length];
        self.reader.read_exact(&mut reply.body).ok()?;
        Some(reply)
    }

    /// True when the server has closed its side (EOF), within the read timeout.
    pub(crate) fn is_closed(&mut self) -> bool {
        let mut byte = [0u8; 1];
        matches!(self.reader.read(&mut byte), Ok(0) | Err(_))
    }
}

fn call(
    mock: &MockServer,
    method: &str,
    path: &str,
    token: Option<(&str, &str)>,
    body: Option<&Value>,
) -> Reply {
    let body = body.map(|b| serde_json::to_vec(b).unwrap());
    let headers: Vec<(&str, &str)> = token.into_iter().collect();
    Conn::open(mock).request(method, path, &headers, body.as_deref())
}

/// A request with the default server's token.
pub(crate) fn server_call(
    mock: &MockServer,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Reply {
    call(
        mock,
        method,
        path,
        Some((SERVER, mock.server_token())),
        body,
    )
}

/// A request with the account token.
pub(crate) fn account_call(
    mock: &MockServer,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Reply {
    call(
        mock,
        method,
        path,
        Some((ACCOUNT, mock.account_token())),
        body,
    )
}

/// A request without any token (control routes).
pub(crate) fn open_call(
    mock: &MockServer,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> Reply {
    call(mock, method, path, None, body)
}

/// The `key` of every item of the list `list`.
pub(crate) fn column<'v>(page: &'v Value, list: &str, key: &str) -> Vec<&'v str> {
    page[list]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| item[key].as_str().unwrap())
        .collect()
}

/// A minimal valid message.
pub(crate) fn message(to: &str) -> Value {
    serde_json::json!({"From": "sender@example.com", "To": to, "Subject": "Hello", "TextBody": "Hi"})
}

pub(crate) fn is_uuid(text: &str) -> bool {
    let groups: Vec<usize> = text.split('-').map(str::len).collect();
    groups == [8, 4, 4, 4, 12] && text.chars().all(|c| c == '-' || c.is_ascii_hexdigit())
}
