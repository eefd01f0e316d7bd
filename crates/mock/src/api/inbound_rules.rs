//! Inbound rules API (server token): senders whose mail the server's inbound stream
//! blocks, each an email address or a whole domain.
//!
//! A message received through `POST /__mock/inbound` from a blocked sender is stored as
//! `Blocked` (unless the request sets its `Status`), and can then be bypassed.

use serde_json::{Value, json};

use super::Page;
use crate::address;
use crate::json::{ApiError, Fields, ok_message};
use crate::router::{Auth, Ctx, Route};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/triggers/inboundrules", Auth::Server, list),
    Route::new("POST", "/triggers/inboundrules", Auth::Server, create),
    Route::new("DELETE", "/triggers/inboundrules/{}", Auth::Server, delete),
];

/// ErrorCode of a bad list query or rule.
const BAD_QUERY: i64 = 800;
/// Rule IDs are small integers in Postmark's examples; each server counts from here.
const FIRST_ID: i64 = 1;

#[derive(Debug, Clone)]
pub(crate) struct InboundRule {
    pub(crate) id: i64,
    /// An address (`spam@example.com`) or a domain (`example.com`), as given.
    pub(crate) rule: String,
}

impl InboundRule {
    /// Whether mail from `sender` (a bare address) falls under the rule.
    fn blocks(&self, sender: &str) -> bool {
        if self.rule.contains('@') {
            return self.rule.eq_ignore_ascii_case(sender);
        }
        let domain = sender.rsplit_once('@').map_or("", |(_, d)| d);
        domain.eq_ignore_ascii_case(&self.rule)
    }
}

/// One server's rules, oldest first.
#[derive(Debug)]
pub(crate) struct InboundRules {
    rules: Vec<InboundRule>,
    next_id: i64,
}

impl Default for InboundRules {
    fn default() -> Self {
        InboundRules {
            rules: Vec::new(),
            next_id: FIRST_ID,
        }
    }
}

impl InboundRules {
    /// The rule that blocks mail from `sender`, if any.
    pub(crate) fn blocking(&self, sender: &str) -> Option<&InboundRule> {
        self.rules.iter().find(|r| r.blocks(sender))
    }
}

fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let page = Page::read(ctx, BAD_QUERY, None)?;
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    Ok(page.of(
        "InboundRules",
        &server.inbound_rules.rules,
        |r| json!({"ID": r.id, "Rule": r.rule}),
    ))
}

/// `{"Rule"}`: an email address or a domain (813 otherwise; 809 without one); the same
/// rule twice is refused (810).
fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let rule = f
        .str("Rule")?
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .ok_or_else(|| {
            ApiError::new(809, "A 'Rule' (an email address or a domain) is required.")
        })?;
    if !is_address_or_domain(rule) {
        return Err(ApiError::new(
            813,
            format!("'{rule}' is neither a valid email address nor a domain."),
        ));
    }
    let mut state = ctx.state();
    let rules = &mut ctx.current(&mut state)?.inbound_rules;
    if rules
        .rules
        .iter()
        .any(|r| r.rule.eq_ignore_ascii_case(rule))
    {
        return Err(ApiError::new(
            810,
            format!("The inbound rule '{rule}' already exists."),
        ));
    }
    let created = InboundRule {
        id: rules.next_id,
        rule: rule.to_owned(),
    };
    rules.next_id += 1;
    let answer = json!({"ID": created.id, "Rule": created.rule});
    rules.rules.push(created);
    Ok(answer)
}

fn delete(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let rules = &mut ctx.current(&mut state)?.inbound_rules.rules;
    let raw = ctx.param(0);
    let at = raw
        .parse::<i64>()
        .ok()
        .and_then(|id| rules.iter().position(|r| r.id == id))
        .ok_or_else(|| ApiError::new(812, format!("The inbound rule '{raw}' was not found.")))?;
    let removed = rules.remove(at);
    Ok(ok_message(format!("Rule {} removed.", removed.rule)))
}

/// A bare address, or a domain of two or more labels.
fn is_address_or_domain(rule: &str) -> bool {
    address::bare(rule).is_some() || address::is_domain(rule)
}
