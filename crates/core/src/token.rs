//! The two kinds of Postmark token, as types.
//!
//! An endpoint names the kind of token it needs ([`Endpoint::Token`](crate::Endpoint::Token)),
//! and a [`Config`](crate::Config) holds exactly one token of one kind, so asking
//! a server-token client for an account endpoint does not compile.

use std::fmt;
use std::marker::PhantomData;

use http::HeaderValue;

use crate::BuildError;

mod sealed {
    pub trait Sealed {}
}

/// A kind of token: [`Server`] or [`Account`].
pub trait TokenKind: sealed::Sealed + Send + Sync + 'static {
    /// The header Postmark reads this kind of token from.
    const HEADER: &'static str;
    /// `"server"` or `"account"`.
    const NAME: &'static str;
    /// The environment variable a client of this kind reads its token from.
    const ENV_VARIABLE: &'static str;
}

/// The server token: one server's sending, messages, bounces, templates, webhooks, streams, stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {}

/// The account token: servers, domains, sender signatures, template pushes, data removals.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Account {}

impl sealed::Sealed for Server {}
impl sealed::Sealed for Account {}

impl TokenKind for Server {
    const HEADER: &'static str = "x-postmark-server-token";
    const NAME: &'static str = "server";
    const ENV_VARIABLE: &'static str = "POSTMARK_SERVER_TOKEN";
}

impl TokenKind for Account {
    const HEADER: &'static str = "x-postmark-account-token";
    const NAME: &'static str = "account";
    const ENV_VARIABLE: &'static str = "POSTMARK_ACCOUNT_TOKEN";
}

/// A token of kind `K`. Its `Debug` output never shows the secret, and the
/// header value it produces is marked sensitive so that `http`-aware loggers
/// skip it too.
///
/// ```
/// use postmark_kit::{Server, Token};
///
/// let token = Token::<Server>::new("d6a1b2c3-secret").unwrap();
/// assert_eq!(format!("{token:?}"), "Token<server>(****)");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Token<K: TokenKind> {
    value: HeaderValue,
    kind: PhantomData<K>,
}

impl<K: TokenKind> Token<K> {
    /// Wraps a token. Refused if it cannot be sent as a header value, and
    /// the error does not repeat the token.
    pub fn new(token: impl AsRef<str>) -> Result<Self, BuildError> {
        Ok(Token {
            value: header_value(token.as_ref(), K::HEADER)?,
            kind: PhantomData,
        })
    }

    /// The token as a header value (marked sensitive).
    pub fn header_value(&self) -> &HeaderValue {
        &self.value
    }
}

/// `token` as the value of the header `header`, marked sensitive: one copy
/// of [`Token::new`]'s checks whatever the number of token kinds.
fn header_value(token: &str, header: &'static str) -> Result<HeaderValue, BuildError> {
    let token = token.trim();
    if token.is_empty() {
        return Err(BuildError::MissingField {
            field: header.into(),
        });
    }
    let mut value = HeaderValue::from_str(token)
        .map_err(|_| BuildError::InvalidHeaderValue { name: header })?;
    value.set_sensitive(true);
    Ok(value)
}

impl<K: TokenKind> fmt::Debug for Token<K> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Token<{}>(****)", K::NAME)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn token_is_redacted_and_sensitive() {
        let token = Token::<Account>::new(" secret-value ").unwrap();
        assert_eq!(format!("{token:?}"), "Token<account>(****)");
        assert!(token.header_value().is_sensitive());
        assert_eq!(token.header_value(), "secret-value");
    }

    #[test]
    fn bad_tokens_are_refused_without_echoing_them() {
        let err = Token::<Server>::new("bad\ntoken").unwrap_err();
        assert!(!err.to_string().contains("bad"));
        assert!(matches!(
            Token::<Server>::new("  "),
            Err(BuildError::MissingField { .. })
        ));
    }
}
