//! Message streams API (server token): list, get, create, edit, archive and unarchive.
//!
//! Every server starts with `outbound` (Transactional), `broadcast` (Broadcasts) and
//! `inbound` (Inbound). An archived stream refuses sends (ErrorCode 1235, as for a stream
//! that does not exist) and new webhooks, and can be unarchived until its purge date,
//! 45 days after archiving.

use serde_json::{Value, json};

use super::one_of;
use super::suppressions::Suppressions;
use crate::json::{ApiError, Fields};
use crate::router::{Auth, Ctx, Route};
use crate::{StreamType, clock};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/message-streams", Auth::Server, list),
    Route::new("GET", "/message-streams/{}", Auth::Server, get),
    Route::new("POST", "/message-streams", Auth::Server, create),
    Route::new("PATCH", "/message-streams/{}", Auth::Server, edit),
    Route::new("POST", "/message-streams/{}/archive", Auth::Server, archive),
    Route::new(
        "POST",
        "/message-streams/{}/unarchive",
        Auth::Server,
        unarchive,
    ),
];

/// Streams a server may have, the three it starts with included.
const MAX_STREAMS: usize = 10;
const MAX_ID: usize = 30;
const MAX_NAME: usize = 100;
const MAX_DESCRIPTION: usize = 1000;
/// Days between archiving and purging.
const PURGE_DAYS: u64 = 45;
/// IDs Postmark keeps for itself besides the `pm-` prefix. Postmark does not publish its
/// list; these are the words its list filter and defaults use.
const RESERVED_IDS: &[&str] = &["all", "default", "none"];
const TYPES: &[&str] = &["Transactional", "Broadcasts", "Inbound"];
const UNSUBSCRIBE_TYPES: &[&str] = &["None", "Postmark", "Custom"];

#[derive(Debug)]
pub(crate) struct Stream {
    pub(crate) id: String,
    pub(crate) kind: StreamType,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) created_at: String,
    pub(crate) updated_at: Option<String>,
    pub(crate) archived_at: Option<String>,
    pub(crate) purge_at: Option<String>,
    /// `UnsubscribeHandlingType`.
    pub(crate) unsubscribe: &'static str,
    pub(crate) suppressions: Suppressions,
}

impl Stream {
    /// A stream as Postmark creates it: Broadcasts streams handle unsubscribes, the others
    /// leave that to the sender.
    pub(crate) fn new(id: &str, kind: StreamType, name: &str) -> Stream {
        Stream {
            id: id.to_owned(),
            kind,
            name: name.to_owned(),
            description: None,
            created_at: clock::eastern_now(),
            updated_at: None,
            archived_at: None,
            purge_at: None,
            unsubscribe: match kind {
                StreamType::Broadcasts => "Postmark",
                _ => "None",
            },
            suppressions: Suppressions::default(),
        }
    }

    pub(crate) fn is_archived(&self) -> bool {
        self.archived_at.is_some()
    }

    /// Archives now, or unarchives.
    pub(crate) fn set_archived(&mut self, archived: bool) {
        if archived == self.is_archived() {
            return;
        }
        if archived {
            self.archived_at = Some(clock::eastern_now());
            self.purge_at = Some(clock::eastern_in_days(PURGE_DAYS));
        } else {
            self.archived_at = None;
            self.purge_at = None;
        }
    }

    pub(crate) fn is_suppressed(&self, email: &str) -> bool {
        self.suppressions.find(email).is_some()
    }

    /// The `MessageStream` model.
    fn to_json(&self, server_id: i64) -> Value {
        json!({
            "ID": self.id,
            "ServerID": server_id,
            "Name": self.name,
            "Description": self.description,
            "MessageStreamType": type_name(self.kind),
            "CreatedAt": self.created_at,
            "UpdatedAt": self.updated_at,
            "ArchivedAt": self.archived_at,
            "ExpectedPurgeDate": self.purge_at,
            "SubscriptionManagementConfiguration": {"UnsubscribeHandlingType": self.unsubscribe},
        })
    }
}

fn type_name(kind: StreamType) -> &'static str {
    match kind {
        StreamType::Transactional => "Transactional",
        StreamType::Broadcasts => "Broadcasts",
        StreamType::Inbound => "Inbound",
    }
}

/// The answer for a stream the server does not have (also used by suppressions,
/// webhooks and stats).
pub(crate) fn stream_not_found(id: &str) -> ApiError {
    ApiError::new(1226, format!("The message stream '{id}' was not found."))
}

