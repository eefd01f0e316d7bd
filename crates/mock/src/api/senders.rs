//! Sender signatures API (account token): the addresses the account may send from, with
//! the DNS records of their domain (see [`Dns`]).
//!
//! Postmark confirms a signature when its owner follows the link in the confirmation
//! email; the mock sends no mail, so `POST /__mock/senders/{id}/confirm` stands for that
//! click. It also publishes and verifies the signature's DNS records, so that the
//! deprecated `verifyspf` and `requestnewdkim` routes have something to act on.

use serde_json::{Map, Value, json};

use super::Page;
use super::domains::{BAD_LIST_QUERY, Dns, check_return_path, is_public};
use crate::address;
use crate::control::missing;
use crate::json::{ApiError, Fields, ok_message};
use crate::router::{Auth, Ctx, Route};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/senders", Auth::Account, list),
    Route::new("GET", "/senders/{}", Auth::Account, get),
    Route::new("POST", "/senders", Auth::Account, create),
    Route::new("PUT", "/senders/{}", Auth::Account, edit),
    Route::new("DELETE", "/senders/{}", Auth::Account, delete),
    Route::new("POST", "/senders/{}/resend", Auth::Account, resend),
    Route::new("POST", "/senders/{}/verifyspf", Auth::Account, verify_spf),
    Route::new(
        "POST",
        "/senders/{}/requestnewdkim",
        Auth::Account,
        request_new_dkim,
    ),
];

pub(super) const CONTROL: &[Route] = &[Route::new(
    "POST",
    "/__mock/senders/{}/confirm",
    Auth::Open,
    confirm,
)];

const MAX_FIELD: usize = 255;
const MAX_NOTE: usize = 400;

#[derive(Debug)]
pub(crate) struct Signature {
    id: i64,
    name: String,
    email: String,
    reply_to: String,
    note: Option<String>,
    confirmed: bool,
    dns: Dns,
}

impl Signature {
    fn domain(&self) -> &str {
        self.email.rsplit_once('@').map_or("", |(_, d)| d)
    }

    fn summary(&self) -> Map<String, Value> {
        let Value::Object(map) = json!({
            "ID": self.id,
            "Domain": self.domain(),
            "EmailAddress": self.email,
            "ReplyToEmailAddress": self.reply_to,
            "Name": self.name,
            "Confirmed": self.confirmed,
        }) else {
            unreachable!("a JSON object literal")
        };
        map
    }

    fn to_json(&self) -> Value {
        let mut signature = self.summary();
        self.dns.write(&mut signature);
        signature.insert("ConfirmationPersonalNote".into(), self.note.clone().into());
        Value::Object(signature)
    }
}

/// The account's sender signatures, oldest first.
#[derive(Debug)]
pub(crate) struct Senders {
    list: Vec<Signature>,
    next_id: i64,
}

impl Default for Senders {
    fn default() -> Self {
        Senders {
            list: Vec::new(),
            next_id: 1,
        }
    }
}

fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let page = Page::read(ctx, BAD_LIST_QUERY, None)?;
    let state = ctx.state();
    Ok(page.of("SenderSignatures", &state.senders.list, |s| {
        Value::Object(s.summary())
    }))
}

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_signature(ctx, |s| Ok(s.to_json()))
}

/// `{"FromEmail", "Name", "ReplyToEmail"?, "ReturnPathDomain"?, "ConfirmationPersonalNote"?}`.
fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let from = f
        .str("FromEmail")?
        .map(str::trim)
        .filter(|e| !e.is_empty())
        .ok_or_else(|| {
            ApiError::new(520, "A FromEmail is required to create a sender signature.")
        })?;
    let email = bare_address("FromEmail", from)?;
    let details = Details::read(&f)?;
    let domain = email.rsplit_once('@').map_or("", |(_, d)| d).to_owned();
    if is_public(&domain) {
        return Err(ApiError::new(
            503,
            format!(
                "Addresses of the public mailbox provider {domain} cannot be sender signatures."
            ),
        ));
    }
    check_return_path(&domain, details.return_path.unwrap_or_default())?;
    let mut state = ctx.state();
    let senders = &mut state.senders;
    if senders
        .list
        .iter()
        .any(|s| s.email.eq_ignore_ascii_case(&email))
    {
        return Err(ApiError::new(
            504,
            format!("A sender signature for {email} already exists."),
        ));
    }
    let signature = Signature {
        id: senders.next_id,
        name: details.name.to_owned(),
        reply_to: details.reply_to.unwrap_or_default(),
        note: details.note.map(str::to_owned),
        confirmed: false,
        dns: Dns::new(&domain, details.return_path.unwrap_or_default()),
        email,
    };
    senders.next_id += 1;
    let answer = signature.to_json();
    senders.list.push(signature);
    Ok(answer)
}

