//! Message streams: the server's streams of transactional, broadcast and
//! inbound mail, creating and changing them, and archiving them.
//!
//! A stream is named by its string ID (`outbound`, `broadcast`, `inbound`
//! are the defaults). An archived stream is purged 45 days later; until
//! then it can be brought back.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::BuildError;
use crate::endpoint::Rules;
use crate::enums::string_enum;
use crate::shape::read::Value;

/// Most characters of a stream's ID.
pub const MAX_STREAM_ID_CHARS: usize = 30;

string_enum! {
    /// What kind of mail a stream carries. Chosen when the stream is
    /// created; it cannot be changed afterwards.
    pub enum MessageStreamType {
        /// Mail a recipient's action triggers, one recipient at a time.
        Transactional => "Transactional",
        /// Mail sent to many recipients at once, such as newsletters.
        Broadcasts => "Broadcasts",
        /// Mail the server receives.
        Inbound => "Inbound",
    }
}

string_enum! {
    /// Who handles a stream's unsubscribe requests.
    pub enum UnsubscribeHandlingType {
        /// Nobody: the sender takes care of it (not for broadcasts).
        None => "None",
        /// Postmark adds an unsubscribe link and suppresses who follows it.
        Postmark => "Postmark",
        /// The sender's own link; needs Postmark's approval.
        Custom => "Custom",
    }
}

/// How a stream handles unsubscribes.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SubscriptionManagement {
    /// Who handles unsubscribe requests.
    pub unsubscribe_handling_type: Option<UnsubscribeHandlingType>,
}

/// A message stream.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct MessageStream {
    /// Stream ID.
    #[serde(rename = "ID")]
    pub id: String,
    /// The server the stream belongs to.
    #[serde(rename = "ServerID")]
    pub server_id: Option<i64>,
    /// Name, as shown in Postmark's UI.
    pub name: String,
    /// Description.
    pub description: Option<String>,
    /// What kind of mail it carries.
    pub message_stream_type: Option<MessageStreamType>,
    /// When it was created.
    pub created_at: Option<String>,
    /// When it was last changed; never when absent.
    pub updated_at: Option<String>,
    /// When it was archived; absent while it is not.
    pub archived_at: Option<String>,
    /// When an archived stream will be purged.
    pub expected_purge_date: Option<String>,
    /// How it handles unsubscribes.
    pub subscription_management_configuration: SubscriptionManagement,
}

/// The server's message streams.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct MessageStreamList {
    /// The streams.
    pub message_streams: Vec<MessageStream>,
    /// How many there are.
    pub total_count: u64,
}

/// `GET /message-streams`: the server's streams. A server has at most ten,
/// so the list comes whole.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct ListMessageStreams {
    /// Only streams of this kind; every kind when absent.
    pub message_stream_type: Option<MessageStreamType>,
    /// Whether to list archived streams too; Postmark's default is false.
    pub include_archived_streams: Option<bool>,
}

impl Rules for ListMessageStreams {}

/// `GET /message-streams/{stream_id}`: one stream.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetMessageStream {
    /// Stream ID.
    pub stream_id: String,
}

impl Rules for GetMessageStream {}

/// `POST /message-streams`: adds a stream to the server. A server has at
/// most one inbound stream.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct CreateMessageStream {
    /// Stream ID, unique on the server: a letter first, at most 30
    /// characters, not starting with `pm-`.
    #[serde(rename = "ID")]
    pub id: String,
    /// Name.
    pub name: String,
    /// What kind of mail it carries; cannot be changed later.
    pub message_stream_type: MessageStreamType,
    /// Description.
    pub description: Option<String>,
    /// How it handles unsubscribes; broadcast streams need `Postmark` or
    /// `Custom`.
    pub subscription_management_configuration: Option<SubscriptionManagement>,
}

impl CreateMessageStream {
    /// A stream of `kind` with an ID and a name.
    pub fn new(id: impl Into<String>, name: impl Into<String>, kind: MessageStreamType) -> Self {
        CreateMessageStream {
            id: id.into(),
            name: name.into(),
            message_stream_type: kind,
            description: None,
            subscription_management_configuration: None,
        }
    }
}

impl Rules for CreateMessageStream {
    fn check(params: Value<'_>) -> Result<(), BuildError> {
        // Required, so the shape has made sure it is there.
        let id = params.get("ID").and_then(Value::str).unwrap_or_default();
        let reason = if !id.starts_with(|c: char| c.is_ascii_alphabetic()) {
            "it must start with a letter"
        } else if id.chars().count() > MAX_STREAM_ID_CHARS {
            "it may have at most 30 characters"
        } else if id
            .get(..3)
            .is_some_and(|start| start.eq_ignore_ascii_case("pm-"))
        {
            "it may not start with `pm-`"
        } else {
            return Ok(());
        };
        Err(BuildError::InvalidValue {
            field: "ID".into(),
            reason,
        })
    }
}

/// `PATCH /message-streams/{stream_id}`: changes a stream; what is left
/// `None` stays. Its ID and kind cannot change.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct EditMessageStream {
    /// Stream ID: a path parameter, not sent in the body.
    #[serde(rename = "stream_id")]
    pub stream_id: String,
    /// New name.
    #[cfg_attr(feature = "schema", schemars(extend("x-not-blank" = true)))]
    pub name: Option<String>,
    /// New description.
    pub description: Option<String>,
    /// New unsubscribe handling.
    pub subscription_management_configuration: Option<SubscriptionManagement>,
}

impl Rules for EditMessageStream {
    // It sets fields to the values given: sending it twice changes nothing more.
    const IDEMPOTENT: Option<bool> = Some(true);
}

/// `POST /message-streams/{stream_id}/archive`: archives a stream, which
/// then takes no mail. The default transactional stream and the inbound
/// stream cannot be archived.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ArchiveMessageStream {
    /// Stream ID.
    pub stream_id: String,
}

impl Rules for ArchiveMessageStream {}

/// The answer to archiving a stream.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct MessageStreamArchive {
    /// Stream ID.
    #[serde(rename = "ID")]
    pub id: String,
    /// The server the stream belongs to.
    #[serde(rename = "ServerID")]
    pub server_id: Option<i64>,
    /// When the stream will be purged, unless it is brought back first.
    pub expected_purge_date: Option<String>,
}

/// `POST /message-streams/{stream_id}/unarchive`: brings an archived stream
/// back, until its purge date.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct UnarchiveMessageStream {
    /// Stream ID.
    pub stream_id: String,
}

impl Rules for UnarchiveMessageStream {
    // A stream brought back stays back.
    const IDEMPOTENT: Option<bool> = Some(true);
}
