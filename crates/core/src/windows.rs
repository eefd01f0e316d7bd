//! Reaching every item of a search past Postmark's paging cap by splitting
//! its date window.
//!
//! Postmark pages bounces and message searches at most 10,000 items deep
//! (`count + offset`). A search that matches more can only be read whole in
//! narrower date windows, each under the cap. [`SearchWindows`] plans them:
//! it starts with the caller's window, and given the `TotalCount` of a
//! window's first page, either lets the caller walk that window by offset or
//! halves it and asks for the halves. Windows are walked newest first, as
//! Postmark lists each one, so the items come in the order one uncapped walk
//! would give them, each once.
//!
//! Pure: dates come in as arguments (Postmark's form, without offset: a date
//! `2026-01-31` or a date and time `2026-01-31T08:00:00`, in Postmark's time
//! zone, bounds included); no clock is read.
//!
//! ```
//! use postmark_kit::windows::{Plan, SearchWindows};
//!
//! let mut windows = SearchWindows::new("2026-01-01", "2026-01-02", 10_000)?;
//! let whole = windows.next_window().unwrap();
//! assert_eq!((whole.from.as_str(), whole.to.as_str()), ("2026-01-01T00:00:00", "2026-01-02T23:59:59"));
//! // Its first page says 15,000 items: too many to page, so it is halved.
//! assert_eq!(windows.plan(&whole, 15_000), Plan::Split);
//! let newer = windows.next_window().unwrap();
//! assert_eq!(newer.from, "2026-01-02T00:00:00");
//! assert_eq!(windows.plan(&newer, 7_000), Plan::Walk); // walk it, then:
//! windows.walked(&newer);
//! assert_eq!(windows.next_window().unwrap().to, "2026-01-01T23:59:59");
//! # Ok::<(), postmark_kit::BuildError>(())
//! ```

use crate::api::bounces::ListBounces;
use crate::api::messages::{SearchInboundMessages, SearchOutboundMessages};
use crate::{BuildError, Endpoint, Paged};

/// The query parameter of a window's first second.
pub const FROM_PARAM: &str = "fromdate";
/// The query parameter of a window's last second.
pub const TO_PARAM: &str = "todate";

/// One date window of a search, its bounds included, to the second, in the
/// form Postmark's `fromdate` and `todate` take (`2026-01-31T08:00:00`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub struct Window {
    /// The first second.
    pub from: String,
    /// The last second.
    pub to: String,
}

/// What to do with a window, given its first page's `TotalCount`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Plan {
    /// Walk it by offset (its first page is the walk's first page), then
    /// call [`SearchWindows::walked`].
    Walk,
    /// It was halved: drop its page and ask [`SearchWindows::next_window`]
    /// again.
    Split,
    /// More items than the cap in a single second: no window reaches past
    /// the cap there. Walk what it can reach, then call
    /// [`SearchWindows::walked`].
    Truncated,
}

/// The windows of a search still to walk (see the [module](self)).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SearchWindows {
    /// Seconds since 0000-03-01 of each window's bounds; the next one last.
    pending: Vec<(i64, i64)>,
    cap: u64,
}

impl SearchWindows {
    /// The windows of the search from `from` to `to`, bounds included, for a
    /// list paged at most `cap` items deep. A date alone stands for its whole
    /// day: its first second as `from`, its last as `to`.
    ///
    /// Refused: a bound that is not such a date
    /// ([`BuildError::InvalidValue`]), and `from` after `to`.
    pub fn new(from: &str, to: &str, cap: u32) -> Result<SearchWindows, BuildError> {
        let from_second = seconds(from, FROM_PARAM, 0)?;
        let to_second = seconds(to, TO_PARAM, 86_399)?;
        if from_second > to_second {
            return Err(BuildError::InvalidValue {
                field: FROM_PARAM.into(),
                reason: "it must not be after todate",
            });
        }
        Ok(SearchWindows {
            pending: vec![(from_second, to_second)],
            cap: u64::from(cap),
        })
    }

