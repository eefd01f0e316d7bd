//! Inbound rules: senders whose mail the server's inbound stream blocks,
//! each an email address or a whole domain.
//!
//! A blocked message is kept with the status `Blocked`, and can still be
//! let through ([`BypassInboundMessage`](super::messages::BypassInboundMessage)).

use serde::{Deserialize, Serialize};

use super::paged_list;
use crate::endpoint::Rules;

/// A sender the inbound stream blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct InboundRule {
    /// Rule ID.
    #[serde(rename = "ID")]
    pub id: i64,
    /// The address (`spam@example.com`) or domain (`example.com`) blocked.
    pub rule: String,
}

/// `GET /triggers/inboundrules`: one page of the server's inbound rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ListInboundRules {
    /// Page size, at most 500.
    #[serde(default = "super::default_count")]
    pub count: u32,
    /// Items to skip.
    #[serde(default)]
    pub offset: u32,
}

/// A page of inbound rules.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct InboundRuleList {
    /// Rules of the server, over all pages.
    pub total_count: u64,
    /// This page.
    pub inbound_rules: Vec<InboundRule>,
}

impl Rules for ListInboundRules {}

paged_list!(ListInboundRules => InboundRule, inbound_rules, depth None;);

/// `POST /triggers/inboundrules`: blocks a sender. The same rule twice is
/// refused (ErrorCode 810).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct CreateInboundRule {
    /// An email address or a domain.
    pub rule: String,
}

impl Rules for CreateInboundRule {}

/// `DELETE /triggers/inboundrules/{id}`: stops blocking a sender.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeleteInboundRule {
    /// Rule ID.
    pub id: i64,
}

impl Rules for DeleteInboundRule {}
