//! Test-control routes under `/__mock/` (no token; never logged, never hit by faults), and
//! the state operations behind them that [`crate::MockServer`] also offers as methods.

use std::sync::Mutex;
use std::time::Duration;

use serde_json::{Value, json};

use crate::api::streams::Stream;
use crate::api::templates::{self, Template};
use crate::api::{self, Interaction, suppressions};
use crate::json::{ApiError, Fields, ok_message};
use crate::router::{self, Auth, Ctx, Route};
use crate::state::State;
use crate::traffic::Traffic;
use crate::{Fault, StreamType, TokenKind, address};

pub(crate) const PREFIX: &str = "/__mock/";

pub(crate) const ROUTES: &[Route] = &[
    Route::new("POST", "/__mock/faults", Auth::Open, add_fault),
    Route::new("POST", "/__mock/faults/random", Auth::Open, random_faults),
    Route::new("GET", "/__mock/requests", Auth::Open, requests),
    Route::new("DELETE", "/__mock/requests", Auth::Open, clear_requests),
    Route::new("GET", "/__mock/messages", Auth::Open, messages),
    Route::new("GET", "/__mock/stats", Auth::Open, stats),
    Route::new("DELETE", "/__mock/stats", Auth::Open, reset_peak),
    Route::new("POST", "/__mock/templates", Auth::Open, add_template),
    Route::new("POST", "/__mock/suppressions", Auth::Open, add_suppression),
    Route::new("POST", "/__mock/streams", Auth::Open, add_stream),
    Route::new("POST", "/__mock/bounces", Auth::Open, add_bounce),
    Route::new("POST", "/__mock/inbound", Auth::Open, add_inbound),
    Route::new("POST", "/__mock/opens", Auth::Open, add_open),
    Route::new("POST", "/__mock/clicks", Auth::Open, add_click),
    Route::new("POST", "/__mock/reset", Auth::Open, reset_route),
];

/// How long a reset waits for API requests in flight: longer than any client timeout a
/// test sets, short enough that a request stuck on a huge `delay` cannot hang the suite.
const RESET_WAIT: Duration = Duration::from_secs(5);

/// `{"kind": "status"|"page"|"delay"|"drop", "count"?: n, "path"?: prefix, ...}`, see
/// [`fault`] for each kind's fields.
fn add_fault(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let count = match f.int("count")? {
        None => 1,
        Some(n) => usize::try_from(n)
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| bad("'count' must be at least 1."))?,
    };
    let fault = fault(&f)?;
    let path = f.str("path")?.map(str::to_owned);
    ctx.state().faults.push(fault, count, path).map_err(bad)?;
    Ok(ok_message("Fault queued."))
}

/// `{"share": 0.1, "faults": [fault, ...], "seed"?: n}`: from now on, `share` of the API
/// requests that no queued fault matches get one of `faults` (each as `POST
/// /__mock/faults` takes it, without `count` and `path`), picked at random; a share of 0
/// stops it.
fn random_faults(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let share = body
        .get("share")
        .and_then(Value::as_f64)
        .ok_or_else(|| bad("'share' must be a number between 0 and 1."))?;
    let seed = f.int("seed")?.map_or(Ok(0), |seed| {
        u64::try_from(seed).map_err(|_| bad("'seed' must be a non-negative number."))
    })?;
    let faults = body
        .get("faults")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("'faults' must be an array of faults."))?
        .iter()
        .map(|item| fault(&Fields::of(item, "Each fault")?))
        .collect::<Result<Vec<_>, _>>()?;
    ctx.state()
        .faults
        .set_random(share, faults, seed)
        .map_err(bad)?;
    Ok(ok_message("Random faults set."))
}

