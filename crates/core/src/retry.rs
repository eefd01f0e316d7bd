//! When to try a request again: a pure function of the attempt, what happened
//! to it, and a jitter value from the caller's random number generator.
//!
//! ```
//! use std::time::Duration;
//! use postmark_kit::http::StatusCode;
//! use postmark_kit::{Decision, Outcome, RetryPolicy};
//!
//! let policy = RetryPolicy::default();
//! let rate_limited = Outcome::Status {
//!     status: StatusCode::TOO_MANY_REQUESTS,
//!     retry_after: Some(Duration::from_secs(2)),
//! };
//! // Even an email send is retried after a 429: Postmark did not process it.
//! assert_eq!(
//!     policy.decide(1, false, &rate_limited, 0.5),
//!     Decision::Retry(Duration::from_secs(2))
//! );
//! // After a 500 it may have gone out: not resent unless the caller opts in.
//! let failed = Outcome::Status { status: StatusCode::INTERNAL_SERVER_ERROR, retry_after: None };
//! assert_eq!(policy.decide(1, false, &failed, 0.5), Decision::GiveUp);
//! ```

use std::time::Duration;

use http::header::RETRY_AFTER;
use http::{HeaderValue, Response, StatusCode};

/// How many times to try a request, and how long to wait in between.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Tries in all, the first one included. 0 and 1 both mean "never retry".
    pub max_attempts: u32,
    /// The backoff before the first retry; it doubles with every retry.
    pub base_delay: Duration,
    /// The longest backoff. Only a `Retry-After` can make a wait longer.
    pub max_delay: Duration,
    /// The longest `Retry-After` honoured. A server asking for a longer wait
    /// gets no retry: the error goes to the caller, who can decide better than
    /// a blocked call can.
    pub max_retry_after: Duration,
    /// Resend requests that are not idempotent (email sends) after a failure
    /// that Postmark may have acted on: a 500, 502 or 504, or no response at
    /// all. Off by default, because each such retry risks a duplicate email.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    /// Three tries, backoff from 250 ms up to 8 s, `Retry-After` honoured up
    /// to 60 s, no ambiguous resends.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(250),
            max_delay: Duration::from_secs(8),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

/// What happened to one attempt, as the transport saw it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Postmark (or a proxy in front of it) answered.
    Status {
        /// The response's status.
        status: StatusCode,
        /// Its `Retry-After`, if any (see [`parse_retry_after`]).
        retry_after: Option<Duration>,
    },
    /// The request could not be sent at all (connection refused, DNS
    /// failure): Postmark never saw it.
    NotSent,
    /// The request was sent but no answer came back (a timeout, a connection
    /// reset mid-way): Postmark may have acted on it.
    NoResponse,
}

impl Outcome {
    /// The outcome of an attempt that got `response`. `unix_now`, the time
    /// since the Unix epoch, lets a `Retry-After` date count (see
    /// [`parse_retry_after`]).
    pub fn from_response<B>(response: &Response<B>, unix_now: Option<Duration>) -> Outcome {
        Outcome::Status {
            status: response.status(),
            retry_after: response
                .headers()
                .get(RETRY_AFTER)
                .and_then(|value| parse_retry_after(value, unix_now)),
        }
    }
}

