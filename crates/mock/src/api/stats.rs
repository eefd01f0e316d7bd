//! Stats API (server token): counts of what the server sent, and of the bounces, spam
//! complaints, opens and clicks recorded for it, per day and in total.
//!
//! Every route takes `tag` and `messagestream` (default: all streams) and an inclusive
//! `fromdate`/`todate` window (default: all time). A day is the Eastern date of the
//! record; days with nothing to count are left out, as are counts of zero, so an empty
//! window answers `{"Days": []}`. The overview has no days and answers every count.
//!
//! `POST /__mock/stats/seed` records sent messages on chosen days; bounces, opens and
//! clicks with chosen dates come from their own control routes, so a test can make any
//! numbers.

use std::collections::{BTreeMap, HashSet};

use serde_json::{Map, Value, json};

use super::streams::stream_not_found;
use super::{TRACK_LINKS, Window, canonical, is_eastern_time};
use crate::address;
use crate::control::{bad, missing};
use crate::json::{ApiError, Fields};
use crate::router::{Auth, Ctx, Route};
use crate::state::{Bounce, SentMessage, State};
use crate::{clock, ids};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/stats/outbound", Auth::Server, overview),
    Route::new("GET", "/stats/outbound/sends", Auth::Server, sends),
    Route::new("GET", "/stats/outbound/bounces", Auth::Server, bounces),
    Route::new("GET", "/stats/outbound/spam", Auth::Server, spam),
    Route::new("GET", "/stats/outbound/tracked", Auth::Server, tracked),
    Route::new("GET", "/stats/outbound/opens", Auth::Server, opens),
    Route::new(
        "GET",
        "/stats/outbound/opens/platforms",
        Auth::Server,
        open_platforms,
    ),
    Route::new(
        "GET",
        "/stats/outbound/opens/emailclients",
        Auth::Server,
        email_clients,
    ),
    Route::new(
        "GET",
        "/stats/outbound/opens/readtimes",
        Auth::Server,
        read_times,
    ),
    Route::new("GET", "/stats/outbound/clicks", Auth::Server, clicks),
    Route::new(
        "GET",
        "/stats/outbound/clicks/browserfamilies",
        Auth::Server,
        browsers,
    ),
    Route::new(
        "GET",
        "/stats/outbound/clicks/platforms",
        Auth::Server,
        click_platforms,
    ),
    Route::new(
        "GET",
        "/stats/outbound/clicks/location",
        Auth::Server,
        click_locations,
    ),
];

pub(super) const CONTROL: &[Route] = &[Route::new("POST", "/__mock/stats/seed", Auth::Open, seed)];

/// ErrorCode of a date that is not one.
const BAD_DATE: i64 = 900;
/// Read times from this many seconds on share one bucket.
const LONG_READ: i64 = 20;
/// Most messages one seed request records.
const MAX_SEED: i64 = 1000;

/// The records a report counts, already filtered.
struct Facts<'s> {
    sent: Vec<&'s SentMessage>,
    bounces: Vec<&'s Bounce>,
    opens: Vec<&'s Value>,
    clicks: Vec<&'s Value>,
}

