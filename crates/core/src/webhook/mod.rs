//! Receiving Postmark webhooks: typed events and the Basic-auth check.
//!
//! Postmark POSTs one JSON event per request. [`parse_webhook`] reads the
//! body into a [`WebhookEvent`], chosen by `RecordType` (any casing); inbound
//! mail has no `RecordType` and is recognised by `FromFull` or
//! `OriginalRecipient`. Postmark does not sign webhooks: protect the endpoint
//! with HTTP Basic auth (the webhook's `HttpAuth`) and check it with
//! [`BasicAuth::verify`].
//!
//! ```
//! use postmark_kit::webhook::{BasicAuth, WebhookEvent, parse_webhook};
//!
//! // Configured on the webhook as HttpAuth {Username: "postmark", Password: "s3cret"}.
//! let auth = BasicAuth::new("postmark", "s3cret");
//! assert!(auth.verify(Some("Basic cG9zdG1hcms6czNjcmV0")));
//!
//! let body = br#"{"RecordType":"Delivery","MessageID":"883953f4-6105-42a2-a16a-77a8eac79483",
//!                 "Recipient":"john@example.com","Metadata":{"order":"42"}}"#;
//! let event = parse_webhook(body)?;
//! assert_eq!(event.record_type(), "Delivery");
//! assert_eq!(event.message_id(), Some("883953f4-6105-42a2-a16a-77a8eac79483"));
//! if let WebhookEvent::Delivery(delivery) = &event {
//!     assert_eq!(delivery.recipient.as_deref(), Some("john@example.com"));
//!     assert_eq!(delivery.metadata["order"], "42");
//! }
//! # Ok::<(), postmark_kit::webhook::WebhookError>(())
//! ```
//!
//! Conventions of the models: wire names exactly as Postmark spells them;
//! strings are kept as received (a blank `Tag` stays `Some("")`), while a
//! blank enum value reads as `None`; dates stay strings because Postmark uses
//! several formats; unknown fields are ignored.

mod auth;
mod common;
mod error;
mod events;
mod inbound;

use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::ser::{self, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use serde_json::error::Category;

pub use auth::{BasicAuth, check_basic_auth};
pub use common::Metadata;
pub(crate) use common::lenient_metadata;
pub use error::{WebhookError, WebhookErrorKind};
pub use events::{
    Bounce, BounceType, Click, ClickLocation, ClientInfo, Delivery, Geo, Interaction, Open, Origin,
    Platform, SubscriptionChange, SuppressionReason,
};
pub use inbound::{InboundAddress, InboundAttachment, InboundMessage};

/// One webhook event.
///
/// Serializes to the JSON Postmark sent, with wire names and a `RecordType`
/// field that names the variant in its documented spelling. Inbound mail has
/// no `RecordType` on the wire; the output adds `"RecordType": "Inbound"` so
/// every serialized event carries one, and [`parse_webhook`] reads it back as
/// [`Inbound`](WebhookEvent::Inbound). [`Unknown`](WebhookEvent::Unknown)
/// serializes as `{"RecordType": "Unknown", "UnknownRecordType": ...,
/// "Payload": ...}`, the body as received inside, so that `RecordType` alone
/// tells every shape apart (the bindings' types discriminate on it), and
/// deserializing reads that shape back. Optional fields that are `None` are
/// written as `null`, so every documented field is present in the output.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// `RecordType: Delivery`.
    Delivery(Delivery),
    /// `RecordType: Bounce`.
    Bounce(Bounce),
    /// `RecordType: SpamComplaint`: the same shape as a bounce.
    SpamComplaint(Bounce),
    /// `RecordType: Open`.
    Open(Open),
    /// `RecordType: Click`.
    Click(Click),
    /// `RecordType: SubscriptionChange`.
    SubscriptionChange(SubscriptionChange),
    /// Inbound mail (no `RecordType` on the wire).
    Inbound(InboundMessage),
    /// An event this version does not model, kept as received so that a
    /// type Postmark adds later reaches the caller instead of failing.
    Unknown {
        /// The `RecordType` as received; `None` when it was missing, `null`,
        /// blank or not a string.
        record_type: Option<String>,
        /// The whole body.
        payload: Value,
    },
}

impl WebhookEvent {
    /// The documented `RecordType` of the event (`"Inbound"` for inbound
    /// mail); for an unknown event, its `RecordType` as received, or `""`
    /// when it had none.
    pub fn record_type(&self) -> &str {
        match self {
            WebhookEvent::Delivery(_) => Known::Delivery.record_type(),
            WebhookEvent::Bounce(_) => Known::Bounce.record_type(),
            WebhookEvent::SpamComplaint(_) => Known::SpamComplaint.record_type(),
            WebhookEvent::Open(_) => Known::Open.record_type(),
            WebhookEvent::Click(_) => Known::Click.record_type(),
            WebhookEvent::SubscriptionChange(_) => Known::SubscriptionChange.record_type(),
            WebhookEvent::Inbound(_) => Known::Inbound.record_type(),
            WebhookEvent::Unknown { record_type, .. } => record_type.as_deref().unwrap_or(""),
        }
    }

