//! Timestamps in the shapes Postmark uses: US Eastern with seven fractional digits for API
//! responses, UTC with `Z` for webhook-era fields.
//!
//! Postmark's API servers answer in US Eastern time, daylight saving included: `-05:00`
//! in winter, `-04:00` in summer. The time zone comes from the IANA database that jiff
//! bundles, so the mock does not depend on the machine's zoneinfo files.

use std::sync::OnceLock;
use std::time::Duration;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};

/// `America/New_York`, looked up once.
fn eastern() -> &'static TimeZone {
    static EASTERN: OnceLock<TimeZone> = OnceLock::new();
    EASTERN.get_or_init(|| {
        TimeZone::get("America/New_York").expect("the bundled time zone database has New York")
    })
}

/// Now, e.g. `2026-11-23T14:05:06.1234567-05:00`.
pub(crate) fn eastern_now() -> String {
    format_time(&Timestamp::now().to_zoned_datetime(eastern().clone()))
}

/// `days` from now, in the shape of [`eastern_now`] (a stream's purge date).
pub(crate) fn eastern_in_days(days: u64) -> String {
    let later = Timestamp::now()
        .checked_add(Duration::from_secs(days * 86_400))
        .unwrap_or(Timestamp::MAX);
    format_time(&later.to_zoned_datetime(eastern().clone()))
}

/// Noon of `date` (`YYYY-MM-DD`) in the shape of [`eastern_now`], for records a test
/// dates itself; its offset is the one New York had that day.
pub(crate) fn eastern_noon(date: &str) -> String {
    match date.parse::<Date>().ok().and_then(|day| {
        day.at(12, 0, 0, 0)
            .to_zoned_datetime(eastern().clone())
            .ok()
    }) {
        Some(noon) => format_time(&noon),
        // Only dates the caller checked come here; a day jiff cannot place keeps the
        // winter offset rather than failing the request.
        None => format!("{date}T12:00:00.0000000-05:00"),
    }
}

/// Now twice, as an inbound message carries it: the API's timestamp, and the RFC 2822
/// `Date` header (`Fri, 1 Aug 2014 16:45:32 -04:00`, with the colon Postmark writes in the
/// offset).
pub(crate) fn eastern_now_and_date_header() -> (String, String) {
    let now = Timestamp::now().to_zoned_datetime(eastern().clone());
    (format_time(&now), date_header(&now))
}

/// Whether `earlier` is before `later`, both timestamps in the shape of [`eastern_now`]:
/// compared as instants, since their offsets differ across a change of daylight saving.
/// A timestamp that does not read as one is never before anything.
pub(crate) fn is_before(earlier: &str, later: &str) -> bool {
    match (earlier.parse::<Timestamp>(), later.parse::<Timestamp>()) {
        (Ok(earlier), Ok(later)) => earlier < later,
        _ => false,
    }
}

/// The `hours`-long window ending now, as UTC timestamps (`...Z`).
pub(crate) fn utc_window(hours: u64) -> (String, String) {
    let end = Timestamp::now();
    let start = end
        .checked_sub(Duration::from_secs(hours * 3600))
        .unwrap_or(end);
    let utc = |at: Timestamp| format_time(&at.to_zoned_datetime(TimeZone::UTC));
    (utc(start), utc(end))
}

/// `2026-11-23T14:05:06.1234567-05:00`, or `...Z` in UTC.
fn format_time(at: &ZonedDateTime) -> String {
    let zone = if at.time_zone() == &TimeZone::UTC {
        "Z".to_owned()
    } else {
        at.strftime("%:z").to_string()
    };
    format!(
        "{}.{:07}{zone}",
        at.strftime("%Y-%m-%dT%H:%M:%S"),
        at.subsec_nanosecond() / 100
    )
}

/// `Fri, 1 Aug 2014 16:45:32 -04:00`.
fn date_header(at: &ZonedDateTime) -> String {
    at.strftime("%a, %-d %b %Y %H:%M:%S %:z").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str, zone: &TimeZone) -> ZonedDateTime {
        text.parse::<Timestamp>()
            .unwrap()
            .to_zoned_datetime(zone.clone())
    }

    #[test]
    fn formats_utc_and_eastern_with_daylight_saving() {
        assert_eq!(
            format_time(&at("1970-01-01T00:00:00Z", &TimeZone::UTC)),
            "1970-01-01T00:00:00.0000000Z"
        );
        assert_eq!(
            format_time(&at("2023-11-14T22:13:20.123456789Z", &TimeZone::UTC)),
            "2023-11-14T22:13:20.1234567Z"
        );
        for (utc, eastern_time) in [
            ("2024-03-01T00:00:00Z", "2024-02-29T19:00:00.0000000-05:00"),
            ("1970-01-01T00:00:00Z", "1969-12-31T19:00:00.0000000-05:00"),
            // Summer: daylight saving time.
            ("2026-07-01T12:00:00Z", "2026-07-01T08:00:00.0000000-04:00"),
            // 2026-03-08, 2:00 EST became 3:00 EDT: a minute before and after.
            ("2026-03-08T06:59:00Z", "2026-03-08T01:59:00.0000000-05:00"),
            ("2026-03-08T07:00:00Z", "2026-03-08T03:00:00.0000000-04:00"),
            // 2026-11-01, 2:00 EDT fell back to 1:00 EST.
            ("2026-11-01T05:59:59Z", "2026-11-01T01:59:59.0000000-04:00"),
            ("2026-11-01T06:00:00Z", "2026-11-01T01:00:00.0000000-05:00"),
        ] {
            assert_eq!(format_time(&at(utc, eastern())), eastern_time, "{utc}");
        }
    }

    #[test]
    fn noon_takes_the_offset_of_its_day() {
        assert_eq!(
            eastern_noon("2026-01-31"),
            "2026-01-31T12:00:00.0000000-05:00"
        );
        assert_eq!(
            eastern_noon("2026-06-30"),
            "2026-06-30T12:00:00.0000000-04:00"
        );
    }

    #[test]
    fn date_headers() {
        assert_eq!(
            date_header(&at("2014-08-01T20:45:32Z", eastern())),
            "Fri, 1 Aug 2014 16:45:32 -04:00"
        );
        assert_eq!(
            date_header(&at("1970-01-01T00:00:00Z", eastern())),
            "Wed, 31 Dec 1969 19:00:00 -05:00"
        );
    }

    #[test]
    fn instants_compare_across_a_change_of_offset() {
        // 01:30 EDT comes an hour before 01:10 EST on the night clocks fall back.
        assert!(is_before(
            "2026-11-01T01:30:00.0000000-04:00",
            "2026-11-01T01:10:00.0000000-05:00"
        ));
        assert!(!is_before(
            "2026-11-01T01:10:00.0000000-05:00",
            "2026-11-01T01:30:00.0000000-04:00"
        ));
        assert!(!is_before(
            "not a time",
            "2026-11-01T01:10:00.0000000-05:00"
        ));
    }

    #[test]
    fn window_spans_the_requested_hours() {
        let (start, end) = utc_window(24);
        assert!(start.ends_with('Z') && end.ends_with('Z'));
        assert!(start < end, "{start} {end}");
    }
}
