//! Receiving Postmark webhooks: typed events and the Basic-auth check.
//!
//! Postmark POSTs one JSON event per request. [`parse_webhook`] reads the
//! body into a [`WebhookEvent`], chosen by `RecordType` (any casing); inbound
//! mail has no `RecordType` and is recognised by `FromFull` or
//! `OriginalRecipient`. Postmark does not sign webhooks: protect the endpoint
//! with HTTP Basic auth (the webhook's `HttpAuth`) and check it with
//! [`BasicAuth::verify`]. Beside it, [`is_postmark_webhook_ip`] checks the
//! sender against the addresses Postmark publishes for webhooks, and
//! [`read_body`] reads a body no larger than [`MAX_BODY_BYTES`], the most a
//! Postmark webhook carries.
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

use serde::de::{self, Deserializer};
use serde::ser::{self, Serializer};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::shape::{self, read::Failure};

pub use auth::{
    BasicAuth, MAX_BODY_BYTES, WEBHOOK_IPS, check_basic_auth, check_body_size,
    is_postmark_webhook_ip, read_body,
};
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
/// left out, as in every other answer.
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
/// The body is scanned to find `RecordType` without building a tree, then
/// read straight into the model, so a large inbound message with
/// attachments is not held twice.
pub fn parse_webhook(body: &[u8]) -> Result<WebhookEvent, WebhookError> {
    let (text, kind) = classify_body(body)?;
    match kind {
        Kind::Known(known) => decode(known, text),
        Kind::Unknown(record_type) => Ok(WebhookEvent::Unknown {
            record_type,
            payload: serde_json::from_str(text).map_err(|error| WebhookError::Syntax {
                message: error.to_string(),
            })?,
        }),
    }
}

/// Reads a webhook request body into JSON text, by the same rules as
/// [`parse_webhook`], without a typed model: the event as received, checked
/// against its model's shape, with `RecordType` in its documented spelling
/// (`"Inbound"` added for inbound mail), `null`s and missing fields read as
/// in API answers, and fields the models do not know kept. An unknown event
/// is `{"RecordType": "Unknown", "UnknownRecordType": ..., "Payload": ...}`,
/// as [`WebhookEvent::Unknown`] serializes. This is what the bindings call.
pub fn read_webhook(body: &[u8]) -> Result<String, WebhookError> {
    let (text, kind) = classify_body(body)?;
    let known = match kind {
        Kind::Known(known) => known,
        Kind::Unknown(record_type) => {
            let record_type =
                record_type.map_or("null".to_owned(), |name| crate::json::to_string(&name));
            return Ok(format!(
                "{{\"RecordType\":\"{UNKNOWN}\",\"UnknownRecordType\":{record_type},\"Payload\":{text}}}"
            ));
        }
    };
    let answer =
        shape::read_event(text.as_bytes(), known.record_type()).map_err(
            |failure| match failure {
                Failure::Invalid { path, message, .. } => WebhookError::InvalidPayload {
                    record_type: known.record_type(),
                    path,
                    message,
                },
                Failure::Refused(error) => WebhookError::InvalidPayload {
                    record_type: known.record_type(),
                    path: ".".into(),
                    message: error.to_string(),
                },
            },
        )?;
    Ok(String::from_utf8_lossy(&answer.edits.apply(text.as_bytes(), false)).into_owned())
}

/// A body as text, checked to be one JSON object, with the model it goes to.
fn classify_body(body: &[u8]) -> Result<(&str, Kind), WebhookError> {
    let text = std::str::from_utf8(body).map_err(|error| WebhookError::Syntax {
        message: shape::not_utf8(error),
    })?;
    let probe = shape::probe_event(text.as_bytes()).map_err(|failure| match failure {
        shape::NotAnEvent::Syntax(message) => WebhookError::Syntax { message },
        shape::NotAnEvent::NotAnObject(found) => WebhookError::NotAnObject { found },
    })?;
    Ok((
        text,
        classify(probe.record_type.as_deref(), probe.looks_inbound),
    ))
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

/// Chooses the model from the `RecordType` string and whether an
/// inbound-only field is present. A `RecordType` that is not a non-blank
/// string counts as absent: Postmark writes "no value" as missing, `null` or
/// `""`.
fn classify(record_type: Option<&str>, looks_inbound: bool) -> Kind {
    let record_type = record_type.filter(|name| !name.trim().is_empty());
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
            // The probe accepts some things serde does not (a lone surrogate
            // escape in a string): still a JSON problem.
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
