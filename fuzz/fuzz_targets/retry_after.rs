//! `Retry-After` values, with the clock (bytes 0-7: seconds since the epoch, 0 for none)
//! fuzzed too; then the retry decision on what it gave, with a fuzzed attempt number.
#![no_main]

use std::time::Duration;

use http::{HeaderValue, StatusCode};
use libfuzzer_sys::fuzz_target;
use postmark_kit::{Decision, Outcome, RetryPolicy, parse_retry_after};
use postmark_kit_fuzz::measure;

fuzz_target!(|data: &[u8]| {
    let Some((&clock, rest)) = data.split_first_chunk::<8>() else {
        return;
    };
    let Ok(value) = HeaderValue::from_bytes(rest) else {
        return;
    };
    let clock = u64::from_le_bytes(clock);
    let now = (clock != 0).then(|| Duration::from_secs(clock >> 20));
    measure(data.len(), || {
        let wait = parse_retry_after(&value, now);
        let policy = RetryPolicy::default();
        let outcome = Outcome::Status {
            status: StatusCode::TOO_MANY_REQUESTS,
            retry_after: wait,
        };
        let attempt = (clock & 0xff) as u32;
        match policy.decide(
            attempt,
            clock & 0x100 != 0,
            &outcome,
            (clock >> 9 & 0xff) as f64 / 256.0,
        ) {
            Decision::Retry(after) => {
                assert!(
                    after <= policy.max_delay.max(policy.max_retry_after),
                    "{after:?}"
                );
                assert!(wait.is_none_or(|w| after >= w));
            }
            Decision::GiveUp => assert!(
                attempt.max(1) >= policy.max_attempts
                    || wait.is_some_and(|w| w > policy.max_retry_after)
            ),
        }
    });
});
