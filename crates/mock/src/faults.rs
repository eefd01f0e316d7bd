//! Injected failures, consumed first-in first-out by the API requests they match.

use std::collections::VecDeque;

use crate::http::Response;
use crate::json::ApiError;
use crate::{Fault, router};

#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    pending: VecDeque<Pending>,
    /// Faults drawn at random for requests no queued fault matches.
    random: Option<RandomFaults>,
}

/// A share of requests hit by a fault picked at random among several: the soak's steady
/// rain of failures, reproducible from its seed for the same order of requests.
#[derive(Debug)]
struct RandomFaults {
    /// Requests hit, in millionths.
    per_million: u64,
    faults: Vec<Fault>,
    /// xorshift64 state; never 0.
    state: u64,
}

impl RandomFaults {
    fn next(&mut self) -> u64 {
        let mut x = self.state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.state = x;
        x
    }
}

#[derive(Debug)]
struct Pending {
    fault: Fault,
    remaining: usize,
    /// Only requests whose path starts with this (case-insensitively) are hit.
    path_prefix: Option<String>,
}

impl FaultQueue {
    /// Queues `fault` for the next `count` matching requests; refuses (and queues nothing)
    /// a fault the wire cannot carry, see [`check`].
    pub(crate) fn push(
        &mut self,
        fault: Fault,
        count: usize,
        path_prefix: Option<String>,
    ) -> Result<(), String> {
        check(&fault)?;
        if count > 0 {
            self.pending.push_back(Pending {
                fault,
                remaining: count,
                path_prefix,
            });
        }
        Ok(())
    }

    /// Hits `share` (0 to 1) of the requests that no queued fault matches with one of
    /// `faults`, picked at random, from now on; a share of 0 or no faults stops it.
    /// Refuses (and changes nothing) a share outside 0-1 or a fault the wire cannot carry.
    pub(crate) fn set_random(
        &mut self,
        share: f64,
        faults: Vec<Fault>,
        seed: u64,
    ) -> Result<(), String> {
        if !(0.0..=1.0).contains(&share) {
            return Err("'share' must be between 0 and 1.".into());
        }
        faults.iter().try_for_each(check)?;
        let per_million = (share * 1_000_000.0).round() as u64;
        self.random = (per_million > 0 && !faults.is_empty()).then(|| RandomFaults {
            per_million,
            faults,
            // Spread the seed's bits so that seeds 0, 1, 2... start far apart.
            state: seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1,
        });
        Ok(())
    }

    /// The fault for a request to `path`: the oldest queued entry that matches it, else
    /// one drawn at random when [`set_random`](Self::set_random) set a share.
    pub(crate) fn take(&mut self, path: &str) -> Option<Fault> {
        self.take_queued(path).or_else(|| {
            let random = self.random.as_mut()?;
            if random.next() % 1_000_000 >= random.per_million {
                return None;
            }
            let pick = random.next() % random.faults.len() as u64;
            random.faults.get(pick as usize).cloned()
        })
    }

