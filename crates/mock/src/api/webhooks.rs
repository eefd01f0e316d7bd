//! Webhooks API (server token): configurations per message stream, their verification and
//! delivery statistics.
//!
//! The mock never calls webhook URLs. Verification succeeds for every enabled trigger
//! unless the URL's host is `fail.invalid` (a name that cannot resolve), so tests can reach
//! both outcomes.

use serde_json::{Map, Value, json};

use super::streams::stream_not_found;
use super::url_host;
use crate::json::{ApiError, Fields, ok_message};
use crate::router::{Auth, Ctx, Route};
use crate::state::{Server, Trigger, Webhook};
use crate::{StreamType, clock};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/webhooks", Auth::Server, list),
    Route::new("GET", "/webhooks/{}", Auth::Server, get),
    Route::new("POST", "/webhooks", Auth::Server, create),
    Route::new("PUT", "/webhooks/{}", Auth::Server, edit),
    Route::new("DELETE", "/webhooks/{}", Auth::Server, delete),
    Route::new("POST", "/webhooks/{}/verify", Auth::Server, verify),
    Route::new("GET", "/webhooks/{}/statistics", Auth::Server, statistics),
];

/// Trigger names in Postmark's order, each with the name of its second flag if it has one.
/// `Webhook::triggers` is indexed the same way.
const TRIGGERS: [(&str, Option<&str>); 6] = [
    ("Open", Some("PostFirstOpenOnly")),
    ("Click", None),
    ("Delivery", None),
    ("Bounce", Some("IncludeContent")),
    ("SpamComplaint", Some("IncludeContent")),
    ("SubscriptionChange", None),
];

/// A host that cannot resolve: verifying a webhook pointing there fails.
const UNREACHABLE_HOST: &str = "fail.invalid";

fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let stream = ctx.query("MessageStream");
    if let Some(id) = stream {
        if server.stream(id).is_none() {
            return Err(stream_not_found(id));
        }
    }
    let webhooks: Vec<Value> = server
        .webhooks
        .iter()
        .filter(|w| stream.is_none_or(|id| w.stream.eq_ignore_ascii_case(id)))
        .map(render)
        .collect();
    Ok(json!({ "Webhooks": webhooks }))
}

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    Ok(render(&server.webhooks[position(ctx, server)?]))
}

fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    if f.has("ID") {
        return Err(ApiError::new(
            1356,
            "ID must not be provided when creating a webhook.",
        ));
    }
    if f.has("Status") {
        return Err(ApiError::new(
            1363,
            "Status cannot be provided when creating or updating a webhook.",
        ));
    }
    if !f.has("Url") {
        return Err(invalid_url());
    }
    let stream_id = f.str("MessageStream")?.unwrap_or("outbound");
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let stream = server
        .stream(stream_id)
        .ok_or_else(|| stream_not_found(stream_id))?;
    if stream.is_archived() {
        return Err(ApiError::new(
            1350,
            format!("The message stream '{stream_id}' is archived."),
        ));
    }
    if stream.kind == StreamType::Inbound {
        return Err(ApiError::new(
            1351,
            "Webhooks cannot be created on an inbound stream.",
        ));
    }
    let mut webhook = Webhook {
        id: 0,
        url: String::new(),
        stream: stream.id.clone(),
        http_auth: None,
        http_headers: Vec::new(),
        triggers: [Trigger::default(); 6],
        verified: false,
    };
    apply(&mut webhook, f)?;
    webhook.verified = verify_unless_opted_out(&webhook, f)?;
    webhook.id = state.next_webhook_id();
    let rendered = render(&webhook);
    ctx.current(&mut state)?.webhooks.push(webhook);
    Ok(rendered)
}

