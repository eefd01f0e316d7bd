//! Outbound message events: deliveries, bounces and spam complaints, opens,
//! clicks and subscription changes.
//!
//! The models are named for the resource, not the webhook: the Bounces,
//! Opens and Clicks endpoints return the same shapes.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::{Metadata, blank_as_none, lenient_metadata};
use crate::enums::string_enum;

/// A bounce or a spam complaint (`RecordType` `Bounce` or `SpamComplaint`).
///
/// Only `ID` and `Type` are required: the identity of the record and what it
/// is. Everything else may be missing in some payload Postmark has published
/// (its SpamComplaint example omits `Name`, `Description`, `Details`,
/// `DumpAvailable`, `Inactive` and `CanActivate`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Bounce {
    /// `"Bounce"` or `"SpamComplaint"` in webhooks and bounce lists; absent
    /// in older records. [`parse_webhook`](super::parse_webhook) sets it to
    /// the documented spelling of the event it found.
    #[serde(rename = "RecordType")]
    pub record_type: Option<String>,
    /// Bounce ID. 64-bit: Postmark's own example is above 2^53.
    #[serde(rename = "ID")]
    pub id: i64,
    /// What kind of bounce this is. Key on this, not on `TypeCode`.
    #[serde(rename = "Type")]
    pub bounce_type: BounceType,
    /// Numeric code of the type. Unreliable: Postmark's SpamComplaint
    /// example carries 512 (SpamNotification) instead of 100001.
    #[serde(rename = "TypeCode")]
    pub type_code: Option<i64>,
    /// Human-readable type name (`"Hard bounce"`).
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// Tag of the original message; may be empty.
    #[serde(rename = "Tag")]
    pub tag: Option<String>,
    /// ID of the original message.
    #[serde(rename = "MessageID")]
    pub message_id: Option<String>,
    /// ID of the server that sent the message.
    #[serde(rename = "ServerID", alias = "ServerId")]
    #[cfg_attr(feature = "schema", schemars(extend("x-alias" = "ServerId")))]
    pub server_id: Option<i64>,
    /// Message stream of the original message (`"outbound"`).
    #[serde(rename = "MessageStream")]
    pub message_stream: Option<String>,
    /// Postmark's canned description of the type; may be empty.
    #[serde(rename = "Description")]
    pub description: Option<String>,
    /// The receiving server's explanation; may contain line breaks.
    #[serde(rename = "Details")]
    pub details: Option<String>,
    /// The recipient that bounced or complained.
    #[serde(rename = "Email")]
    pub email: Option<String>,
    /// Sender of the original message; absent on spam complaints.
    #[serde(rename = "From")]
    pub from: Option<String>,
    /// When the bounce was recorded (ISO 8601, as received).
    #[serde(rename = "BouncedAt")]
    pub bounced_at: Option<String>,
    /// Whether the raw bounce can still be fetched (false after 30 days).
    #[serde(rename = "DumpAvailable")]
    pub dump_available: Option<bool>,
    /// Whether this bounce deactivated the recipient.
    #[serde(rename = "Inactive")]
    pub inactive: Option<bool>,
    /// Whether the recipient can be reactivated.
    #[serde(rename = "CanActivate")]
    pub can_activate: Option<bool>,
    /// Subject of the original message.
    #[serde(rename = "Subject")]
    pub subject: Option<String>,
    /// The raw bounce or abuse report; only when the webhook trigger has
    /// `IncludeContent`, or from the single-bounce endpoints.
    #[serde(rename = "Content")]
    pub content: Option<String>,
    /// Metadata of the original message (webhooks only).
    #[serde(rename = "Metadata", default, deserialize_with = "lenient_metadata")]
    #[cfg_attr(feature = "schema", schemars(extend("x-read" = "metadata")))]
    pub metadata: Metadata,
}

string_enum! {
    /// The type of a [`Bounce`]. Codes in the variant docs are Postmark's
    /// documented `TypeCode`s.
    pub enum BounceType {
        /// 1: permanent failure; deactivates the recipient.
        HardBounce => "HardBounce",
        /// 2: delivery delayed; Postmark keeps trying.
        Transient => "Transient",
        /// 16: an unsubscribe request.
        Unsubscribe => "Unsubscribe",
        /// 32: a subscribe request.
        Subscribe => "Subscribe",
        /// 64: an automatic reply (out of office).
        AutoResponder => "AutoResponder",
        /// 128: the recipient's address changed.
        AddressChange => "AddressChange",
        /// 256: a DNS error.
        DnsError => "DnsError",
        /// 512: a spam notification from the receiving server.
        SpamNotification => "SpamNotification",
        /// 1024: an open relay test.
        OpenRelayTest => "OpenRelayTest",
        /// 2048: Postmark could not classify the bounce.
        Unknown => "Unknown",
        /// 4096: temporary failure; may deactivate the recipient.
        SoftBounce => "SoftBounce",
        /// 8192: a virus notification.
        VirusNotification => "VirusNotification",
        /// 16384: a spam challenge-verification request.
        ChallengeVerification => "ChallengeVerification",
        /// 100000: the address is invalid.
        BadEmailAddress => "BadEmailAddress",
        /// 100001: the recipient marked the message as spam; deactivates.
        SpamComplaint => "SpamComplaint",
        /// 100002: deactivated by hand.
        ManuallyDeactivated => "ManuallyDeactivated",
        /// 100003: registration not confirmed.
        Unconfirmed => "Unconfirmed",
        /// 100006: blocked by the receiving ISP.
        Blocked => "Blocked",
        /// 100007: an SMTP API error.
        SmtpApiError => "SMTPApiError",
        /// 100008: processing of an inbound message failed.
        InboundError => "InboundError",
        /// 100009: refused under the sender domain's DMARC policy.
        DmarcPolicy => "DMARCPolicy",
        /// 100010: the template could not be rendered.
        TemplateRenderingFailed => "TemplateRenderingFailed",
    }
}

