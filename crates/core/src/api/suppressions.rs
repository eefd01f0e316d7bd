//! Suppressions: the addresses a message stream does not send to, listing
//! them, and adding and removing them by hand.
//!
//! Hard bounces and spam complaints suppress their recipient on their
//! stream; adding an address here suppresses it as the sender's choice.
//! Adding and removing answer each address's outcome in order, in a
//! successful answer: one address refused does not fail the others.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::date_window;
use crate::endpoint::Rules;
use crate::enums::string_enum;

/// Most addresses one call may add or remove.
pub const MAX_SUPPRESSIONS: u32 = 50;

string_enum! {
    /// Why an address is suppressed.
    pub enum SuppressionReason {
        /// A message to it bounced for good.
        HardBounce => "HardBounce",
        /// Its owner marked a message as spam; only they can lift it.
        SpamComplaint => "SpamComplaint",
        /// It was suppressed by hand or through the API, or unsubscribed.
        ManualSuppression => "ManualSuppression",
    }
}

string_enum! {
    /// Who suppressed an address.
    pub enum SuppressionOrigin {
        /// Its owner: a bounce, a complaint or an unsubscribe.
        Recipient => "Recipient",
        /// The sender, through the API or Postmark's UI.
        Customer => "Customer",
        /// Postmark.
        Admin => "Admin",
    }
}

string_enum! {
    /// What became of one address of a call adding or removing suppressions.
    pub enum SuppressionStatus {
        /// It is suppressed now.
        Suppressed => "Suppressed",
        /// It is no longer suppressed (also when it was not).
        Deleted => "Deleted",
        /// Nothing changed; the result's message says why.
        Failed => "Failed",
    }
}

request_struct! {
    /// `GET /message-streams/{stream_id}/suppressions/dump`: every address
    /// the stream suppresses, all at once.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct DumpSuppressions {
        /// Stream ID.
        #[serde(rename = "stream_id")]
        pub stream_id: String,
        /// Only addresses suppressed for this reason.
        pub suppression_reason: Option<SuppressionReason>,
        /// Only addresses suppressed by this side.
        pub origin: Option<SuppressionOrigin>,
        /// Only this address.
        pub email_address: Option<String>,
    } + date_window
}

impl Rules for DumpSuppressions {}

/// One suppressed address.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct Suppression {
    /// The address.
    pub email_address: String,
    /// Why it is suppressed.
    pub suppression_reason: Option<SuppressionReason>,
    /// Who suppressed it.
    pub origin: Option<SuppressionOrigin>,
    /// When.
    pub created_at: Option<String>,
}

/// The addresses a stream suppresses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SuppressionDump {
    /// The addresses.
    pub suppressions: Vec<Suppression>,
}

/// One address to suppress, or to stop suppressing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct SuppressionAddress {
    /// The address.
    pub email_address: String,
}

impl SuppressionAddress {
    /// The address `email`.
    pub fn new(email: impl Into<String>) -> Self {
        SuppressionAddress {
            email_address: email.into(),
        }
    }
}

/// Adds to a suppression change its stream and its addresses (see
/// [`request_struct`](super::request_struct)).
macro_rules! suppression_change {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// Stream ID: a path parameter, not sent in the body.
            #[serde(rename = "stream_id")]
            pub stream_id: String,
            /// The addresses, at most 50.
            #[cfg_attr(feature = "schema", schemars(length(max = MAX_SUPPRESSIONS)))]
            pub suppressions: Vec<SuppressionAddress>,
        ] $($rest)*);
    };
}

request_struct! {
    /// `POST /message-streams/{stream_id}/suppressions`: suppresses addresses
    /// on a stream.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct CreateSuppressions {} + suppression_change
}

impl Rules for CreateSuppressions {
    // An address suppressed twice is suppressed once.
    const IDEMPOTENT: Option<bool> = Some(true);
}

request_struct! {
    /// `POST /message-streams/{stream_id}/suppressions/delete`: stops
    /// suppressing addresses on a stream. A spam complaint stays; lifting a
    /// hard bounce reactivates the recipient.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct DeleteSuppressions {} + suppression_change
}

impl Rules for DeleteSuppressions {
    // Removing an address that is not suppressed reports it removed.
    const IDEMPOTENT: Option<bool> = Some(true);
}

/// What became of one address.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SuppressionResult {
    /// The address, as given.
    pub email_address: String,
    /// Suppressed, deleted or failed.
    pub status: Option<SuppressionStatus>,
    /// Why it failed; absent otherwise.
    pub message: Option<String>,
}

/// One result per address, in the order given.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SuppressionResults {
    /// The results.
    pub suppressions: Vec<SuppressionResult>,
}