impl<'s> Facts<'s> {
    /// The server's records that fall in the request's window, tag and stream.
    fn gather(ctx: &Ctx<'_>, state: &'s State, server_id: i64) -> Result<Facts<'s>, ApiError> {
        let window = Window::read(ctx, BAD_DATE)?;
        if let (Some(from), Some(to)) = (window.from, window.to) {
            if from > to {
                return Err(ApiError::new(
                    1502,
                    "'fromdate' must not be after 'todate'.",
                ));
            }
        }
        let server = state
            .server(server_id)
            .ok_or_else(|| bad("The server is gone."))?;
        let stream = ctx.query("messagestream");
        if let Some(id) = stream {
            server.stream(id).ok_or_else(|| stream_not_found(id))?;
        }
        let tag = ctx.query("tag");
        let admit = |at: &str, record_tag: &str, record_stream: &str| {
            window.contains(at)
                && tag.is_none_or(|t| t.eq_ignore_ascii_case(record_tag))
                && stream.is_none_or(|s| s.eq_ignore_ascii_case(record_stream))
        };
        let event = |e: &&Value| {
            let text = |key: &str| e[key].as_str().unwrap_or_default();
            admit(text("ReceivedAt"), text("Tag"), text("MessageStream"))
        };
        Ok(Facts {
            sent: state
                .sent_by(server_id)
                .filter(|m| admit(&m.received_at, &m.tag, &m.stream))
                .collect(),
            bounces: server
                .bounces
                .iter()
                .filter(|b| admit(&b.bounced_at, &b.tag, &b.stream))
                .collect(),
            opens: server.opens.iter().filter(event).collect(),
            clicks: server.clicks.iter().filter(event).collect(),
        })
    }

    fn spam(&self) -> impl Iterator<Item = &&'s Bounce> {
        self.bounces.iter().filter(|b| is_spam(b))
    }

    /// Bounces proper: spam complaints are counted apart.
    fn bounced(&self) -> impl Iterator<Item = &&'s Bounce> {
        self.bounces.iter().filter(|b| !is_spam(b))
    }

    /// Clicks that are the first of their recipient on their link in their message.
    fn unique_clicks(&self) -> Vec<bool> {
        let mut seen = HashSet::new();
        self.clicks
            .iter()
            .map(|c| {
                seen.insert((
                    text(c, "/MessageID"),
                    text(c, "/Recipient"),
                    text(c, "/OriginalLink"),
                ))
            })
            .collect()
    }
}

fn is_spam(bounce: &Bounce) -> bool {
    bounce.kind.name == "SpamComplaint"
}

fn text<'v>(value: &'v Value, pointer: &str) -> &'v str {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_default()
}

/// Counts per day and key.
#[derive(Default)]
struct Tally(BTreeMap<String, BTreeMap<String, i64>>);

impl Tally {
    /// Counts one `key` on the day of `at` (a timestamp or a date).
    fn add(&mut self, at: &str, key: &str) {
        let day = at.get(..10).unwrap_or(at).to_owned();
        *self
            .0
            .entry(day)
            .or_default()
            .entry(key.to_owned())
            .or_default() += 1;
    }

    /// `{"Days": [{"Date", key: n...}], key: total...}`, oldest day first.
    fn answer(self) -> Value {
        let mut totals = Map::new();
        let days: Vec<Value> = self
            .0
            .into_iter()
            .map(|(date, counts)| {
                let mut day = Map::new();
                day.insert("Date".into(), date.into());
                for (key, n) in counts {
                    let total = totals.entry(key.clone()).or_insert(Value::from(0));
                    *total = (total.as_i64().unwrap_or_default() + n).into();
                    day.insert(key, n.into());
                }
                Value::Object(day)
            })
            .collect();
        let mut answer = Map::new();
        answer.insert("Days".into(), days.into());
        answer.extend(totals);
        Value::Object(answer)
    }
}

/// Answers the tally `fill` makes of the request's facts.
fn report(ctx: &Ctx<'_>, fill: impl Fn(&Facts<'_>, &mut Tally)) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server_id = ctx.current(&mut state)?.id;
    let facts = Facts::gather(ctx, &state, server_id)?;
    let mut tally = Tally::default();
    fill(&facts, &mut tally);
    Ok(tally.answer())
}

/// Counts each event under the value at `pointer` (`fallback` when it is missing).
fn by_field(events: &[&Value], tally: &mut Tally, pointer: &str, fallback: &str) {
    for event in events {
        let value = Some(text(event, pointer))
            .filter(|v| !v.is_empty())
            .unwrap_or(fallback);
        tally.add(text(event, "/ReceivedAt"), value);
    }
}

fn sends(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        for m in &facts.sent {
            tally.add(&m.received_at, "Sent");
        }
    })
}

