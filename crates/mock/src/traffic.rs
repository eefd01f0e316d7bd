//! Counters about the traffic itself: connections accepted and API requests in flight.
//! They let tests prove that a client reused a connection or really ran requests in
//! parallel without measuring time, and let a reset wait for requests still being handled.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

#[derive(Debug, Default)]
pub(crate) struct Traffic {
    accepted: AtomicU64,
    load: Mutex<Load>,
    /// Signalled whenever the last in-flight request ends.
    idle: Condvar,
}

#[derive(Debug, Default)]
struct Load {
    in_flight: usize,
    peak: usize,
}

/// One API request being handled; it stops counting when dropped, on every path out of
/// the connection loop (answered, dropped by a fault, failed write).
#[derive(Debug)]
pub(crate) struct InFlight<'a>(&'a Traffic);

impl Traffic {
    /// Counts a new connection and returns its number (0 for the first).
    pub(crate) fn accept(&self) -> u64 {
        self.accepted.fetch_add(1, Ordering::Relaxed)
    }

    /// Connections accepted since the start.
    pub(crate) fn accepted(&self) -> u64 {
        self.accepted.load(Ordering::Relaxed)
    }

    pub(crate) fn begin(&self) -> InFlight<'_> {
        let mut load = self.load();
        load.in_flight += 1;
        load.peak = load.peak.max(load.in_flight);
        InFlight(self)
    }

    pub(crate) fn in_flight(&self) -> usize {
        self.load().in_flight
    }

    /// The most API requests in flight at once since the start or the last
    /// [`reset_peak`](Self::reset_peak).
    pub(crate) fn peak(&self) -> usize {
        self.load().peak
    }

    /// Starts measuring the peak again from the requests in flight right now.
    pub(crate) fn reset_peak(&self) {
        let mut load = self.load();
        load.peak = load.in_flight;
    }

    /// Waits until no API request is in flight, at most `limit`; returns how many still are.
    pub(crate) fn wait_idle(&self, limit: Duration) -> usize {
        let (load, _) = self
            .idle
            .wait_timeout_while(self.load(), limit, |load| load.in_flight > 0)
            .unwrap_or_else(PoisonError::into_inner);
        load.in_flight
    }

    fn load(&self) -> MutexGuard<'_, Load> {
        self.load.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut load = self.0.load();
        load.in_flight -= 1;
        if load.in_flight == 0 {
            self.0.idle.notify_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn peak_follows_overlap_and_resets_to_the_current_load() {
        let traffic = Traffic::default();
        let first = traffic.begin();
        let second = traffic.begin();
        drop(first);
        let third = traffic.begin();
        assert_eq!((traffic.in_flight(), traffic.peak()), (2, 2));
        drop((second, third));
        assert_eq!((traffic.in_flight(), traffic.peak()), (0, 2));
        let _fourth = traffic.begin();
        traffic.reset_peak();
        assert_eq!(traffic.peak(), 1);
    }

    #[test]
    fn wait_idle_returns_when_the_last_request_ends_or_at_the_limit() {
        let traffic = Traffic::default();
        assert_eq!(traffic.wait_idle(Duration::from_secs(5)), 0);
        std::thread::scope(|scope| {
            let request = traffic.begin();
            scope.spawn(move || {
                std::thread::sleep(Duration::from_millis(50));
                drop(request);
            });
            let started = Instant::now();
            assert_eq!(traffic.wait_idle(Duration::from_secs(5)), 0);
            assert!(started.elapsed() < Duration::from_secs(5));
        });
        let _stuck = traffic.begin();
        assert_eq!(traffic.wait_idle(Duration::from_millis(20)), 1);
    }
}
