//! Checks on the receiving side: HTTP Basic auth, the sender's address and
//! the body's size.
//!
//! Postmark does not sign webhook requests; the documented protection is
//! Basic auth (the webhook's `HttpAuth`, or credentials in its URL), sent as
//! `Authorization: Basic base64(user:password)`. Postmark also publishes the
//! addresses its webhooks come from, for a firewall: a second layer, since
//! the list can change, never a replacement for the credentials.

use std::fmt;
use std::io::{self, Read};
use std::net::{IpAddr, Ipv4Addr};

use base64::Engine as _;
use base64::alphabet;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use subtle::ConstantTimeEq;

use super::WebhookError;

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

/// The addresses Postmark publishes for its webhook requests ("IPs for
/// firewalls" in Postmark's support center). Postmark says a request may
/// come from any of them, a different one on each attempt, and that the list
/// can change: check Postmark's page when a webhook is refused.
pub const WEBHOOK_IPS: [IpAddr; 4] = [
    IpAddr::V4(Ipv4Addr::new(3, 134, 147, 250)),
    IpAddr::V4(Ipv4Addr::new(50, 31, 156, 6)),
    IpAddr::V4(Ipv4Addr::new(50, 31, 156, 77)),
    IpAddr::V4(Ipv4Addr::new(18, 217, 206, 57)),
];

/// Whether `peer`, the address a webhook request came from, is one of
/// [`WEBHOOK_IPS`]. An IPv4 address seen on an IPv6 socket
/// (`::ffff:3.134.147.250`) counts as itself.
///
/// `peer` must be the TCP peer, or the client address that a proxy you run
/// appended last to `X-Forwarded-For`; the header's other entries are
/// whatever the sender wrote. Use it beside [`check_basic_auth`], not
/// instead of it.
///
/// ```
/// use postmark_kit::webhook::is_postmark_webhook_ip;
///
/// assert!(is_postmark_webhook_ip("50.31.156.6".parse().unwrap()));
/// assert!(is_postmark_webhook_ip("::ffff:50.31.156.6".parse().unwrap()));
/// assert!(!is_postmark_webhook_ip("50.31.156.7".parse().unwrap()));
/// ```
pub fn is_postmark_webhook_ip(peer: IpAddr) -> bool {
    let peer = match peer {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(peer, IpAddr::V4),
        v4 => v4,
    };
    WEBHOOK_IPS.contains(&peer)
}

/// The largest webhook body worth reading, in bytes: the biggest request
/// Postmark sends is an inbound message, whose attachments may add up to
/// 35 MB, base64 in the JSON (a third more), beside its text, HTML and
/// headers. A larger body is not from Postmark.
pub const MAX_BODY_BYTES: u64 = 50 * 1024 * 1024;

/// Reads a webhook request's body from `body`, refusing one over `limit`
/// bytes ([`MAX_BODY_BYTES`] unless you know your webhooks' bodies are
/// smaller) without reading past it. `content_length`, the request's
/// header, refuses at once a body that says it is too large, and bounds the
/// reading otherwise: what follows it on the connection is not this body.
///
/// A refusal is an [`io::ErrorKind::FileTooLarge`] error carrying
/// [`WebhookError::TooLarge`]: answer 413 and close the connection.
///
/// ```
/// use postmark_kit::webhook::read_body;
///
/// let body = read_body(&b"{\"RecordType\":\"Delivery\"}"[..], Some(25), 1024)?;
/// assert_eq!(body.len(), 25);
/// let too_large = read_body(&[b' '; 2048][..], None, 1024).unwrap_err();
/// assert_eq!(too_large.kind(), std::io::ErrorKind::FileTooLarge);
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn read_body(body: impl Read, content_length: Option<u64>, limit: u64) -> io::Result<Vec<u8>> {
    let checked = |length: u64| {
        check_body_size(length, limit)
            .map_err(|refusal| io::Error::new(io::ErrorKind::FileTooLarge, refusal))
    };
    if let Some(length) = content_length {
        checked(length)?;
    }
    // Reserved up to what the header says, which is at most the limit: the
    // header is the sender's word, and the body may end sooner.
    let reserve = content_length.unwrap_or(0);
    let mut bytes = Vec::with_capacity(usize::try_from(reserve).unwrap_or(0));
    // Without a length, one byte past the limit tells a body at the limit
    // from one over it.
    let most = content_length.unwrap_or(limit.saturating_add(1));
    body.take(most).read_to_end(&mut bytes)?;
    checked(bytes.len() as u64)?;
    Ok(bytes)
}

