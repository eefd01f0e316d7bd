//! Messages API (server token): searches of sent and received messages, their details and
//! dumps, bypassing and retrying inbound messages, and the opens and clicks of sent ones.
//!
//! Sent messages are the ones the Email routes accepted. Received messages, opens and
//! clicks come from the control routes ([`record_inbound`], [`record_interaction`]). The
//! mock posts to no webhook, so a bypassed or retried message is processed at once.

use serde_json::{Map, Value, json};

use super::{Page, SEARCH_DEPTH, Window, matches, one_of};
use crate::address::{self, Address};
use crate::control::bad;
use crate::json::{ApiError, Fields, ok_message};
use crate::router::{Auth, Ctx, Route};
use crate::state::{InboundMessage, SENT_STATUS, SentMessage, Server, State};
use crate::{clock, ids};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/messages/outbound", Auth::Server, search_outbound),
    // Before `/messages/outbound/{}/...`, which has as many segments.
    Route::new(
        "GET",
        "/messages/outbound/opens",
        Auth::Server,
        search_opens,
    ),
    Route::new(
        "GET",
        "/messages/outbound/opens/{}",
        Auth::Server,
        message_opens,
    ),
    Route::new(
        "GET",
        "/messages/outbound/clicks",
        Auth::Server,
        search_clicks,
    ),
    Route::new(
        "GET",
        "/messages/outbound/clicks/{}",
        Auth::Server,
        message_clicks,
    ),
    Route::new(
        "GET",
        "/messages/outbound/{}/details",
        Auth::Server,
        outbound_details,
    ),
    Route::new(
        "GET",
        "/messages/outbound/{}/dump",
        Auth::Server,
        outbound_dump,
    ),
    Route::new("GET", "/messages/inbound", Auth::Server, search_inbound),
    Route::new(
        "GET",
        "/messages/inbound/{}/details",
        Auth::Server,
        inbound_details,
    ),
    Route::new("PUT", "/messages/inbound/{}/bypass", Auth::Server, bypass),
    Route::new("PUT", "/messages/inbound/{}/retry", Auth::Server, retry),
];

/// ErrorCode of a malformed messages, opens or clicks query.
const BAD_QUERY: i64 = 700;
/// `Status` of sent messages, as the search filter takes it.
const OUTBOUND_STATUSES: &[&str] = &["queued", "sent", "processed"];
/// `Status` of received messages, as answered.
const INBOUND_STATUSES: &[&str] = &["Blocked", "Processed", "Queued", "Failed", "Scheduled"];
/// `Platform` of opens and clicks.
const PLATFORMS: &[&str] = &["WebMail", "Desktop", "Mobile", "Unknown"];
/// `ClickLocation` of clicks.
const CLICK_LOCATIONS: &[&str] = &["HTML", "Text"];
/// Each filter of the open and click searches, with where it looks in an event.
const INTERACTION_FILTERS: &[(&str, &str)] = &[
    ("recipient", "/Recipient"),
    ("tag", "/Tag"),
    ("client_name", "/Client/Name"),
    ("client_company", "/Client/Company"),
    ("client_family", "/Client/Family"),
    ("os_name", "/OS/Name"),
    ("os_family", "/OS/Family"),
    ("os_company", "/OS/Company"),
    ("platform", "/Platform"),
    ("country", "/Geo/Country"),
    ("region", "/Geo/Region"),
    ("city", "/Geo/City"),
    ("messagestream", "/MessageStream"),
];

/// The filters both message searches take, each matching a whole value, ignoring case.
struct MessageFilters<'a> {
    recipient: Option<&'a str>,
    from_email: Option<&'a str>,
    tag: Option<&'a str>,
    subject: Option<&'a str>,
}

impl<'a> MessageFilters<'a> {
    fn read(ctx: &'a Ctx<'_>) -> Self {
        MessageFilters {
            recipient: ctx.query("recipient"),
            from_email: ctx.query("fromemail"),
            tag: ctx.query("tag"),
            subject: ctx.query("subject"),
        }
    }