    /// [`new`](Self::new) for a search named by its operation, the
    /// bindings' entry: `list_bounces`, `search_outbound_messages` or
    /// `search_inbound_messages`, with its paging cap. Refused: any other
    /// operation ([`BuildError::InvalidParams`]).
    pub fn for_operation(
        operation: &str,
        from: &str,
        to: &str,
    ) -> Result<SearchWindows, BuildError> {
        fn cap<E: Windowed>() -> u32 {
            E::DEPTH_CAP.unwrap_or(u32::MAX)
        }
        let cap = match operation {
            ListBounces::OPERATION => cap::<ListBounces>(),
            SearchOutboundMessages::OPERATION => cap::<SearchOutboundMessages>(),
            SearchInboundMessages::OPERATION => cap::<SearchInboundMessages>(),
            _ => {
                let operation = crate::ops::find(operation)?.name;
                return Err(BuildError::InvalidParams {
                    operation,
                    path: ".".into(),
                    message: "not a search split by date: list_bounces, \
                              search_outbound_messages or search_inbound_messages"
                        .into(),
                });
            }
        };
        SearchWindows::new(from, to, cap)
    }

    /// The window to search next, or `None` when every one was walked.
    pub fn next_window(&self) -> Option<Window> {
        self.pending.last().map(|&(from, to)| Window {
            from: format(from),
            to: format(to),
        })
    }

    /// What to do with `window` (the one [`next_window`](Self::next_window)
    /// answered), given the `TotalCount` of its first page: walk it when
    /// every item is within the cap; else halve it (the newer half comes
    /// next), or, when it is a single second, walk what the cap reaches.
    /// Any other window is left alone and walked as asked.
    pub fn plan(&mut self, window: &Window, total: u64) -> Plan {
        let Some(&(from, to)) = self.pending.last() else {
            return Plan::Walk;
        };
        if self.next_window().as_ref() != Some(window) || total <= self.cap {
            return Plan::Walk;
        }
        if from == to {
            return Plan::Truncated;
        }
        let middle = from + (to - from) / 2;
        self.pending.pop();
        // The newer half on top: it is walked first.
        self.pending.push((from, middle));
        self.pending.push((middle + 1, to));
        Plan::Split
    }

    /// Records that `window` was walked: the next one comes up.
    pub fn walked(&mut self, window: &Window) {
        if self.next_window().as_ref() == Some(window) {
            self.pending.pop();
        }
    }
}

/// A capped search whose date window can be narrowed: the bounces and the
/// searches of sent and received messages.
pub trait Windowed: Paged + Clone {
    /// The same search within `window`, from its first item.
    fn within(&self, window: &Window) -> Self;
}

macro_rules! windowed {
    ($($search:ty),*) => {$(
        impl Windowed for $search {
            fn within(&self, window: &Window) -> Self {
                Self {
                    offset: 0,
                    from_date: Some(window.from.clone()),
                    to_date: Some(window.to.clone()),
                    ..self.clone()
                }
            }
        }
    )*};
}

windowed!(SearchOutboundMessages, SearchInboundMessages, ListBounces);

