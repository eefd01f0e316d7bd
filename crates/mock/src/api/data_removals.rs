//! Data removals API (account token): requests to erase what Postmark keeps about one
//! recipient, and their status.
//!
//! A request stays `Pending` until `POST /__mock/data-removals/{id}/complete` finishes it:
//! then the account's servers forget the messages sent to the address, and its bounces,
//! opens and clicks, and the request is `Done`.

use serde_json::{Value, json};

use crate::address;
use crate::control::missing;
use crate::json::{ApiError, Fields};
use crate::router::{Auth, Ctx, Route};
use crate::state::State;

pub(super) const ROUTES: &[Route] = &[
    Route::new("POST", "/data-removals", Auth::Account, create),
    Route::new("GET", "/data-removals/{}", Auth::Account, get),
];

pub(super) const CONTROL: &[Route] = &[Route::new(
    "POST",
    "/__mock/data-removals/{}/complete",
    Auth::Open,
    complete,
)];

#[derive(Debug)]
struct Removal {
    id: i64,
    /// The recipient whose data goes.
    recipient: String,
    done: bool,
}

impl Removal {
    fn to_json(&self) -> Value {
        json!({"ID": self.id, "Status": if self.done { "Done" } else { "Pending" }})
    }
}

/// The account's requests, oldest first.
#[derive(Debug)]
pub(crate) struct DataRemovals {
    list: Vec<Removal>,
    next_id: i64,
}

impl Default for DataRemovals {
    fn default() -> Self {
        DataRemovals {
            list: Vec::new(),
            next_id: 1,
        }
    }
}

/// `{"RequestedBy", "RequestedFor", "NotifyWhenCompleted"?}`: both addresses are required
/// and must be valid (1300 otherwise).
fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let address_of = |key: &str| -> Result<String, ApiError> {
        let text = f.str(key)?.map(str::trim).unwrap_or_default();
        match address::bare(text) {
            Some(email) => Ok(email.to_owned()),
            None => Err(ApiError::new(
                1300,
                format!("'{key}' must be a valid email address, not '{text}'."),
            )),
        }
    };
    address_of("RequestedBy")?;
    let recipient = address_of("RequestedFor")?;
    f.bool("NotifyWhenCompleted")?;
    let mut state = ctx.state();
    let removals = &mut state.data_removals;
    let removal = Removal {
        id: removals.next_id,
        recipient,
        done: false,
    };
    removals.next_id += 1;
    let answer = removal.to_json();
    removals.list.push(removal);
    Ok(answer)
}

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let raw = ctx.param(0);
    let state = ctx.state();
    find(&state, raw)
        .map(|at| state.data_removals.list[at].to_json())
        .ok_or_else(|| ApiError::new(1301, format!("There is no data removal request '{raw}'.")))
}

/// `POST /__mock/data-removals/{id}/complete`: erases the recipient's data on every server
/// and marks the request `Done`.
fn complete(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let raw = ctx.param(0);
    let mut state = ctx.state();
    let at = find(&state, raw)
        .ok_or_else(|| missing(format!("There is no data removal request '{raw}'.")))?;
    let recipient = state.data_removals.list[at].recipient.clone();
    erase(&mut state, &recipient);
    state.data_removals.list[at].done = true;
    Ok(state.data_removals.list[at].to_json())
}

fn find(state: &State, raw: &str) -> Option<usize> {
    let id = raw.parse::<i64>().ok()?;
    state.data_removals.list.iter().position(|r| r.id == id)
}

/// Forgets the messages sent to `email` and its bounces, opens and clicks.
fn erase(state: &mut State, email: &str) {
    let is = |other: &str| other.eq_ignore_ascii_case(email);
    state
        .messages
        .retain(|m| !m.recipients().any(|a| is(&a.email)));
    for server in &mut state.servers {
        server.bounces.retain(|b| !is(&b.email));
        for events in [&mut server.opens, &mut server.clicks] {
            events.retain(|e| !e["Recipient"].as_str().is_some_and(is));
        }
    }
}