/// What to do after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// Wait this long, then try again.
    Retry(Duration),
    /// Hand the outcome to the caller.
    GiveUp,
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Decides what to do after attempt number `attempt` (1 for the first
    /// try) ended in `outcome`. `idempotent` is the request's
    /// [`Parts::idempotent`](crate::Parts::idempotent); `jitter` is a
    /// random value in `[0, 1)` from the caller (anything else is clamped,
    /// NaN counts as 0).
    ///
    /// Retried:
    /// - 429 and 503, and attempts that were not sent: Postmark did not act
    ///   on them, so even an email send is safe to repeat;
    /// - 500, 502, 504 and attempts without a response, only for idempotent
    ///   requests or when [`retry_non_idempotent`](Self::retry_non_idempotent)
    ///   is set: the request may have taken effect.
    ///
    /// Everything else is given up on: a 2xx is not a failure, a 4xx will
    /// fail the same way again, and 501, 505 and other 5xx say the server
    /// cannot handle this kind of request at all.
    ///
    /// The wait is the backoff (see [`backoff_ceiling`](Self::backoff_ceiling)),
    /// or the server's `Retry-After` if that is longer; a `Retry-After` over
    /// [`max_retry_after`](Self::max_retry_after) means giving up.
    pub fn decide(
        &self,
        attempt: u32,
        idempotent: bool,
        outcome: &Outcome,
        jitter: f64,
    ) -> Decision {
        let attempt = attempt.max(1);
        if attempt >= self.max_attempts {
            return Decision::GiveUp;
        }
        let may_resend = idempotent || self.retry_non_idempotent;
        let (retryable, retry_after) = match *outcome {
            Outcome::NotSent => (true, None),
            Outcome::NoResponse => (may_resend, None),
            Outcome::Status {
                status,
                retry_after,
            } => match status.as_u16() {
                429 | 503 => (true, retry_after),
                500 | 502 | 504 => (may_resend, retry_after),
                _ => (false, None),
            },
        };
        if !retryable {
            return Decision::GiveUp;
        }
        let backoff = equal_jitter(self.backoff_ceiling(attempt), jitter);
        match retry_after {
            Some(wait) if wait > self.max_retry_after => Decision::GiveUp,
            // A floor: retrying sooner than the server asked only earns another 429.
            Some(wait) => Decision::Retry(backoff.max(wait)),
            None => Decision::Retry(backoff),
        }
    }

    /// The longest backoff after attempt number `attempt`, before jitter:
    /// `base_delay × 2^(attempt − 1)`, at most `max_delay`. It never
    /// decreases as `attempt` grows, and saturates instead of overflowing.
    pub fn backoff_ceiling(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.max(1) - 1);
        self.base_delay.saturating_mul(factor).min(self.max_delay)
    }
}

/// "Equal jitter": half the ceiling, plus a random share of the other half.
/// Full jitter (anywhere in `[0, ceiling]`) spreads a crowd of clients
/// further, but it can retry almost at once, and a client that was just
/// rate-limited needs a real pause; keeping half the ceiling keeps the
/// backoff growing.
fn equal_jitter(ceiling: Duration, jitter: f64) -> Duration {
    let jitter = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    let half = ceiling / 2;
    // Float-to-int `as` saturates, and `min` absorbs rounding up. In
    // nanoseconds while they fit a u64 (584 years), as dividing a u128 takes
    // WebAssembly a library of its own; beyond, in whole seconds.
    let spread = match u64::try_from(half.as_nanos()) {
        Ok(nanos) => Duration::from_nanos(((nanos as f64 * jitter) as u64).min(nanos)),
        Err(_) => Duration::from_secs((half.as_secs() as f64 * jitter) as u64).min(half),
    };
    // `spread ≤ half`: at most the ceiling.
    ceiling - half + spread
}

/// Parses a `Retry-After` header value: delta-seconds (`"30"`), or an
/// HTTP-date (`"Wed, 21 Oct 2026 07:28:00 GMT"`) when the caller says what
/// time it is, as `unix_now` since the Unix epoch (the core has no clock). A
/// date in the past means no wait. Anything else gives `None`, and the
/// backoff alone sets the wait. A number too large for a `u64` gives
/// [`Duration::MAX`], which no policy waits for.
pub fn parse_retry_after(value: &HeaderValue, unix_now: Option<Duration>) -> Option<Duration> {
    let text = value.to_str().ok()?.trim();
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return Some(text.parse().map_or(Duration::MAX, Duration::from_secs));
    }
    let at = Duration::from_secs(http_date(text)?);
    Some(at.saturating_sub(unix_now?))
}