/// Oldest first; `MessageStreamType` (default `All`) and `IncludeArchivedStreams`
/// (default false) filter.
fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let kind = match ctx.query("MessageStreamType") {
        None => None,
        Some(value) if value.eq_ignore_ascii_case("all") => None,
        Some(value) => Some(stream_type(value)?),
    };
    let archived = ctx
        .query("IncludeArchivedStreams")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"));
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let streams: Vec<Value> = server
        .streams
        .iter()
        .filter(|s| kind.is_none_or(|k| k == s.kind) && (archived || !s.is_archived()))
        .map(|s| s.to_json(server.id))
        .collect();
    Ok(json!({"MessageStreams": streams, "TotalCount": streams.len()}))
}

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let stream = server
        .stream(ctx.param(0))
        .ok_or_else(|| stream_not_found(ctx.param(0)))?;
    Ok(stream.to_json(server.id))
}

fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let id = f.str("ID")?.map(str::trim).unwrap_or_default();
    check_id(id)?;
    let name = name(f.str("Name")?)?.ok_or_else(no_name)?;
    let kind = stream_type(f.str("MessageStreamType")?.unwrap_or_default())?;
    let description = description(f.str("Description")?)?;
    let unsubscribe = unsubscribe(&f, kind)?;
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    if server.stream(id).is_some() {
        return Err(ApiError::new(
            1230,
            format!("A message stream with the ID '{id}' already exists on this server."),
        ));
    }
    if kind == StreamType::Inbound && server.streams.iter().any(|s| s.kind == kind) {
        return Err(ApiError::new(
            1228,
            "A server may have only one inbound stream.",
        ));
    }
    if server.streams.len() >= MAX_STREAMS {
        return Err(ApiError::new(
            1225,
            format!("A server may have at most {MAX_STREAMS} message streams."),
        ));
    }
    let mut stream = Stream::new(id, kind, name);
    stream.description = description;
    stream.unsubscribe = unsubscribe.unwrap_or(stream.unsubscribe);
    let answer = stream.to_json(server.id);
    server.streams.push(stream);
    Ok(answer)
}

/// `Name`, `Description` and `SubscriptionManagementConfiguration` change; an `ID` or
/// `MessageStreamType` in the body is ignored, since neither can change.
fn edit(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let new_name = name(f.str("Name")?)?;
    let new_description = if f.has("Description") {
        Some(description(f.str("Description")?)?)
    } else {
        None
    };
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let server_id = server.id;
    let stream = server
        .stream_mut(ctx.param(0))
        .ok_or_else(|| stream_not_found(ctx.param(0)))?;
    let new_unsubscribe = unsubscribe(&f, stream.kind)?;
    if let Some(name) = new_name {
        stream.name = name.to_owned();
    }
    // An empty Description clears it (a null, like a missing field, keeps it).
    if let Some(description) = new_description {
        stream.description = description.filter(|d| !d.is_empty());
    }
    if let Some(handling) = new_unsubscribe {
        stream.unsubscribe = handling;
    }
    stream.updated_at = Some(clock::eastern_now());
    Ok(stream.to_json(server_id))
}

/// Refused for the default transactional stream and the inbound stream (1229).
fn archive(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let server_id = server.id;
    let stream = server
        .stream_mut(ctx.param(0))
        .ok_or_else(|| stream_not_found(ctx.param(0)))?;
    if stream.kind == StreamType::Inbound || stream.id.eq_ignore_ascii_case("outbound") {
        return Err(ApiError::new(
            1229,
            "The default transactional stream and the inbound stream cannot be archived.",
        ));
    }
    if stream.is_archived() {
        return Err(ApiError::new(
            1241,
            format!("The message stream '{}' is already archived.", stream.id),
        ));
    }
    stream.set_archived(true);
    Ok(json!({"ID": stream.id, "ServerID": server_id, "ExpectedPurgeDate": stream.purge_at}))
}

/// Brings an archived stream back (a stream that is not archived is answered as it is);
/// refused once its purge date has passed (1232).
fn unarchive(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let server_id = server.id;
    let stream = server
        .stream_mut(ctx.param(0))
        .ok_or_else(|| stream_not_found(ctx.param(0)))?;
    if stream
        .purge_at
        .as_deref()
        .is_some_and(|purge| clock::is_before(purge, &clock::eastern_now()))
    {
        return Err(ApiError::new(
            1232,
            format!(
                "The message stream '{}' was purged and can no longer be unarchived.",
                stream.id
            ),
        ));
    }
    stream.set_archived(false);
    Ok(stream.to_json(server_id))
}

