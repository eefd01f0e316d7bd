//! Injected failures, consumed first-in first-out by the API requests they match.

use std::collections::VecDeque;

use crate::Fault;
use crate::http::Response;
use crate::json::ApiError;

#[derive(Debug, Default)]
pub(crate) struct FaultQueue {
    pending: VecDeque<Pending>,
}

#[derive(Debug)]
struct Pending {
    fault: Fault,
    remaining: usize,
    /// Only requests whose path starts with this (case-insensitively) are hit.
    path_prefix: Option<String>,
}

impl FaultQueue {
    pub(crate) fn push(&mut self, fault: Fault, count: usize, path_prefix: Option<String>) {
        if count > 0 {
            self.pending.push_back(Pending {
                fault,
                remaining: count,
                path_prefix,
            });
        }
    }

    /// The fault for a request to `path`: the oldest entry that matches it.
    pub(crate) fn take(&mut self, path: &str) -> Option<Fault> {
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

/// The answer to a `Fault::Status`. Postmark documents ErrorCode 101 for its 500s and 100
/// for its 503 maintenance answers. It documents no body for 429 or other statuses, so
/// those carry the HTTP status itself as ErrorCode (429: "Rate limit exceeded...").
pub(crate) fn status_response(status: u16, retry_after: Option<u32>) -> Response {
    let (code, message) = match status {
        429 => (429, "Rate limit exceeded. Slow down and retry later."),
        500 => (101, "An unexpected error occurred. Please try again."),
        503 => (100, "The Postmark API is offline for maintenance."),
        _ => (i64::from(status), "Injected failure."),
    };
    let response = crate::router::error_response(&ApiError::with_status(status, code, message));
    match retry_after {
        Some(seconds) => response.header("Retry-After", seconds.to_string()),
        None => response,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn faults_apply_in_order_and_respect_prefixes() {
        let mut queue = FaultQueue::default();
        queue.push(Fault::Drop, 1, Some("/EMAIL".into()));
        queue.push(Fault::Delay(Duration::from_millis(5)), 2, None);
        queue.push(Fault::Drop, 0, None);
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
}
