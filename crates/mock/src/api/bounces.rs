//! Bounces API (server token): delivery stats, the bounce list with its filters, single
//! bounces, their dumps, and reactivation.
//!
//! Bounces come from `POST /__mock/bounces` (and one seeded per server); a bounce that
//! deactivated its recipient suppresses the address on its stream, and reactivating it
//! lifts that suppression, so sends see both.

use serde_json::{Value, json};

use super::{Page, SEARCH_DEPTH, Window, matches};
use crate::control::{bad, email_address};
use crate::json::{ApiError, Fields};
use crate::router::{Auth, Ctx, Route};
use crate::state::{BOUNCE_TYPES, Bounce, Effect, Server, State, find_bounce_type};
use crate::{clock, ids};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/deliverystats", Auth::Server, delivery_stats),
    Route::new("GET", "/bounces", Auth::Server, list),
    Route::new("GET", "/bounces/{}", Auth::Server, get),
    Route::new("GET", "/bounces/{}/dump", Auth::Server, dump),
    Route::new("PUT", "/bounces/{}/activate", Auth::Server, activate),
];

/// ErrorCode of a malformed bounce query.
const BAD_QUERY: i64 = 1000;

/// `InactiveMails` counts addresses, each once; `Bounces` starts with the total and lists
/// only the types that have bounces, in `TypeCode` order.
fn delivery_stats(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let mut inactive: Vec<String> = server
        .bounces
        .iter()
        .filter(|b| b.inactive)
        .map(|b| b.email.to_ascii_lowercase())
        .collect();
    inactive.sort_unstable();
    inactive.dedup();
    let mut counts = vec![json!({"Name": "All", "Count": server.bounces.len()})];
    for kind in BOUNCE_TYPES {
        let count = server
            .bounces
            .iter()
            .filter(|b| b.kind.name == kind.name)
            .count();
        if count > 0 {
            counts.push(json!({"Type": kind.name, "Name": kind.label, "Count": count}));
        }
    }
    Ok(json!({"InactiveMails": inactive.len(), "Bounces": counts}))
}

/// Newest first. `emailFilter` is a substring match; the other filters match whole
/// values, ignoring case. `messagestream` defaults to `outbound`.
fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let page = Page::read(ctx, BAD_QUERY, Some(SEARCH_DEPTH))?;
    let window = Window::read(ctx, BAD_QUERY)?;
    let kind = ctx
        .query("type")
        .map(|name| {
            find_bounce_type(name)
                .ok_or_else(|| ApiError::new(BAD_QUERY, format!("'{name}' is not a bounce type.")))
        })
        .transpose()?;
    let inactive = ctx
        .query("inactive")
        .map(|flag| match flag.to_ascii_lowercase().as_str() {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err(ApiError::new(
                BAD_QUERY,
                format!("'inactive' must be true or false, not '{flag}'."),
            )),
        })
        .transpose()?;
    let email = ctx.query("emailFilter").map(str::to_lowercase);
    let stream = ctx.query("messagestream").unwrap_or("outbound");
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let matching: Vec<&Bounce> = server
        .bounces
        .iter()
        .rev()
        .filter(|b| {
            kind.is_none_or(|kind| b.kind.name == kind.name)
                && inactive.is_none_or(|inactive| b.inactive == inactive)
                && email
                    .as_deref()
                    .is_none_or(|part| b.email.to_lowercase().contains(part))
                && matches(ctx.query("tag"), &b.tag)
                && matches(ctx.query("messageID"), &b.message_id)
                && b.stream.eq_ignore_ascii_case(stream)
                && window.contains(&b.bounced_at)
        })
        .collect();
    Ok(page.of("Bounces", &matching, |b| b.to_json(server.id, false)))
}

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let bounce = &server.bounces[position(ctx, server)?];
    Ok(bounce.to_json(server.id, true))
}

/// `Body` is empty once the dump is gone (or when there never was one).
fn dump(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let bounce = &server.bounces[position(ctx, server)?];
    Ok(json!({"Body": bounce.content.as_deref().unwrap_or_default()}))
}