    fn admit<'m>(
        &self,
        mut recipients: impl Iterator<Item = &'m Address>,
        from: &str,
        tag: &str,
        subject: &str,
    ) -> bool {
        self.recipient
            .is_none_or(|wanted| recipients.any(|a| a.email.eq_ignore_ascii_case(wanted)))
            && matches(self.from_email, from)
            && matches(self.tag, tag)
            && matches(self.subject, subject)
    }
}

/// The query parameter `key` in its answered spelling, checked against `options` (a
/// bad query when it is none of them).
fn query_enum(
    ctx: &Ctx<'_>,
    key: &str,
    options: &[&'static str],
) -> Result<Option<&'static str>, ApiError> {
    ctx.query(key)
        .map(|value| one_of(options, key, value).map_err(|why| ApiError::new(BAD_QUERY, why)))
        .transpose()
}

/// The control field `key` in its answered spelling, checked against `options` (a 400
/// when it is none of them); `default` when it is absent.
fn field_enum(
    f: &Fields<'_>,
    key: &str,
    options: &[&'static str],
    default: &'static str,
) -> Result<&'static str, ApiError> {
    match f.str(key)? {
        None => Ok(default),
        Some(value) => one_of(options, key, value).map_err(bad),
    }
}

/// Newest first; `messagestream` defaults to `outbound`. At most one `metadata_<key>`
/// filter, whose key matches ignoring case and whose value matches exactly.
fn search_outbound(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let page = Page::read(ctx, BAD_QUERY, Some(SEARCH_DEPTH))?;
    let window = Window::read(ctx, BAD_QUERY)?;
    let status = query_enum(ctx, "status", OUTBOUND_STATUSES)?;
    let metadata: Vec<(&str, &str)> = ctx.query_prefixed("metadata_").collect();
    if metadata.len() > 1 {
        return Err(ApiError::new(
            BAD_QUERY,
            "Only one metadata_<key> filter may be given at a time.",
        ));
    }
    let filters = MessageFilters::read(ctx);
    let stream = ctx.query("messagestream").unwrap_or("outbound");
    let mut state = ctx.state();
    let server_id = ctx.current(&mut state)?.id;
    let matching: Vec<&SentMessage> = state
        .sent_by(server_id)
        .filter(|m| {
            let from = address::parse_one(&m.from).map_or_else(|_| m.from.clone(), |a| a.email);
            filters.admit(m.recipients(), &from, &m.tag, &m.subject)
                && matches(status, SENT_STATUS)
                && m.stream.eq_ignore_ascii_case(stream)
                && window.contains(&m.received_at)
                && metadata
                    .iter()
                    .all(|(key, value)| has_metadata(&m.metadata, key, value))
        })
        .collect();
    Ok(page.of("Messages", &matching, |m| m.summary()))
}

fn has_metadata(metadata: &Map<String, Value>, key: &str, value: &str) -> bool {
    metadata
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case(key) && v.as_str() == Some(value))
}

/// The search shape plus the bodies, the raw source and the message's events (its
/// bounces, opens and clicks), oldest first.
fn outbound_details(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let (server_id, events) = (server.id, events(server, ctx.param(0)));
    let message = state
        .sent(server_id, ctx.param(0))
        .ok_or_else(message_not_found)?;
    let mut details = message.summary();
    details["TextBody"] = message.text_body.clone().into();
    details["HtmlBody"] = message.html_body.clone().into();
    details["Body"] = message.source().into();
    details["MessageEvents"] = events.into();
    Ok(details)
}

fn outbound_dump(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server_id = ctx.current(&mut state)?.id;
    let message = state
        .sent(server_id, ctx.param(0))
        .ok_or_else(message_not_found)?;
    Ok(json!({"Body": message.source()}))
}

