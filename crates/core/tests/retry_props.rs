//! Property tests of the retry policy.

use std::time::Duration;

use http::{HeaderValue, StatusCode};
use postmark_kit::{Decision, Outcome, RetryPolicy, parse_retry_after};
use proptest::option;
use proptest::prelude::*;

const ALWAYS: [u16; 2] = [429, 503];
const AMBIGUOUS: [u16; 3] = [500, 502, 504];

fn millis(max: u64) -> impl Strategy<Value = Duration> {
    (0..=max).prop_map(Duration::from_millis)
}

fn policy() -> impl Strategy<Value = RetryPolicy> {
    (
        0u32..12,
        millis(10_000),
        millis(120_000),
        millis(300_000),
        any::<bool>(),
    )
        .prop_map(
            |(max_attempts, base_delay, max_delay, max_retry_after, retry_non_idempotent)| {
                RetryPolicy {
                    max_attempts,
                    base_delay,
                    max_delay,
                    max_retry_after,
                    retry_non_idempotent,
                }
            },
        )
}

fn status() -> impl Strategy<Value = StatusCode> {
    prop_oneof![
        prop::sample::select(vec![
            200, 201, 204, 400, 401, 404, 408, 413, 415, 422, 429, 500, 501, 502, 503, 504, 505,
        ]),
        100u16..1000,
    ]
    .prop_map(|code| StatusCode::from_u16(code).unwrap())
}

fn outcome() -> impl Strategy<Value = Outcome> {
    prop_oneof![
        4 => (status(), option::of(millis(400_000))).prop_map(|(status, retry_after)| {
            Outcome::Status { status, retry_after }
        }),
        1 => Just(Outcome::NotSent),
        1 => Just(Outcome::NoResponse),
    ]
}

fn jitter() -> impl Strategy<Value = f64> {
    prop_oneof![
        4 => 0.0..1.0,
        1 => any::<f64>(),
        1 => prop::sample::select(vec![f64::NAN, f64::INFINITY, f64::NEG_INFINITY, -0.5, 1.0, 2.0]),
    ]
}

fn attempt() -> impl Strategy<Value = u32> {
    prop_oneof![4 => 0u32..16, 1 => any::<u32>()]
}

fn retry_after(outcome: &Outcome) -> Option<Duration> {
    match outcome {
        Outcome::Status { retry_after, .. } => *retry_after,
        _ => None,
    }
}

