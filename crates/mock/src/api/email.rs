//! Email API: single and batch sends, inline or from a template.
//!
//! A request is read in two steps. Reading the JSON into [`Outgoing`] fails the whole
//! request (ErrorCode 402), as Postmark's deserializer does for a batch with one malformed
//! item. Validating and accepting each message ([`submit`]) can fail per message, which a
//! batch reports in its own slot of the HTTP 200 answer.

use serde_json::{Map, Value, json};

use super::templates::render_for_send;
use super::{TRACK_LINKS, canonical};
use crate::address::{self, Address};
use crate::json::{ApiError, Fields};
use crate::router::{Auth, BATCH_LIMIT, Ctx, Route};
use crate::state::{SentMessage, Server, State};
use crate::{clock, ids};

pub(super) const ROUTES: &[Route] = &[
    Route::new("POST", "/email", Auth::ServerOrTest, send),
    Route::new("POST", "/email/batch", Auth::ServerOrTest, send_batch).max_body(BATCH_LIMIT),
    Route::new(
        "POST",
        "/email/withTemplate",
        Auth::ServerOrTest,
        send_with_template,
    ),
    Route::new(
        "POST",
        "/email/batchWithTemplates",
        Auth::ServerOrTest,
        send_batch_with_templates,
    )
    .max_body(BATCH_LIMIT),
];

const MAX_BATCH: usize = 500;
const MAX_RECIPIENTS: usize = 50;
const MAX_BODY_PART: usize = 5 * 1024 * 1024;
const MAX_TAG: usize = 1000;
/// Postmark answers sends with its test token with this all-zero MessageID.
const TEST_MESSAGE_ID: &str = "00000000-0000-0000-0000-000000000000";

fn send(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    single(ctx, Kind::Inline)
}

fn send_with_template(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    single(ctx, Kind::Template)
}

fn send_batch(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let items = body
        .as_array()
        .ok_or_else(|| ApiError::invalid_json("a batch must be a JSON array of messages"))?;
    batch(ctx, items, Kind::Inline)
}

fn send_batch_with_templates(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let items = Fields::of(&body, "The request body")?
        .array("Messages")?
        .ok_or_else(|| ApiError::invalid_json("'Messages' must be an array of messages"))?;
    batch(ctx, items, Kind::Template)
}

/// Reads and checks one message (a JSON object as `/email`, or with `template` as
/// `/email/withTemplate`, takes it) against `server`, without recording it. Returns the
/// message and the suppressed recipients it skips; the bulk route sends through here.
pub(super) fn check_message(
    server: &Server,
    message: &Value,
    template: bool,
) -> Result<(SentMessage, Vec<String>), ApiError> {
    let kind = if template {
        Kind::Template
    } else {
        Kind::Inline
    };
    accept(
        server,
        &Outgoing::read(Fields::of(message, "Each message")?, kind)?,
    )
}

fn single(ctx: &Ctx<'_>, kind: Kind) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let message = Outgoing::read(Fields::of(&body, "The request body")?, kind)?;
    submit(ctx, &mut ctx.state(), &message)
}

fn batch(ctx: &Ctx<'_>, items: &[Value], kind: Kind) -> Result<Value, ApiError> {
    if items.len() > MAX_BATCH {
        return Err(ApiError::new(
            410,
            format!(
                "A batch may hold at most {MAX_BATCH} messages; this one has {}.",
                items.len()
            ),
        ));
    }
    let messages = items
        .iter()
        .map(|item| Outgoing::read(Fields::of(item, "Each message")?, kind))
        .collect::<Result<Vec<_>, _>>()?;
    let mut state = ctx.state();
    let results = messages
        .iter()
        .map(|m| submit(ctx, &mut state, m).unwrap_or_else(|e| e.envelope()))
        .collect();
    Ok(Value::Array(results))
}

#[derive(Debug, Clone, Copy)]
enum Kind {
    Inline,
    Template,
}