/// Seconds from 0000-03-01 of a bound; a date alone is at `time_of_day`.
fn seconds(text: &str, field: &str, time_of_day: i64) -> Result<i64, BuildError> {
    let refused = || BuildError::InvalidValue {
        field: field.into(),
        reason: "a date (2026-01-31) or a date and time without offset (2026-01-31T08:00:00)",
    };
    let (date, time) = match text.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (text, None),
    };
    let numbers = |part: &str, separator: char| -> Option<Vec<i64>> {
        part.split(separator)
            .map(|n| match n.len() {
                2 | 4 if n.bytes().all(|b| b.is_ascii_digit()) => n.parse().ok(),
                _ => None,
            })
            .collect()
    };
    let [year, month, day] = numbers(date, '-').ok_or_else(refused)?[..] else {
        return Err(refused());
    };
    if !(1..=12).contains(&month) || !(1..=days_in_month(year, month)).contains(&day) {
        return Err(refused());
    }
    let time_of_day = match time.map(|time| numbers(time, ':')) {
        None => time_of_day,
        Some(Some(hms)) => match hms[..] {
            [h, m] if h < 24 && m < 60 => h * 3600 + m * 60,
            [h, m, s] if h < 24 && m < 60 && s < 60 => h * 3600 + m * 60 + s,
            _ => return Err(refused()),
        },
        Some(None) => return Err(refused()),
    };
    Ok(days_from_civil(year, month, day) * 86_400 + time_of_day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days from 0000-03-01 (H. Hinnant's algorithm, on a year from March on,
/// so that leap days fall last).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_from_march = (month + 9) % 12;
    let day_of_year = (153 * month_from_march + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era
}

/// The date and time of a second counted as [`days_from_civil`] does.
fn format(seconds: i64) -> String {
    let (days, second_of_day) = (seconds.div_euclid(86_400), seconds.rem_euclid(86_400));
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}",
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_read_and_write_back_exactly() {
        for text in [
            "2026-01-31T08:00:00",
            "2024-02-29T23:59:59",
            "2000-03-01T00:00:00",
            "2000-02-29T00:00:00",
            "2101-06-15T06:07:08",
            "2400-02-29T12:00:00",
            "1999-12-31T12:34:56",
            "2100-02-28T00:00:01",
        ] {
            assert_eq!(format(seconds(text, "x", 0).unwrap()), text);
        }
        assert_eq!(
            format(seconds("2026-01-31", "x", 86_399).unwrap()),
            "2026-01-31T23:59:59"
        );
        assert_eq!(
            format(seconds("2026-01-31T08:30", "x", 0).unwrap()),
            "2026-01-31T08:30:00"
        );
        for bad in [
            "2026-02-29",
            "2100-02-29",
            "2026-04-31",
            "2026-11-31",
            "2026-13-01",
            "2026-1-01",
            "+026-01-01",
            "2026-01-01T24:00:00",
            "2026-01-01T10:60:00",
            "2026-01-01T10:00:60",
            "2026-01-01T24:00",
            "2026-01-01T10:60",
            "2026-01-01T10:00:00Z",
            "2026-01-01T10",
            "yesterday",
            "",
        ] {
            assert!(seconds(bad, "fromdate", 0).is_err(), "{bad}");
        }
    }

    /// Every day of a whole 400-year cycle and past its ends, counted by a
    /// calendar of its own, reads and writes back as the same second.
    #[test]
    fn every_day_of_a_cycle_matches_a_calendar_count() {
        let leap = |year: i64| year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        let mut second = seconds("1999-12-31T00:00:00", "x", 0).unwrap();
        let (mut year, mut month, mut day) = (1999, 12, 31);
        while year < 2401 {
            let text = format!("{year:04}-{month:02}-{day:02}T00:00:00");
            assert_eq!(format(second), text);
            assert_eq!(seconds(&text, "x", 0), Ok(second));
            let length = match month {
                2 => 28 + i64::from(leap(year)),
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            (year, month, day) = match (day == length, month == 12) {
                (false, _) => (year, month, day + 1),
                (true, false) => (year, month + 1, 1),
                (true, true) => (year + 1, 1, 1),
            };
            second += 86_400;
        }
    }

    #[test]
    fn refusals_name_their_bound() {
        assert_eq!(
            SearchWindows::new("2026-01-02", "2026-01-01", 10_000),
            Err(BuildError::InvalidValue {
                field: "fromdate".into(),
                reason: "it must not be after todate"
            })
        );
        assert!(matches!(
            SearchWindows::new("2026-01-01", "soon", 10_000),
            Err(BuildError::InvalidValue { field, .. }) if field == "todate"
        ));
    }

    /// Items at these seconds, and how a walk of their windows meets them:
    /// every item once, newest first, each window under the cap unless a
    /// single second is over it.
    fn walk(items: &[i64], from: &str, to: &str, cap: u32) -> (Vec<i64>, Vec<Plan>) {
        let mut windows = SearchWindows::new(from, to, cap).unwrap();
        let (mut seen, mut plans) = (Vec::new(), Vec::new());
        while let Some(window) = windows.next_window() {
            let (a, b) = (
                seconds(&window.from, "", 0).unwrap(),
                seconds(&window.to, "", 0).unwrap(),
            );
            let mut inside: Vec<i64> = items
                .iter()
                .copied()
                .filter(|&t| a <= t && t <= b)
                .collect();
            inside.sort_unstable_by(|x, y| y.cmp(x));
            let plan = windows.plan(&window, inside.len() as u64);
            plans.push(plan);
            if plan != Plan::Split {
                seen.extend(inside.into_iter().take(cap as usize));
                windows.walked(&window);
            }
        }
        (seen, plans)
    }

    #[test]
    fn every_item_once_newest_first() {
        let day = seconds("2026-01-01", "", 0).unwrap();
        // 25 items spread over two days, at most 10 per window.
        let items: Vec<i64> = (0..25).map(|i| day + i * 6_911).collect();
        let (seen, plans) = walk(&items, "2026-01-01", "2026-01-02", 10);
        let mut expected = items.clone();
        expected.reverse();
        assert_eq!(seen, expected);
        assert!(plans.contains(&Plan::Split));
        assert!(!plans.contains(&Plan::Truncated));
        // Under the cap: one window, walked as it is.
        let (seen, plans) = walk(&items, "2026-01-01", "2026-01-02", 100);
        assert_eq!((seen.len(), plans), (25, vec![Plan::Walk]));
    }

    #[test]
    fn a_window_over_the_cap_is_halved_newer_half_first() {
        let mut windows = SearchWindows::new("2026-01-01", "2026-01-02", 10_000).unwrap();
        let whole = windows.next_window().unwrap();
        assert_eq!(windows.plan(&whole, 15_000), Plan::Split);
        let newer = windows.next_window().unwrap();
        assert_eq!(
            (newer.from.as_str(), newer.to.as_str()),
            ("2026-01-02T00:00:00", "2026-01-02T23:59:59")
        );
        assert_eq!(windows.plan(&newer, 7_000), Plan::Walk);
        windows.walked(&newer);
        let older = windows.next_window().unwrap();
        assert_eq!(
            (older.from.as_str(), older.to.as_str()),
            ("2026-01-01T00:00:00", "2026-01-01T23:59:59")
        );
    }

    #[test]
    fn a_second_over_the_cap_is_truncated() {
        let noon = seconds("2026-01-01T12:00:00", "", 0).unwrap();
        let items: Vec<i64> = std::iter::repeat_n(noon, 12).chain([noon + 5]).collect();
        let (seen, plans) = walk(&items, "2026-01-01", "2026-01-01", 10);
        assert_eq!(seen.len(), 11);
        assert_eq!(seen[0], noon + 5);
        assert_eq!(plans.iter().filter(|p| **p == Plan::Truncated).count(), 1);
    }

    #[test]
    fn answers_about_other_windows_change_nothing() {
        let mut windows = SearchWindows::new("2026-01-01", "2026-01-02", 10).unwrap();
        let before = windows.clone();
        let stranger = Window {
            from: "2025-01-01T00:00:00".into(),
            to: "2025-01-02T00:00:00".into(),
        };
        assert_eq!(windows.plan(&stranger, 1_000), Plan::Walk);
        windows.walked(&stranger);
        assert_eq!(windows, before);
    }

    #[test]
    fn searches_by_name_take_their_cap() {
        for search in [
            "list_bounces",
            "search_outbound_messages",
            "search_inbound_messages",
        ] {
            let windows = SearchWindows::for_operation(search, "2026-01-01", "2026-01-02");
            assert_eq!(windows.map(|w| w.cap), Ok(10_000), "{search}");
        }
        assert!(matches!(
            SearchWindows::for_operation("list_servers", "2026-01-01", "2026-01-02"),
            Err(BuildError::InvalidParams {
                operation: "list_servers",
                ..
            })
        ));
        assert!(matches!(
            SearchWindows::for_operation("nope", "2026-01-01", "2026-01-02"),
            Err(BuildError::UnknownOperation { .. })
        ));
    }
}