    /// Postmark's `MessageID` of the message the event is about, when present
    /// (for an unknown event, a string `MessageID` field of the payload).
    pub fn message_id(&self) -> Option<&str> {
        match self {
            WebhookEvent::Delivery(event) => event.message_id.as_deref(),
            WebhookEvent::Bounce(event) | WebhookEvent::SpamComplaint(event) => {
                event.message_id.as_deref()
            }
            WebhookEvent::Open(event) => event.interaction.message_id.as_deref(),
            WebhookEvent::Click(event) => event.interaction.message_id.as_deref(),
            WebhookEvent::SubscriptionChange(event) => event.message_id.as_deref(),
            WebhookEvent::Inbound(event) => event.message_id.as_deref(),
            WebhookEvent::Unknown { payload, .. } => {
                payload.get("MessageID").and_then(Value::as_str)
            }
        }
    }

    /// Reads an event from JSON that is already parsed, with the same rules
    /// and errors as [`parse_webhook`].
    pub fn from_value(value: Value) -> Result<WebhookEvent, WebhookError> {
        if !value.is_object() {
            return Err(WebhookError::NotAnObject {
                found: value_type(&value),
            });
        }
        parse_webhook(crate::json::to_string(&value).as_bytes())
    }
}

/// Reads a webhook request body. Never panics, whatever the bytes.
///
/// * `RecordType` is matched case-insensitively; inbound mail (no
///   `RecordType`) is recognised by `FromFull` or `OriginalRecipient`.
/// * An unknown `RecordType`, or an object with neither, is
///   [`WebhookEvent::Unknown`], not an error.
/// * A body that is not a JSON object, or a known event whose fields have
///   the wrong type, is a [`WebhookError`] carrying the JSON path.
///
/// The body is scanned once to find `RecordType` without building a tree,
/// then read straight into the model, so a large inbound message with
/// attachments is not held twice.
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let text = std::str::from_utf8(body).map_err(|error| WebhookError::Syntax {
        message: format!("the body is not UTF-8: {error}"),
    })?;
    let probe = probe(text)?;
    match classify(probe.record_type.as_ref(), probe.looks_inbound) {
        Kind::Known(known) => decode(known, text),
        Kind::Unknown(record_type) => Ok(WebhookEvent::Unknown {
            record_type,
            payload: serde_json::from_str(text).map_err(syntax_error)?,
        }),
    }
}

impl Serialize for WebhookEvent {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let model = match self {
            WebhookEvent::Delivery(event) => serde_json::to_value(event),
            WebhookEvent::Bounce(event) | WebhookEvent::SpamComplaint(event) => {
                serde_json::to_value(event)
            }
            WebhookEvent::Open(event) => serde_json::to_value(event),
            WebhookEvent::Click(event) => serde_json::to_value(event),
            WebhookEvent::SubscriptionChange(event) => serde_json::to_value(event),
            WebhookEvent::Inbound(event) => serde_json::to_value(event),
            WebhookEvent::Unknown {
                record_type,
                payload,
            } => {
                let wrapper = serde_json::json!({
                    "RecordType": UNKNOWN,
                    "UnknownRecordType": record_type,
                    "Payload": payload,
                });
                return wrapper.serialize(serializer);
            }
        };
        let mut model = model.map_err(ser::Error::custom)?;
        // The variant, not a stored field, is the truth: Delivery, Open... have
        // no RecordType field, and Inbound has none on the wire.
        if let Value::Object(fields) = &mut model {
            fields.insert("RecordType".to_owned(), Value::from(self.record_type()));
        }
        model.serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for WebhookEvent {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let mut value = Value::deserialize(deserializer)?;
        if value["RecordType"] == UNKNOWN {
            if let Some(payload) = value.get_mut("Payload").map(Value::take) {
                let record_type = value["UnknownRecordType"].as_str().map(str::to_owned);
                return Ok(WebhookEvent::Unknown {
                    record_type,
                    payload,
                });
            }
        }
        WebhookEvent::from_value(value).map_err(de::Error::custom)
    }
}

/// The `RecordType` a serialized [`WebhookEvent::Unknown`] carries.
const UNKNOWN: &str = "Unknown";

/// The event types this version models, each with its documented `RecordType`.
#[derive(Debug, Clone, Copy)]
enum Known {
    Delivery,
    Bounce,
    SpamComplaint,
    Open,
    Click,
    SubscriptionChange,
    Inbound,
}

impl Known {
    const ALL: [Known; 7] = [
        Known::Delivery,
        Known::Bounce,
        Known::SpamComplaint,
        Known::Open,
        Known::Click,
        Known::SubscriptionChange,
        Known::Inbound,
    ];