/// Whether the failure may be retried at all, before attempts and Retry-After.
fn retryable(policy: &RetryPolicy, idempotent: bool, outcome: &Outcome) -> bool {
    match outcome {
        Outcome::NotSent => true,
        Outcome::NoResponse => idempotent || policy.retry_non_idempotent,
        Outcome::Status { status, .. } => {
            let code = status.as_u16();
            ALWAYS.contains(&code)
                || (AMBIGUOUS.contains(&code) && (idempotent || policy.retry_non_idempotent))
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn decisions_follow_the_rules(
        policy in policy(),
        attempt in attempt(),
        idempotent in any::<bool>(),
        outcome in outcome(),
        jitter in jitter(),
    ) {
        let decision = policy.decide(attempt, idempotent, &outcome, jitter);
        let too_long = retry_after(&outcome).is_some_and(|wait| wait > policy.max_retry_after);
        let expect_retry = attempt.max(1) < policy.max_attempts
            && retryable(&policy, idempotent, &outcome)
            && !too_long;
        prop_assert_eq!(matches!(decision, Decision::Retry(_)), expect_retry, "{:?}", decision);

        if let Decision::Retry(delay) = decision {
            let ceiling = policy.backoff_ceiling(attempt);
            let floor = ceiling - ceiling / 2;
            match retry_after(&outcome) {
                Some(wait) => {
                    prop_assert!(wait <= policy.max_retry_after);
                    prop_assert!(delay >= wait, "Retry-After is a floor");
                    prop_assert!(delay <= policy.max_delay.max(wait));
                    prop_assert!(delay >= floor.max(wait) && delay <= ceiling.max(wait));
                }
                None => {
                    prop_assert!(delay <= policy.max_delay);
                    prop_assert!(delay >= floor && delay <= ceiling, "{:?} not in [{:?}, {:?}]", delay, floor, ceiling);
                }
            }
        }
    }

    #[test]
    fn sends_are_never_resent_after_ambiguous_failures(
        policy in policy(),
        attempt in attempt(),
        ambiguous in prop_oneof![
            prop::sample::select(AMBIGUOUS.to_vec()).prop_map(|code| Outcome::Status {
                status: StatusCode::from_u16(code).unwrap(),
                retry_after: None,
            }),
            Just(Outcome::NoResponse),
        ],
        jitter in jitter(),
    ) {
        let strict = RetryPolicy { retry_non_idempotent: false, ..policy.clone() };
        prop_assert_eq!(strict.decide(attempt, false, &ambiguous, jitter), Decision::GiveUp);
        let opted_in = RetryPolicy { retry_non_idempotent: true, ..policy };
        let retried = matches!(opted_in.decide(attempt, false, &ambiguous, jitter), Decision::Retry(_));
        prop_assert_eq!(retried, attempt.max(1) < opted_in.max_attempts);
    }

    #[test]
    fn rate_limits_and_unavailability_are_retried_for_sends(
        policy in policy(),
        attempt in 1u32..16,
        code in prop::sample::select(ALWAYS.to_vec()),
        retry_after in option::of(millis(60_000)),
        jitter in jitter(),
    ) {
        let policy = RetryPolicy { max_retry_after: Duration::from_secs(60), ..policy };
        let outcome = Outcome::Status { status: StatusCode::from_u16(code).unwrap(), retry_after };
        let decision = policy.decide(attempt, false, &outcome, jitter);
        if attempt < policy.max_attempts {
            prop_assert!(matches!(decision, Decision::Retry(_)), "{:?}", decision);
        } else {
            prop_assert_eq!(decision, Decision::GiveUp);
        }
    }

    #[test]
    fn backoff_ceiling_grows_and_is_capped(policy in policy(), a in any::<u32>(), b in any::<u32>()) {
        let (low, high) = (a.min(b), a.max(b));
        prop_assert!(policy.backoff_ceiling(low) <= policy.backoff_ceiling(high));
        prop_assert!(policy.backoff_ceiling(high) <= policy.max_delay);
        prop_assert_eq!(policy.backoff_ceiling(1), policy.base_delay.min(policy.max_delay));
        let doubled = policy.backoff_ceiling(low).saturating_mul(2).min(policy.max_delay);
        if (1..u32::MAX).contains(&low) {
            prop_assert_eq!(policy.backoff_ceiling(low + 1), doubled);
        }
    }

    #[test]
    fn more_jitter_never_waits_less(
        policy in policy(),
        attempt in 1u32..16,
        a in 0.0f64..1.0,
        b in 0.0f64..1.0,
    ) {
        let policy = RetryPolicy { max_attempts: u32::MAX, ..policy };
        let wait = |j| match policy.decide(attempt, true, &Outcome::NotSent, j) {
            Decision::Retry(delay) => delay,
            Decision::GiveUp => unreachable!("NotSent is always retried before the last attempt"),
        };
        prop_assert!(wait(a.min(b)) <= wait(a.max(b)));
    }

    #[test]
    fn attempts_are_bounded(
        policy in policy(),
        idempotent in any::<bool>(),
        outcomes in prop::collection::vec(outcome(), 1..8),
        jitters in prop::collection::vec(jitter(), 1..8),
    ) {
        let mut attempt = 1u32;
        let mut waited = Duration::ZERO;
        loop {
            let outcome = &outcomes[attempt as usize % outcomes.len()];
            let jitter = jitters[attempt as usize % jitters.len()];
            match policy.decide(attempt, idempotent, outcome, jitter) {
                Decision::Retry(delay) => {
                    waited = waited.saturating_add(delay);
                    attempt += 1;
                }
                Decision::GiveUp => break,
            }
            prop_assert!(attempt <= policy.max_attempts.max(1));
        }
        let per_wait = policy.max_delay.max(policy.max_retry_after);
        prop_assert!(waited <= per_wait.saturating_mul(policy.max_attempts));
    }

    #[test]
    fn retry_after_delta_seconds(seconds in any::<u64>(), pad in "[ \t]{0,2}") {
        let value = HeaderValue::from_str(&format!("{pad}{seconds}{pad}")).unwrap();
        prop_assert_eq!(parse_retry_after(&value, None), Some(Duration::from_secs(seconds)));
    }

    #[test]
    fn retry_after_anything_else_is_absent(value in "[ -~]{0,30}") {
        // Without the time, a date cannot count either.
        let is_delta = {
            let t = value.trim();
            !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit())
        };
        let header = HeaderValue::from_str(&value).unwrap();
        let parsed = parse_retry_after(&header, None);
        prop_assert_eq!(parsed.is_some(), is_delta);
    }

    #[test]
    fn retry_after_dates_match_an_independent_calendar(
        at in 0i64..253_402_300_800,
        now in 0u64..253_402_300_800,
    ) {
        // Every second from 1970 to the end of 9999 (IMF-fixdate has four-digit
        // years), written by jiff, reads back as the same second; counted from `now`,
        // a date in the past is no wait.
        let date = jiff::Timestamp::from_second(at).unwrap();
        let text = date.strftime("%a, %d %b %Y %H:%M:%S GMT").to_string();
        let header = HeaderValue::from_str(&text).unwrap();
        prop_assert_eq!(
            parse_retry_after(&header, Some(Duration::ZERO)),
            Some(Duration::from_secs(at as u64)),
            "{}", text
        );
        prop_assert_eq!(
            parse_retry_after(&header, Some(Duration::from_secs(now))),
            Some(Duration::from_secs((at as u64).saturating_sub(now))),
            "{}", text
        );
    }

    #[test]
    fn retry_after_dates_out_of_range_are_absent(
        at in 0i64..253_402_300_800,
        field in 0usize..6,
        bad in prop_oneof![Just("99"), Just("24"), Just("60"), Just("61"), Just("00"), Just("32")],
    ) {
        // One field of a valid date replaced by a value it cannot take there.
        let date = jiff::Timestamp::from_second(at).unwrap();
        let parts = [
            date.strftime("%a, ").to_string(),
            date.strftime("%d").to_string(),
            date.strftime(" %b %Y ").to_string(),
            date.strftime("%H").to_string(),
            date.strftime(":%M").to_string(),
            date.strftime(":%S GMT").to_string(),
        ];
        let replaced = match field {
            // The day: 00 and 32 and over are out of range.
            1 if matches!(bad, "00" | "32" | "99") => format!("{}{bad}{}{}{}{}", parts[0], parts[2], parts[3], parts[4], parts[5]),
            // The hour: 24 and over.
            3 if matches!(bad, "24" | "32" | "60" | "61" | "99") => format!("{}{}{}{bad}{}{}", parts[0], parts[1], parts[2], parts[4], parts[5]),
            // The minute: 60 and over.
            4 if matches!(bad, "60" | "61" | "99") => format!("{}{}{}{}:{bad}{}", parts[0], parts[1], parts[2], parts[3], parts[5]),
            // The second: 61 and over (60 is a leap second).
            5 if matches!(bad, "61" | "99") => format!("{}{}{}{}{}:{bad} GMT", parts[0], parts[1], parts[2], parts[3], parts[4]),
            _ => return Ok(()),
        };
        let header = HeaderValue::from_str(&replaced).unwrap();
        prop_assert_eq!(parse_retry_after(&header, Some(Duration::ZERO)), None, "{}", replaced);
    }
}
