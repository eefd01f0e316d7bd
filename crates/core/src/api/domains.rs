//! Domains (account token): the domains the account sends from, the DNS
//! records Postmark asks for on each (DKIM, Return-Path, and the SPF record
//! it no longer requires), and the checks that verify them.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::paged_list;
use crate::BuildError;
use crate::endpoint::Rules;
use crate::enums::string_enum;
use crate::shape::read::Value;

/// Longest domain name Postmark takes (ErrorCode 515).
pub const MAX_DOMAIN_NAME_CHARS: usize = 255;

string_enum! {
    /// Where the renewal of a domain's DKIM key stands.
    pub enum DkimUpdateStatus {
        /// A new key waits for its DNS record to be verified.
        Pending => "Pending",
        /// The key in use is verified; no renewal is under way.
        Verified => "Verified",
    }
}

/// The SPF record of a domain. Postmark no longer requires it, but still
/// reports it.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SpfRecord {
    /// Whether the record was found.
    #[serde(rename = "SPFVerified")]
    pub spf_verified: bool,
    /// The host the TXT record goes on.
    #[serde(rename = "SPFHost")]
    pub spf_host: Option<String>,
    /// The TXT record's value.
    #[serde(rename = "SPFTextValue")]
    pub spf_text_value: Option<String>,
}

/// The DNS records of a domain, as domains and sender signatures report
/// them. Host and value fields are empty (or absent) when there is no such
/// record.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct DnsRecords {
    /// The SPF record.
    #[serde(flatten)]
    pub spf: SpfRecord,
    /// Whether a DKIM key of the domain was ever verified; it stays true
    /// through later renewals.
    #[serde(rename = "DKIMVerified")]
    pub dkim_verified: bool,
    /// Whether the key in use is weaker than Postmark now issues.
    #[serde(rename = "WeakDKIM")]
    pub weak_dkim: bool,
    /// The host of the DKIM key in use.
    #[serde(rename = "DKIMHost")]
    pub dkim_host: Option<String>,
    /// The TXT record of the DKIM key in use. Postmark's specification
    /// misspells it `DKIMTestValue`; either is read.
    #[serde(rename = "DKIMTextValue", alias = "DKIMTestValue")]
    #[cfg_attr(feature = "schema", schemars(extend("x-alias" = "DKIMTestValue")))]
    pub dkim_text_value: Option<String>,
    /// The host of a new key, until it is verified.
    #[serde(rename = "DKIMPendingHost")]
    pub dkim_pending_host: Option<String>,
    /// The TXT record of a new key, until it is verified.
    #[serde(rename = "DKIMPendingTextValue")]
    pub dkim_pending_text_value: Option<String>,
    /// The host of the key a renewal replaced.
    #[serde(rename = "DKIMRevokedHost")]
    pub dkim_revoked_host: Option<String>,
    /// The TXT record of the key a renewal replaced.
    #[serde(rename = "DKIMRevokedTextValue")]
    pub dkim_revoked_text_value: Option<String>,
    /// Whether the replaced key's record may now be deleted from DNS.
    #[serde(rename = "SafeToRemoveRevokedKeyFromDNS")]
    pub safe_to_remove_revoked_key_from_dns: bool,
    /// Where a renewal of the key stands.
    #[serde(rename = "DKIMUpdateStatus")]
    pub dkim_update_status: Option<DkimUpdateStatus>,
    /// The custom Return-Path domain; empty when there is none.
    pub return_path_domain: Option<String>,
    /// Whether its CNAME record was found.
    pub return_path_domain_verified: bool,
    /// What the Return-Path domain's CNAME must point to (`pm.mtasv.net`).
    #[serde(rename = "ReturnPathDomainCNAMEValue")]
    pub return_path_domain_cname_value: Option<String>,
}

/// A domain, with its DNS records.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct Domain {
    /// Domain ID.
    #[serde(rename = "ID")]
    pub id: i64,
    /// The domain name.
    pub name: String,
    /// Its records and what was verified of them.
    #[serde(flatten)]
    pub dns: DnsRecords,
}

/// A domain as the list gives it: what was verified, without the records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct DomainSummary {
    /// Domain ID.
    #[serde(rename = "ID")]
    pub id: i64,
    /// The domain name.
    pub name: String,
    /// Whether the SPF record was found.
    #[serde(rename = "SPFVerified")]
    pub spf_verified: bool,
    /// Whether a DKIM key was ever verified.
    #[serde(rename = "DKIMVerified")]
    pub dkim_verified: bool,
    /// Whether the key in use is weaker than Postmark now issues.
    #[serde(rename = "WeakDKIM")]
    pub weak_dkim: bool,
    /// Whether the Return-Path domain's CNAME record was found.
    pub return_path_domain_verified: bool,
}