fn edit(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    if f.has("Status") {
        return Err(ApiError::new(
            1363,
            "Status cannot be provided when creating or updating a webhook.",
        ));
    }
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let at = position(ctx, server)?;
    let mut next = server.webhooks[at].clone();
    let moves_stream = f
        .str("MessageStream")?
        .is_some_and(|s| !s.eq_ignore_ascii_case(&next.stream));
    let changes_id = f.any("ID").is_some_and(|id| id.as_i64() != Some(next.id));
    if moves_stream || changes_id {
        return Err(ApiError::new(
            1357,
            "A webhook's ID and MessageStream cannot be changed.",
        ));
    }
    apply(&mut next, f)?;
    next.verified = verify_unless_opted_out(&next, f)?;
    let rendered = render(&next);
    server.webhooks[at] = next;
    Ok(rendered)
}

fn delete(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let at = position(ctx, server)?;
    let removed = server.webhooks.remove(at);
    Ok(ok_message(format!("Webhook {} removed.", removed.id)))
}

fn verify(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let at = position(ctx, server)?;
    let webhook = &mut server.webhooks[at];
    let (success, mut result) = verification(webhook);
    webhook.verified = success;
    result.insert("Id".into(), webhook.id.into());
    Ok(Value::Object(result))
}

/// Zero counts over Postmark's fixed 24-hour window: the mock delivers nothing.
fn statistics(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let webhook = &server.webhooks[position(ctx, server)?];
    let metrics = json!({
        "TotalRequests": 0,
        "SuccessCount": 0,
        "FailureCount": 0,
        "RetryCount": 0,
        "SuccessRate": 0.0,
        "SlowCount": 0,
        "VerySlowCount": 0,
        "AverageTerminalResponseTimeMs": 0,
        "AverageRetryResponseTimeMs": null,
    });
    let status = if webhook.verified {
        "verified"
    } else {
        "unverified"
    };
    let enabled = || enabled_triggers(webhook).map(|(name, _)| name.to_owned());
    let statuses: Map<String, Value> = enabled().map(|name| (name, status.into())).collect();
    let by_trigger: Map<String, Value> = enabled().map(|name| (name, metrics.clone())).collect();
    let (start, end) = clock::utc_window(24);
    Ok(json!({
        "WebhookId": webhook.id,
        "Url": webhook.url,
        "Statuses": statuses,
        "TimeRange": {"StartTime": start, "EndTime": end, "Hours": 24},
        "Metrics": metrics,
        "MetricsByTrigger": by_trigger,
    }))
}

/// The `Webhook` model.
fn render(webhook: &Webhook) -> Value {
    let triggers: Map<String, Value> = TRIGGERS
        .iter()
        .zip(&webhook.triggers)
        .map(|((name, option), trigger)| {
            let mut flags = Map::new();
            flags.insert("Enabled".into(), trigger.enabled.into());
            if let Some(option) = option {
                flags.insert((*option).into(), trigger.option.into());
            }
            ((*name).to_owned(), Value::Object(flags))
        })
        .collect();
    let headers: Vec<Value> = webhook
        .http_headers
        .iter()
        .map(|(name, value)| json!({"Name": name, "Value": value}))
        .collect();
    json!({
        "ID": webhook.id,
        "Url": webhook.url,
        "MessageStream": webhook.stream,
        "HttpAuth": webhook.http_auth.as_ref().map(|(user, password)| json!({"Username": user, "Password": password})),
        "HttpHeaders": headers,
        "Triggers": triggers,
        "Status": if webhook.verified { "verified" } else { "unverified" },
    })
}