/// A message accepted by the receiving server (`RecordType` `Delivery`).
/// One event per recipient.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Delivery {
    /// ID of the server that sent the message.
    #[serde(rename = "ServerID", alias = "ServerId")]
    #[cfg_attr(feature = "schema", schemars(extend("x-alias" = "ServerId")))]
    pub server_id: Option<i64>,
    /// Message stream (`"outbound"`).
    #[serde(rename = "MessageStream")]
    pub message_stream: Option<String>,
    /// ID of the delivered message.
    #[serde(rename = "MessageID")]
    pub message_id: Option<String>,
    /// The recipient it was delivered to.
    #[serde(rename = "Recipient")]
    pub recipient: Option<String>,
    /// Tag of the message; may be empty.
    #[serde(rename = "Tag")]
    pub tag: Option<String>,
    /// When the receiving server accepted it (ISO 8601, as received).
    #[serde(rename = "DeliveredAt")]
    pub delivered_at: Option<String>,
    /// The receiving server's SMTP response (`smtp;250 2.0.0 OK`).
    #[serde(rename = "Details")]
    pub details: Option<String>,
    /// Metadata of the message.
    #[serde(rename = "Metadata", default, deserialize_with = "lenient_metadata")]
    #[cfg_attr(feature = "schema", schemars(extend("x-read" = "metadata")))]
    pub metadata: Metadata,
}

/// An e-mail client or operating system, as Postmark identifies it from the
/// user agent. Values may be `"unknown"`.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ClientInfo {
    /// Full name with version (`"Chrome 35.0.1916.153"`).
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// Vendor (`"Google"`).
    #[serde(rename = "Company")]
    pub company: Option<String>,
    /// Name without version (`"Chrome"`).
    #[serde(rename = "Family")]
    pub family: Option<String>,
}

string_enum! {
    /// The kind of device an open or click came from.
    pub enum Platform {
        /// A web mail client.
        WebMail => "WebMail",
        /// A desktop client.
        Desktop => "Desktop",
        /// A mobile client.
        Mobile => "Mobile",
        /// Postmark could not tell.
        Unknown => "Unknown",
    }
}

/// Where an open or click came from, by IP geolocation. Every field may be
/// missing: Postmark sends `{}` when it cannot locate the address.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Geo {
    /// ISO 3166-1 country code (`"RS"`).
    #[serde(rename = "CountryISOCode")]
    pub country_iso_code: Option<String>,
    /// Country name.
    #[serde(rename = "Country")]
    pub country: Option<String>,
    /// ISO 3166-2 region code, without the country (`"VO"`).
    #[serde(rename = "RegionISOCode")]
    pub region_iso_code: Option<String>,
    /// Region name.
    #[serde(rename = "Region")]
    pub region: Option<String>,
    /// City name.
    #[serde(rename = "City")]
    pub city: Option<String>,
    /// Postal code.
    #[serde(rename = "Zip")]
    pub zip: Option<String>,
    /// `"latitude,longitude"`, as received.
    #[serde(rename = "Coords")]
    pub coords: Option<String>,
    /// The IP address the request came from.
    #[serde(rename = "IP")]
    pub ip: Option<String>,
}