/// One message as sent, borrowing from the request JSON.
#[derive(Debug)]
struct Outgoing<'a> {
    from: Option<&'a str>,
    to: Option<&'a str>,
    cc: Option<&'a str>,
    bcc: Option<&'a str>,
    reply_to: Option<&'a str>,
    tag: Option<&'a str>,
    metadata: Option<&'a Map<String, Value>>,
    headers: Option<&'a Vec<Value>>,
    attachments: Vec<&'a str>,
    track_opens: Option<bool>,
    track_links: Option<&'a str>,
    stream: Option<&'a str>,
    content: Content<'a>,
}

#[derive(Debug)]
enum Content<'a> {
    Inline {
        subject: Option<&'a str>,
        html: Option<&'a str>,
        text: Option<&'a str>,
    },
    Template {
        id: Option<i64>,
        alias: Option<&'a str>,
        model: Option<&'a Value>,
    },
}

impl<'a> Outgoing<'a> {
    fn read(f: Fields<'a>, kind: Kind) -> Result<Self, ApiError> {
        let content = match kind {
            Kind::Inline => Content::Inline {
                subject: f.str("Subject")?,
                html: f.str("HtmlBody")?,
                text: f.str("TextBody")?,
            },
            Kind::Template => Content::Template {
                id: f.int("TemplateId")?,
                alias: f.str("TemplateAlias")?,
                model: f.any("TemplateModel"),
            },
        };
        // Metadata, Headers and Attachments are stored as sent; here they are only
        // type-checked so a malformed batch item fails the whole request.
        let metadata = f.object("Metadata")?;
        if let Some(metadata) = metadata {
            for key in metadata.map().keys() {
                metadata.str(key)?;
            }
        }
        let headers = f.array("Headers")?;
        for header in headers.into_iter().flatten() {
            let header = Fields::of(header, "Each header")?;
            header.str("Name")?;
            header.str("Value")?;
        }
        let attachments = f
            .array("Attachments")?
            .into_iter()
            .flatten()
            .map(|a| {
                let a = Fields::of(a, "Each attachment")?;
                a.str("Content")?;
                a.str("ContentType")?;
                Ok(a.str("Name")?.unwrap_or_default())
            })
            .collect::<Result<_, ApiError>>()?;
        Ok(Outgoing {
            from: f.str("From")?,
            to: f.str("To")?,
            cc: f.str("Cc")?,
            bcc: f.str("Bcc")?,
            reply_to: f.str("ReplyTo")?,
            tag: f.str("Tag")?,
            metadata: metadata.map(|m| m.map()),
            headers,
            attachments,
            track_opens: f.bool("TrackOpens")?,
            track_links: f.str("TrackLinks")?,
            stream: f.str("MessageStream")?,
            content,
        })
    }
}

/// Validates one message against the sending server and, unless this is a test-token
/// request, records it. Returns the `SendEmailResponse`.
fn submit(ctx: &Ctx<'_>, state: &mut State, message: &Outgoing<'_>) -> Result<Value, ApiError> {
    let (sent, inactive) = accept(ctx.current(state)?, message)?;
    let mut response = json!({
        "To": message.to.unwrap_or_default(),
        "SubmittedAt": sent.received_at,
        "MessageID": sent.id,
        "ErrorCode": 0,
        "Message": "OK",
    });
    if ctx.test_mode {
        response["MessageID"] = TEST_MESSAGE_ID.into();
        response["Message"] = "Test job accepted".into();
        return Ok(response);
    }
    if !inactive.is_empty() {
        response["Message"] = format!(
            "Message OK, but will not deliver to these inactive addresses: {}",
            inactive.join(", ")
        )
        .into();
    }
    state.record_message(sent);
    Ok(response)
}