/// ID rules: present (1222), a letter first, letters, digits, `-` and `_` only and at
/// most 30 characters (1227), no `pm-` prefix (1233), not reserved (1237).
fn check_id(id: &str) -> Result<(), ApiError> {
    if id.is_empty() {
        return Err(ApiError::new(1222, "A valid stream ID must be provided."));
    }
    let well_formed = id.starts_with(|c: char| c.is_ascii_alphabetic())
        && id.len() <= MAX_ID
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if !well_formed {
        return Err(ApiError::new(
            1227,
            format!(
                "A stream ID must start with a letter, hold only letters, digits, '-' and '_', \
                 and be at most {MAX_ID} characters long; '{id}' is not."
            ),
        ));
    }
    if id.len() >= 3 && id[..3].eq_ignore_ascii_case("pm-") {
        return Err(ApiError::new(
            1233,
            "A stream ID must not start with 'pm-'.",
        ));
    }
    if RESERVED_IDS.iter().any(|r| r.eq_ignore_ascii_case(id)) {
        return Err(ApiError::new(
            1237,
            format!("The stream ID '{id}' is reserved."),
        ));
    }
    Ok(())
}

fn no_name() -> ApiError {
    ApiError::new(1223, "A valid stream Name must be provided.")
}

/// A given `Name`: not blank (1223), at most 100 characters (1224).
fn name(value: Option<&str>) -> Result<Option<&str>, ApiError> {
    match value.map(str::trim) {
        None => Ok(None),
        Some("") => Err(no_name()),
        Some(name) if name.chars().count() > MAX_NAME => Err(ApiError::new(
            1224,
            format!("A stream Name may have at most {MAX_NAME} characters."),
        )),
        Some(name) => Ok(Some(name)),
    }
}

/// A `Description`: at most 1000 characters (1231), no HTML tags (1234).
fn description(value: Option<&str>) -> Result<Option<String>, ApiError> {
    let Some(text) = value else { return Ok(None) };
    if text.chars().count() > MAX_DESCRIPTION {
        return Err(ApiError::new(
            1231,
            format!("A stream Description may have at most {MAX_DESCRIPTION} characters."),
        ));
    }
    let has_tag = text.split('<').skip(1).any(|after| {
        after.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') && after.contains('>')
    });
    if has_tag {
        return Err(ApiError::new(
            1234,
            "A stream Description must not contain HTML tags.",
        ));
    }
    Ok(Some(text.to_owned()))
}

/// `MessageStreamType` in its answered spelling (1221 otherwise).
fn stream_type(value: &str) -> Result<StreamType, ApiError> {
    one_of(TYPES, "MessageStreamType", value)
        .ok()
        .and_then(StreamType::parse)
        .ok_or_else(|| {
            ApiError::new(
                1221,
                format!("'{value}' is not a MessageStreamType: use Transactional, Broadcasts or Inbound."),
            )
        })
}

/// `SubscriptionManagementConfiguration.UnsubscribeHandlingType`, when given: one of
/// None, Postmark, Custom (1240); Custom needs Postmark's approval, which the mock's
/// account does not have (1238); Broadcasts streams must handle unsubscribes and Inbound
/// streams cannot (1239).
fn unsubscribe(f: &Fields<'_>, kind: StreamType) -> Result<Option<&'static str>, ApiError> {
    let Some(config) = f.object("SubscriptionManagementConfiguration")? else {
        return Ok(None);
    };
    let Some(value) = config.str("UnsubscribeHandlingType")? else {
        return Ok(None);
    };
    let handling = one_of(UNSUBSCRIBE_TYPES, "UnsubscribeHandlingType", value)
        .map_err(|why| ApiError::new(1240, why))?;
    if handling == "Custom" {
        return Err(ApiError::new(
            1238,
            "Custom unsubscribe handling needs Postmark's approval for this account.",
        ));
    }
    let fits = match kind {
        StreamType::Broadcasts => handling != "None",
        StreamType::Inbound => handling == "None",
        StreamType::Transactional => true,
    };
    if !fits {
        return Err(ApiError::new(
            1239,
            format!(
                "UnsubscribeHandlingType '{handling}' is not supported on a {} stream.",
                type_name(kind)
            ),
        ));
    }
    Ok(Some(handling))
}