/// What an open and a click share: the message and its recipient, when it
/// happened, and the client, device and place it came from.
///
/// [`Open`] and [`Click`] hold it with `#[serde(flatten)]`: on the wire its
/// fields sit at the top level of the event, beside the event's own.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Interaction {
    /// The e-mail client or browser.
    #[serde(rename = "Client")]
    pub client: Option<ClientInfo>,
    /// The operating system.
    #[serde(rename = "OS")]
    pub os: Option<ClientInfo>,
    /// The kind of device.
    #[serde(rename = "Platform", default, deserialize_with = "blank_as_none")]
    #[cfg_attr(feature = "schema", schemars(extend("x-blank-is-absent" = true)))]
    pub platform: Option<Platform>,
    /// The raw user agent.
    #[serde(rename = "UserAgent")]
    pub user_agent: Option<String>,
    /// Where the open or click came from; may be all empty.
    #[serde(rename = "Geo")]
    pub geo: Option<Geo>,
    /// ID of the message opened, or of the message the link was in.
    #[serde(rename = "MessageID")]
    pub message_id: Option<String>,
    /// Message stream (`"outbound"`).
    #[serde(rename = "MessageStream")]
    pub message_stream: Option<String>,
    /// When the open or click was recorded (ISO 8601, as received).
    #[serde(rename = "ReceivedAt")]
    pub received_at: Option<String>,
    /// Tag of the message; may be empty.
    #[serde(rename = "Tag")]
    pub tag: Option<String>,
    /// The recipient who opened or clicked.
    #[serde(rename = "Recipient")]
    pub recipient: Option<String>,
    /// ID of the server that sent the message.
    #[serde(rename = "ServerID", alias = "ServerId")]
    #[cfg_attr(feature = "schema", schemars(extend("x-alias" = "ServerId")))]
    pub server_id: Option<i64>,
    /// Metadata of the message.
    #[serde(rename = "Metadata", default, deserialize_with = "lenient_metadata")]
    #[cfg_attr(feature = "schema", schemars(extend("x-read" = "metadata")))]
    pub metadata: Metadata,
}

/// A recipient opened a message (`RecordType` `Open`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Open {
    /// Whether this is the recipient's first open of the message.
    #[serde(rename = "FirstOpen")]
    pub first_open: Option<bool>,
    /// How long the message was open, in seconds.
    #[serde(rename = "ReadSeconds")]
    pub read_seconds: Option<i64>,
    /// The message, recipient, client and place of the open.
    #[serde(flatten)]
    pub interaction: Interaction,
}

string_enum! {
    /// Which part of a message a tracked link was clicked in.
    pub enum ClickLocation {
        /// The HTML body.
        Html => "HTML",
        /// The text body.
        Text => "Text",
    }
}

/// A recipient clicked a tracked link (`RecordType` `Click`). One event per
/// unique link and recipient.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct Click {
    /// Which body the link was in.
    #[serde(rename = "ClickLocation", default, deserialize_with = "blank_as_none")]
    #[cfg_attr(feature = "schema", schemars(extend("x-blank-is-absent" = true)))]
    pub click_location: Option<ClickLocation>,
    /// The link's destination, before Postmark's tracking redirect.
    #[serde(rename = "OriginalLink")]
    pub original_link: Option<String>,
    /// The message, recipient, client and place of the click.
    #[serde(flatten)]
    pub interaction: Interaction,
}

string_enum! {
    /// Who caused a suppression or reactivation.
    pub enum Origin {
        /// The recipient's side: a bounce, a complaint, an unsubscribe.
        Recipient => "Recipient",
        /// The account holder; suppressions created through the API have this origin.
        Customer => "Customer",
        /// An administrator.
        Admin => "Admin",
    }
}

string_enum! {
    /// Why a recipient is suppressed.
    pub enum SuppressionReason {
        /// The address hard-bounced.
        HardBounce => "HardBounce",
        /// The recipient complained about spam.
        SpamComplaint => "SpamComplaint",
        /// Suppressed manually, including by the recipient unsubscribing.
        ManualSuppression => "ManualSuppression",
    }
}

/// A recipient was suppressed or reactivated on a message stream
/// (`RecordType` `SubscriptionChange`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct SubscriptionChange {
    /// ID of the message that led to the change; `null` for manual changes.
    #[serde(rename = "MessageID")]
    pub message_id: Option<String>,
    /// ID of the server.
    #[serde(rename = "ServerID", alias = "ServerId")]
    #[cfg_attr(feature = "schema", schemars(extend("x-alias" = "ServerId")))]
    pub server_id: Option<i64>,
    /// The stream the change applies to.
    #[serde(rename = "MessageStream")]
    pub message_stream: Option<String>,
    /// When the change happened (ISO 8601, as received).
    #[serde(rename = "ChangedAt")]
    pub changed_at: Option<String>,
    /// The affected recipient.
    #[serde(rename = "Recipient")]
    pub recipient: Option<String>,
    /// Who made the change.
    #[serde(rename = "Origin", default, deserialize_with = "blank_as_none")]
    #[cfg_attr(feature = "schema", schemars(extend("x-blank-is-absent" = true)))]
    pub origin: Option<Origin>,
    /// `true`: sending to the recipient is now suppressed; `false`: reactivated.
    /// Required: without it the event says nothing.
    #[serde(rename = "SuppressSending")]
    pub suppress_sending: bool,
    /// Why the recipient is suppressed; `None` on reactivation.
    #[serde(
        rename = "SuppressionReason",
        default,
        deserialize_with = "blank_as_none"
    )]
    #[cfg_attr(feature = "schema", schemars(extend("x-blank-is-absent" = true)))]
    pub suppression_reason: Option<SuppressionReason>,
    /// Tag of the message; may be empty.
    #[serde(rename = "Tag")]
    pub tag: Option<String>,
    /// Metadata of the message.
    #[serde(rename = "Metadata", default, deserialize_with = "lenient_metadata")]
    #[cfg_attr(feature = "schema", schemars(extend("x-read" = "metadata")))]
    pub metadata: Metadata,
}
