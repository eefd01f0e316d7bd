//! Servers API (account token): list, get, create, edit and delete servers.

use serde_json::{Value, json};

use super::{Page, TRACK_LINKS, canonical, url_host};
use crate::ids;
use crate::json::{ApiError, Fields, ok_message};
use crate::router::{Auth, Ctx, Route};
use crate::state::{Server, ServerSettings, State};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/servers", Auth::Account, list),
    Route::new("GET", "/servers/{}", Auth::Account, get),
    Route::new("POST", "/servers", Auth::Account, create),
    Route::new("PUT", "/servers/{}", Auth::Account, edit),
    Route::new("DELETE", "/servers/{}", Auth::Account, delete),
];

/// `Color` as Postmark answers it: lower case, although its docs capitalise the values.
const COLORS: &[&str] = &[
    "purple",
    "blue",
    "turquoise",
    "green",
    "red",
    "yellow",
    "grey",
    "orange",
];
/// `DeliveryType` as documented and answered.
const DELIVERY_TYPES: &[&str] = &["Live", "Sandbox"];

/// The `Server` model.
pub(super) fn render(server: &Server) -> Value {
    let s = &server.settings;
    json!({
        "ID": server.id,
        "Name": s.name,
        "ApiTokens": server.api_tokens,
        "Color": s.color,
        "SmtpApiActivated": s.smtp_api_activated,
        "RawEmailEnabled": s.raw_email_enabled,
        "DeliveryType": s.delivery_type,
        "ServerLink": format!("https://account.postmarkapp.com/servers/{}/streams", server.id),
        "InboundAddress": format!("{}@inbound.postmarkapp.com", server.inbound_hash),
        "InboundHookUrl": s.inbound_hook_url,
        "BounceHookUrl": s.bounce_hook_url,
        "OpenHookUrl": s.open_hook_url,
        "DeliveryHookUrl": s.delivery_hook_url,
        "ClickHookUrl": s.click_hook_url,
        "PostFirstOpenOnly": s.post_first_open_only,
        "InboundDomain": s.inbound_domain,
        "InboundHash": server.inbound_hash,
        "InboundSpamThreshold": s.inbound_spam_threshold,
        "TrackOpens": s.track_opens,
        "TrackLinks": s.track_links,
        "IncludeBounceContentInHook": s.include_bounce_content_in_hook,
        "EnableSmtpApiErrorHooks": s.enable_smtp_api_error_hooks,
    })
}

/// Partial update of server `id` (also `PUT /server`). `DeliveryType` is ignored, as
/// Postmark does: it can only be chosen at creation.
pub(super) fn edit_server(state: &mut State, id: i64, body: &Value) -> Result<Value, ApiError> {
    let fields = Fields::of(body, "The request body")?;
    let current = state.server(id).ok_or_else(|| not_found(id))?;
    let next = apply(&current.settings, fields, false)?;
    ensure_unique_name(state, &next.name, Some(id))?;
    let server = state.server_mut(id).ok_or_else(|| not_found(id))?;
    server.settings = next;
    Ok(render(server))
}

fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let page = Page::read(ctx, 600, None)?;
    let name = ctx.query("name").map(str::to_lowercase);
    let state = ctx.state();
    let matching: Vec<&Server> = state
        .servers
        .iter()
        .filter(|s| {
            name.as_deref()
                .is_none_or(|n| s.settings.name.to_lowercase().contains(n))
        })
        .collect();
    Ok(page.of("Servers", &matching, |s| render(s)))
}

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let id = id_param(ctx)?;
    let state = ctx.state();
    state.server(id).map(render).ok_or_else(|| not_found(id))
}

fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let settings = apply(
        &ServerSettings::named(""),
        Fields::of(&body, "The request body")?,
        true,
    )?;
    let mut state = ctx.state();
    ensure_unique_name(&state, &settings.name, None)?;
    Ok(render(state.add_server(settings, ids::uuid())))
}

fn edit(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let id = id_param(ctx)?;
    let body = ctx.body()?;
    edit_server(&mut ctx.state(), id, &body)
}

fn delete(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let id = id_param(ctx)?;
    let mut state = ctx.state();
    let at = state
        .servers
        .iter()
        .position(|s| s.id == id)
        .ok_or_else(|| not_found(id))?;
    let removed = state.servers.remove(at);
    Ok(ok_message(format!(
        "Server {} removed.",
        removed.settings.name
    )))
}

