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

/// `days` from now, in the shape of [`eastern_now`] (a stream's purge date).
pub(crate) fn eastern_in_days(days: u64) -> String {
    let later = SystemTime::now() + Duration::from_secs(days * 86_400);
    format_time(later, EASTERN_OFFSET_SECS)
}

/// Noon of `date` (`YYYY-MM-DD`) in the shape of [`eastern_now`], for records a test
/// dates itself.
pub(crate) fn eastern_noon(date: &str) -> String {
    format!("{date}T12:00:00.0000000-05:00")
}

/// Now twice, as an inbound message carries it: the API's timestamp, and the RFC 2822
/// `Date` header (`Fri, 1 Aug 2014 16:45:32 -05:00`, with the colon Postmark writes in the
/// offset).
pub(crate) fn eastern_now_and_date_header() -> (String, String) {
    let now = SystemTime::now();
    (
        format_time(now, EASTERN_OFFSET_SECS),
        date_header(now, EASTERN_OFFSET_SECS),
    )
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
    let local = Local::at(time, offset_secs);
    let zone = if offset_secs == 0 {
        "Z".to_owned()
    } else {
        offset_text(offset_secs)
    };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:07}{zone}",
        local.year, local.month, local.day, local.hour, local.minute, local.second, local.fraction
    )
}

fn date_header(time: SystemTime, offset_secs: i64) -> String {
    const DAYS: [&str; 7] = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"];
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let local = Local::at(time, offset_secs);
    format!(
        "{}, {} {} {} {:02}:{:02}:{:02} {}",
        DAYS[local.weekday],
        local.day,
        MONTHS[local.month as usize - 1],
        local.year,
        local.hour,
        local.minute,
        local.second,
        offset_text(offset_secs)
    )
}

/// `-05:00`
fn offset_text(offset_secs: i64) -> String {
    let sign = if offset_secs < 0 { '-' } else { '+' };
    let abs = offset_secs.unsigned_abs();
    format!("{sign}{:02}:{:02}", abs / 3600, abs % 3600 / 60)
}

/// A moment on the wall clock of a time zone.
struct Local {
    year: i64,
    month: u32,
    day: u32,
    /// 0 for Thursday, the weekday of 1970-01-01.
    weekday: usize,
    hour: i64,
    minute: i64,
    second: i64,
    /// In units of 100 ns, the seven digits Postmark writes.
    fraction: u32,
}

impl Local {
    fn at(time: SystemTime, offset_secs: i64) -> Local {
        let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
        let local = since_epoch.as_secs() as i64 + offset_secs;
        let (days, secs_of_day) = (local.div_euclid(86_400), local.rem_euclid(86_400));
        let (year, month, day) = civil_from_days(days);
        Local {
            year,
            month,
            day,
            weekday: days.rem_euclid(7) as usize,
            hour: secs_of_day / 3600,
            minute: secs_of_day % 3600 / 60,
            second: secs_of_day % 60,
            fraction: since_epoch.subsec_nanos() / 100,
        }
    }
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
    fn date_headers() {
        assert_eq!(
            date_header(at(1_406_925_932, 0), -4 * 3600),
            "Fri, 1 Aug 2014 16:45:32 -04:00"
        );
        assert_eq!(
            date_header(at(0, 0), EASTERN_OFFSET_SECS),
            "Wed, 31 Dec 1969 19:00:00 -05:00"
        );
    }

    #[test]
    fn window_spans_the_requested_hours() {
        let (start, end) = utc_window(24);
        assert!(start.ends_with('Z') && end.ends_with('Z'));
        assert!(start < end, "{start} {end}");
    }
}
