//! Stats: what a server sent, and what became of it (bounces, spam
//! complaints, opens and clicks), counted per day and over a window.
//!
//! Every report takes the same filters and, but for the overview, answers
//! the same way: a [`StatsReport`] of rows, one per day with something to
//! count, and their totals. Postmark leaves out the days with nothing and
//! the counts that are zero, so a missing count reads as 0 and an empty
//! window as no days and totals of 0.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::date_window;
use crate::BuildError;
use crate::endpoint::Rules;
use crate::shape::read::Value;

/// Adds to a stats request the filters every report takes, after its own
/// fields (see [`request_struct`](super::request_struct)): a tag, a message
/// stream and a window of dates. Without them a report covers every message
/// of the server, on every stream, since the server began.
macro_rules! stats_filters {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// Only messages with this tag.
            pub tag: Option<String>,
            /// Only messages of this message stream; every stream when absent.
            #[serde(rename = "messagestream")]
            pub message_stream: Option<String>,
        ] date_window $($rest)*);
    };
}

/// Refuses a window whose last day comes before its first, which Postmark
/// refuses too (ErrorCode 1502). Only the days are compared: whether a
/// window within one day is empty is Postmark's to judge.
fn check_window(params: Value<'_>) -> Result<(), BuildError> {
    // The date filters read as `local-date`: each starts with its day.
    let day = |name: &str| {
        let date = params.get(name).and_then(Value::str)?;
        Some(date.get(..10).unwrap_or(&date).to_owned())
    };
    match (day("fromdate"), day("todate")) {
        (Some(from), Some(to)) if from > to => Err(BuildError::InvalidValue {
            field: "todate".into(),
            reason: "it must not be before fromdate",
        }),
        _ => Ok(()),
    }
}

/// Declares the request of each report: the filters, and nothing else.
macro_rules! stats_requests {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        request_struct! {
            $(#[$doc])*
            #[skip_serializing_none]
            #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
            #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
            pub struct $name {} + stats_filters
        }

        impl Rules for $name {
            fn check(params: Value<'_>) -> Result<(), BuildError> {
                check_window(params)
            }
        }
    )*};
}

stats_requests! {
    /// `GET /stats/outbound`: the totals of every report at once, without days.
    GetOutboundOverview;
    /// `GET /stats/outbound/sends`: messages sent.
    GetSentCounts;
    /// `GET /stats/outbound/bounces`: bounces by type, spam complaints apart.
    GetBounceCounts;
    /// `GET /stats/outbound/spam`: spam complaints.
    GetSpamComplaintCounts;
    /// `GET /stats/outbound/tracked`: messages sent with open or link tracking.
    GetTrackedEmailCounts;
    /// `GET /stats/outbound/opens`: opens, and the opens that were a
    /// recipient's first of a message.
    GetEmailOpenCounts;
    /// `GET /stats/outbound/opens/platforms`: opens by kind of device.
    GetEmailPlatformUsage;
    /// `GET /stats/outbound/opens/emailclients`: opens by email client.
    GetEmailClientUsage;
    /// `GET /stats/outbound/opens/readtimes`: opens by how long the message
    /// stayed open. Postmark no longer documents this report, but answers it.
    GetEmailReadTimes;
    /// `GET /stats/outbound/clicks`: link clicks, and the clicks that were a
    /// recipient's first on a link of a message.
    GetClickCounts;
    /// `GET /stats/outbound/clicks/browserfamilies`: clicks by browser.
    GetBrowserUsage;
    /// `GET /stats/outbound/clicks/platforms`: clicks by kind of device.
    GetBrowserPlatformUsage;
    /// `GET /stats/outbound/clicks/location`: clicks by the part of the
    /// message the link was in.
    GetClickLocation;
}

/// The totals of every report over the window (`GET /stats/outbound`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct OutboundOverview {
    /// Messages sent.
    pub sent: u64,
    /// Messages that bounced.
    pub bounced: u64,
    /// Messages refused when they were sent through SMTP. Postmark's
    /// specification spells the key `SMTPAPIErrors`; either is read.
    #[serde(rename = "SMTPApiErrors", alias = "SMTPAPIErrors")]
    #[cfg_attr(feature = "schema", schemars(extend("x-alias" = "SMTPAPIErrors")))]
    pub smtp_api_errors: u64,
    /// Bounces as a percentage of the messages sent.
    pub bounce_rate: f64,
    /// Spam complaints.
    pub spam_complaints: u64,
    /// Spam complaints as a percentage of the messages sent.
    pub spam_complaints_rate: f64,
    /// Opens, every one counted.
    pub opens: u64,
    /// Opens that were a recipient's first of a message.
    pub unique_opens: u64,
    /// Messages sent with open or link tracking.
    pub tracked: u64,
    /// Messages sent with link tracking.
    pub with_link_tracking: u64,
    /// Messages sent with open tracking.
    pub with_open_tracking: u64,
    /// Tracked links in the messages sent.
    pub total_tracked_links_sent: u64,
    /// Tracked links clicked at least once.
    pub unique_links_clicked: u64,
    /// Clicks, every one counted.
    pub total_clicks: u64,
    /// Opens whose email client is known.
    pub with_client_recorded: u64,
    /// Opens whose kind of device is known.
    pub with_platform_recorded: u64,
    /// Opens whose read time is known.
    pub with_read_time_recorded: u64,
}

