//! One endpoint, and the two pure functions over it: [`build`] and [`parse`].

use std::fmt::{self, Display};

use http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{BuildError, Config, Error, TokenKind};

/// One Postmark endpoint: a plain struct holding the request's parameters.
///
/// Implementations describe the request; [`build`] and [`parse`] do the rest,
/// so no endpoint writes headers, URLs or error handling of its own.
pub trait Endpoint {
    /// The kind of token the endpoint needs.
    type Token: TokenKind;
    /// What a successful response parses into.
    type Response: DeserializeOwned + fmt::Debug;

    /// The operation's name in the operation table (`"send_email"`).
    const OPERATION: &'static str;

    /// The HTTP method.
    fn method(&self) -> Method;

    /// The path below the base URL, starting with `/`. User-supplied
    /// segments must go through [`path_segment`].
    fn path(&self) -> String;

    /// Query parameters, in the order Postmark documents them.
    fn query(&self, _query: &mut Query) {}

    /// The JSON body, if any. Limits on the body are checked here.
    fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
        Ok(None)
    }

    /// Checks that need no serialization (missing fields, recipient counts).
    fn validate(&self) -> Result<(), BuildError> {
        Ok(())
    }

    /// Whether sending the request twice has the same effect as sending it
    /// once. Retries after an ambiguous failure (a timeout, a 500) happen only
    /// for idempotent requests unless the caller opts in.
    fn idempotent(&self) -> bool {
        self.method() != Method::POST
    }
}

/// Builds the HTTP request for `endpoint`. Nothing is sent: the caller's
/// transport does that.
///
/// The config's token kind must be the endpoint's, which the compiler checks:
///
/// ```compile_fail
/// use postmark_kit::{build, Config, Server, Token};
/// use postmark_kit::api::servers::GetServer;
///
/// let config = Config::<Server>::new(Token::new("server-token").unwrap());
/// // GetServer needs an account token: this does not compile.
/// build(&config, &GetServer { id: 1 });
/// ```
pub fn build<E: Endpoint>(
    config: &Config<E::Token>,
    endpoint: &E,
) -> Result<Request<Vec<u8>>, BuildError> {
    build_with(config, endpoint)
}

/// [`build`] without the compile-time token check, for the dynamic interface,
/// which checks the kind at run time instead.
pub(crate) fn build_with<K: TokenKind, E: Endpoint>(
    config: &Config<K>,
    endpoint: &E,
) -> Result<Request<Vec<u8>>, BuildError> {
    endpoint.validate()?;
    let mut query = Query::default();
    endpoint.query(&mut query);
    let mut uri = format!("{}{}", config.base_url(), endpoint.path());
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(&query.encoded);
    }
    let body = endpoint.body()?;
    let mut builder = Request::builder()
        .method(endpoint.method())
        .uri(uri)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .header(USER_AGENT, config.user_agent().clone())
        .header(K::HEADER, config.token().header_value().clone());
    if body.is_some() {
        builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    builder
        .body(body.unwrap_or_default())
        .map_err(|_| BuildError::InvalidPath {
            path: endpoint.path(),
        })
}

/// Parses a response to `E`: the model on a 2xx status, an [`Error`] otherwise.
/// Never panics, whatever the bytes.
pub fn parse<E: Endpoint>(response: Response<impl AsRef<[u8]>>) -> Result<E::Response, Error> {
    parse_body(&response)
}

pub(crate) fn parse_body<T: DeserializeOwned, B: AsRef<[u8]>>(
    response: &Response<B>,
) -> Result<T, Error> {
    if !response.status().is_success() {
        return Err(Error::from_status(response));
    }
    let body = response.body().as_ref();
    if body.iter().all(u8::is_ascii_whitespace) {
        // An empty success body is read as `null`: raw calls get `null`, and a
        // model that needs fields reports what it missed.
        return T::deserialize(serde_json::Value::Null).map_err(|e| Error::Decode {
            status: response.status(),
            path: ".".into(),
            message: e.to_string(),
            body: String::new(),
        });
    }
    // Tracking the path costs as much as the parse itself, and only a failure
    // needs it: the common case parses untracked, a failure parses again.
    // Checking UTF-8 once for the whole body is cheaper than string by string.
    let untracked = match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    };
    if let Ok(value) = untracked {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_slice(body);
    let value = serde_path_to_error::deserialize(&mut de)
        .map_err(|e| Error::decode(response.status(), e, body))?;
    // Trailing garbage after the document makes the whole response suspect.
    de.end()
        .map_err(|e| Error::trailing(response.status(), e, body))?;
    Ok(value)
}

/// Serializes a JSON body and refuses it when it is over `max` bytes.
pub(crate) fn json_body<T: Serialize + ?Sized>(
    value: &T,
    max: usize,
) -> Result<Option<Vec<u8>>, BuildError> {
    // What serde_json::to_vec starts with.
    json_body_sized(value, 128, max)
}

/// [`json_body`] into a buffer made for `expected` bytes, up to 64 KiB: a
/// buffer that grows from small copies the body each time it doubles. Larger
/// buffers still grow, as reserving megabytes up front fragments the heap
/// (and glibc's realloc moves large blocks without copying them).
pub(crate) fn json_body_sized<T: Serialize + ?Sized>(
    value: &T,
    expected: usize,
    max: usize,
) -> Result<Option<Vec<u8>>, BuildError> {
    let mut bytes = Vec::with_capacity(expected.min(64 * 1024));
    crate::json::write(&mut bytes, value).expect("request models always serialize");
    if bytes.len() > max {
        return Err(BuildError::PayloadTooLarge {
            bytes: bytes.len(),
            max,
        });
    }
    Ok(Some(bytes))
}

/// Query parameters, percent-encoded as they are added.
#[derive(Debug, Default, Clone)]
pub struct Query {
    encoded: String,
}

impl Query {
    /// Adds `key=value`.
    pub fn push(&mut self, key: &str, value: impl Display) -> &mut Self {
        let mut serializer =
            form_urlencoded::Serializer::for_suffix(std::mem::take(&mut self.encoded), 0);
        serializer.append_pair(key, &value.to_string());
        self.encoded = serializer.finish();
        self
    }

    /// Adds `key=value` when there is a value.
    pub fn push_opt(&mut self, key: &str, value: Option<impl Display>) -> &mut Self {
        if let Some(value) = value {
            self.push(key, value);
        }
        self
    }

    /// Whether no parameter was added.
    pub fn is_empty(&self) -> bool {
        self.encoded.is_empty()
    }
}

impl Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encoded)
    }
}

/// Percent-encodes one path segment, so that an alias or stream ID such as
/// `a/b?c` cannot change the path.
pub fn path_segment(segment: &str) -> String {
    const KEEP: &[u8] = b"-._~";
    let mut out = String::with_capacity(segment.len());
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || KEEP.contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_encodes_reserved_characters() {
        let mut q = Query::default();
        q.push("name", "a b&c=d")
            .push("count", 5)
            .push_opt("x", None::<&str>);
        assert_eq!(q.to_string(), "name=a+b%26c%3Dd&count=5");
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(path_segment("my-alias_1.x~"), "my-alias_1.x~");
        assert_eq!(path_segment("a/b?c d"), "a%2Fb%3Fc%20d");
        assert_eq!(path_segment("é"), "%C3%A9");
    }
}