/// The `MessageEvents` of message `id`: what the mock recorded about it.
fn events(server: &Server, id: &str) -> Vec<Value> {
    let of_message = |event: &&Value| {
        event["MessageID"]
            .as_str()
            .is_some_and(|m| m.eq_ignore_ascii_case(id))
    };
    let mut events: Vec<Value> = server
        .bounces
        .iter()
        .filter(|b| b.message_id.eq_ignore_ascii_case(id))
        .map(|b| {
            json!({"Recipient": b.email, "Type": "Bounced", "ReceivedAt": b.bounced_at,
                   "Details": {"Summary": b.kind.description, "BounceID": b.id.to_string()}})
        })
        .collect();
    events.extend(server.opens.iter().filter(of_message).map(|open| {
        let summary = format!(
            "Opened with {}",
            open["Client"]["Name"]
                .as_str()
                .unwrap_or("an unknown client")
        );
        json!({"Recipient": open["Recipient"], "Type": "Opened", "ReceivedAt": open["ReceivedAt"],
               "Details": {"Summary": summary}})
    }));
    events.extend(server.clicks.iter().filter(of_message).map(|click| {
        json!({"Recipient": click["Recipient"], "Type": "LinkClicked", "ReceivedAt": click["ReceivedAt"],
               "Details": {"Summary": "Clicked a tracked link", "Link": click["OriginalLink"],
                           "ClickLocation": click["ClickLocation"]}})
    }));
    events.sort_by(|a, b| a["ReceivedAt"].as_str().cmp(&b["ReceivedAt"].as_str()));
    events
}

/// Newest first; `status` defaults to `processed`, as Postmark documents. There is no
/// stream filter: a server has one inbound stream.
fn search_inbound(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let page = Page::read(ctx, BAD_QUERY, Some(SEARCH_DEPTH))?;
    let window = Window::read(ctx, BAD_QUERY)?;
    let status = query_enum(ctx, "status", INBOUND_STATUSES)?.unwrap_or("Processed");
    let filters = MessageFilters::read(ctx);
    let mailbox_hash = ctx.query("mailboxhash");
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let matching: Vec<&InboundMessage> = server
        .inbound
        .iter()
        .rev()
        .filter(|m| {
            filters.admit(m.to.iter().chain(&m.cc), &m.from.email, &m.tag, &m.subject)
                && m.status == status
                && matches(mailbox_hash, m.mailbox_hash())
                && window.contains(&m.received_at)
        })
        .collect();
    Ok(page.of("InboundMessages", &matching, |m| m.to_json(false)))
}

fn inbound_details(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    Ok(inbound(server, ctx.param(0))?.to_json(true))
}

/// Releases a blocked message (702 for any other).
fn bypass(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    reprocess(ctx, "Blocked", 702, "bypass this blocked", "bypassed")
}

/// Posts a failed message again (703 for any other).
fn retry(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    reprocess(
        ctx,
        "Failed",
        703,
        "retry this failed",
        "rescheduled failed",
    )
}

/// Processes a received message that is in status `from`; refused with `code` otherwise.
fn reprocess(
    ctx: &Ctx<'_>,
    from: &str,
    code: i64,
    refusal: &str,
    done: &str,
) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let message = inbound(server, ctx.param(0))?;
    if message.status != from {
        return Err(ApiError::new(
            code,
            format!(
                "Could not {refusal} inbound message: it is {}.",
                message.status
            ),
        ));
    }
    message.status = "Processed";
    message.blocked_reason.clear();
    Ok(ok_message(format!(
        "Successfully {done} message: {}",
        message.id
    )))
}

fn inbound<'s>(server: &'s mut Server, id: &str) -> Result<&'s mut InboundMessage, ApiError> {
    server
        .inbound
        .iter_mut()
        .find(|m| m.id.eq_ignore_ascii_case(id))
        .ok_or_else(message_not_found)
}

fn message_not_found() -> ApiError {
    ApiError::new(701, "This message was not found.")
}

fn search_opens(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    search_interactions(ctx, Interaction::Open)
}

