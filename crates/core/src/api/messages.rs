//! Messages: searching the messages a server sent and received, their
//! details and raw source, releasing blocked inbound messages and retrying
//! failed ones, and the opens and clicks of tracked messages.
//!
//! Inbound messages, opens and clicks are the same [`InboundMessage`],
//! [`Open`] and [`Click`] that webhooks post.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::{EmailAddress, TrackLinks, date_window};
use super::{SEARCH_DEPTH, paged_list};
use crate::endpoint::Rules;
use crate::enums::string_enum;
use crate::webhook::{Click, InboundMessage, Metadata, Open, Platform, lenient_metadata};

string_enum! {
    /// Where a sent message stands. Results spell it capitalised; as a
    /// search filter it is sent in lower case, as Postmark takes it.
    pub enum OutboundStatus {
        /// Accepted, not sent yet.
        Queued => "Queued",
        /// Sent to the recipients' servers.
        Sent => "Sent",
        /// Processed by Postmark.
        Processed => "Processed",
    }
}

string_enum! {
    /// Where a received message stands. Results spell it capitalised; as a
    /// search filter it is sent in lower case, as Postmark takes it.
    pub enum InboundStatus {
        /// Held back by an inbound rule or the spam filter; it can be bypassed.
        Blocked => "Blocked",
        /// Posted to the server's inbound webhook.
        Processed => "Processed",
        /// Waiting to be processed.
        Queued => "Queued",
        /// Posting it to the inbound webhook failed; it can be retried.
        Failed => "Failed",
        /// Waiting for another attempt at posting it.
        Scheduled => "Scheduled",
    }
}

/// Adds to a message search the filters the sent and received message
/// searches share, after its own fields (see
/// [`request_struct`](super::request_struct)).
macro_rules! message_filters {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// Only messages to this address.
            pub recipient: Option<String>,
            /// Only messages from this address.
            #[serde(rename = "fromemail")]
            pub from_email: Option<String>,
            /// Only messages with this tag.
            pub tag: Option<String>,
            /// Only messages with this subject.
            pub subject: Option<String>,
        ] $($rest)*);
    };
}

/// Only messages whose metadata has `key` set to `value`. Postmark filters
/// on one metadata key at a time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct MetadataFilter {
    /// The metadata key.
    pub key: String,
    /// Its value.
    #[cfg_attr(feature = "schema", schemars(extend("x-blank-ok" = true)))]
    pub value: String,
}

request_struct! {
    /// `GET /messages/outbound`: one page of the messages the server sent.
    #[skip_serializing_none]
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct SearchOutboundMessages {
        /// Page size, at most 500.
        #[serde(default = "super::default_count")]
        pub count: u32,
        /// Items to skip. `count + offset` may not pass 10,000: narrow the date
        /// window to reach further.
        #[serde(default)]
        pub offset: u32,
        /// Only messages in this state.
        #[cfg_attr(feature = "schema", schemars(extend("x-query" = "lowercase")))]
        pub status: Option<OutboundStatus>,
        /// Only messages of this message stream; Postmark's default is `outbound`.
        #[serde(rename = "messagestream")]
        pub message_stream: Option<String>,
        /// Only messages with this metadata (sent as `metadata_<key>=<value>`).
        #[cfg_attr(feature = "schema", schemars(extend("x-query" = "metadata")))]
        pub metadata: Option<MetadataFilter>,
    } + message_filters + date_window
}

impl Rules for SearchOutboundMessages {}

paged_list!(SearchOutboundMessages => OutboundMessage, messages, depth SEARCH_DEPTH;
    recipient, from_email, tag, subject, status, from_date, to_date, message_stream, metadata);

