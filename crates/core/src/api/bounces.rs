//! Bounces: the server's bounce counts, its bounces a page or one at a time,
//! their raw source, and reactivating the recipients they deactivated.
//!
//! A bounce is the same [`Bounce`] a bounce webhook posts.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::date_window;
use super::{SEARCH_DEPTH, paged_list};
use crate::endpoint::Rules;
use crate::webhook::{Bounce, BounceType};

/// `GET /deliverystats`: how many recipients are inactive, and the server's
/// bounces counted by type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetDeliveryStats {}

impl Rules for GetDeliveryStats {}

/// The bounce counts of a server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct DeliveryStats {
    /// Recipients deactivated by hard bounces and spam complaints.
    pub inactive_mails: u64,
    /// First every bounce (`Name` `All`, without a type), then one entry
    /// per type that has bounces; types without bounces are left out.
    pub bounces: Vec<BounceCount>,
}

/// How many bounces of one type a server has.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct BounceCount {
    /// The type; absent on the entry that counts every bounce.
    #[serde(rename = "Type")]
    pub bounce_type: Option<BounceType>,
    /// Human-readable name of the type (`Hard bounce`), or `All`.
    pub name: String,
    /// Bounces of the type.
    pub count: u64,
}

request_struct! {
    /// `GET /bounces`: one page of the server's bounces.
    #[skip_serializing_none]
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct ListBounces {
        /// Page size, at most 500.
        #[serde(default = "super::default_count")]
        pub count: u32,
        /// Items to skip. `count + offset` may not pass 10,000: narrow the date
        /// window to reach further.
        #[serde(default)]
        pub offset: u32,
        /// Only bounces of this type.
        #[serde(rename = "type")]
        pub bounce_type: Option<BounceType>,
        /// Only the bounces that deactivated their recipient (true), or only the
        /// others (false); both when absent.
        pub inactive: Option<bool>,
        /// Only bounces whose recipient address contains this text.
        #[serde(rename = "emailFilter")]
        pub email_filter: Option<String>,
        /// Only bounces of messages with this tag.
        pub tag: Option<String>,
        /// Only the bounces of this message.
        #[serde(rename = "messageID")]
        pub message_id: Option<String>,
        /// Only bounces of this message stream; Postmark's default is `outbound`.
        #[serde(rename = "messagestream")]
        pub message_stream: Option<String>,
    } + date_window
}

/// A page of bounces.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct BounceList {
    /// Bounces matching the query, over all pages.
    pub total_count: u64,
    /// This page.
    pub bounces: Vec<Bounce>,
}

impl Rules for ListBounces {}

paged_list!(ListBounces => Bounce, bounces, depth SEARCH_DEPTH;
    bounce_type, inactive, email_filter, tag, message_id, message_stream, from_date, to_date);

/// `GET /bounces/{id}`: one bounce, with its raw `Content` while Postmark
/// still has it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetBounce {
    /// Bounce ID.
    pub id: i64,
}

impl Rules for GetBounce {}

/// `GET /bounces/{id}/dump`: the raw source of a bounce, kept for 30 days.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetBounceDump {
    /// Bounce ID.
    pub id: i64,
}

impl Rules for GetBounceDump {}

/// `PUT /bounces/{id}/activate`: reactivates the recipient a bounce
/// deactivated. Refused (ErrorCode 1003) for bounces that cannot be
/// reactivated, such as spam complaints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ActivateBounce {
    /// Bounce ID.
    pub id: i64,
}

impl Rules for ActivateBounce {}

/// The answer to a reactivation.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct BounceActivation {
    /// `OK`.
    pub message: String,
    /// The bounce, now with its recipient active again.
    pub bounce: Option<Bounce>,
}
