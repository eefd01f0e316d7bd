//! One endpoint, and the two pure functions over it: [`build`] and [`parse`].

use std::fmt::{self, Display};

use http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::ErasedConfig;
use crate::decode::{self, Failure};
use crate::{BuildError, Config, Error, TokenKind};

/// One Postmark endpoint: a plain struct holding the request's parameters.
///
/// Implementations describe the request; [`build`] and [`parse`] do the rest,
/// so no endpoint writes headers, URLs or error handling of its own. The
/// endpoints of [`api`](crate::api) get their name, method, path, token and
/// response type from the operation table ([`ops`](crate::ops)); an endpoint
/// of your own implements this trait directly.
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

/// What varies between the endpoints of [`api`](crate::api) beyond the
/// operation table's facts. The table's generated [`Endpoint`] impls call
/// it; the defaults fit an endpoint without query or body.
pub(crate) trait RequestParts {
    /// See [`Endpoint::query`].
    fn query(&self, _query: &mut Query) {}

    /// See [`Endpoint::body`].
    fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
        Ok(None)
    }

    /// See [`Endpoint::validate`].
    fn validate(&self) -> Result<(), BuildError> {
        Ok(())
    }

    /// See [`Endpoint::idempotent`]; by default, as the method says.
    fn idempotent(&self, method: &Method) -> bool {
        *method != Method::POST
    }
}

/// A value that fills a `{param}` of a path template.
pub(crate) trait PathParam {
    /// The value as one path segment.
    fn segment(&self) -> String;

    /// Refuses a value that cannot name anything; `field` is the parameter's name.
    fn validate(&self, _field: &'static str) -> Result<(), BuildError> {
        Ok(())
    }
}

impl PathParam for i64 {
    fn segment(&self) -> String {
        self.to_string()
    }
}

/// String IDs (message IDs) are escaped, so that no value can change the path.
impl PathParam for String {
    fn segment(&self) -> String {
        path_segment(self)
    }

    /// A blank ID would ask for the collection instead of one of its items
    /// (`/messages/outbound//details`), or for a route that does not exist.
    fn validate(&self, field: &'static str) -> Result<(), BuildError> {
        if self.trim().is_empty() {
            return Err(BuildError::MissingField { field });
        }
        Ok(())
    }
}

/// Fills a path template such as `/webhooks/{id}` with its parameters.
pub(crate) fn fill_path(template: &str, params: &[(&str, String)]) -> String {
    let mut path = template.to_owned();
    for (name, value) in params {
        path = path.replace(&format!("{{{name}}}"), value);
    }
    path
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
    build_with(&config.erased(), endpoint)
}

/// [`build`] from a config whose token kind is known only at run time (the
/// dynamic interface checks it). Not generic over the kind, so an endpoint's
/// building code exists once, whichever client builds it.
pub(crate) fn build_with<E: Endpoint>(
    config: &ErasedConfig<'_>,
    endpoint: &E,
) -> Result<Request<Vec<u8>>, BuildError> {
    endpoint.validate()?;
    let mut query = Query::default();
    endpoint.query(&mut query);
    let path = endpoint.path();
    let mut uri =
        String::with_capacity(config.base_url.len() + path.len() + query.encoded.len() + 1);
    uri.push_str(config.base_url);
    uri.push_str(&path);
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(&query.encoded);
    }
    let body = endpoint.body()?;
    let mut builder = Request::builder()
        .method(endpoint.method())
        .uri(uri)
        .header(ACCEPT, HeaderValue::from_static("application/json"))
        .header(USER_AGENT, config.user_agent.clone())
        .header(config.header, config.token.clone());
    if body.is_some() {
        builder = builder.header(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    builder
        .body(body.unwrap_or_default())
        .map_err(|_| BuildError::InvalidPath { path })
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
    let decode_error = |failure: Failure| Error::Decode {
        status: response.status(),
        path: failure.path,
        message: failure.message,
        body: crate::error::excerpt(body),
    };
    let text = std::str::from_utf8(body).map_err(|error| {
        decode_error(Failure {
            path: ".".into(),
            message: format!("the body is not UTF-8: {error}"),
            syntax: true,
        })
    })?;
    // An empty success body is read as `null`: raw calls get `null`, and a
    // model that needs fields reports what it missed.
    let text = if text.trim_ascii().is_empty() {
        "null"
    } else {
        text
    };
    decode::from_text(text).map_err(decode_error)
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