fn search_clicks(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    search_interactions(ctx, Interaction::Click)
}

fn message_opens(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    interactions_of(ctx, Interaction::Open)
}

fn message_clicks(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    interactions_of(ctx, Interaction::Click)
}

/// Opens or clicks, the two kinds of tracked interaction.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Interaction {
    Open,
    Click,
}

impl Interaction {
    fn record_type(self) -> &'static str {
        match self {
            Interaction::Open => "Open",
            Interaction::Click => "Click",
        }
    }

    /// The list key of its answers.
    fn key(self) -> &'static str {
        match self {
            Interaction::Open => "Opens",
            Interaction::Click => "Clicks",
        }
    }

    fn list(self, server: &Server) -> &[Value] {
        match self {
            Interaction::Open => &server.opens,
            Interaction::Click => &server.clicks,
        }
    }

    fn list_mut(self, server: &mut Server) -> &mut Vec<Value> {
        match self {
            Interaction::Open => &mut server.opens,
            Interaction::Click => &mut server.clicks,
        }
    }
}

/// Newest first; every filter matches a whole value, ignoring case.
fn search_interactions(ctx: &Ctx<'_>, kind: Interaction) -> Result<Value, ApiError> {
    let page = Page::read(ctx, BAD_QUERY, Some(SEARCH_DEPTH))?;
    query_enum(ctx, "platform", PLATFORMS)?;
    list_interactions(ctx, kind, page, |event| {
        INTERACTION_FILTERS.iter().all(|(key, at)| {
            let value = event.pointer(at).and_then(Value::as_str);
            matches(ctx.query(key), value.unwrap_or_default())
        })
    })
}

/// The opens or clicks of one message, newest first; none for a message without any.
fn interactions_of(ctx: &Ctx<'_>, kind: Interaction) -> Result<Value, ApiError> {
    let page = Page::read(ctx, BAD_QUERY, None)?;
    list_interactions(ctx, kind, page, |event| {
        matches(
            Some(ctx.param(0)),
            event["MessageID"].as_str().unwrap_or_default(),
        )
    })
}

/// The page of the server's opens or clicks that `admit` lets through, newest first.
fn list_interactions(
    ctx: &Ctx<'_>,
    kind: Interaction,
    page: Page,
    admit: impl Fn(&Value) -> bool,
) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let matching: Vec<&Value> = kind
        .list(server)
        .iter()
        .rev()
        .filter(|e| admit(e))
        .collect();
    Ok(page.of(kind.key(), &matching, |event| (*event).clone()))
}

/// Receives a message on the default server (`POST /__mock/inbound`) and answers its
/// details.
pub(crate) fn record_inbound(state: &mut State, f: Fields<'_>) -> Result<Value, ApiError> {
    let address_of = |key: &str| -> Result<Address, ApiError> {
        let text = f
            .str(key)?
            .ok_or_else(|| bad(format!("'{key}' is required.")))?;
        address::parse_one(text)
            .map_err(|text| bad(format!("'{text}' is not a valid '{key}' address.")))
    };
    let list_of = |key: &str| -> Result<(String, Vec<Address>), ApiError> {
        let header = f.str(key)?.unwrap_or_default();
        let list = address::parse_list(header)
            .map_err(|text| bad(format!("'{text}' is not a valid '{key}' address.")))?;
        Ok((header.to_owned(), list))
    };
    let from = address_of("From")?;
    let (to_header, to) = list_of("To")?;
    if to.is_empty() {
        return Err(bad("'To' is required."));
    }
    let (cc_header, cc) = list_of("Cc")?;
    let text =
        |key: &str| -> Result<String, ApiError> { Ok(f.str(key)?.unwrap_or_default().to_owned()) };
    // A sender an inbound rule names is blocked, unless the request says otherwise.
    let rule = state
        .default_server_mut()?
        .inbound_rules
        .blocking(&from.email)
        .map(|r| r.rule.clone());
    let (status, blocked_reason) = match (f.has("Status"), rule) {
        (false, Some(rule)) => ("Blocked", format!("Blocked by the inbound rule '{rule}'.")),
        _ => (
            field_enum(&f, "Status", INBOUND_STATUSES, "Processed")?,
            text("BlockedReason")?,
        ),
    };
    let (now, date) = clock::eastern_now_and_date_header();
    let message = InboundMessage {
        id: ids::uuid(),
        from,
        to_header,
        to,
        cc_header,
        cc,
        reply_to: text("ReplyTo")?,
        subject: text("Subject")?,
        tag: text("Tag")?,
        text_body: text("TextBody")?,
        html_body: text("HtmlBody")?,
        headers: f.array("Headers")?.cloned().unwrap_or_default(),
        attachments: f.array("Attachments")?.cloned().unwrap_or_default(),
        status,
        blocked_reason,
        received_at: f.str("ReceivedAt")?.map_or(now, str::to_owned),
        date,
    };
    let details = message.to_json(true);
    state.default_server_mut()?.inbound.push(message);
    Ok(details)
}