    const fn record_type(self) -> &'static str {
        match self {
            Known::Delivery => "Delivery",
            Known::Bounce => "Bounce",
            Known::SpamComplaint => "SpamComplaint",
            Known::Open => "Open",
            Known::Click => "Click",
            Known::SubscriptionChange => "SubscriptionChange",
            Known::Inbound => "Inbound",
        }
    }
}

/// Which model a body goes to.
enum Kind {
    Known(Known),
    Unknown(Option<String>),
}

/// Chooses the model from the `RecordType` value and whether an inbound-only
/// field is present. A `RecordType` that is not a non-blank string counts as
/// absent: Postmark writes "no value" as missing, `null` or `""`.
fn classify(record_type: Option<&Value>, looks_inbound: bool) -> Kind {
    let record_type = record_type
        .and_then(Value::as_str)
        .filter(|name| !name.trim().is_empty());
    match record_type {
        Some(name) => Known::ALL
            .into_iter()
            .find(|known| known.record_type().eq_ignore_ascii_case(name.trim()))
            .map_or_else(|| Kind::Unknown(Some(name.to_owned())), Kind::Known),
        None if looks_inbound => Kind::Known(Known::Inbound),
        None => Kind::Unknown(None),
    }
}

/// Reads a known event's model, turning serde's error into one with a path.
fn decode(known: Known, text: &str) -> Result<WebhookEvent, WebhookError> {
    use crate::decode::from_text as model;

    let event = match known {
        Known::Delivery => model(text).map(WebhookEvent::Delivery),
        Known::Bounce | Known::SpamComplaint => model(text).map(|mut bounce: Bounce| {
            // The casing that was matched ("bounce") is noise; store the
            // documented spelling so the event round-trips unchanged.
            bounce.record_type = Some(known.record_type().to_owned());
            match known {
                Known::Bounce => WebhookEvent::Bounce(bounce),
                _ => WebhookEvent::SpamComplaint(bounce),
            }
        }),
        Known::Open => model(text).map(WebhookEvent::Open),
        Known::Click => model(text).map(WebhookEvent::Click),
        Known::SubscriptionChange => model(text).map(WebhookEvent::SubscriptionChange),
        Known::Inbound => model(text).map(WebhookEvent::Inbound),
    };
    event.map_err(|mut failure| {
        // Opens and clicks hold their `Interaction` through `flatten`.
        if matches!(known, Known::Open | Known::Click) {
            crate::decode::locate::<Interaction>(text, &mut failure);
        }
        match failure.syntax {
            // The scan accepts some things the model's reader does not (a lone
            // surrogate escape in a string): still a JSON problem.
            true => WebhookError::Syntax {
                message: failure.message,
            },
            false => WebhookError::InvalidPayload {
                record_type: known.record_type(),
                path: failure.path,
                message: failure.message,
            },
        }
    })
}

fn syntax_error(error: serde_json::Error) -> WebhookError {
    WebhookError::Syntax {
        message: error.to_string(),
    }
}

/// What [`parse_webhook`] needs before choosing a model.
struct Probe {
    record_type: Option<Value>,
    looks_inbound: bool,
}

/// Scans the body: checks that it is one JSON object with nothing after it,
/// and picks out `RecordType` and the inbound markers, skipping every other
/// value without allocating.
fn probe(body: &str) -> Result<Probe, WebhookError> {
    let mut deserializer = serde_json::Deserializer::from_str(body);
    let probe = deserializer
        .deserialize_map(ProbeVisitor)
        .map_err(|error| match error.classify() {
            // The scan only asks for a map and skips everything inside it,
            // so a data error can only mean the top level is something else.
            Category::Data => WebhookError::NotAnObject {
                found: leading_type(body),
            },
            Category::Syntax | Category::Eof | Category::Io => syntax_error(error),
        })?;
    deserializer.end().map_err(syntax_error)?;
    Ok(probe)
}

struct ProbeVisitor;

impl<'de> Visitor<'de> for ProbeVisitor {
    type Value = Probe;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Probe, A::Error> {
        let mut probe = Probe {
            record_type: None,
            looks_inbound: false,
        };
        while let Some(key) = map.next_key::<ProbeKey>()? {
            match key {
                ProbeKey::RecordType => probe.record_type = Some(map.next_value()?),
                ProbeKey::InboundMarker => {
                    probe.looks_inbound = true;
                    map.next_value::<IgnoredAny>()?;
                }
                ProbeKey::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(probe)
    }
}

/// The keys the scan looks at; every other key is skipped unread.
#[derive(Deserialize)]
#[serde(field_identifier)]
enum ProbeKey {
    RecordType,
    #[serde(rename = "FromFull", alias = "OriginalRecipient")]
    InboundMarker,
    #[serde(other)]
    Other,
}

/// The JSON type of a body known to start with a valid non-object value.
fn leading_type(body: &str) -> &'static str {
    match body.bytes().find(|byte| !byte.is_ascii_whitespace()) {
        Some(b'[') => "array",
        Some(b'"') => "string",
        Some(b't' | b'f') => "boolean",
        Some(b'n') => "null",
        _ => "number",
    }
}

fn value_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}
