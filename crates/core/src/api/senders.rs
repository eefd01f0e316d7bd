//! Sender signatures (account token): single addresses the account may send
//! from, each confirmed by its owner through an email Postmark sends, and
//! the DNS records of its domain.
//!
//! Requests name the address `FromEmail` and `ReplyToEmail`; answers name
//! them `EmailAddress` and `ReplyToEmailAddress`.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::domains::{DnsRecords, check_return_path};
use super::paged_list;
use crate::BuildError;
use crate::endpoint::Rules;
use crate::shape::read::Value;

/// Longest personal note Postmark adds to the confirmation email (ErrorCode 521).
pub const MAX_CONFIRMATION_NOTE_CHARS: usize = 400;

/// A sender signature, with the DNS records of its domain.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SenderSignature {
    /// Signature ID.
    #[serde(rename = "ID")]
    pub id: i64,
    /// The sender's name, shown to recipients.
    pub name: String,
    /// The domain of the address.
    pub domain: String,
    /// The address mail is sent from.
    pub email_address: String,
    /// Where replies go; empty when they go to the address itself.
    pub reply_to_email_address: Option<String>,
    /// Whether the owner of the address confirmed it.
    pub confirmed: bool,
    /// The note added to the confirmation email, if any.
    pub confirmation_personal_note: Option<String>,
    /// The records of the domain and what was verified of them.
    #[serde(flatten)]
    pub dns: DnsRecords,
}

/// A sender signature as the list gives it, without the DNS records.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SenderSignatureSummary {
    /// Signature ID.
    #[serde(rename = "ID")]
    pub id: i64,
    /// The sender's name.
    pub name: String,
    /// The domain of the address.
    pub domain: String,
    /// The address mail is sent from.
    pub email_address: String,
    /// Where replies go; empty when they go to the address itself.
    pub reply_to_email_address: Option<String>,
    /// Whether the owner of the address confirmed it.
    pub confirmed: bool,
}

/// Adds to a signature request what create and edit both set, after its
/// own fields (see [`request_struct`](super::request_struct)). The fields
/// left `None` are not sent.
macro_rules! signature_details {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// The sender's name, shown to recipients.
            pub name: String,
            /// Where replies go.
            pub reply_to_email: Option<String>,
            /// A custom Return-Path domain: a subdomain of the address's
            /// domain whose CNAME record points to `pm.mtasv.net`.
            pub return_path_domain: Option<String>,
            /// A note for the owner of the address, added to the
            /// confirmation email.
            #[cfg_attr(feature = "schema", schemars(length(max = MAX_CONFIRMATION_NOTE_CHARS)))]
            pub confirmation_personal_note: Option<String>,
        ] $($rest)*);
    };
}

/// `GET /senders`: one page of the account's sender signatures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ListSenderSignatures {
    /// Page size, at most 500.
    #[serde(default = "super::default_count")]
    pub count: u32,
    /// Items to skip.
    #[serde(default)]
    pub offset: u32,
}

/// A page of sender signatures.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SenderSignatureList {
    /// Signatures of the account, over all pages.
    pub total_count: u64,
    /// This page.
    pub sender_signatures: Vec<SenderSignatureSummary>,
}

impl Rules for ListSenderSignatures {}

paged_list!(ListSenderSignatures => SenderSignatureSummary, sender_signatures, depth None;);

/// `GET /senders/{id}`: one sender signature with its DNS records.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetSenderSignature {
    /// Signature ID.
    pub id: i64,
}

impl Rules for GetSenderSignature {}

request_struct! {
    /// `POST /senders`: adds a sender signature and emails its owner a link
    /// to confirm it. Addresses of public mailbox providers are refused
    /// (ErrorCode 503).
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct CreateSenderSignature {
        /// The address to send from; it cannot change later.
        pub from_email: String,
    } + signature_details
}

impl Rules for CreateSenderSignature {
    fn check(params: Value<'_>) -> Result<(), BuildError> {
        let from = params
            .get("FromEmail")
            .and_then(Value::str)
            .unwrap_or_default();
        // Without a domain the address is Postmark's to refuse.
        match from.rsplit_once('@') {
            Some((_, domain)) => check_return_path(domain, params),
            None => Ok(()),
        }
    }
}

request_struct! {
    /// `PUT /senders/{id}`: changes a sender signature. Its address cannot
    /// change; its name must be given again.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct EditSenderSignature {
        /// Signature ID: a path parameter, not sent in the body.
        #[serde(rename = "id")]
        pub id: i64,
    } + signature_details
}

impl Rules for EditSenderSignature {}

/// `DELETE /senders/{id}`: removes a sender signature.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeleteSenderSignature {
    /// Signature ID.
    pub id: i64,
}

impl Rules for DeleteSenderSignature {}

/// `POST /senders/{id}/resend`: emails the confirmation link again. Refused
/// once the signature is confirmed (ErrorCode 506).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ResendSenderSignatureConfirmation {
    /// Signature ID.
    pub id: i64,
}

impl Rules for ResendSenderSignatureConfirmation {
    // A second email carries the same link: resending twice does no more
    // harm than once.
    const IDEMPOTENT: Option<bool> = Some(true);
}

/// `POST /senders/{id}/verifyspf`: has Postmark look up the SPF record of
/// the signature's domain now. Postmark deprecates it, as it no longer
/// requires SPF.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifySenderSignatureSpf {
    /// Signature ID.
    pub id: i64,
}

impl Rules for VerifySenderSignatureSpf {
    // A DNS lookup: asking twice changes nothing more than asking once.
    const IDEMPOTENT: Option<bool> = Some(true);
}

/// `POST /senders/{id}/requestnewdkim`: starts renewing the DKIM key of the
/// signature's domain. Postmark deprecates it for the Domains API's
/// [`RotateDomainDkim`](super::domains::RotateDomainDkim).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct RequestNewSenderSignatureDkim {
    /// Signature ID.
    pub id: i64,
}

impl Rules for RequestNewSenderSignatureDkim {
    // A repeat while the first renewal is pending is refused without effect
    // (ErrorCode 505), so sending it again cannot start a second renewal.
    const IDEMPOTENT: Option<bool> = Some(true);
}
