//! Where requests go and with which token.

use http::HeaderValue;

use crate::{BuildError, Token, TokenKind};

/// Postmark's production API.
pub const DEFAULT_BASE_URL: &str = "https://api.postmarkapp.com";

/// Everything [`build`](crate::build) needs besides the endpoint: the base URL,
/// one token of kind `K`, and the `User-Agent`.
#[derive(Debug, Clone)]
pub struct Config<K: TokenKind> {
    base_url: String,
    token: Token<K>,
    user_agent: HeaderValue,
}

impl<K: TokenKind> Config<K> {
    /// A config for Postmark's production API.
    pub fn new(token: Token<K>) -> Self {
        Config {
            base_url: DEFAULT_BASE_URL.to_owned(),
            token,
            user_agent: HeaderValue::from_static(concat!(
                "postmark-kit/",
                env!("CARGO_PKG_VERSION")
            )),
        }
    }

    /// A config from the settings the bindings take: a token, and
    /// optionally another base URL and user agent. Refused as
    /// [`Token::new`], [`with_base_url`](Self::with_base_url) and
    /// [`with_user_agent`](Self::with_user_agent) refuse them.
    pub fn from_settings(
        token: &str,
        base_url: Option<&str>,
        user_agent: Option<&str>,
    ) -> Result<Self, BuildError> {
        let mut config = Config::new(Token::new(token)?);
        if let Some(url) = base_url {
            config = config.with_base_url(url)?;
        }
        if let Some(user_agent) = user_agent {
            config = config.with_user_agent(user_agent)?;
        }
        Ok(config)
    }

    /// Sends requests to another server (a mock, a proxy). The URL must be
    /// absolute `http` or `https`, without query or fragment; it may carry a
    /// path prefix. A trailing slash is dropped.
    pub fn with_base_url(mut self, url: &str) -> Result<Self, BuildError> {
        let refuse = |reason| BuildError::InvalidBaseUrl {
            url: url.to_owned(),
            reason,
        };
        let rest = url
            .strip_prefix("https://")
            .or_else(|| url.strip_prefix("http://"))
            .ok_or_else(|| refuse("it must start with http:// or https://"))?;
        let host = rest.split('/').next().unwrap_or_default();
        if host.is_empty() {
            return Err(refuse("it has no host"));
        }
        if rest.contains(['?', '#']) || url.chars().any(|c| c.is_whitespace()) {
            return Err(refuse("it must not contain a query, a fragment or spaces"));
        }
        if host.contains('@') {
            return Err(refuse("credentials belong in the token, not in the URL"));
        }
        self.base_url = url.trim_end_matches('/').to_owned();
        Ok(self)
    }

    /// Replaces the `User-Agent` header value.
    pub fn with_user_agent(mut self, user_agent: &str) -> Result<Self, BuildError> {
        self.user_agent = HeaderValue::from_str(user_agent)
            .map_err(|_| BuildError::InvalidHeaderValue { name: "user-agent" })?;
        Ok(self)
    }

    /// The base URL, without a trailing slash.
    pub fn base_url(&self) -> &str {
        &self.base_url
    }

    /// The token.
    pub fn token(&self) -> &Token<K> {
        &self.token
    }

    /// The `User-Agent` header value.
    pub fn user_agent(&self) -> &HeaderValue {
        &self.user_agent
    }
}

/// A config's parts with its token kind as values instead of a type: what
/// building needs, without one copy of every endpoint's building code per
/// kind.
#[derive(Debug)]
pub(crate) struct ErasedConfig<'a> {
    pub(crate) base_url: &'a str,
    pub(crate) user_agent: &'a HeaderValue,
    /// The token's header name.
    pub(crate) header: &'static str,
    pub(crate) token: &'a HeaderValue,
}

impl<K: TokenKind> Config<K> {
    pub(crate) fn erased(&self) -> ErasedConfig<'_> {
        ErasedConfig {
            base_url: &self.base_url,
            user_agent: &self.user_agent,
            header: K::HEADER,
            token: self.token.header_value(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Server;

    fn config() -> Config<Server> {
        Config::new(Token::new("t").unwrap())
    }

    #[test]
    fn base_url_is_validated_and_normalised() {
        let c = config().with_base_url("http://127.0.0.1:8080/").unwrap();
        assert_eq!(c.base_url(), "http://127.0.0.1:8080");
        let c = config().with_base_url("https://proxy.example/pm").unwrap();
        assert_eq!(c.base_url(), "https://proxy.example/pm");
        for bad in [
            "api.postmarkapp.com",
            "ftp://x",
            "http://",
            "http://x/?a=b",
            "http://u:p@x",
            "http://x y",
        ] {
            assert!(config().with_base_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn debug_does_not_show_the_token() {
        let c = Config::<Server>::new(Token::new("very-secret").unwrap());
        assert!(!format!("{c:?}").contains("very-secret"));
    }
}