/// One key per bounce type (`HardBounce`, `SoftBounce`, ...); spam complaints excluded.
fn bounces(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        for b in facts.bounced() {
            tally.add(&b.bounced_at, b.kind.name);
        }
    })
}

fn spam(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        for b in facts.spam() {
            tally.add(&b.bounced_at, "SpamComplaint");
        }
    })
}

/// Messages sent with open tracking.
fn tracked(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        for m in facts.sent.iter().filter(|m| m.track_opens) {
            tally.add(&m.received_at, "Tracked");
        }
    })
}

/// `Opens`, and `Unique` for each recipient's first open of a message.
fn opens(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        for open in &facts.opens {
            let at = text(open, "/ReceivedAt");
            tally.add(at, "Opens");
            if open["FirstOpen"].as_bool() == Some(true) {
                tally.add(at, "Unique");
            }
        }
    })
}

fn open_platforms(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        by_field(&facts.opens, tally, "/Platform", "Unknown")
    })
}

/// Keyed by the email client's family (`Gmail`, `Apple Mail`, ...).
fn email_clients(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        by_field(&facts.opens, tally, "/Client/Family", "unknown")
    })
}

/// Buckets of whole seconds (`0s`, `1s`, ... `19s`, then `20s+`), `unknown` without a
/// read time.
fn read_times(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        for open in &facts.opens {
            let bucket = match open["ReadSeconds"].as_i64() {
                None => "unknown".to_owned(),
                Some(s) if s >= LONG_READ => format!("{LONG_READ}s+"),
                Some(s) => format!("{}s", s.max(0)),
            };
            tally.add(text(open, "/ReceivedAt"), &bucket);
        }
    })
}

/// `Clicks`, and `Unique` for each recipient's first click on a link of a message.
fn clicks(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        for (click, unique) in facts.clicks.iter().zip(facts.unique_clicks()) {
            let at = text(click, "/ReceivedAt");
            tally.add(at, "Clicks");
            if unique {
                tally.add(at, "Unique");
            }
        }
    })
}

/// Keyed by the browser's family (`Chrome`, `Firefox`, ...).
fn browsers(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        by_field(&facts.clicks, tally, "/Client/Family", "unknown")
    })
}

fn click_platforms(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        by_field(&facts.clicks, tally, "/Platform", "Unknown")
    })
}

/// `HTML` or `Text`: where in the message the clicked link was.
fn click_locations(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    report(ctx, |facts, tally| {
        by_field(&facts.clicks, tally, "/ClickLocation", "HTML")
    })
}

/// Totals only, every key present. Rates are percentages of the messages sent, to three
/// decimals.
fn overview(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server_id = ctx.current(&mut state)?.id;
    let facts = Facts::gather(ctx, &state, server_id)?;
    let sent = facts.sent.len();
    let rate = |n: usize| {
        if sent == 0 {
            0.0
        } else {
            (n as f64 * 100_000.0 / sent as f64).round() / 1000.0
        }
    };
    let bounced = facts.bounced().count();
    let spam = facts.spam().count();
    let link_tracked: Vec<&&SentMessage> = facts
        .sent
        .iter()
        .filter(|m| m.track_links != "None")
        .collect();
    let links: usize = link_tracked
        .iter()
        .map(|m| {
            m.html_body
                .as_deref()
                .unwrap_or_default()
                .matches("href=")
                .count()
        })
        .sum();
    let open_tracked = facts.sent.iter().filter(|m| m.track_opens).count();
    let known = |events: &[&Value], pointer: &str, unknown: &str| {
        events
            .iter()
            .filter(|e| {
                let v = text(e, pointer);
                !v.is_empty() && !v.eq_ignore_ascii_case(unknown)
            })
            .count()
    };
    let unique_opens = facts
        .opens
        .iter()
        .filter(|o| o["FirstOpen"].as_bool() == Some(true))
        .count();
    let unique_links = facts.unique_clicks().into_iter().filter(|u| *u).count();
    let read_times = facts
        .opens
        .iter()
        .filter(|o| o["ReadSeconds"].as_i64().is_some_and(|s| s > 0))
        .count();
    Ok(json!({
        "Sent": sent,
        "Bounced": bounced,
        "SMTPApiErrors": facts.bounced().filter(|b| b.kind.name == "SMTPApiError").count(),
        "BounceRate": rate(bounced),
        "SpamComplaints": spam,
        "SpamComplaintsRate": rate(spam),
        "Opens": facts.opens.len(),
        "UniqueOpens": unique_opens,
        "Tracked": open_tracked,
        "WithLinkTracking": link_tracked.len(),
        "WithOpenTracking": open_tracked,
        "TotalTrackedLinksSent": links,
        "UniqueLinksClicked": unique_links,
        "TotalClicks": facts.clicks.len(),
        "WithClientRecorded": known(&facts.opens, "/Client/Name", "unknown"),
        "WithPlatformRecorded": known(&facts.opens, "/Platform", "Unknown"),
        "WithReadTimeRecorded": read_times,
    }))
}

