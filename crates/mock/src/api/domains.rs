//! Domains API (account token): sending domains with their DKIM, Return-Path and SPF
//! records, and the DNS checks that verify them.
//!
//! The mock resolves no DNS. A domain's records count as published once the control route
//! `POST /__mock/domains/{id}/verify` says so (it also verifies every record at once);
//! until then the API's verify routes leave the domain as it is. After that, a rotated
//! DKIM key or a new Return-Path domain is verified by the matching API route.

use serde_json::{Map, Value, json};

use super::Page;
use crate::control::missing;
use crate::json::{ApiError, Fields, ok_message};
use crate::router::{Auth, Ctx, Route};
use crate::{address, clock, ids};

pub(super) const ROUTES: &[Route] = &[
    Route::new("GET", "/domains", Auth::Account, list),
    Route::new("GET", "/domains/{}", Auth::Account, get),
    Route::new("POST", "/domains", Auth::Account, create),
    Route::new("PUT", "/domains/{}", Auth::Account, edit),
    Route::new("DELETE", "/domains/{}", Auth::Account, delete),
    Route::new("PUT", "/domains/{}/verifyDkim", Auth::Account, verify_dkim),
    Route::new(
        "PUT",
        "/domains/{}/verifyReturnPath",
        Auth::Account,
        verify_return_path,
    ),
    Route::new("POST", "/domains/{}/verifyspf", Auth::Account, verify_spf),
    Route::new("POST", "/domains/{}/rotatedkim", Auth::Account, rotate_dkim),
];

pub(super) const CONTROL: &[Route] = &[Route::new(
    "POST",
    "/__mock/domains/{}/verify",
    Auth::Open,
    publish,
)];

/// ErrorCode of a bad list query (domains and sender signatures).
pub(super) const BAD_LIST_QUERY: i64 = 500;
const MAX_NAME: usize = 255;
/// Where a Return-Path domain's CNAME must point.
const RETURN_PATH_TARGET: &str = "pm.mtasv.net";
const SPF_VALUE: &str = "v=spf1 a mx include:spf.mtasv.net ~all";
/// Mailbox providers whose domains nobody can send as (ErrorCode 503).
const PUBLIC_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "yahoo.com",
    "hotmail.com",
    "outlook.com",
    "live.com",
    "aol.com",
    "icloud.com",
    "me.com",
    "msn.com",
];

/// The DNS side of a domain or sender signature: its SPF, DKIM and Return-Path records
/// and what has been verified of them.
#[derive(Debug, Clone)]
pub(crate) struct Dns {
    domain: String,
    /// The records are in DNS, so the verify routes succeed.
    published: bool,
    spf_verified: bool,
    /// True once any DKIM key was verified, and then for good.
    dkim_verified: bool,
    /// (host, TXT value) of the active, the pending and the revoked key.
    active: Option<(String, String)>,
    pending: Option<(String, String)>,
    revoked: Option<(String, String)>,
    return_path: String,
    return_path_verified: bool,
}

impl Dns {
    /// A new domain's records: nothing verified, its first DKIM key pending.
    pub(crate) fn new(domain: &str, return_path: &str) -> Dns {
        let mut dns = Dns {
            domain: domain.to_owned(),
            published: false,
            spf_verified: false,
            dkim_verified: false,
            active: None,
            pending: None,
            revoked: None,
            return_path: return_path.to_owned(),
            return_path_verified: false,
        };
        dns.pending = Some(dns.new_key());
        dns
    }

    /// A key whose selector is a timestamp, as Postmark's are, made unique against the
    /// keys already there.
    fn new_key(&self) -> (String, String) {
        let digits: String = clock::eastern_now()
            .chars()
            .filter(char::is_ascii_digit)
            .take(14)
            .collect();
        let mut stamp: u64 = digits.parse().unwrap_or_default();
        let host = |stamp: u64| format!("{stamp}pm._domainkey.{}", self.domain);
        let taken = |host: &str| {
            [&self.active, &self.pending, &self.revoked]
                .iter()
                .any(|key| key.as_ref().is_some_and(|(h, _)| h == host))
        };
        while taken(&host(stamp)) {
            stamp += 1;
        }
        let key: String = (0..4).map(|_| ids::uuid().replace('-', "")).collect();
        (
            host(stamp),
            format!("k=rsa;p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQ{key}"),
        )
    }

