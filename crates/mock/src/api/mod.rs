//! Postmark's API, one module per group, each exporting its `ROUTES` table. A new group is
//! a new module plus one entry in [`GROUPS`].

use crate::router::Route;

mod email;
mod server;
mod servers;
mod webhooks;

pub(crate) const GROUPS: &[&[Route]] = &[
    email::ROUTES,
    server::ROUTES,
    servers::ROUTES,
    webhooks::ROUTES,
];

/// `TrackLinks` as Postmark documents and answers it (the short names; the account spec's
/// `HtmlAndTextTracking`-style values are a mistake in that spec).
const TRACK_LINKS: &[&str] = &["None", "HtmlAndText", "HtmlOnly", "TextOnly"];

/// The spelling Postmark answers for `value` among `options`, ignoring case (Postmark reads
/// enums case-insensitively and different docs pages disagree on casing).
fn canonical(options: &[&'static str], value: &str) -> Option<&'static str> {
    options
        .iter()
        .copied()
        .find(|o| o.eq_ignore_ascii_case(value.trim()))
}

/// The host of an absolute http(s) URL, or `None` when `url` is not one.
fn url_host(url: &str) -> Option<&str> {
    let (scheme, rest) = url.split_once("://")?;
    if !(scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")) {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let host_port = authority
        .rsplit_once('@')
        .map_or(authority, |(_, host)| host);
    let host = match host_port.strip_prefix('[') {
        Some(v6) => v6.split_once(']')?.0,
        None => host_port.split(':').next()?,
    };
    let valid = !host.is_empty() && !url.contains(char::is_whitespace);
    valid.then_some(host)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_hosts() {
        assert_eq!(
            url_host("https://example.com/hook?x=1"),
            Some("example.com")
        );
        assert_eq!(
            url_host("HTTP://user:pw@fail.invalid:8080"),
            Some("fail.invalid")
        );
        assert_eq!(url_host("http://[::1]:9/x"), Some("::1"));
        for bad in [
            "ftp://example.com",
            "example.com",
            "http://",
            "http:///path",
            "http://a b.com",
        ] {
            assert_eq!(url_host(bad), None, "{bad}");
        }
    }

    #[test]
    fn enum_values_are_canonicalised() {
        assert_eq!(canonical(TRACK_LINKS, "htmlandtext"), Some("HtmlAndText"));
        assert_eq!(canonical(TRACK_LINKS, "sometimes"), None);
    }
}