/// A message the server sent, as searches list it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct OutboundMessage {
    /// Postmark's ID for the message.
    #[serde(rename = "MessageID")]
    pub message_id: String,
    /// Tag; may be empty.
    pub tag: Option<String>,
    /// Message stream (`outbound`).
    pub message_stream: Option<String>,
    /// Sender, formatted as sent (`"Acme" <billing@example.com>`).
    pub from: String,
    /// `To` recipients.
    pub to: Vec<EmailAddress>,
    /// `Cc` recipients.
    pub cc: Vec<EmailAddress>,
    /// `Bcc` recipients.
    pub bcc: Vec<EmailAddress>,
    /// Every recipient address: To, Cc and Bcc.
    pub recipients: Vec<String>,
    /// Subject.
    pub subject: String,
    /// When Postmark accepted the message (ISO 8601, as received).
    pub received_at: String,
    /// File names of the attachments.
    #[serde(deserialize_with = "attachment_names")]
    #[cfg_attr(feature = "schema", schemars(extend("x-read" = "attachment-names")))]
    pub attachments: Vec<String>,
    /// Where the message stands.
    pub status: Option<OutboundStatus>,
    /// Whether opens are tracked.
    pub track_opens: bool,
    /// How links are tracked.
    pub track_links: Option<TrackLinks>,
    /// Metadata sent with the message.
    #[serde(deserialize_with = "lenient_metadata")]
    #[cfg_attr(feature = "schema", schemars(extend("x-read" = "metadata")))]
    pub metadata: Metadata,
    /// Whether it was sent from a sandbox server, which delivers nothing.
    pub sandboxed: Option<bool>,
}

/// Reads `Attachments` as file names. Postmark's documentation shows names
/// there and its specification attachment objects; of an object the `Name`
/// is kept.
fn attachment_names<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Vec<String>, D::Error> {
    struct Name(String);

    #[derive(Deserialize)]
    #[serde(field_identifier)]
    enum Key {
        Name,
        #[serde(other)]
        Other,
    }

    struct NameVisitor;

    impl<'de> Visitor<'de> for NameVisitor {
        type Value = Name;

        fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
            formatter.write_str("a file name or an attachment object")
        }

        fn visit_str<E: de::Error>(self, name: &str) -> Result<Name, E> {
            Ok(Name(name.to_owned()))
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Name, A::Error> {
            let mut name = None;
            while let Some(key) = map.next_key::<Key>()? {
                match key {
                    Key::Name => name = map.next_value::<Option<String>>()?,
                    Key::Other => {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
            }
            Ok(Name(name.unwrap_or_default()))
        }
    }

    impl<'de> Deserialize<'de> for Name {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_any(NameVisitor)
        }
    }

    let names = Option::<Vec<Name>>::deserialize(deserializer)?;
    Ok(names.into_iter().flatten().map(|Name(name)| name).collect())
}

/// A page of sent messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct OutboundMessageList {
    /// Messages matching the query, over all pages.
    pub total_count: u64,
    /// This page.
    pub messages: Vec<OutboundMessage>,
}

/// `GET /messages/outbound/{id}/details`: one sent message with its bodies
/// and what happened to it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetOutboundMessageDetails {
    /// The message's `MessageID`.
    pub id: String,
}

impl Rules for GetOutboundMessageDetails {}

/// A sent message with its bodies and events.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct OutboundMessageDetails {
    /// What the searches list.
    #[serde(flatten)]
    pub message: OutboundMessage,
    /// Plain-text body.
    pub text_body: Option<String>,
    /// HTML body.
    pub html_body: Option<String>,
    /// The raw source as sent.
    pub body: Option<String>,
    /// What happened to the message, oldest first.
    pub message_events: Vec<MessageEvent>,
}

string_enum! {
    /// What happened to a sent message.
    pub enum MessageEventType {
        /// The receiving server accepted it.
        Delivered => "Delivered",
        /// Delivery was delayed; Postmark keeps trying.
        Transient => "Transient",
        /// It bounced.
        Bounced => "Bounced",
        /// The recipient opened it.
        Opened => "Opened",
        /// The recipient clicked a tracked link.
        LinkClicked => "LinkClicked",
        /// The recipient was suppressed or reactivated.
        SubscriptionChanged => "SubscriptionChanged",
    }
}