/// `POST /__mock/stats/seed`: records `Count` (default 1) messages as sent by the default
/// server at noon on `Date` (default today): `{"Date"?, "Count"?, "To"?, "Tag"?,
/// "MessageStream"?, "Subject"?, "HtmlBody"?, "TrackOpens"?, "TrackLinks"?}`. Answers
/// `{"MessageIDs": [...]}`, for recording bounces, opens and clicks of them.
fn seed(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let received_at = match f.str("Date")? {
        None => clock::eastern_now(),
        Some(date) if date.len() == 10 && is_eastern_time(date) => clock::eastern_noon(date),
        Some(date) => {
            return Err(bad(format!(
                "'Date' must be a date like 2026-01-31, not '{date}'."
            )));
        }
    };
    let count = f.int("Count")?.unwrap_or(1);
    if !(1..=MAX_SEED).contains(&count) {
        return Err(bad(format!("'Count' must be between 1 and {MAX_SEED}.")));
    }
    let to = address::parse_list(f.str("To")?.unwrap_or("seed@example.com"))
        .ok()
        .filter(|list| !list.is_empty())
        .ok_or_else(|| bad("'To' must hold valid addresses."))?;
    let track_links = match f.str("TrackLinks")? {
        None => "None",
        Some(value) => canonical(TRACK_LINKS, value)
            .ok_or_else(|| bad(format!("'{value}' is not a TrackLinks value.")))?,
    };
    let mut state = ctx.state();
    let server = state.default_server_mut()?;
    let (server_id, sandboxed) = (server.id, server.settings.delivery_type == "Sandbox");
    let stream = f.str("MessageStream")?.unwrap_or("outbound");
    let stream = server
        .stream(stream)
        .map(|s| s.id.clone())
        .ok_or_else(|| missing(format!("The default server has no stream '{stream}'.")))?;
    let mut sent_ids = Vec::new();
    for _ in 0..count {
        let message = SentMessage {
            id: ids::uuid(),
            server_id,
            stream: stream.clone(),
            from: "sender@example.com".to_owned(),
            to: to.clone(),
            cc: Vec::new(),
            bcc: Vec::new(),
            reply_to: String::new(),
            subject: f.str("Subject")?.unwrap_or("Seeded message").to_owned(),
            html_body: f.str("HtmlBody")?.map(str::to_owned),
            text_body: Some("Seeded message".to_owned()),
            tag: f.str("Tag")?.unwrap_or_default().to_owned(),
            metadata: Map::new(),
            headers: Vec::new(),
            attachments: Vec::new(),
            track_opens: f.bool("TrackOpens")?.unwrap_or(false),
            track_links,
            received_at: received_at.clone(),
            sandboxed,
        };
        sent_ids.push(message.id.clone());
        state.record_message(message);
    }
    Ok(json!({ "MessageIDs": sent_ids }))
}