/// Reactivates the recipient on the bounce's stream: no bounce of the address (ignoring
/// case) on that stream is inactive any more. Refused (1003) when the bounce type does not
/// allow it. Activating an active recipient changes nothing.
fn activate(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let at = position(ctx, server)?;
    let bounce = &server.bounces[at];
    if !bounce.can_activate {
        return Err(ApiError::new(
            1003,
            format!(
                "Due to the type of bounce ({}), this address cannot be reactivated.",
                bounce.kind.name
            ),
        ));
    }
    let (email, stream) = (bounce.email.clone(), bounce.stream.clone());
    reactivate(server, &email, &stream);
    let bounce = server.bounces[at].to_json(server.id, true);
    Ok(json!({"Message": "OK", "Bounce": bounce}))
}

/// Makes `email` active again on `stream`: no bounce of the address (ignoring case) there
/// is inactive any more, and its suppression is lifted.
pub(crate) fn reactivate(server: &mut Server, email: &str, stream: &str) {
    for other in &mut server.bounces {
        if other.email.eq_ignore_ascii_case(email) && other.stream.eq_ignore_ascii_case(stream) {
            other.inactive = false;
        }
    }
    if let Some(stream) = server.stream_mut(stream) {
        stream.suppressions.remove(email);
    }
}

fn position(ctx: &Ctx<'_>, server: &Server) -> Result<usize, ApiError> {
    let raw = ctx.param(0);
    raw.parse::<i64>()
        .ok()
        .and_then(|id| server.bounces.iter().position(|b| b.id == id))
        .ok_or_else(|| ApiError::new(1001, format!("Bounce '{raw}' was not found.")))
}

/// Records a bounce on the default server (`POST /__mock/bounces`) and answers it with its
/// `Content`. The bounce of a message the server sent takes the message's sender, subject,
/// tag and stream unless given; a bounce that deactivates its recipient suppresses the
/// address on its stream. Nothing is recorded (and no ID used up) when the stream is
/// missing.
pub(crate) fn record_bounce(state: &mut State, f: Fields<'_>) -> Result<Value, ApiError> {
    let email = f.str("Email")?.ok_or_else(|| bad("'Email' is required."))?;
    let email = email_address(email)?;
    let kind = match f.str("Type")? {
        None => &BOUNCE_TYPES[0],
        Some(name) => {
            find_bounce_type(name).ok_or_else(|| bad(format!("'{name}' is not a bounce type.")))?
        }
    };
    let server_id = state.default_server_mut()?.id;
    let message_id = f.str("MessageID")?;
    let sent = message_id.and_then(|id| state.sent(server_id, id));
    let text = |key: &str, otherwise: Option<&str>| -> Result<String, ApiError> {
        Ok(f.str(key)?.or(otherwise).unwrap_or_default().to_owned())
    };
    let from = text("From", sent.map(|m| m.from.as_str()))?;
    let subject = text("Subject", sent.map(|m| m.subject.as_str()))?;
    let tag = text("Tag", sent.map(|m| m.tag.as_str()))?;
    let stream = text(
        "MessageStream",
        Some(sent.map_or("outbound", |m| m.stream.as_str())),
    )?;
    state.default_stream_mut(&stream)?;
    let bounce = Bounce {
        id: state.next_bounce_id(),
        kind,
        email,
        message_id: message_id.map_or_else(ids::uuid, str::to_owned),
        stream,
        tag,
        from,
        subject,
        details: text("Details", None)?,
        bounced_at: f
            .str("BouncedAt")?
            .map_or_else(clock::eastern_now, str::to_owned),
        inactive: f.bool("Inactive")?.unwrap_or(kind.effect != Effect::Notice),
        can_activate: f
            .bool("CanActivate")?
            .unwrap_or(kind.effect != Effect::Final),
        content: f.str("Content")?.map(str::to_owned),
    };
    let answer = bounce.to_json(server_id, true);
    state.default_server_mut()?.add_bounce(bounce)?;
    Ok(answer)
}