/// A report over a window: one row of counts per day, and the totals.
///
/// On the wire the totals are keys of the answer itself, next to `Days`,
/// and each day's counts are keys of its row, next to `Date`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        rename = "{C}Report",
        bound = "C: schemars::JsonSchema + Default + Serialize"
    )
)]
#[serde(rename_all = "PascalCase", default)]
#[serde(bound(deserialize = "C: Deserialize<'de> + Default"))]
pub struct StatsReport<C> {
    /// The days with something to count, oldest first.
    pub days: Vec<StatsDay<C>>,
    /// The counts over the whole window.
    #[serde(flatten)]
    pub totals: C,
}

/// The counts of one day of a [`StatsReport`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(
    feature = "schema",
    schemars(
        rename = "{C}Day",
        bound = "C: schemars::JsonSchema + Default + Serialize"
    )
)]
#[serde(rename_all = "PascalCase", default)]
#[serde(bound(deserialize = "C: Deserialize<'de> + Default"))]
pub struct StatsDay<C> {
    /// The day, `2026-01-31`, in US Eastern time.
    pub date: String,
    /// What was counted that day.
    #[serde(flatten)]
    pub counts: C,
}

/// Messages sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SentCounts {
    /// Messages sent.
    pub sent: u64,
}

/// Bounces by type. Postmark documents the four types here; any other type
/// that bounced is counted in `others`, under its name.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct BounceCounts {
    /// Hard bounces: the address does not exist.
    pub hard_bounce: u64,
    /// Soft bounces: a temporary failure, such as a full mailbox.
    pub soft_bounce: u64,
    /// Messages refused when sent through SMTP.
    #[serde(rename = "SMTPApiError")]
    pub smtp_api_error: u64,
    /// Delays: delivery is still being tried.
    pub transient: u64,
    /// The other bounce types, by name (`DnsError`, `AutoResponder`…). They
    /// are keys of their own on the wire.
    #[serde(flatten)]
    pub others: BTreeMap<String, u64>,
}

/// Spam complaints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SpamComplaintCounts {
    /// Spam complaints.
    pub spam_complaint: u64,
}

/// Messages sent with open or link tracking.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct TrackedEmailCounts {
    /// Messages sent with open or link tracking.
    pub tracked: u64,
}

/// Opens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct OpenCounts {
    /// Opens, every one counted.
    pub opens: u64,
    /// Opens that were a recipient's first of a message.
    pub unique: u64,
}

/// Link clicks.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct ClickCounts {
    /// Clicks, every one counted.
    pub clicks: u64,
    /// Clicks that were a recipient's first on a link of a message.
    pub unique: u64,
}

/// Opens by the kind of device they were made on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct EmailPlatformCounts {
    /// On a desktop email client.
    pub desktop: u64,
    /// On a phone or tablet.
    pub mobile: u64,
    /// In a webmail client.
    pub web_mail: u64,
    /// On a device that could not be told.
    pub unknown: u64,
}

/// Clicks by the kind of device they were made on.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct BrowserPlatformCounts {
    /// On a desktop browser.
    pub desktop: u64,
    /// On a phone or tablet.
    pub mobile: u64,
    /// On a device that could not be told.
    pub unknown: u64,
}

/// Clicks by the part of the message the link was in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct ClickLocationCounts {
    /// Links in the HTML part.
    #[serde(rename = "HTML")]
    pub html: u64,
    /// Links in the text part.
    pub text: u64,
}

/// Counts under names Postmark chooses: email clients (`Gmail`), browsers
/// (`Chrome`), or read times (`0s`… `20s+`, `unknown`). The names are keys
/// of their own on the wire, one per name with a count.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct NamedCounts {
    /// The count of each name.
    #[serde(flatten)]
    pub by_name: BTreeMap<String, u64>,
}