    /// The Domain model's DNS fields, added to `into`.
    pub(crate) fn write(&self, into: &mut Map<String, Value>) {
        let host = |key: &Option<(String, String)>| {
            key.as_ref().map_or("", |(h, _)| h.as_str()).to_owned()
        };
        let text = |key: &Option<(String, String)>| {
            key.as_ref().map_or("", |(_, t)| t.as_str()).to_owned()
        };
        let fields = json!({
            "SPFVerified": self.spf_verified,
            "SPFHost": self.domain,
            "SPFTextValue": SPF_VALUE,
            "DKIMVerified": self.dkim_verified,
            "WeakDKIM": false,
            "DKIMHost": host(&self.active),
            "DKIMTextValue": text(&self.active),
            "DKIMPendingHost": host(&self.pending),
            "DKIMPendingTextValue": text(&self.pending),
            "DKIMRevokedHost": host(&self.revoked),
            "DKIMRevokedTextValue": text(&self.revoked),
            // The mock keeps no DNS history: a revoked key may go once it is revoked.
            "SafeToRemoveRevokedKeyFromDNS": self.revoked.is_some(),
            "DKIMUpdateStatus": if self.pending.is_some() { "Pending" } else { "Verified" },
            "ReturnPathDomain": self.return_path,
            "ReturnPathDomainVerified": self.return_path_verified,
            "ReturnPathDomainCNAMEValue": RETURN_PATH_TARGET,
        });
        if let Value::Object(fields) = fields {
            into.extend(fields);
        }
    }

    /// The list items' verification flags, added to `into`.
    fn write_flags(&self, into: &mut Map<String, Value>) {
        into.insert("SPFVerified".into(), self.spf_verified.into());
        into.insert("DKIMVerified".into(), self.dkim_verified.into());
        into.insert("WeakDKIM".into(), false.into());
        into.insert(
            "ReturnPathDomainVerified".into(),
            self.return_path_verified.into(),
        );
    }

    /// Makes a pending DKIM key the active one, if its record is published; the key it
    /// replaces becomes the revoked one.
    pub(crate) fn verify_dkim(&mut self) {
        if !self.published {
            return;
        }
        if let Some(pending) = self.pending.take() {
            if let Some(old) = self.active.replace(pending) {
                self.revoked = Some(old);
            }
            self.dkim_verified = true;
        }
    }

    pub(crate) fn verify_return_path(&mut self) {
        if self.published && !self.return_path.is_empty() {
            self.return_path_verified = true;
        }
    }

    pub(crate) fn verify_spf(&mut self) {
        if self.published {
            self.spf_verified = true;
        }
    }

    /// Every record is now in DNS and verified.
    pub(crate) fn publish_and_verify(&mut self) {
        self.published = true;
        self.verify_dkim();
        self.verify_return_path();
        self.verify_spf();
    }

    /// Starts a new DKIM key, pending until verified; refused while one is (505).
    pub(crate) fn rotate(&mut self) -> Result<(), ApiError> {
        if self.pending.is_some() {
            return Err(ApiError::new(
                505,
                "This DKIM key is already being renewed; verify the pending key first.",
            ));
        }
        self.pending = Some(self.new_key());
        Ok(())
    }

    /// A new Return-Path domain, unverified until checked.
    pub(crate) fn set_return_path(&mut self, return_path: &str) {
        if !self.return_path.eq_ignore_ascii_case(return_path) {
            self.return_path = return_path.to_owned();
            self.return_path_verified = false;
        }
    }

    /// The SPF answer of the deprecated `verifyspf` routes.
    fn spf(&self) -> Value {
        json!({"SPFHost": self.domain, "SPFVerified": self.spf_verified, "SPFTextValue": SPF_VALUE})
    }
}

/// A Return-Path domain must be a subdomain of `domain` (522 otherwise); empty clears it.
pub(crate) fn check_return_path(domain: &str, return_path: &str) -> Result<(), ApiError> {
    if return_path.is_empty() {
        return Ok(());
    }
    let suffix = format!(".{domain}").to_ascii_lowercase();
    let lower = return_path.to_ascii_lowercase();
    if !(address::is_domain(return_path) && lower.ends_with(&suffix) && lower.len() > suffix.len())
    {
        return Err(ApiError::new(
            522,
            format!("The ReturnPathDomain '{return_path}' must be a subdomain of {domain}."),
        ));
    }
    Ok(())
}

/// Whether `domain` belongs to a public mailbox provider.
pub(crate) fn is_public(domain: &str) -> bool {
    PUBLIC_DOMAINS
        .iter()
        .any(|d| d.eq_ignore_ascii_case(domain))
}

#[derive(Debug)]
pub(crate) struct Domain {
    id: i64,
    name: String,
    dns: Dns,
}

impl Domain {
    fn to_json(&self) -> Value {
        let mut domain = Map::new();
        domain.insert("ID".into(), self.id.into());
        domain.insert("Name".into(), self.name.clone().into());
        self.dns.write(&mut domain);
        Value::Object(domain)
    }

    fn summary(&self) -> Value {
        let mut domain = Map::new();
        domain.insert("ID".into(), self.id.into());
        domain.insert("Name".into(), self.name.clone().into());
        self.dns.write_flags(&mut domain);
        Value::Object(domain)
    }
}