/// `GET /domains`: one page of the account's domains.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ListDomains {
    /// Page size, at most 500.
    #[serde(default = "super::default_count")]
    pub count: u32,
    /// Items to skip.
    #[serde(default)]
    pub offset: u32,
}

/// A page of domains.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct DomainList {
    /// Domains of the account, over all pages.
    pub total_count: u64,
    /// This page.
    pub domains: Vec<DomainSummary>,
}

impl Rules for ListDomains {}

paged_list!(ListDomains => DomainSummary, domains, depth None;);

/// `GET /domains/{id}`: one domain with its DNS records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetDomain {
    /// Domain ID.
    pub id: i64,
}

impl Rules for GetDomain {}

/// `POST /domains`: adds a domain. Its records are then to be published in
/// DNS and verified.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct CreateDomain {
    /// The domain name, new to the account.
    #[cfg_attr(feature = "schema", schemars(length(max = MAX_DOMAIN_NAME_CHARS)))]
    pub name: String,
    /// A custom Return-Path domain: a subdomain of `name` whose CNAME record
    /// points to `pm.mtasv.net`.
    pub return_path_domain: Option<String>,
}

impl Rules for CreateDomain {
    fn check(params: Value<'_>) -> Result<(), BuildError> {
        let name = params.get("Name").and_then(Value::str).unwrap_or_default();
        check_return_path(&name, params)
    }
}

/// Refuses a `ReturnPathDomain` that is not a subdomain of `domain`, as
/// Postmark does (ErrorCode 522). A blank one asks for none.
pub(crate) fn check_return_path(domain: &str, params: Value<'_>) -> Result<(), BuildError> {
    let Some(return_path) = params.get("ReturnPathDomain").and_then(Value::str) else {
        return Ok(());
    };
    let return_path = return_path.trim().to_ascii_lowercase();
    let below = return_path
        .strip_suffix(&domain.trim().to_ascii_lowercase())
        .and_then(|sub| sub.strip_suffix('.'));
    match below {
        _ if return_path.is_empty() => Ok(()),
        Some(sub) if !sub.is_empty() => Ok(()),
        _ => Err(BuildError::InvalidValue {
            field: "ReturnPathDomain".into(),
            reason: "it must be a subdomain of the sending domain",
        }),
    }
}

/// `PUT /domains/{id}`: changes a domain's Return-Path domain, the only
/// thing of a domain that can change. Its CNAME record must already be in
/// DNS (ErrorCode 523 otherwise).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct EditDomain {
    /// Domain ID: a path parameter, not sent in the body.
    #[serde(rename = "id")]
    pub id: i64,
    /// The new Return-Path domain, a subdomain of the domain.
    pub return_path_domain: Option<String>,
}

impl Rules for EditDomain {}

/// `DELETE /domains/{id}`: removes a domain from the account.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeleteDomain {
    /// Domain ID.
    pub id: i64,
}

impl Rules for DeleteDomain {}

/// `PUT /domains/{id}/verifyDkim`: has Postmark look up the domain's DKIM
/// record now; a pending key becomes the one in use once found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifyDomainDkim {
    /// Domain ID.
    pub id: i64,
}

impl Rules for VerifyDomainDkim {}

/// `PUT /domains/{id}/verifyReturnPath`: has Postmark look up the
/// Return-Path domain's CNAME record now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifyDomainReturnPath {
    /// Domain ID.
    pub id: i64,
}

impl Rules for VerifyDomainReturnPath {}

/// `POST /domains/{id}/verifyspf`: has Postmark look up the SPF record now.
/// Postmark deprecates it, as it no longer requires SPF; it answers the SPF
/// fields alone.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifyDomainSpf {
    /// Domain ID.
    pub id: i64,
}

impl Rules for VerifyDomainSpf {
    // A DNS lookup: asking twice changes nothing more than asking once.
    const IDEMPOTENT: Option<bool> = Some(true);
}

/// `POST /domains/{id}/rotatedkim`: starts renewing the DKIM key. The new
/// key is pending (`DKIMPendingHost`, `DKIMPendingTextValue`) until its
/// record is verified; a renewal under way refuses another (ErrorCode 505).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RotateDomainDkim {
    /// Domain ID.
    pub id: i64,
}

impl Rules for RotateDomainDkim {
    // A repeat while the first renewal is pending is refused without effect
    // (ErrorCode 505), so sending it again cannot start a second renewal.
    const IDEMPOTENT: Option<bool> = Some(true);
}
