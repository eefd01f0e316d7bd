//! Postmark's API, one module per group, each exporting its `ROUTES` table. A new group is
//! a new module plus one entry in [`GROUPS`].

use serde_json::{Value, json};

use crate::json::ApiError;
use crate::router::{Ctx, Route};

mod bounces;
pub(crate) mod bulk;
pub(crate) mod data_removals;
pub(crate) mod domains;
mod email;
pub(crate) mod inbound_rules;
mod messages;
pub(crate) mod senders;
mod server;
mod servers;
mod stats;
pub(crate) mod streams;
pub(crate) mod suppressions;
pub(crate) mod templates;
mod webhooks;

pub(crate) use bounces::record_bounce;
pub(crate) use messages::{Interaction, record_inbound, record_interaction};

pub(crate) const GROUPS: &[&[Route]] = &[
    email::ROUTES,
    bounces::ROUTES,
    server::ROUTES,
    servers::ROUTES,
    messages::ROUTES,
    webhooks::ROUTES,
    bulk::ROUTES,
    templates::ROUTES,
    streams::ROUTES,
    suppressions::ROUTES,
    inbound_rules::ROUTES,
    stats::ROUTES,
    domains::ROUTES,
    senders::ROUTES,
    data_removals::ROUTES,
];

/// The control routes (under `/__mock/`): the general ones, then those of the groups
/// whose state they drive.
pub(crate) const CONTROL_GROUPS: &[&[Route]] = &[
    crate::control::ROUTES,
    bulk::CONTROL,
    stats::CONTROL,
    domains::CONTROL,
    senders::CONTROL,
    data_removals::CONTROL,
];

/// Most items one page may hold.
const MAX_PAGE: usize = 500;
/// How deep Postmark pages bounces and message searches (`count + offset`).
const SEARCH_DEPTH: usize = 10_000;

/// The page a list request asks for.
#[derive(Debug, Clone, Copy)]
struct Page {
    count: usize,
    offset: usize,
}

impl Page {
    /// `count` (at most 500) and `offset`, both required, checked as Postmark checks
    /// them; a list Postmark caps also refuses `count + offset` past `depth`. `code` is the
    /// list's ErrorCode for a bad query.
    fn read(ctx: &Ctx<'_>, code: i64, depth: Option<usize>) -> Result<Page, ApiError> {
        let number = |key: &str, max: usize| {
            ctx.query(key)
                .and_then(|v| v.parse::<usize>().ok())
                .filter(|v| *v <= max)
                .ok_or_else(|| {
                    ApiError::new(code, format!("'count' (0 to {MAX_PAGE}) and 'offset' (0 or more) are required; '{key}' is missing or invalid."))
                })
        };
        let page = Page {
            count: number("count", MAX_PAGE)?,
            offset: number("offset", usize::MAX)?,
        };
        match depth {
            Some(depth) if page.count.saturating_add(page.offset) > depth => Err(ApiError::new(
                code,
                format!(
                    "'count' + 'offset' may not exceed {depth}; narrow the search with 'fromdate' and 'todate' to reach further."
                ),
            )),
            _ => Ok(page),
        }
    }

    /// `{"TotalCount": n, key: [...]}`: the page of `matching`, each item rendered.
    fn of<T>(self, key: &str, matching: &[T], render: impl Fn(&T) -> Value) -> Value {
        let items: Vec<Value> = matching
            .iter()
            .skip(self.offset)
            .take(self.count)
            .map(render)
            .collect();
        json!({"TotalCount": matching.len(), key: items})
    }
}

/// The `fromdate`/`todate` window of a search: both inclusive, dates or date-times in
/// US Eastern time without offset.
#[derive(Debug)]
struct Window<'a> {
    from: Option<&'a str>,
    to: Option<&'a str>,
}