/// Applies the fields shared by create and edit; absent fields (and absent triggers or
/// trigger flags) keep their current value.
fn apply(webhook: &mut Webhook, f: Fields<'_>) -> Result<(), ApiError> {
    if let Some(url) = f.str("Url")? {
        if url_host(url).is_none() {
            return Err(invalid_url());
        }
        webhook.url = url.to_owned();
    }
    if let Some(auth) = f.object("HttpAuth")? {
        let user = auth.str("Username")?.unwrap_or_default();
        let password = auth.str("Password")?.unwrap_or_default();
        webhook.http_auth = (!user.is_empty() || !password.is_empty())
            .then(|| (user.to_owned(), password.to_owned()));
    }
    if let Some(headers) = f.array("HttpHeaders")? {
        webhook.http_headers = headers
            .iter()
            .map(|h| {
                let h = Fields::of(h, "Each HttpHeaders entry")?;
                match h.str("Name")?.map(str::trim) {
                    Some(name) if !name.is_empty() => Ok((
                        name.to_owned(),
                        h.str("Value")?.unwrap_or_default().to_owned(),
                    )),
                    _ => Err(ApiError::new(1358, "Every HttpHeaders entry needs a Name.")),
                }
            })
            .collect::<Result<_, _>>()?;
    }
    if let Some(triggers) = f.object("Triggers")? {
        for ((name, option), trigger) in TRIGGERS.iter().zip(&mut webhook.triggers) {
            let Some(flags) = triggers.object(name)? else {
                continue;
            };
            if let Some(enabled) = flags.bool("Enabled")? {
                trigger.enabled = enabled;
            }
            if let Some(value) = option.map(|o| flags.bool(o)).transpose()?.flatten() {
                trigger.option = value;
            }
        }
    }
    Ok(())
}

/// Runs verification unless the body says `"Verify": false`; a failure aborts the save
/// with ErrorCode 1364 and the verification result in the body. Returns the new status.
fn verify_unless_opted_out(webhook: &Webhook, f: Fields<'_>) -> Result<bool, ApiError> {
    if f.bool("Verify")? == Some(false) {
        return Ok(false);
    }
    let (success, mut result) = verification(webhook);
    if success {
        return Ok(true);
    }
    if webhook.id != 0 {
        result.insert("Id".into(), webhook.id.into());
    }
    let summary = result
        .get("Message")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    Err(ApiError::new(
        1364,
        format!("Webhook verification failed ({summary}); nothing was saved. Send \"Verify\": false to save without verifying."),
    )
    .with_details(result))
}

/// The `WebhookVerificationResult` (without `Id`) and whether every trigger passed.
fn verification(webhook: &Webhook) -> (bool, Map<String, Value>) {
    let reachable =
        url_host(&webhook.url).is_none_or(|host| !host.eq_ignore_ascii_case(UNREACHABLE_HOST));
    let results: Vec<Value> = enabled_triggers(webhook)
        .map(|(name, _)| {
            if reachable {
                json!({"TriggerType": name, "Success": true, "StatusCode": 200, "Message": "OK"})
            } else {
                // No HTTP exchange happened, so there is no status code to report.
                json!({"TriggerType": name, "Success": false, "StatusCode": 0,
                       "Message": format!("Could not resolve host {UNREACHABLE_HOST}")})
            }
        })
        .collect();
    let passed = if reachable { results.len() } else { 0 };
    let success = passed == results.len();
    let mut result = Map::new();
    result.insert("Url".into(), webhook.url.clone().into());
    result.insert("Success".into(), success.into());
    result.insert(
        "Message".into(),
        format!("{passed}/{} triggers verified successfully", results.len()).into(),
    );
    result.insert("Results".into(), results.into());
    (success, result)
}

fn enabled_triggers(webhook: &Webhook) -> impl Iterator<Item = (&'static str, &Trigger)> {
    TRIGGERS
        .iter()
        .zip(&webhook.triggers)
        .filter(|(_, t)| t.enabled)
        .map(|((name, _), t)| (*name, t))
}

fn position(ctx: &Ctx<'_>, server: &Server) -> Result<usize, ApiError> {
    let raw = ctx.param(0);
    raw.parse::<i64>()
        .ok()
        .and_then(|id| server.webhooks.iter().position(|w| w.id == id))
        .ok_or_else(|| ApiError::new(1352, format!("Webhook '{raw}' was not found.")))
}

fn invalid_url() -> ApiError {
    ApiError::new(1354, "A valid http or https Url is required.")
}