/// One event in the life of a sent message.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct MessageEvent {
    /// The recipient it is about.
    pub recipient: Option<String>,
    /// What happened.
    #[serde(rename = "Type")]
    pub event_type: Option<MessageEventType>,
    /// When (ISO 8601, as received).
    pub received_at: Option<String>,
    /// Postmark's account of it, by type: `DeliveryMessage`,
    /// `DestinationServer` and `DestinationIP` (Delivered, Transient),
    /// `Summary` and `BounceID` (Bounced), `Summary` (Opened), `Summary`,
    /// `Link` and `ClickLocation` (LinkClicked), `Origin` and
    /// `SuppressSending` (SubscriptionChanged). Values that are not text are
    /// kept as their JSON.
    #[serde(deserialize_with = "lenient_metadata")]
    #[cfg_attr(feature = "schema", schemars(extend("x-read" = "metadata")))]
    pub details: BTreeMap<String, String>,
}

/// `GET /messages/outbound/{id}/dump`: the raw source of a sent message.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetOutboundMessageDump {
    /// The message's `MessageID`.
    pub id: String,
}

impl Rules for GetOutboundMessageDump {}

request_struct! {
    /// `GET /messages/inbound`: one page of the messages the server received.
    #[skip_serializing_none]
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct SearchInboundMessages {
        /// Page size, at most 500.
        #[serde(default = "super::default_count")]
        pub count: u32,
        /// Items to skip. `count + offset` may not pass 10,000: narrow the date
        /// window to reach further.
        #[serde(default)]
        pub offset: u32,
        /// Only messages with this `+hash` in the address they were sent to.
        #[serde(rename = "mailboxhash")]
        pub mailbox_hash: Option<String>,
        /// Only messages in this state; Postmark's default is `Processed`.
        #[cfg_attr(feature = "schema", schemars(extend("x-query" = "lowercase")))]
        pub status: Option<InboundStatus>,
    } + message_filters + date_window
}

impl Rules for SearchInboundMessages {}

paged_list!(SearchInboundMessages => InboundMessageDetails, inbound_messages, depth SEARCH_DEPTH;
    recipient, from_email, tag, subject, mailbox_hash, status, from_date, to_date);

/// A received message as the API answers it: the message as the inbound
/// webhook posts it, and where Postmark's processing of it stands. Search
/// results leave out the bodies and headers, which the details fill in.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct InboundMessageDetails {
    /// The message.
    #[serde(flatten)]
    pub message: InboundMessage,
    /// Where it stands.
    pub status: Option<InboundStatus>,
    /// Why it was blocked; in the details of a blocked message.
    pub blocked_reason: Option<String>,
}

/// A page of received messages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct InboundMessageList {
    /// Messages matching the query, over all pages.
    pub total_count: u64,
    /// This page.
    pub inbound_messages: Vec<InboundMessageDetails>,
}

/// `GET /messages/inbound/{id}/details`: one received message with its
/// bodies and headers.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetInboundMessageDetails {
    /// The message's `MessageID`.
    pub id: String,
}

impl Rules for GetInboundMessageDetails {}

/// `PUT /messages/inbound/{id}/bypass`: processes a blocked message despite
/// the inbound rules that blocked it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct BypassInboundMessage {
    /// The message's `MessageID`.
    pub id: String,
}

impl Rules for BypassInboundMessage {}

/// `PUT /messages/inbound/{id}/retry`: posts a failed message to the inbound
/// webhook again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RetryInboundMessage {
    /// The message's `MessageID`.
    pub id: String,
}

impl Rules for RetryInboundMessage {}