/// `status`: `"status"`, `"retry_after"?`; `page`: those plus `"content_type"` and
/// `"body"`; `delay`: `"ms"`; `drop`: nothing.
fn fault(f: &Fields<'_>) -> Result<Fault, ApiError> {
    let status = || {
        f.int("status")?
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| bad("'status' must be an HTTP error status (400-599)."))
    };
    let retry_after = || {
        f.int("retry_after")?
            .map(|s| {
                u32::try_from(s).map_err(|_| bad("'retry_after' must be a number of seconds."))
            })
            .transpose()
    };
    let text = |key: &str| {
        f.str(key)?
            .map(str::to_owned)
            .ok_or_else(|| bad(format!("'{key}' is required (a string).")))
    };
    Ok(match f.str("kind")? {
        Some("status") => Fault::Status {
            status: status()?,
            retry_after: retry_after()?,
        },
        Some("page") => Fault::Page {
            status: status()?,
            content_type: text("content_type")?,
            body: text("body")?,
            retry_after: retry_after()?,
        },
        Some("delay") => Fault::Delay(Duration::from_millis(
            f.int("ms")?
                .and_then(|ms| u64::try_from(ms).ok())
                .ok_or_else(|| bad("'ms' must be a non-negative number of milliseconds."))?,
        )),
        Some("drop") => Fault::Drop,
        _ => {
            return Err(bad(
                "'kind' must be \"status\", \"page\", \"delay\" or \"drop\".",
            ));
        }
    })
}

fn requests(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let state = ctx.state();
    let seen = state.requests.iter().map(|r| {
        let token = match r.token {
            TokenKind::None => Value::Null,
            TokenKind::Server => "server".into(),
            TokenKind::Account => "account".into(),
        };
        json!({"method": r.method, "path": r.path, "query": r.query, "token": token})
    });
    Ok(Value::Array(seen.collect()))
}

fn clear_requests(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    ctx.state().requests.clear();
    Ok(ok_message("Request log cleared."))
}

fn messages(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    Ok(ctx.state().messages.iter().map(|m| m.to_json()).collect())
}

/// `{"in_flight", "peak_in_flight", "connections"}`
fn stats(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let traffic = ctx.traffic();
    Ok(json!({
        "in_flight": traffic.in_flight(),
        "peak_in_flight": traffic.peak(),
        "connections": traffic.accepted(),
    }))
}

fn reset_peak(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    ctx.traffic().reset_peak();
    Ok(ok_message("Peak in-flight count restarted."))
}

/// `{"TemplateId"?, "Alias", "Name"?, "Subject"?, "HtmlBody"?, "TextBody"?}` on the default
/// server; answers the stored `Template`.
fn add_template(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let alias = f.str("Alias")?.ok_or_else(|| bad("'Alias' is required."))?;
    let template = Template::standard(
        f.int("TemplateId")?.unwrap_or(0),
        f.str("Name")?.unwrap_or(alias),
        alias,
        f.str("Subject")?.unwrap_or_default(),
        f.str("HtmlBody")?,
        f.str("TextBody")?,
    );
    let parts = [&template.subject, &template.html_body, &template.text_body];
    for source in parts.into_iter().flatten() {
        crate::templating::check(source).map_err(|e| {
            bad(format!(
                "The template does not parse: {} (line {}).",
                e.message, e.line
            ))
        })?;
    }
    let mut state = ctx.state();
    let server = state.default_server_mut()?;
    let id = templates::put(&mut server.templates, template);
    let stored = server
        .templates
        .iter()
        .find(|t| t.id == id)
        .map(|t| t.to_json(server.id));
    Ok(stored.unwrap_or_default())
}

/// `{"EmailAddress", "MessageStream"?}`; the stream defaults to `outbound`.
fn add_suppression(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let email = f
        .str("EmailAddress")?
        .ok_or_else(|| bad("'EmailAddress' is required."))?;
    let stream = f.str("MessageStream")?.unwrap_or("outbound");
    suppress(&mut ctx.state(), email, stream)?;
    Ok(ok_message(format!("{email} suppressed on {stream}.")))
}

/// `{"ID", "MessageStreamType": "Transactional"|"Broadcasts"|"Inbound", "Archived"?}`
fn add_stream(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let id = f
        .str("ID")?
        .filter(|id| !id.is_empty())
        .ok_or_else(|| bad("'ID' is required."))?;
    let kind = f
        .str("MessageStreamType")?
        .and_then(StreamType::parse)
        .ok_or_else(|| bad("'MessageStreamType' must be Transactional, Broadcasts or Inbound."))?;
    let archived = f.bool("Archived")?.unwrap_or(false);
    put_stream(&mut ctx.state(), id, kind, archived)?;
    Ok(ok_message(format!("Stream {id} saved.")))
}