/// Records an open or click of a message the default server sent (`POST /__mock/opens`,
/// `POST /__mock/clicks`) and answers it as the searches do. `Recipient`, `Tag` and
/// `MessageStream` come from the message; an open is the recipient's first unless an
/// earlier one was recorded.
pub(crate) fn record_interaction(
    state: &mut State,
    f: Fields<'_>,
    kind: Interaction,
) -> Result<Value, ApiError> {
    let id = f
        .str("MessageID")?
        .ok_or_else(|| bad("'MessageID' is required."))?;
    let server_id = state.default_server_mut()?.id;
    let message = state.sent(server_id, id).ok_or_else(|| {
        crate::control::missing(format!("The default server sent no message '{id}'."))
    })?;
    let recipient = match f.str("Recipient")? {
        None => message
            .to
            .first()
            .map(|a| a.email.clone())
            .unwrap_or_default(),
        Some(wanted) => message
            .recipients()
            .find(|a| a.email.eq_ignore_ascii_case(wanted))
            .map(|a| a.email.clone())
            .ok_or_else(|| bad(format!("'{wanted}' is not a recipient of message '{id}'.")))?,
    };
    let device = |key: &str| -> Result<Value, ApiError> {
        Ok(f.object(key)?.map_or_else(
            || json!({"Name": "unknown", "Company": "unknown", "Family": "unknown"}),
            |o| Value::Object(o.map().clone()),
        ))
    };
    let platform = field_enum(&f, "Platform", PLATFORMS, "Unknown")?;
    let mut event = json!({
        "RecordType": kind.record_type(),
        "MessageID": message.id,
        "MessageStream": message.stream,
        "Recipient": recipient,
        "Tag": message.tag,
        "ReceivedAt": f.str("ReceivedAt")?.map_or_else(clock::eastern_now, str::to_owned),
        "Client": device("Client")?,
        "OS": device("OS")?,
        "Platform": platform,
        "UserAgent": f.str("UserAgent")?.unwrap_or_default(),
        "Geo": f.object("Geo")?.map_or_else(|| json!({}), |o| Value::Object(o.map().clone())),
    });
    let server = state.default_server_mut()?;
    match kind {
        Interaction::Open => {
            let first = !server.opens.iter().any(|open| {
                open["MessageID"] == event["MessageID"] && open["Recipient"] == event["Recipient"]
            });
            event["FirstOpen"] = first.into();
            event["ReadSeconds"] = f.int("ReadSeconds")?.unwrap_or(0).into();
        }
        Interaction::Click => {
            let link = f
                .str("OriginalLink")?
                .ok_or_else(|| bad("'OriginalLink' is required."))?;
            let location = field_enum(&f, "ClickLocation", CLICK_LOCATIONS, "HTML")?;
            event["OriginalLink"] = link.into();
            event["ClickLocation"] = location.into();
        }
    }
    kind.list_mut(server).push(event.clone());
    Ok(event)
}