/// Name is required again; ReplyToEmail, ReturnPathDomain and ConfirmationPersonalNote
/// change when given. The address itself cannot change: a `FromEmail` is ignored.
fn edit(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let details = Details::read(&f)?;
    with_signature(ctx, |s| {
        if let Some(return_path) = details.return_path {
            check_return_path(s.domain(), return_path)?;
            s.dns.set_return_path(return_path);
        }
        s.name = details.name.to_owned();
        if let Some(reply_to) = &details.reply_to {
            s.reply_to = reply_to.clone();
        }
        if let Some(note) = details.note {
            s.note = Some(note.to_owned());
        }
        Ok(s.to_json())
    })
}

fn delete(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let at = position(&state.senders, ctx.param(0))?;
    let removed = state.senders.list.remove(at);
    Ok(ok_message(format!("Signature {} removed.", removed.email)))
}

/// Refused for a confirmed signature (506).
fn resend(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_signature(ctx, |s| {
        if s.confirmed {
            return Err(ApiError::new(
                506,
                format!("The sender signature {} is already confirmed.", s.email),
            ));
        }
        Ok(ok_message(format!(
            "Confirmation email for {} has been re-sent.",
            s.email
        )))
    })
}

/// Deprecated by Postmark; verifies SPF once the records are published.
fn verify_spf(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_signature(ctx, |s| {
        s.dns.verify_spf();
        Ok(s.to_json())
    })
}

/// Deprecated by Postmark (the Domains API rotates keys); 505 while a key is pending.
fn request_new_dkim(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_signature(ctx, |s| {
        s.dns.rotate()?;
        Ok(ok_message(format!(
            "A new DKIM key was requested for {}.",
            s.domain()
        )))
    })
}

/// `POST /__mock/senders/{id}/confirm`: the owner followed the confirmation link, and the
/// domain's records are in DNS and verified.
fn confirm(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let raw = ctx.param(0);
    let mut state = ctx.state();
    let signature = raw
        .parse::<i64>()
        .ok()
        .and_then(|id| state.senders.list.iter_mut().find(|s| s.id == id))
        .ok_or_else(|| missing(format!("There is no sender signature '{raw}'.")))?;
    signature.confirmed = true;
    signature.dns.publish_and_verify();
    Ok(signature.to_json())
}

/// The fields create and edit share, checked: Name required (511) and at most 255
/// characters (521), addresses valid (522), the note at most 400 characters (521).
struct Details<'a> {
    name: &'a str,
    reply_to: Option<String>,
    return_path: Option<&'a str>,
    note: Option<&'a str>,
}

impl<'a> Details<'a> {
    fn read(f: &Fields<'a>) -> Result<Details<'a>, ApiError> {
        let name = f
            .str("Name")?
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .ok_or_else(|| ApiError::new(511, "A sender signature Name is required."))?;
        if name.chars().count() > MAX_FIELD {
            return Err(too_long("Name", MAX_FIELD));
        }
        let reply_to = f
            .str("ReplyToEmail")?
            .map(str::trim)
            .map(|r| {
                if r.is_empty() {
                    Ok(String::new())
                } else {
                    bare_address("ReplyToEmail", r)
                }
            })
            .transpose()?;
        let note = f.str("ConfirmationPersonalNote")?;
        if note.is_some_and(|n| n.chars().count() > MAX_NOTE) {
            return Err(too_long("ConfirmationPersonalNote", MAX_NOTE));
        }
        Ok(Details {
            name,
            reply_to,
            return_path: f.str("ReturnPathDomain")?.map(str::trim),
            note,
        })
    }
}

fn too_long(field: &str, max: usize) -> ApiError {
    ApiError::new(521, format!("{field} may have at most {max} characters."))
}

/// `text` as a bare address (522 when it is not one, 521 past 255 characters).
fn bare_address(field: &str, text: &str) -> Result<String, ApiError> {
    if text.len() > MAX_FIELD {
        return Err(too_long(field, MAX_FIELD));
    }
    match address::bare(text) {
        Some(email) => Ok(email.to_owned()),
        None => Err(ApiError::new(
            522,
            format!("'{text}' is not a valid {field} address."),
        )),
    }
}

/// Where signature `raw` (an ID) is in the account's list (501, HTTP 404, when it is not).
fn position(senders: &Senders, raw: &str) -> Result<usize, ApiError> {
    raw.parse::<i64>()
        .ok()
        .and_then(|id| senders.list.iter().position(|s| s.id == id))
        .ok_or_else(|| {
            ApiError::with_status(
                404,
                501,
                format!("The sender signature '{raw}' was not found."),
            )
        })
}

fn with_signature(
    ctx: &Ctx<'_>,
    act: impl FnOnce(&mut Signature) -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let at = position(&state.senders, ctx.param(0))?;
    act(&mut state.senders.list[at])
}
