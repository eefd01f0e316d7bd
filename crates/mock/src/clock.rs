//! Timestamps in the shapes Postmark uses: US Eastern with seven fractional digits for API
//! responses, UTC with `Z` for webhook-era fields.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Postmark's API servers answer in US Eastern time. The mock uses standard time (-05:00)
/// all year; daylight saving is not modelled.
const EASTERN_OFFSET_SECS: i64 = -5 * 3600;

/// Now, e.g. `2026-11-23T14:05:06.1234567-05:00`.
pub(crate) fn eastern_now() -> String {
    format_time(SystemTime::now(), EASTERN_OFFSET_SECS)
}

/// The `hours`-long window ending now, as UTC timestamps (`...Z`).
pub(crate) fn utc_window(hours: u64) -> (String, String) {
    let end = SystemTime::now();
    let start = end
        .checked_sub(Duration::from_secs(hours * 3600))
        .unwrap_or(end);
    (format_time(start, 0), format_time(end, 0))
}

fn format_time(time: SystemTime, offset_secs: i64) -> String {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let local = since_epoch.as_secs() as i64 + offset_secs;
    let (days, secs_of_day) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    let zone = if offset_secs == 0 {
        "Z".to_owned()
    } else {
        let sign = if offset_secs < 0 { '-' } else { '+' };
        let abs = offset_secs.unsigned_abs();
        format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
    };
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:07}{zone}",
        secs_of_day / 3600,
        secs_of_day % 3600 / 60,
        secs_of_day % 60,
        since_epoch.subsec_nanos() / 100
    )
}

/// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(secs: u64, nanos: u32) -> SystemTime {
        UNIX_EPOCH + Duration::new(secs, nanos)
    }

    #[test]
    fn formats_utc_and_eastern() {
        assert_eq!(format_time(at(0, 0), 0), "1970-01-01T00:00:00.0000000Z");
        assert_eq!(
            format_time(at(1_700_000_000, 123_456_789), 0),
            "2023-11-14T22:13:20.1234567Z"
        );
        assert_eq!(
            format_time(at(1_709_251_200, 0), EASTERN_OFFSET_SECS),
            "2024-02-29T19:00:00.0000000-05:00"
        );
        assert_eq!(
            format_time(at(0, 0), EASTERN_OFFSET_SECS),
            "1969-12-31T19:00:00.0000000-05:00"
        );
    }

    #[test]
    fn window_spans_the_requested_hours() {
        let (start, end) = utc_window(24);
        assert!(start.ends_with('Z') && end.ends_with('Z'));
        assert!(start < end, "{start} {end}");
    }
}