/// Refuses a webhook body of `length` bytes, as read so far or as its
/// `Content-Length` says, when that is over `limit`: the rule of
/// [`read_body`], for readers of their own (the npm package's, over a
/// stream).
pub fn check_body_size(length: u64, limit: u64) -> Result<(), WebhookError> {
    match length > limit {
        true => Err(WebhookError::TooLarge { limit }),
        false => Ok(()),
    }
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
    fn only_the_published_addresses_are_postmark() {
        for address in WEBHOOK_IPS {
            assert!(is_postmark_webhook_ip(address));
            if let IpAddr::V4(v4) = address {
                assert!(is_postmark_webhook_ip(IpAddr::V6(v4.to_ipv6_mapped())));
                // The IPv4-compatible form (::a.b.c.d) is another, deprecated address.
                assert!(!is_postmark_webhook_ip(IpAddr::V6(v4.to_ipv6_compatible())));
            }
        }
        for other in ["127.0.0.1", "50.31.156.5", "3.134.147.251", "::1", "::"] {
            assert!(!is_postmark_webhook_ip(other.parse().unwrap()), "{other}");
        }
    }

    #[test]
    fn the_limit_holds_postmarks_largest_inbound_message() {
        // 35 MB of attachments, base64 (4 bytes for every 3), and room for the text,
        // HTML and headers beside them; and no more than 50 MiB.
        let attachments = 35_000_000u64.div_ceil(3) * 4;
        assert!(attachments + 2_000_000 < MAX_BODY_BYTES);
        assert_eq!(MAX_BODY_BYTES, 52_428_800);
    }

    #[test]
    fn a_body_is_read_up_to_the_limit_and_refused_past_it() {
        let body = [b'x'; 100];
        assert_eq!(read_body(&body[..], None, 100).unwrap().len(), 100);
        assert_eq!(read_body(&body[..], Some(100), 100).unwrap().len(), 100);
        assert_eq!(read_body(&body[..50], Some(50), 100).unwrap().len(), 50);
        for (length, limit) in [(None, 99), (Some(101), 100), (Some(100), 99)] {
            let error = read_body(&body[..], length, limit).unwrap_err();
            assert_eq!(
                error.kind(),
                io::ErrorKind::FileTooLarge,
                "{length:?} {limit}"
            );
            let refusal = error
                .get_ref()
                .and_then(|inner| inner.downcast_ref::<WebhookError>());
            assert_eq!(refusal, Some(&WebhookError::TooLarge { limit }));
        }
        // The header bounds the reading: what follows on the connection is not
        // this body.
        assert_eq!(read_body(&body[..], Some(10), 99).unwrap(), [b'x'; 10]);
    }

    #[test]
    fn a_header_that_overstates_the_body_reserves_no_more_than_the_limit() {
        let bytes = read_body(&b"{}"[..], Some(u64::MAX), u64::MAX - 1);
        // Refused by its header before anything was reserved.
        assert_eq!(bytes.unwrap_err().kind(), io::ErrorKind::FileTooLarge);
        let bytes = read_body(&b"{}"[..], Some(4096), 1 << 20).unwrap();
        assert_eq!(bytes, b"{}");
        assert!(bytes.capacity() <= 4096);
    }

    #[test]
    fn padding_is_optional() {
        // "a:b" is "YTpi" (no padding needed); "ab:c" is "YWI6Yw==".
        assert_eq!(decode_basic("Basic YWI6Yw==").unwrap(), b"ab:c");
        assert_eq!(decode_basic("Basic YWI6Yw").unwrap(), b"ab:c");
    }
}