/// Adds to an open or click search the filters both share (Postmark spells
/// them in snake_case, unlike its other filters), after its own fields (see
/// [`request_struct`](super::request_struct)).
macro_rules! interaction_filters {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// Only those of this recipient.
            pub recipient: Option<String>,
            /// Only those of messages with this tag.
            pub tag: Option<String>,
            /// Only those from this e-mail client or browser (`Chrome 35.0.1916.153`).
            pub client_name: Option<String>,
            /// Only those from clients of this vendor (`Google`).
            pub client_company: Option<String>,
            /// Only those from this client, any version (`Chrome`).
            pub client_family: Option<String>,
            /// Only those from this operating system (`OS X 10.9 Mavericks`).
            pub os_name: Option<String>,
            /// Only those from this operating system, any version (`OS X`).
            pub os_family: Option<String>,
            /// Only those from operating systems of this vendor (`Apple Computer, Inc.`).
            pub os_company: Option<String>,
            /// Only those from this kind of device.
            pub platform: Option<Platform>,
            /// Only those from this country.
            pub country: Option<String>,
            /// Only those from this region.
            pub region: Option<String>,
            /// Only those from this city.
            pub city: Option<String>,
            /// Only those of this message stream.
            #[serde(rename = "messagestream")]
            pub message_stream: Option<String>,
        ] $($rest)*);
    };
}

/// Declares the lists of one kind of tracked event: the search over the server's
/// messages, the list of one message, and their answer. Opens and clicks are listed
/// alike; only the names and the items differ.
macro_rules! tracked_event_lists {
    (
        $(#[$search_doc:meta])* $search:ident,
        $(#[$one_doc:meta])* $one:ident,
        $(#[$list_doc:meta])* $list:ident { $(#[$items_doc:meta])* $items:ident: $item:ty }
    ) => {
        request_struct! {
            $(#[$search_doc])*
            #[skip_serializing_none]
            #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
            #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
            pub struct $search {
                /// Page size, at most 500.
                #[serde(default = "super::default_count")]
                pub count: u32,
                /// Items to skip; `count + offset` may not pass 10,000.
                #[serde(default)]
                pub offset: u32,
            } + interaction_filters
        }

        impl Rules for $search {}

        paged_list!($search => $item, $items, depth SEARCH_DEPTH;
            recipient, tag, client_name, client_company, client_family, os_name, os_family,
            os_company, platform, country, region, city, message_stream);

        $(#[$one_doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        pub struct $one {
            /// The message's `MessageID`.
            pub id: String,
            /// Page size, at most 500.
            #[serde(default = "super::default_count")]
            pub count: u32,
            /// Items to skip.
            #[serde(default)]
            pub offset: u32,
        }

        impl Rules for $one {}

        paged_list!($one => $item, $items, depth None; id);

        $(#[$list_doc])*
        #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
        #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
        #[serde(rename_all = "PascalCase", default)]
        pub struct $list {
            /// Items matching the query, over all pages.
            pub total_count: u64,
            $(#[$items_doc])*
            pub $items: Vec<$item>,
        }
    };
}

tracked_event_lists! {
    /// `GET /messages/outbound/opens`: one page of the opens of the server's
    /// tracked messages.
    SearchMessageOpens,
    /// `GET /messages/outbound/opens/{id}`: one page of the opens of one message.
    GetMessageOpens,
    /// A page of opens.
    MessageOpenList {
        /// This page.
        opens: Open
    }
}

// Postmark states the 10,000 cap for searching opens only; clicks are searched the
// same way.
tracked_event_lists! {
    /// `GET /messages/outbound/clicks`: one page of the link clicks in the
    /// server's tracked messages.
    SearchMessageClicks,
    /// `GET /messages/outbound/clicks/{id}`: one page of the link clicks in one
    /// message.
    GetMessageClicks,
    /// A page of clicks.
    MessageClickList {
        /// This page.
        clicks: Click
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attachments_read_as_their_names() {
        let message: OutboundMessage = serde_json::from_str(
            r#"{"Attachments": ["a.pdf", {"Name": "b.png", "ContentType": "image/png"}, {}]}"#,
        )
        .unwrap();
        assert_eq!(message.attachments, ["a.pdf", "b.png", ""]);
        let error = serde_json::from_str::<OutboundMessage>(r#"{"Attachments": [1]}"#).unwrap_err();
        assert!(
            error
                .to_string()
                .contains("expected a file name or an attachment object"),
            "{error}"
        );
    }
}
