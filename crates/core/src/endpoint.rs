//! One endpoint, and the two pure functions over it: [`build`] and [`parse`].

use std::borrow::Cow;
use std::fmt::{self, Display};

use http::header::{ACCEPT, CONTENT_TYPE, USER_AGENT};
use http::{HeaderValue, Method, Request, Response};
use serde::de::DeserializeOwned;

use crate::decode::{self, Failure};
use crate::shape::read::Value;
use crate::{BuildError, Config, Error, TokenKind};

/// One Postmark endpoint: a plain struct holding the request's parameters.
///
/// [`build`] and [`parse`] do the rest, so no endpoint writes headers, URLs
/// or error handling of its own. The endpoints of [`api`](crate::api) get
/// their parts from the operation table ([`ops`](crate::ops)), which checks
/// them against the endpoint's shape and limits; an endpoint of your own
/// implements [`parts`](Self::parts) directly.
pub trait Endpoint {
    /// The kind of token the endpoint needs.
    type Token: TokenKind;
    /// What a successful response parses into.
    type Response: DeserializeOwned + fmt::Debug;

    /// The operation's name in the operation table (`"send_email"`).
    const OPERATION: &'static str;

    /// The request's method, path, query and body, every limit Postmark
    /// enforces checked first.
    fn parts(&self) -> Result<Parts<'static>, BuildError>;
}

/// What an endpoint's request is made of, besides the base URL and the
/// headers a [`Config`] adds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The HTTP method.
    pub method: Method,
    /// The path below the base URL, starting with `/`, and the encoded query
    /// after a `?` when there is one. User-supplied path segments go through
    /// [`path_segment`], query values through [`Query`].
    pub path_and_query: String,
    /// The JSON body, if any.
    pub body: Option<Cow<'a, [u8]>>,
    /// Whether sending the request twice has the same effect as sending it
    /// once. Retries after an ambiguous failure (a timeout, a 500) happen
    /// only for idempotent requests unless the caller opts in.
    pub idempotent: bool,
}

impl Parts<'_> {
    /// The request to `config`'s base URL with its token and headers.
    /// Refused when the path and query do not make a URI (only a raw
    /// request's path can).
    pub fn into_request<K: TokenKind>(
        self,
        config: &Config<K>,
    ) -> Result<Request<Vec<u8>>, BuildError> {
        let config = config.erased();
        let mut uri = String::with_capacity(config.base_url.len() + self.path_and_query.len());
        uri.push_str(config.base_url);
        uri.push_str(&self.path_and_query);
        let mut request = Request::new(self.body.map(Cow::into_owned).unwrap_or_default());
        *request.method_mut() = self.method;
        let headers = request.headers_mut();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(USER_AGENT, config.user_agent.clone());
        headers.insert(config.header, config.token.clone());
        if !request.body().is_empty() {
            request
                .headers_mut()
                .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        }
        *request.uri_mut() = uri.parse().map_err(|_| BuildError::InvalidPath {
            path: self.path_and_query.clone(),
        })?;
        Ok(request)
    }
}

/// What an endpoint of the operation table checks and sets beyond its
/// shape; the defaults fit most.
pub(crate) trait Rules {
    /// The largest body Postmark takes from the endpoint.
    const MAX_BODY: usize = crate::api::email::MAX_MESSAGE_BYTES;

    /// Whether sending the request twice is harmless, when the method alone
    /// does not say (see [`Parts::idempotent`]).
    const IDEMPOTENT: Option<bool> = None;

    /// Checks that need more than one field, once the parameters have read
    /// against the shape.
    fn check(_params: Value<'_>) -> Result<(), BuildError> {
        Ok(())
    }
}

/// [`Rules::check`] of an endpoint without checks of its own.
pub(crate) fn no_check(_params: Value<'_>) -> Result<(), BuildError> {
    Ok(())
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
    endpoint.parts()?.into_request(config)
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
        return Err(Error::from_response(response));
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
            message: crate::shape::not_utf8(error),
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

/// Query parameters, percent-encoded as they are added.
#[derive(Debug, Default, Clone)]
pub struct Query {
    encoded: String,
}

impl Query {
    /// Adds `key=value`.
    pub fn push(&mut self, key: &str, value: impl Display) -> &mut Self {
        if !self.encoded.is_empty() {
            self.encoded.push('&');
        }
        percent_encode(&mut self.encoded, key, FORM_KEEP, true);
        self.encoded.push('=');
        percent_encode(&mut self.encoded, &value.to_string(), FORM_KEEP, true);
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
    let mut out = String::with_capacity(segment.len());
    percent_encode(&mut out, segment, b"-._~", false);
    out
}

/// What a query keeps unencoded besides letters and digits, as the
/// `application/x-www-form-urlencoded` serializer of the URL standard does.
const FORM_KEEP: &[u8] = b"*-._";

/// Appends `text` to `out` with every byte but ASCII letters, digits and
/// `keep` percent-encoded, and a space as `+` when `space_as_plus` (a
/// query). Written here rather than taken from `form_urlencoded`, whose
/// table of every `%XX` weighs on the npm package's module.
fn percent_encode(out: &mut String, text: &str, keep: &[u8], space_as_plus: bool) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || keep.contains(&byte) {
            out.push(char::from(byte));
        } else if byte == b' ' && space_as_plus {
            out.push('+');
        } else {
            out.push('%');
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0xf)]));
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        #[test]
        fn query_is_encoded_as_form_urlencoded_does(key in any::<String>(), value in any::<String>(), more in any::<String>()) {
            let mut query = Query::default();
            query.push(&key, &value).push("more", &more);
            let expected = form_urlencoded::Serializer::new(String::new())
                .append_pair(&key, &value)
                .append_pair("more", &more)
                .finish();
            prop_assert_eq!(query.to_string(), expected);
        }
    }

    #[test]
    fn query_encodes_reserved_characters() {
        let mut q = Query::default();
        q.push("name", "a b&c=d")
            .push("count", 5)
            .push_opt("x", None::<&str>)
            .push_opt("tag", Some("welcome"))
            .push("last", 1);
        assert_eq!(q.to_string(), "name=a+b%26c%3Dd&count=5&tag=welcome&last=1");
    }

    #[test]
    fn path_segments_are_escaped() {
        assert_eq!(path_segment("my-alias_1.x~"), "my-alias_1.x~");
        assert_eq!(path_segment("a/b?c d"), "a%2Fb%3Fc%20d");
        assert_eq!(path_segment("é"), "%C3%A9");
    }
}