    fn take_queued(&mut self, path: &str) -> Option<Fault> {
        let at = self.pending.iter().position(|p| {
            p.path_prefix.as_deref().is_none_or(|prefix| {
                path.as_bytes()
                    .get(..prefix.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
            })
        })?;
        let entry = &mut self.pending[at];
        entry.remaining -= 1;
        let fault = entry.fault.clone();
        if entry.remaining == 0 {
            self.pending.remove(at);
        }
        Some(fault)
    }
}

/// Checks what the wire cannot carry: a status that is not an error (1xx and 204 would
/// also break the framing) or a page content type that is not a valid header value.
fn check(fault: &Fault) -> Result<(), String> {
    let status = match fault {
        Fault::Status { status, .. } => *status,
        Fault::Page {
            status,
            content_type,
            ..
        } => {
            if !is_header_value(content_type) {
                return Err("'content_type' must be a non-empty header value on one line.".into());
            }
            *status
        }
        Fault::Delay(_) | Fault::Drop => return Ok(()),
    };
    if !(400..=599).contains(&status) {
        return Err("'status' must be an HTTP error status (400-599).".into());
    }
    Ok(())
}

/// The answer to a `Fault::Status`, documented there. Statuses the mock answers by itself
/// (413, 415) look the same as its own answers; 500 and 503 carry the ErrorCodes Postmark
/// documents for them. Postmark documents no ErrorCode for 429 ("envelope or none"), so a
/// 429 is plain text: an invented code would let a client come to depend on one.
pub(crate) fn status_response(status: u16, retry_after: Option<u32>) -> Response {
    let response = match status {
        413 => router::too_large(),
        415 => router::json_required(),
        429 => Response::text(429, "Too many requests. Slow down and retry later."),
        500 => envelope(500, 101, "An unexpected error occurred. Please try again."),
        503 => envelope(503, 100, "The Postmark API is offline for maintenance."),
        _ => envelope(status, i64::from(status), "Injected failure."),
    };
    with_retry_after(response, retry_after)
}

/// The answer to a `Fault::Page`: exactly the given status, content type and body.
pub(crate) fn page_response(
    status: u16,
    content_type: String,
    body: String,
    retry_after: Option<u32>,
) -> Response {
    with_retry_after(
        Response::page(status, content_type, body.into_bytes()),
        retry_after,
    )
}

fn envelope(status: u16, code: i64, message: &str) -> Response {
    router::error_response(&ApiError::with_status(status, code, message))
}

fn with_retry_after(response: Response, retry_after: Option<u32>) -> Response {
    match retry_after {
        Some(seconds) => response.header("Retry-After", seconds.to_string()),
        None => response,
    }
}

/// RFC 9110 field-value, restricted to ASCII: visible characters, spaces and tabs.
fn is_header_value(value: &str) -> bool {
    !value.trim().is_empty()
        && value
            .bytes()
            .all(|b| b == b'\t' || (b' '..=b'~').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn faults_apply_in_order_and_respect_prefixes() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::Drop, 1, Some("/EMAIL".into())).unwrap();
        queue
            .push(Fault::Delay(Duration::from_millis(5)), 2, None)
            .unwrap();
        queue.push(Fault::Drop, 0, None).unwrap();
        assert_eq!(
            queue.take("/servers"),
            Some(Fault::Delay(Duration::from_millis(5)))
        );
        assert_eq!(queue.take("/email/batch"), Some(Fault::Drop));
        assert_eq!(
            queue.take("/email"),
            Some(Fault::Delay(Duration::from_millis(5)))
        );
        assert_eq!(queue.take("/é"), None);
    }

    #[test]
    fn random_faults_hit_their_share_after_the_queued_ones() {
        let mut queue = FaultQueue::default();
        let faults = vec![Fault::Drop, Fault::Delay(Duration::from_millis(1))];
        queue.set_random(0.25, faults.clone(), 7).unwrap();
        queue.push(page(502, "text/html"), 1, None).unwrap();
        assert_eq!(queue.take("/email"), Some(page(502, "text/html")));
        let drawn: Vec<Option<Fault>> = (0..100_000).map(|_| queue.take("/email")).collect();
        let hits = drawn.iter().filter(|f| f.is_some()).count();
        // A quarter, within what 100,000 draws of a fair generator stray from it.
        assert!((24_000..26_000).contains(&hits), "{hits}");
        for fault in &faults {
            let count = drawn.iter().filter(|f| f.as_ref() == Some(fault)).count();
            assert!((11_500..13_500).contains(&count), "{fault:?}: {count}");
        }
        // The same seed draws the same faults.
        let mut again = FaultQueue::default();
        again.set_random(0.25, faults, 7).unwrap();
        let replay: Vec<Option<Fault>> = (0..100_000).map(|_| again.take("/email")).collect();
        assert_eq!(replay, drawn);
        queue.set_random(0.0, vec![Fault::Drop], 7).unwrap();
        assert_eq!(queue.take("/email"), None);
        assert!(queue.set_random(1.5, vec![Fault::Drop], 7).is_err());
        assert!(
            queue
                .set_random(0.5, vec![page(200, "text/html")], 7)
                .is_err()
        );
    }

    fn page(status: u16, content_type: &str) -> Fault {
        Fault::Page {
            status,
            content_type: content_type.into(),
            body: String::new(),
            retry_after: None,
        }
    }

    #[test]
    fn faults_the_wire_cannot_carry_are_refused() {
        assert_eq!(check(&page(502, "text/html; charset=utf-8")), Ok(()));
        assert_eq!(check(&Fault::Drop), Ok(()));
        for bad in [
            page(200, "text/html"),
            page(502, ""),
            page(502, "text/html\r\nX-Injected: 1"),
            page(502, "téxt/html"),
            Fault::Status {
                status: 204,
                retry_after: None,
            },
        ] {
            assert!(check(&bad).is_err(), "{bad:?}");
        }
        let mut queue = FaultQueue::default();
        assert!(queue.push(page(200, "text/html"), 1, None).is_err());
        assert_eq!(queue.take("/email"), None, "a refused fault is not queued");
    }
}