/// Seconds since the Unix epoch of an IMF-fixdate (RFC 9110 §5.6.7), the
/// one date format HTTP senders use: `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(text: &str) -> Option<u64> {
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let (_weekday, rest) = text.split_once(", ")?;
    let mut parts = rest.split(' ');
    let (day, month, year, time, zone) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    if parts.next().is_some() || zone != "GMT" || day.len() != 2 || year.len() != 4 {
        return None;
    }
    let number = |digits: &str| -> Option<u64> {
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    let month = MONTHS.iter().position(|m| *m == month)? as u64 + 1;
    let (day, year) = (number(day)?, number(year)?);
    let mut clock = time.split(':');
    let (hour, minute, second) = (
        number(clock.next()?)?,
        number(clock.next()?)?,
        number(clock.next()?)?,
    );
    if clock.next().is_some() || year < 1970 || !(1..=31).contains(&day) {
        return None;
    }
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    Some(days_since_epoch(year, month, day) * 86_400 + hour * 3_600 + minute * 60 + second)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar
/// (Howard Hinnant's `days_from_civil`, for years from 1970 on).
fn days_since_epoch(year: u64, month: u64, day: u64) -> u64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year / 400;
    let year_of_era = year - era * 400;
    let day_of_year = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(code: u16, retry_after: Option<u64>) -> Outcome {
        Outcome::Status {
            status: StatusCode::from_u16(code).unwrap(),
            retry_after: retry_after.map(Duration::from_secs),
        }
    }

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn retry_after_dates_count_from_now() {
        let date = HeaderValue::from_static("Sun, 06 Nov 1994 08:49:37 GMT");
        let now = Duration::from_secs(784_111_777);
        assert_eq!(
            http_date("Sun, 06 Nov 1994 08:49:37 GMT"),
            Some(784_111_777)
        );
        assert_eq!(http_date("Thu, 01 Jan 1970 00:00:00 GMT"), Some(0));
        assert_eq!(
            http_date("Tue, 29 Feb 2028 23:59:59 GMT"),
            Some(1_835_481_599)
        );
        assert_eq!(
            parse_retry_after(&date, Some(now - ms(30_000))),
            Some(ms(30_000))
        );
        assert_eq!(
            parse_retry_after(&date, Some(now + ms(5_000))),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after(&date, None), None);
        // A leap second is a second like another: 23:59:60 is the next day's midnight.
        assert_eq!(
            http_date("Wed, 31 Dec 2025 23:59:60 GMT"),
            Some(1_767_225_600)
        );
        for bad in [
            "Sun, 6 Nov 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 08:49:37 UTC",
            "Sun, 06 Foo 1994 08:49:37 GMT",
            "Sun, 06 Nov 1994 24:00:00 GMT",
            "Sun, 06 Nov 1994 08:49 GMT",
            "Sunday, 06-Nov-94 08:49:37 GMT",
            // Each check on its own (mutation testing found them untested alone): a
            // fourth clock field, and a year before the epoch the arithmetic counts from.
            "Sun, 06 Nov 1994 08:49:37:00 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "Sun, 00 Nov 1994 08:49:37 GMT",
            "Sun, 32 Nov 1994 08:49:37 GMT",
            "Wed, 31 Dec 2025 23:59:61 GMT",
        ] {
            assert_eq!(http_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn defaults() {
        let policy = RetryPolicy::default();
        assert_eq!(policy.max_attempts, 3);
        assert_eq!(policy.base_delay, ms(250));
        assert_eq!(policy.max_delay, Duration::from_secs(8));
        assert_eq!(policy.max_retry_after, Duration::from_secs(60));
        assert!(!policy.retry_non_idempotent);
        assert_eq!(
            RetryPolicy::never().decide(1, true, &Outcome::NotSent, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn which_failures_are_retried() {
        let policy = RetryPolicy::default();
        let opted_in = RetryPolicy {
            retry_non_idempotent: true,
            ..RetryPolicy::default()
        };
        let retried = |p: &RetryPolicy, idempotent, outcome: Outcome| {
            matches!(p.decide(1, idempotent, &outcome, 0.0), Decision::Retry(_))
        };
        for code in [429, 503] {
            assert!(retried(&policy, false, status(code, None)), "{code}");
        }
        assert!(retried(&policy, false, Outcome::NotSent));
        for outcome in [
            status(500, None),
            status(502, None),
            status(504, None),
            Outcome::NoResponse,
        ] {
            assert!(!retried(&policy, false, outcome), "{outcome:?}");
            assert!(retried(&policy, true, outcome), "{outcome:?}");
            assert!(retried(&opted_in, false, outcome), "{outcome:?}");
        }
        for code in [200, 204, 301, 400, 401, 404, 408, 413, 415, 422, 501, 505] {
            assert!(!retried(&opted_in, true, status(code, None)), "{code}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_maximum() {
        let policy = RetryPolicy {
            max_attempts: u32::MAX,
            ..RetryPolicy::default()
        };
        let ceilings: Vec<_> = (1..=7).map(|a| policy.backoff_ceiling(a)).collect();
        assert_eq!(
            ceilings,
            [
                ms(250),
                ms(500),
                ms(1_000),
                ms(2_000),
                ms(4_000),
                ms(8_000),
                ms(8_000)
            ]
        );
        assert_eq!(policy.backoff_ceiling(0), ms(250));
        assert_eq!(policy.backoff_ceiling(u32::MAX), ms(8_000));
        // Equal jitter: between half the ceiling and the ceiling.
        assert_eq!(
            policy.decide(3, true, &Outcome::NotSent, 0.0),
            Decision::Retry(ms(500))
        );
        assert_eq!(
            policy.decide(3, true, &Outcome::NotSent, 0.5),
            Decision::Retry(ms(750))
        );
        assert_eq!(
            policy.decide(3, true, &Outcome::NotSent, 1.0),
            Decision::Retry(ms(1_000))
        );
        assert_eq!(
            policy.decide(3, true, &Outcome::NotSent, 7.0),
            Decision::Retry(ms(1_000))
        );
        assert_eq!(
            policy.decide(3, true, &Outcome::NotSent, -1.0),
            Decision::Retry(ms(500))
        );
        assert_eq!(
            policy.decide(3, true, &Outcome::NotSent, f64::NAN),
            Decision::Retry(ms(500))
        );
    }

    #[test]
    fn huge_delays_do_not_overflow() {
        let policy = RetryPolicy {
            max_attempts: u32::MAX,
            base_delay: Duration::MAX,
            max_delay: Duration::MAX,
            max_retry_after: Duration::MAX,
            retry_non_idempotent: false,
        };
        assert_eq!(
            policy.decide(u32::MAX - 1, true, &Outcome::NotSent, 1.0),
            Decision::Retry(Duration::MAX)
        );
        // Past 584 years the spread is in whole seconds: half of half the
        // ceiling, 2^62 s once the float has rounded.
        assert_eq!(
            policy.decide(u32::MAX - 1, true, &Outcome::NotSent, 0.5),
            Decision::Retry(Duration::MAX - Duration::MAX / 2 + Duration::from_secs(1 << 62))
        );
    }

    #[test]
    fn retry_after_is_a_floor_and_a_limit() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.decide(1, false, &status(429, Some(5)), 0.9),
            Decision::Retry(Duration::from_secs(5))
        );
        // Shorter than the backoff: the backoff wins.
        let policy = RetryPolicy {
            base_delay: Duration::from_secs(4),
            ..RetryPolicy::default()
        };
        assert_eq!(
            policy.decide(1, false, &status(503, Some(1)), 1.0),
            Decision::Retry(Duration::from_secs(4))
        );
        assert_eq!(
            policy.decide(1, false, &status(503, Some(60)), 0.0),
            Decision::Retry(Duration::from_secs(60))
        );
        assert_eq!(
            policy.decide(1, false, &status(503, Some(61)), 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn attempts_are_counted_from_one() {
        let policy = RetryPolicy::default();
        assert!(matches!(
            policy.decide(0, true, &Outcome::NotSent, 0.0),
            Decision::Retry(_)
        ));
        assert!(matches!(
            policy.decide(2, true, &Outcome::NotSent, 0.0),
            Decision::Retry(_)
        ));
        assert_eq!(
            policy.decide(3, true, &Outcome::NotSent, 0.0),
            Decision::GiveUp
        );
    }

    #[test]
    fn retry_after_values() {
        let parse = |s: &str| parse_retry_after(&HeaderValue::from_str(s).unwrap(), None);
        assert_eq!(parse("30"), Some(Duration::from_secs(30)));
        assert_eq!(parse(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse("99999999999999999999999"), Some(Duration::MAX));
        for bad in ["", "-1", "+5", "1.5", "Wed, 21 Oct 2026 07:28:00 GMT", "5s"] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(
            parse_retry_after(&HeaderValue::from_bytes(b"\xff").unwrap(), None),
            None
        );
    }

    #[test]
    fn outcome_from_a_response() {
        let response = Response::builder()
            .status(429)
            .header("Retry-After", "12")
            .body(())
            .unwrap();
        assert_eq!(
            Outcome::from_response(&response, None),
            status(429, Some(12))
        );
    }
}