/// `base` with the request's fields applied. Everything is validated before the caller
/// stores the result, so a rejected edit changes nothing.
fn apply(base: &ServerSettings, f: Fields<'_>, creating: bool) -> Result<ServerSettings, ApiError> {
    let mut next = base.clone();
    match f.str("Name")?.map(str::trim) {
        Some("") => return Err(ApiError::new(608, "The server name must not be empty.")),
        Some(name) => next.name = name.to_owned(),
        None if creating => return Err(ApiError::new(608, "A server Name is required.")),
        None => {}
    }
    if let Some(color) = f.str("Color")? {
        next.color = canonical(COLORS, color).ok_or_else(|| {
            ApiError::new(
                607,
                format!(
                    "Invalid server color '{color}'; use one of {}.",
                    COLORS.join(", ")
                ),
            )
        })?;
    }
    if let Some(kind) = f.str("DeliveryType")?.filter(|_| creating) {
        next.delivery_type = canonical(DELIVERY_TYPES, kind).ok_or_else(|| {
            ApiError::new(
                613,
                format!("Invalid DeliveryType '{kind}'; use Live or Sandbox."),
            )
        })?;
    }
    if let Some(links) = f.str("TrackLinks")? {
        next.track_links = canonical(TRACK_LINKS, links).ok_or_else(|| {
            ApiError::new(
                612,
                format!(
                    "Invalid TrackLinks '{links}'; use one of {}.",
                    TRACK_LINKS.join(", ")
                ),
            )
        })?;
    }
    if let Some(threshold) = f.int("InboundSpamThreshold")? {
        if !(0..=30).contains(&threshold) {
            return Err(ApiError::new(
                611,
                "InboundSpamThreshold must be between 0 and 30.",
            ));
        }
        next.inbound_spam_threshold = threshold;
    }
    if let Some(domain) = f.str("InboundDomain")? {
        next.inbound_domain = domain.to_owned();
    }
    for (key, slot) in [
        ("InboundHookUrl", &mut next.inbound_hook_url),
        ("BounceHookUrl", &mut next.bounce_hook_url),
        ("OpenHookUrl", &mut next.open_hook_url),
        ("DeliveryHookUrl", &mut next.delivery_hook_url),
        ("ClickHookUrl", &mut next.click_hook_url),
    ] {
        if let Some(url) = f.str(key)? {
            if !url.is_empty() && url_host(url).is_none() {
                return Err(ApiError::new(
                    606,
                    format!("{key} must be an http or https URL."),
                ));
            }
            *slot = url.to_owned();
        }
    }
    for (key, slot) in [
        ("SmtpApiActivated", &mut next.smtp_api_activated),
        ("RawEmailEnabled", &mut next.raw_email_enabled),
        ("PostFirstOpenOnly", &mut next.post_first_open_only),
        ("TrackOpens", &mut next.track_opens),
        (
            "IncludeBounceContentInHook",
            &mut next.include_bounce_content_in_hook,
        ),
        (
            "EnableSmtpApiErrorHooks",
            &mut next.enable_smtp_api_error_hooks,
        ),
    ] {
        if let Some(value) = f.bool(key)? {
            *slot = value;
        }
    }
    Ok(next)
}

fn ensure_unique_name(state: &State, name: &str, except: Option<i64>) -> Result<(), ApiError> {
    let taken = state
        .servers
        .iter()
        .any(|s| Some(s.id) != except && s.settings.name.eq_ignore_ascii_case(name));
    if taken {
        return Err(ApiError::new(
            603,
            format!("A server named '{name}' already exists."),
        ));
    }
    Ok(())
}

fn id_param(ctx: &Ctx<'_>) -> Result<i64, ApiError> {
    let raw = ctx.param(0);
    raw.parse()
        .map_err(|_| ApiError::new(601, format!("Server '{raw}' was not found.")))
}

/// Postmark has no dedicated code for an unknown server ID; 601 ("server does not exist"
/// in older docs) is the closest.
fn not_found(id: i64) -> ApiError {
    ApiError::new(601, format!("Server {id} was not found."))
}