/// Records, on the default server, what Postmark would have recorded by itself: a bounce,
/// a received message, an open, a click. Answers the record as the API shows it.
pub(crate) type Recorder = fn(&mut State, Fields<'_>) -> Result<Value, ApiError>;

pub(crate) const BOUNCE: Recorder = api::record_bounce;
pub(crate) const INBOUND: Recorder = api::record_inbound;
pub(crate) const OPEN: Recorder = |state, f| api::record_interaction(state, f, Interaction::Open);
pub(crate) const CLICK: Recorder = |state, f| api::record_interaction(state, f, Interaction::Click);

fn record(ctx: &Ctx<'_>, recorder: Recorder) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    recorder(&mut ctx.state(), Fields::of(&body, "The request body")?)
}

/// `{"Email", "Type"?, "MessageID"?, "MessageStream"?, ...}`, see [`api::record_bounce`].
fn add_bounce(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    record(ctx, BOUNCE)
}

/// `{"From", "To", "Cc"?, "Subject"?, "Status"?, ...}`, see [`api::record_inbound`].
fn add_inbound(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    record(ctx, INBOUND)
}

/// `{"MessageID", "Recipient"?, "Client"?, "OS"?, "Platform"?, ...}`, see
/// [`api::record_interaction`].
fn add_open(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    record(ctx, OPEN)
}

/// As an open, plus `"OriginalLink"` and `"ClickLocation"?`.
fn add_click(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    record(ctx, CLICK)
}

fn reset_route(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    Ok(match reset(ctx.state_mutex(), ctx.traffic()) {
        0 => ok_message("State reset."),
        left => ok_message(format!(
            "State reset with {left} API request(s) still in flight after {} s; their effects may land after it.",
            RESET_WAIT.as_secs()
        )),
    })
}

/// Waits (bounded) until no API request is in flight, then restores the start state and
/// restarts the peak. Returns how many requests were still in flight when it gave up
/// waiting. The state lock is not held while waiting: the requests need it to finish.
pub(crate) fn reset(state: &Mutex<State>, traffic: &Traffic) -> usize {
    let left = traffic.wait_idle(RESET_WAIT);
    router::lock(state).reset();
    traffic.reset_peak();
    left
}

/// Adds `email` to the suppression list of the default server's `stream`.
pub(crate) fn suppress(state: &mut State, email: &str, stream: &str) -> Result<(), ApiError> {
    let email = email_address(email)?;
    let stream = state.default_stream_mut(stream)?;
    stream
        .suppressions
        .add(&email, suppressions::MANUAL, suppressions::CUSTOMER);
    Ok(())
}

/// Creates or updates a stream on the default server. New streams start with an empty
/// suppression list.
pub(crate) fn put_stream(
    state: &mut State,
    id: &str,
    kind: StreamType,
    archived: bool,
) -> Result<(), ApiError> {
    let server = state.default_server_mut()?;
    if server.stream(id).is_none() {
        server.streams.push(Stream::new(id, kind, id));
    }
    let stream = state.default_stream_mut(id)?;
    stream.kind = kind;
    stream.set_archived(archived);
    Ok(())
}

/// The bare address of a control request's `email` (`"Ann <ann@example.com>"` gives
/// `ann@example.com`), or a 400.
pub(crate) fn email_address(email: &str) -> Result<String, ApiError> {
    address::parse_one(email)
        .map(|parsed| parsed.email)
        .map_err(|text| bad(format!("'{text}' is not a valid email address.")))
}

/// A control request naming something the mock does not have.
pub(crate) fn missing(message: impl Into<String>) -> ApiError {
    ApiError::with_status(404, 404, message)
}

/// A control request the mock cannot follow.
pub(crate) fn bad(message: impl Into<String>) -> ApiError {
    ApiError::with_status(400, 400, message)
}