/// The account's domains, oldest first.
#[derive(Debug)]
pub(crate) struct Domains {
    list: Vec<Domain>,
    next_id: i64,
}

impl Default for Domains {
    fn default() -> Self {
        Domains {
            list: Vec::new(),
            next_id: 1,
        }
    }
}

fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let page = Page::read(ctx, BAD_LIST_QUERY, None)?;
    let state = ctx.state();
    Ok(page.of("Domains", &state.domains.list, Domain::summary))
}

fn get(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_domain(ctx, |domain| Ok(domain.to_json()))
}

/// `{"Name", "ReturnPathDomain"?}`: Name required (514), at most 255 characters (515), a
/// domain name (516), not a public provider's (503), new to the account (512).
fn create(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let name = f
        .str("Name")?
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| ApiError::new(514, "A domain Name is required."))?;
    if name.len() > MAX_NAME {
        return Err(ApiError::new(
            515,
            format!("A domain Name may have at most {MAX_NAME} characters."),
        ));
    }
    if !address::is_domain(name) {
        return Err(ApiError::new(
            516,
            format!("'{name}' is not a valid domain name."),
        ));
    }
    if is_public(name) {
        return Err(ApiError::new(
            503,
            format!("'{name}' belongs to a public mailbox provider and cannot be added."),
        ));
    }
    let return_path = f
        .str("ReturnPathDomain")?
        .map(str::trim)
        .unwrap_or_default();
    check_return_path(name, return_path)?;
    let mut state = ctx.state();
    let domains = &mut state.domains;
    if domains
        .list
        .iter()
        .any(|d| d.name.eq_ignore_ascii_case(name))
    {
        return Err(ApiError::new(
            512,
            format!("The domain '{name}' already exists."),
        ));
    }
    let domain = Domain {
        id: domains.next_id,
        name: name.to_owned(),
        dns: Dns::new(name, return_path),
    };
    domains.next_id += 1;
    let answer = domain.to_json();
    domains.list.push(domain);
    Ok(answer)
}

/// Only `ReturnPathDomain` changes. Its CNAME must already be in DNS (523 while the
/// domain's records are not published); the new domain is unverified until checked.
fn edit(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let return_path = f.str("ReturnPathDomain")?.map(str::trim).map(str::to_owned);
    with_domain(ctx, |domain| {
        if let Some(return_path) = &return_path {
            check_return_path(&domain.name, return_path)?;
            if !return_path.is_empty() && !domain.dns.published {
                return Err(ApiError::new(
                    523,
                    format!("No CNAME record for {return_path} points to {RETURN_PATH_TARGET}."),
                ));
            }
            domain.dns.set_return_path(return_path);
        }
        Ok(domain.to_json())
    })
}

fn delete(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let at = position(&state.domains, ctx.param(0))?;
    let removed = state.domains.list.remove(at);
    Ok(ok_message(format!("Domain {} removed.", removed.name)))
}

fn verify_dkim(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_domain(ctx, |domain| {
        domain.dns.verify_dkim();
        Ok(domain.to_json())
    })
}

fn verify_return_path(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_domain(ctx, |domain| {
        domain.dns.verify_return_path();
        Ok(domain.to_json())
    })
}

/// Deprecated by Postmark; answers only the SPF fields.
fn verify_spf(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_domain(ctx, |domain| {
        domain.dns.verify_spf();
        Ok(domain.dns.spf())
    })
}

fn rotate_dkim(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    with_domain(ctx, |domain| {
        domain.dns.rotate()?;
        Ok(domain.to_json())
    })
}

/// `POST /__mock/domains/{id}/verify`: the domain's records are in DNS and verified.
fn publish(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let raw = ctx.param(0);
    let mut state = ctx.state();
    let domain = raw
        .parse::<i64>()
        .ok()
        .and_then(|id| state.domains.list.iter_mut().find(|d| d.id == id))
        .ok_or_else(|| missing(format!("There is no domain '{raw}'.")))?;
    domain.dns.publish_and_verify();
    Ok(domain.to_json())
}

/// Where domain `raw` (an ID) is in the account's list (510 when it is not).
fn position(domains: &Domains, raw: &str) -> Result<usize, ApiError> {
    raw.parse::<i64>()
        .ok()
        .and_then(|id| domains.list.iter().position(|d| d.id == id))
        .ok_or_else(|| ApiError::new(510, format!("The domain '{raw}' was not found.")))
}

fn with_domain(
    ctx: &Ctx<'_>,
    act: impl FnOnce(&mut Domain) -> Result<Value, ApiError>,
) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let at = position(&state.domains, ctx.param(0))?;
    act(&mut state.domains.list[at])
}
