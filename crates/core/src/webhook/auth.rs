//! HTTP Basic auth on the receiving side.
//!
//! Postmark does not sign webhook requests; the documented protection is
//! Basic auth (the webhook's `HttpAuth`, or credentials in its URL), sent as
//! `Authorization: Basic base64(user:password)`.

use std::fmt;

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use subtle::ConstantTimeEq;

/// Standard base64 with optional padding: padding carries no information, and
/// some senders strip it.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// The credentials a webhook endpoint expects. `Debug` does not show the
/// password.
///
/// ```
/// use postmark_kit::webhook::BasicAuth;
///
/// let auth = BasicAuth::new("postmark", "s3cret");
/// assert!(auth.verify(Some("Basic cG9zdG1hcms6czNjcmV0")));
/// assert!(!auth.verify(None));
/// assert_eq!(format!("{auth:?}"), r#"BasicAuth { username: "postmark", password: **** }"#);
/// ```
#[derive(Clone)]
pub struct BasicAuth {
    /// The expected user name.
    pub username: String,
    /// The expected password.
    pub password: String,
}

impl BasicAuth {
    /// The expected credentials.
    pub fn new(username: impl Into<String>, password: impl Into<String>) -> Self {
        BasicAuth {
            username: username.into(),
            password: password.into(),
        }
    }

    /// Whether an `Authorization` header value carries these credentials;
    /// see [`check_basic_auth`].
    pub fn verify(&self, authorization: Option<&str>) -> bool {
        check_basic_auth(authorization, &self.username, &self.password)
    }
}

impl fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BasicAuth")
            .field("username", &self.username)
            .field("password", &format_args!("****"))
            .finish()
    }
}

/// Whether an `Authorization` header value is `Basic <base64 of
/// username:password>` for exactly these credentials.
///
/// The scheme is matched case-insensitively and whitespace around the value
/// is ignored. The decoded credentials split on their first `:`, as RFC 7617
/// says, so a password may contain `:` (a user name cannot). A missing
/// header, another scheme or invalid base64 is `false`.
///
/// User name and password are compared together in constant time: the
/// result reveals whether they matched, and timing reveals at most the
/// length of the expected credentials.
pub fn check_basic_auth(authorization: Option<&str>, username: &str, password: &str) -> bool {
    // Returning early here depends only on the caller's input, never on the
    // expected credentials, so it leaks nothing.
    let Some(presented) = authorization.and_then(decode_basic) else {
        return false;
    };
    // Comparing the whole `user:password` byte string is comparing user and
    // password after a split on the first colon, since the expected user
    // name has no colon; and it never short-circuits on the user name.
    let expected = [username.as_bytes(), b":", password.as_bytes()].concat();
    constant_time_eq(&presented, &expected)
}

/// The decoded credentials of a `Basic` header value.
fn decode_basic(authorization: &str) -> Option<Vec<u8>> {
    let (scheme, credentials) = authorization
        .trim()
        .split_once(|c: char| c.is_ascii_whitespace())?;
    if !scheme.eq_ignore_ascii_case("Basic") {
        return None;
    }
    BASE64.decode(credentials.trim()).ok()
}

/// Equality of `presented` and `expected` in time that depends on the
/// lengths only.
///
/// `subtle`'s slice `ct_eq` returns at once when the lengths differ, and
/// without a hash crate there is no fixed-length digest to compare instead.
/// So the presented bytes are cut or zero-padded to the expected length and
/// compared over that fixed length, and the length check is folded into the
/// same constant-time result rather than returned early. (Padding cannot
/// forge a match: a shorter input with the right prefix still fails the
/// length check.)
fn constant_time_eq(presented: &[u8], expected: &[u8]) -> bool {
    let mut fitted = vec![0u8; expected.len()];
    let common = presented.len().min(expected.len());
    fitted[..common].copy_from_slice(&presented[..common]);
    let same_length = (presented.len() as u64).ct_eq(&(expected.len() as u64));
    (fitted.as_slice().ct_eq(expected) & same_length).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_bytes_match_and_any_difference_does_not() {
        assert!(constant_time_eq(b"user:pass", b"user:pass"));
        assert!(constant_time_eq(b"", b""));
        assert!(!constant_time_eq(b"user:pasX", b"user:pass"));
        assert!(!constant_time_eq(b"user:pas", b"user:pass"));
        assert!(!constant_time_eq(b"user:passX", b"user:pass"));
        assert!(!constant_time_eq(b"", b"user:pass"));
    }

    #[test]
    fn zero_padding_cannot_forge_a_trailing_nul() {
        // The presented bytes are zero-padded to the expected length; the
        // folded-in length check is what rejects this.
        assert!(!constant_time_eq(b"user:pass", b"user:pass\0"));
    }

    #[test]
    fn padding_is_optional() {
        // "a:b" is "YTpi" (no padding needed); "ab:c" is "YWI6Yw==".
        assert_eq!(decode_basic("Basic YWI6Yw==").unwrap(), b"ab:c");
        assert_eq!(decode_basic("Basic YWI6Yw").unwrap(), b"ab:c");
    }
}
