//! Suppressions API (server token): the addresses each message stream refuses to send to,
//! their dump and their manual addition and removal.
//!
//! A stream's list fills from three sides: deactivating bounces (`HardBounce`, or
//! `SpamComplaint` for spam complaints), the API and the `/__mock/suppressions` control
//! route (`ManualSuppression` by the `Customer`). Sends to an address on the list of their
//! stream are refused (ErrorCode 406) or skip it.

use serde_json::{Value, json};

use super::Window;
use super::bounces::reactivate;
use super::streams::stream_not_found;
use crate::address;
use crate::clock;
use crate::json::{ApiError, Fields};
use crate::router::{Auth, Ctx, Route};
use crate::state::Server;

pub(super) const ROUTES: &[Route] = &[
    Route::new(
        "GET",
        "/message-streams/{}/suppressions/dump",
        Auth::Server,
        dump,
    ),
    Route::new(
        "POST",
        "/message-streams/{}/suppressions",
        Auth::Server,
        create,
    ),
    Route::new(
        "POST",
        "/message-streams/{}/suppressions/delete",
        Auth::Server,
        delete,
    ),
];

/// `SuppressionReason` values.
pub(crate) const HARD_BOUNCE: &str = "HardBounce";
pub(crate) const SPAM_COMPLAINT: &str = "SpamComplaint";
pub(crate) const MANUAL: &str = "ManualSuppression";
const REASONS: &[&str] = &[HARD_BOUNCE, SPAM_COMPLAINT, MANUAL];
/// `Origin` values: the recipient (a bounce or complaint), the account's owner, Postmark.
pub(crate) const RECIPIENT: &str = "Recipient";
pub(crate) const CUSTOMER: &str = "Customer";
const ORIGINS: &[&str] = &[RECIPIENT, CUSTOMER, "Admin"];
/// Most addresses one create or delete call may name.
const MAX_PER_CALL: usize = 50;

#[derive(Debug, Clone)]
pub(crate) struct Suppression {
    pub(crate) email: String,
    pub(crate) reason: &'static str,
    pub(crate) origin: &'static str,
    pub(crate) created_at: String,
}

/// One stream's suppression list, oldest first; addresses compare ignoring case.
#[derive(Debug, Default)]
pub(crate) struct Suppressions(Vec<Suppression>);

impl Suppressions {
    pub(crate) fn find(&self, email: &str) -> Option<&Suppression> {
        self.0.iter().find(|s| s.email.eq_ignore_ascii_case(email))
    }

    /// Adds `email` unless it is already there (the first reason stays).
    pub(crate) fn add(&mut self, email: &str, reason: &'static str, origin: &'static str) {
        if self.find(email).is_none() {
            self.0.push(Suppression {
                email: email.to_owned(),
                reason,
                origin,
                created_at: clock::eastern_now(),
            });
        }
    }

    pub(crate) fn remove(&mut self, email: &str) {
        self.0.retain(|s| !s.email.eq_ignore_ascii_case(email));
    }
}

/// The whole list, oldest first; every filter is optional. Dates compare with the day the
/// address was suppressed.
fn dump(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let reason = query_value(ctx, "SuppressionReason", REASONS, 1404)?;
    let origin = query_value(ctx, "Origin", ORIGINS, 1405)?;
    let window = Window::read(ctx, 1407)?;
    let email = ctx.query("EmailAddress");
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let stream = server
        .stream(ctx.param(0))
        .ok_or_else(|| stream_not_found(ctx.param(0)))?;
    let listed: Vec<Value> = stream
        .suppressions
        .0
        .iter()
        .filter(|s| {
            reason.is_none_or(|r| r == s.reason)
                && origin.is_none_or(|o| o == s.origin)
                && email.is_none_or(|e| e.eq_ignore_ascii_case(&s.email))
                && window.contains(&s.created_at)
        })
        .map(|s| {
            json!({"EmailAddress": s.email, "SuppressionReason": s.reason, "Origin": s.origin,
                   "CreatedAt": s.created_at})
        })
        .collect();
    Ok(json!({ "Suppressions": listed }))
}

fn query_value(
    ctx: &Ctx<'_>,
    key: &str,
    options: &[&'static str],
    code: i64,
) -> Result<Option<&'static str>, ApiError> {
    ctx.query(key)
        .map(|value| super::one_of(options, key, value).map_err(|why| ApiError::new(code, why)))
        .transpose()
}

/// Suppresses each address (`Suppressed`), or reports it `Failed` when it is not one.
fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    change(ctx, |server, stream, email| {
        let stream = server.stream_mut(stream).expect("checked by change");
        stream.suppressions.add(email, MANUAL, CUSTOMER);
        Ok("Suppressed")
    })
}

/// Lifts each address's suppression (`Deleted`, also when there was none). A spam
/// complaint stays (`Failed`); lifting a hard bounce reactivates the bounces behind it.
fn delete(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    change(ctx, |server, stream_id, email| {
        let stream = server.stream_mut(stream_id).expect("checked by change");
        match stream.suppressions.find(email).map(|s| s.reason) {
            Some(SPAM_COMPLAINT) => {
                Err("You do not have the required authority to change this suppression.")
            }
            Some(HARD_BOUNCE) => {
                reactivate(server, email, stream_id);
                Ok("Deleted")
            }
            _ => {
                stream.suppressions.remove(email);
                Ok("Deleted")
            }
        }
    })
}

/// What create and delete share: the body `{"Suppressions": [{"EmailAddress"}]}` (1409
/// without it, 1410 past 50 addresses), the stream (1226), and one answer per address in
/// the request's order. `apply` gets a valid bare address and answers its `Status`, or
/// the `Message` of a failure.
fn change(
    ctx: &Ctx<'_>,
    apply: impl Fn(&mut Server, &str, &str) -> Result<&'static str, &'static str>,
) -> Result<Value, ApiError> {
    let no_body = || {
        ApiError::new(
            1409,
            "A request body with a 'Suppressions' list is required.",
        )
    };
    let body = ctx.body().map_err(|_| no_body())?;
    let items = Fields::of(&body, "The request body")
        .ok()
        .and_then(|f| f.array("Suppressions").ok().flatten())
        .ok_or_else(no_body)?;
    if items.len() > MAX_PER_CALL {
        return Err(ApiError::new(
            1410,
            format!(
                "At most {MAX_PER_CALL} suppressions may be given in one request; this one has {}.",
                items.len()
            ),
        ));
    }
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let stream_id = server
        .stream(ctx.param(0))
        .map(|s| s.id.clone())
        .ok_or_else(|| stream_not_found(ctx.param(0)))?;
    let results = items
        .iter()
        .map(|item| {
            let given = item
                .get("EmailAddress")
                .or_else(|| item.get("emailAddress"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let outcome = match address::bare(given) {
                Some(email) => apply(server, &stream_id, email),
                None => Err("An invalid email address was provided."),
            };
            match outcome {
                Ok(status) => json!({"EmailAddress": given, "Status": status, "Message": null}),
                Err(why) => json!({"EmailAddress": given, "Status": "Failed", "Message": why}),
            }
        })
        .collect();
    Ok(json!({ "Suppressions": Value::Array(results) }))
}