/// Resolves the content, then checks addresses, bodies, limits, the stream and
/// suppressions. Returns the message to record and the suppressed recipients it skips.
fn accept(server: &Server, m: &Outgoing<'_>) -> Result<(SentMessage, Vec<String>), ApiError> {
    let (subject, html_body, text_body) = content_of(server, &m.content)?;

    let from = m.from.unwrap_or_default();
    if address::parse_one(from).is_err() {
        return Err(ApiError::new(
            300,
            format!("Invalid 'From' address: '{from}'."),
        ));
    }
    let list = |field: &str, value: Option<&str>| {
        address::parse_list(value.unwrap_or_default())
            .map_err(|bad| ApiError::new(300, format!("Invalid '{field}' address: '{bad}'.")))
    };
    let (to, cc, bcc) = (list("To", m.to)?, list("Cc", m.cc)?, list("Bcc", m.bcc)?);
    list("ReplyTo", m.reply_to)?;
    let recipients: Vec<&Address> = to.iter().chain(&cc).chain(&bcc).collect();
    if recipients.is_empty() {
        return Err(ApiError::new(
            300,
            "Zero recipients specified: set To, Cc or Bcc.",
        ));
    }
    if recipients.len() > MAX_RECIPIENTS {
        return Err(ApiError::new(
            300,
            format!(
                "A message may have at most {MAX_RECIPIENTS} recipients across To, Cc and Bcc; this one has {}.",
                recipients.len()
            ),
        ));
    }
    let non_empty = |body: &Option<String>| body.as_deref().is_some_and(|b| !b.is_empty());
    if !non_empty(&html_body) && !non_empty(&text_body) {
        return Err(ApiError::new(
            300,
            "Provide either email TextBody or HtmlBody or both.",
        ));
    }
    if [&html_body, &text_body]
        .iter()
        .any(|b| b.as_ref().is_some_and(|b| b.len() > MAX_BODY_PART))
    {
        return Err(ApiError::new(
            300,
            "HtmlBody and TextBody are limited to 5 MB each.",
        ));
    }
    let tag = m.tag.unwrap_or_default();
    if tag.chars().count() > MAX_TAG {
        return Err(ApiError::new(
            300,
            format!("Tag is limited to {MAX_TAG} characters."),
        ));
    }
    let track_links = match m.track_links {
        None => server.settings.track_links,
        Some(value) => canonical(TRACK_LINKS, value)
            .ok_or_else(|| ApiError::new(300, format!("Invalid TrackLinks value '{value}'.")))?,
    };

    let stream_id = m.stream.unwrap_or("outbound");
    let stream = server
        .stream(stream_id)
        .filter(|s| !s.is_archived())
        .ok_or_else(|| {
            ApiError::new(
                1235,
                format!("The message stream '{stream_id}' does not exist on this server."),
            )
        })?;
    if stream.kind == crate::StreamType::Inbound {
        return Err(ApiError::new(
            1236,
            format!("'{stream_id}' is an inbound stream: sending is not supported on it."),
        ));
    }
    let inactive: Vec<String> = recipients
        .iter()
        .filter(|a| stream.is_suppressed(&a.email))
        .map(|a| a.email.clone())
        .collect();
    if inactive.len() == recipients.len() {
        // Clients parse the addresses out of this text (postmark.js matches
        // "Found inactive addresses: (.+?)\.? Inactive"), so it keeps Postmark's wording.
        return Err(ApiError::new(
            406,
            format!(
                "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: {}. \
                 Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression.",
                inactive.join(", ")
            ),
        ));
    }

    let sent = SentMessage {
        id: ids::uuid(),
        server_id: server.id,
        stream: stream.id.clone(),
        from: from.to_owned(),
        to,
        cc,
        bcc,
        reply_to: m.reply_to.unwrap_or_default().to_owned(),
        subject,
        html_body,
        text_body,
        tag: tag.to_owned(),
        metadata: m.metadata.cloned().unwrap_or_default(),
        headers: m.headers.cloned().unwrap_or_default(),
        attachments: m
            .attachments
            .iter()
            .map(|name| (*name).to_owned())
            .collect(),
        track_opens: m.track_opens.unwrap_or(server.settings.track_opens),
        track_links,
        received_at: clock::eastern_now(),
        sandboxed: server.settings.delivery_type == "Sandbox",
    };
    Ok((sent, inactive))
}

/// Subject, HtmlBody and TextBody: as given, or rendered from the server's template.
fn content_of(
    server: &Server,
    content: &Content<'_>,
) -> Result<(String, Option<String>, Option<String>), ApiError> {
    match content {
        Content::Inline {
            subject,
            html,
            text,
        } => Ok((
            subject.unwrap_or_default().to_owned(),
            html.map(str::to_owned),
            text.map(str::to_owned),
        )),
        Content::Template { id, alias, model } => render_for_send(server, *id, *alias, *model),
    }
}