impl<'a> Window<'a> {
    /// Reads the window; `code` is the list's ErrorCode for a malformed bound.
    fn read(ctx: &'a Ctx<'_>, code: i64) -> Result<Window<'a>, ApiError> {
        let bound = |key: &str| match ctx.query(key) {
            Some(value) if !is_eastern_time(value) => Err(ApiError::new(
                code,
                format!(
                    "'{key}' must be a date (2026-01-31) or a date and time (2026-01-31T08:00:00); '{value}' is neither."
                ),
            )),
            value => Ok(value),
        };
        Ok(Window {
            from: bound("fromdate")?,
            to: bound("todate")?,
        })
    }

    /// Whether `at`, a timestamp in the mock's shape (`2026-01-31T08:00:00.0000000-05:00`),
    /// falls in the window. Each bound is compared with as much of `at` as it has, so a
    /// date covers its whole day.
    fn contains(&self, at: &str) -> bool {
        let head = |bound: &str| at.get(..bound.len()).unwrap_or(at);
        self.from.is_none_or(|from| head(from) >= from) && self.to.is_none_or(|to| head(to) <= to)
    }
}

/// `YYYY-MM-DD` with an optional `THH:MM` or `THH:MM:SS`, each number in its range.
fn is_eastern_time(text: &str) -> bool {
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let numbers = |part: &str, separator: char, widths: &[usize]| -> Option<Vec<u32>> {
        let fields: Vec<&str> = part.split(separator).collect();
        let fits = fields.len() == widths.len()
            && fields
                .iter()
                .zip(widths)
                .all(|(f, w)| f.len() == *w && f.bytes().all(|b| b.is_ascii_digit()));
        fits.then(|| fields.iter().filter_map(|f| f.parse().ok()).collect())
    };
    let date_ok = numbers(date, '-', &[4, 2, 2])
        .is_some_and(|d| (1..=12).contains(&d[1]) && (1..=31).contains(&d[2]));
    let time_ok = time.is_none_or(|time| {
        [&[2, 2][..], &[2, 2, 2]].iter().any(|widths| {
            numbers(time, ':', widths).is_some_and(|t| t[0] < 24 && t[1..].iter().all(|n| *n < 60))
        })
    });
    date_ok && time_ok
}

/// Whether an optional filter lets `value` through: absent, or equal ignoring case.
fn matches(filter: Option<&str>, value: &str) -> bool {
    filter.is_none_or(|wanted| wanted.eq_ignore_ascii_case(value))
}

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

/// [`canonical`], or why `value` is none of `options`, naming the field or parameter `key`.
fn one_of(options: &[&'static str], key: &str, value: &str) -> Result<&'static str, String> {
    canonical(options, value).ok_or_else(|| {
        format!(
            "'{key}' must be one of {}, not '{value}'.",
            options.join(", ")
        )
    })
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
    fn eastern_times_and_windows() {
        for good in ["2026-01-31", "2026-01-31T08:00", "2026-12-01T23:59:59"] {
            assert!(is_eastern_time(good), "{good}");
        }
        for bad in [
            "2026-13-01",
            "2026-01-32",
            "2026-01-31T24:00",
            "2026-01-31T",
            "2026-1-31",
            "2026-01-31Z",
            "x",
        ] {
            assert!(!is_eastern_time(bad), "{bad}");
        }
        let window = Window {
            from: Some("2026-01-31"),
            to: Some("2026-02-01T12:00"),
        };
        assert!(window.contains("2026-01-31T00:00:00.0000000-05:00"));
        assert!(window.contains("2026-02-01T12:00:59.9999999-05:00"));
        assert!(!window.contains("2026-01-30T23:59:59.9999999-05:00"));
        assert!(!window.contains("2026-02-01T12:01:00.0000000-05:00"));
    }

    #[test]
    fn enum_values_are_canonicalised() {
        assert_eq!(canonical(TRACK_LINKS, "htmlandtext"), Some("HtmlAndText"));
        assert_eq!(canonical(TRACK_LINKS, "sometimes"), None);
        assert_eq!(
            one_of(TRACK_LINKS, "TrackLinks", " TEXTONLY"),
            Ok("TextOnly")
        );
        assert_eq!(
            one_of(TRACK_LINKS, "TrackLinks", "sometimes"),
            Err("'TrackLinks' must be one of None, HtmlAndText, HtmlOnly, TextOnly, not 'sometimes'.".to_owned())
        );
    }
}
