//! The operation table, and the dynamic interface built from it.
//!
//! [`for_each_operation!`](crate::for_each_operation) is the single list of
//! operations. Everything that enumerates them is generated from it: each
//! endpoint's [`Endpoint`](crate::Endpoint) impl (name, method, path, token,
//! response type), the [`Operation`] rows (and through them the README's
//! scope table), the name-based interface the bindings call, and the
//! bindings' typed methods.
//!
//! The dynamic interface takes parameters as JSON text and answers JSON text
//! with Postmark's wire names, checked against the operation's shapes (the
//! models' wire form as data, in the crate's `shape` module) on the way in and
//! on the way out:
//!
//! ```
//! use postmark_kit::{Config, Server, Token, ops};
//!
//! let config = Config::<Server>::new(Token::new("server-token")?);
//! let send = ops::operation("send_email").unwrap();
//! let built = send.build(&config, r#"{"From":"a@example.com","To":"b@example.com","TextBody":"Hi"}"#)?;
//! assert_eq!(built.request.uri().path(), "/email");
//! assert!(!built.idempotent);
//!
//! let misspelt = send.build(&config, r#"{"From":"a@example.com","To":"b@example.com","Textbody":"Hi"}"#);
//! assert!(misspelt.unwrap_err().to_string().contains("at `Textbody`"));
//! # Ok::<(), postmark_kit::BuildError>(())
//! ```

use std::borrow::Cow;
use std::fmt;

use http::{Method, Request, Response, StatusCode};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::endpoint::{Parts, Rules};
use crate::paging::{Cursor, KEY_PARAM, Page, Paged, Paging};
use crate::shape::read::{self, Failure};
use crate::shape::{self, Field, Object, OperationShapes, Shape};
use crate::{Account, BuildError, Config, Error, Server, TokenKind, json, path_segment};

/// Calls `$callback!` with every operation, grouped by the token it needs.
///
/// Each row is `name, jsName, single|paged, METHOD "/path/{param}" [param],
/// Request => Response;`: the table name, the JavaScript name, whether the
/// list is paged, the method, the path template with the request fields
/// that fill it, and the request and response types. A binding passes its
/// own macro as the callback to generate one method per row.
#[macro_export]
macro_rules! for_each_operation {
    ($callback:ident) => {
        $callback! {
            server {
                send_email, sendEmail, single, POST "/email" [], $crate::api::email::SendEmail => $crate::api::email::SendEmailResponse;
                send_email_batch, sendEmailBatch, single, POST "/email/batch" [], $crate::api::email::SendEmailBatch => ::std::vec::Vec<$crate::api::email::SendEmailResponse>;
                send_email_with_template, sendEmailWithTemplate, single, POST "/email/withTemplate" [], $crate::api::email::SendEmailWithTemplate => $crate::api::email::SendEmailResponse;
                send_email_batch_with_templates, sendEmailBatchWithTemplates, single, POST "/email/batchWithTemplates" [], $crate::api::email::SendEmailBatchWithTemplates => ::std::vec::Vec<$crate::api::email::SendEmailResponse>;
                get_delivery_stats, getDeliveryStats, single, GET "/deliverystats" [], $crate::api::bounces::GetDeliveryStats => $crate::api::bounces::DeliveryStats;
                list_bounces, listBounces, paged, GET "/bounces" [], $crate::api::bounces::ListBounces => $crate::api::bounces::BounceList;
                get_bounce, getBounce, single, GET "/bounces/{id}" [id], $crate::api::bounces::GetBounce => $crate::webhook::Bounce;
                get_bounce_dump, getBounceDump, single, GET "/bounces/{id}/dump" [id], $crate::api::bounces::GetBounceDump => $crate::api::common::Dump;
                activate_bounce, activateBounce, single, PUT "/bounces/{id}/activate" [id], $crate::api::bounces::ActivateBounce => $crate::api::bounces::BounceActivation;
                get_current_server, getCurrentServer, single, GET "/server" [], $crate::api::servers::GetCurrentServer => $crate::api::servers::Server;
                edit_current_server, editCurrentServer, single, PUT "/server" [], $crate::api::servers::EditCurrentServer => $crate::api::servers::Server;
                search_outbound_messages, searchOutboundMessages, paged, GET "/messages/outbound" [], $crate::api::messages::SearchOutboundMessages => $crate::api::messages::OutboundMessageList;
                get_outbound_message_details, getOutboundMessageDetails, single, GET "/messages/outbound/{id}/details" [id], $crate::api::messages::GetOutboundMessageDetails => $crate::api::messages::OutboundMessageDetails;
                get_outbound_message_dump, getOutboundMessageDump, single, GET "/messages/outbound/{id}/dump" [id], $crate::api::messages::GetOutboundMessageDump => $crate::api::common::Dump;
                search_inbound_messages, searchInboundMessages, paged, GET "/messages/inbound" [], $crate::api::messages::SearchInboundMessages => $crate::api::messages::InboundMessageList;
                get_inbound_message_details, getInboundMessageDetails, single, GET "/messages/inbound/{id}/details" [id], $crate::api::messages::GetInboundMessageDetails => $crate::api::messages::InboundMessageDetails;
                bypass_inbound_message, bypassInboundMessage, single, PUT "/messages/inbound/{id}/bypass" [id], $crate::api::messages::BypassInboundMessage => $crate::api::common::StandardResponse;
                retry_inbound_message, retryInboundMessage, single, PUT "/messages/inbound/{id}/retry" [id], $crate::api::messages::RetryInboundMessage => $crate::api::common::StandardResponse;
                search_message_opens, searchMessageOpens, paged, GET "/messages/outbound/opens" [], $crate::api::messages::SearchMessageOpens => $crate::api::messages::MessageOpenList;
                get_message_opens, getMessageOpens, paged, GET "/messages/outbound/opens/{id}" [id], $crate::api::messages::GetMessageOpens => $crate::api::messages::MessageOpenList;
                search_message_clicks, searchMessageClicks, paged, GET "/messages/outbound/clicks" [], $crate::api::messages::SearchMessageClicks => $crate::api::messages::MessageClickList;
                get_message_clicks, getMessageClicks, paged, GET "/messages/outbound/clicks/{id}" [id], $crate::api::messages::GetMessageClicks => $crate::api::messages::MessageClickList;
                list_webhooks, listWebhooks, single, GET "/webhooks" [], $crate::api::webhooks::ListWebhooks => $crate::api::webhooks::WebhookList;
                get_webhook, getWebhook, single, GET "/webhooks/{id}" [id], $crate::api::webhooks::GetWebhook => $crate::api::webhooks::Webhook;
                create_webhook, createWebhook, single, POST "/webhooks" [], $crate::api::webhooks::CreateWebhook => $crate::api::webhooks::Webhook;
                edit_webhook, editWebhook, single, PUT "/webhooks/{id}" [id], $crate::api::webhooks::EditWebhook => $crate::api::webhooks::Webhook;
                delete_webhook, deleteWebhook, single, DELETE "/webhooks/{id}" [id], $crate::api::webhooks::DeleteWebhook => $crate::api::common::StandardResponse;
                verify_webhook, verifyWebhook, single, POST "/webhooks/{id}/verify" [id], $crate::api::webhooks::VerifyWebhook => $crate::api::webhooks::WebhookVerification;
                get_webhook_statistics, getWebhookStatistics, single, GET "/webhooks/{id}/statistics" [id], $crate::api::webhooks::GetWebhookStatistics => $crate::api::webhooks::WebhookStatistics;
                list_templates, listTemplates, paged, GET "/templates" [], $crate::api::templates::ListTemplates => $crate::api::templates::TemplateList;
                get_template, getTemplate, single, GET "/templates/{id_or_alias}" [id_or_alias], $crate::api::templates::GetTemplate => $crate::api::templates::Template;
                create_template, createTemplate, single, POST "/templates" [], $crate::api::templates::CreateTemplate => $crate::api::templates::TemplateSummary;
                edit_template, editTemplate, single, PUT "/templates/{id_or_alias}" [id_or_alias], $crate::api::templates::EditTemplate => $crate::api::templates::TemplateSummary;
                delete_template, deleteTemplate, single, DELETE "/templates/{id_or_alias}" [id_or_alias], $crate::api::templates::DeleteTemplate => $crate::api::common::StandardResponse;
                validate_template, validateTemplate, single, POST "/templates/validate" [], $crate::api::templates::ValidateTemplate => $crate::api::templates::TemplateValidation;
                send_bulk_email, sendBulkEmail, single, POST "/email/bulk" [], $crate::api::bulk::SendBulkEmail => $crate::api::bulk::BulkEmailAccepted;
                get_bulk_email_status, getBulkEmailStatus, single, GET "/email/bulk/{id}" [id], $crate::api::bulk::GetBulkEmailStatus => $crate::api::bulk::BulkEmail;
                list_bulk_emails, listBulkEmails, paged, GET "/email/bulk" [], $crate::api::bulk::ListBulkEmails => $crate::api::bulk::BulkEmailList;
                list_message_streams, listMessageStreams, single, GET "/message-streams" [], $crate::api::streams::ListMessageStreams => $crate::api::streams::MessageStreamList;
                get_message_stream, getMessageStream, single, GET "/message-streams/{stream_id}" [stream_id], $crate::api::streams::GetMessageStream => $crate::api::streams::MessageStream;
                edit_message_stream, editMessageStream, single, PATCH "/message-streams/{stream_id}" [stream_id], $crate::api::streams::EditMessageStream => $crate::api::streams::MessageStream;
                create_message_stream, createMessageStream, single, POST "/message-streams" [], $crate::api::streams::CreateMessageStream => $crate::api::streams::MessageStream;
                archive_message_stream, archiveMessageStream, single, POST "/message-streams/{stream_id}/archive" [stream_id], $crate::api::streams::ArchiveMessageStream => $crate::api::streams::MessageStreamArchive;
                unarchive_message_stream, unarchiveMessageStream, single, POST "/message-streams/{stream_id}/unarchive" [stream_id], $crate::api::streams::UnarchiveMessageStream => $crate::api::streams::MessageStream;
                dump_suppressions, dumpSuppressions, single, GET "/message-streams/{stream_id}/suppressions/dump" [stream_id], $crate::api::suppressions::DumpSuppressions => $crate::api::suppressions::SuppressionDump;
                create_suppressions, createSuppressions, single, POST "/message-streams/{stream_id}/suppressions" [stream_id], $crate::api::suppressions::CreateSuppressions => $crate::api::suppressions::SuppressionResults;
                delete_suppressions, deleteSuppressions, single, POST "/message-streams/{stream_id}/suppressions/delete" [stream_id], $crate::api::suppressions::DeleteSuppressions => $crate::api::suppressions::SuppressionResults;
                list_inbound_rules, listInboundRules, paged, GET "/triggers/inboundrules" [], $crate::api::inbound_rules::ListInboundRules => $crate::api::inbound_rules::InboundRuleList;
                create_inbound_rule, createInboundRule, single, POST "/triggers/inboundrules" [], $crate::api::inbound_rules::CreateInboundRule => $crate::api::inbound_rules::InboundRule;
                delete_inbound_rule, deleteInboundRule, single, DELETE "/triggers/inboundrules/{id}" [id], $crate::api::inbound_rules::DeleteInboundRule => $crate::api::common::StandardResponse;
                get_outbound_overview, getOutboundOverview, single, GET "/stats/outbound" [], $crate::api::stats::GetOutboundOverview => $crate::api::stats::OutboundOverview;
                get_sent_counts, getSentCounts, single, GET "/stats/outbound/sends" [], $crate::api::stats::GetSentCounts => $crate::api::stats::StatsReport<$crate::api::stats::SentCounts>;
                get_bounce_counts, getBounceCounts, single, GET "/stats/outbound/bounces" [], $crate::api::stats::GetBounceCounts => $crate::api::stats::StatsReport<$crate::api::stats::BounceCounts>;
                get_spam_complaint_counts, getSpamComplaintCounts, single, GET "/stats/outbound/spam" [], $crate::api::stats::GetSpamComplaintCounts => $crate::api::stats::StatsReport<$crate::api::stats::SpamComplaintCounts>;
                get_tracked_email_counts, getTrackedEmailCounts, single, GET "/stats/outbound/tracked" [], $crate::api::stats::GetTrackedEmailCounts => $crate::api::stats::StatsReport<$crate::api::stats::TrackedEmailCounts>;
                get_email_open_counts, getEmailOpenCounts, single, GET "/stats/outbound/opens" [], $crate::api::stats::GetEmailOpenCounts => $crate::api::stats::StatsReport<$crate::api::stats::OpenCounts>;
                get_email_platform_usage, getEmailPlatformUsage, single, GET "/stats/outbound/opens/platforms" [], $crate::api::stats::GetEmailPlatformUsage => $crate::api::stats::StatsReport<$crate::api::stats::EmailPlatformCounts>;
                get_email_client_usage, getEmailClientUsage, single, GET "/stats/outbound/opens/emailclients" [], $crate::api::stats::GetEmailClientUsage => $crate::api::stats::StatsReport<$crate::api::stats::NamedCounts>;
                get_email_read_times, getEmailReadTimes, single, GET "/stats/outbound/opens/readtimes" [], $crate::api::stats::GetEmailReadTimes => $crate::api::stats::StatsReport<$crate::api::stats::NamedCounts>;
                get_click_counts, getClickCounts, single, GET "/stats/outbound/clicks" [], $crate::api::stats::GetClickCounts => $crate::api::stats::StatsReport<$crate::api::stats::ClickCounts>;
                get_browser_usage, getBrowserUsage, single, GET "/stats/outbound/clicks/browserfamilies" [], $crate::api::stats::GetBrowserUsage => $crate::api::stats::StatsReport<$crate::api::stats::NamedCounts>;
                get_browser_platform_usage, getBrowserPlatformUsage, single, GET "/stats/outbound/clicks/platforms" [], $crate::api::stats::GetBrowserPlatformUsage => $crate::api::stats::StatsReport<$crate::api::stats::BrowserPlatformCounts>;
                get_click_location, getClickLocation, single, GET "/stats/outbound/clicks/location" [], $crate::api::stats::GetClickLocation => $crate::api::stats::StatsReport<$crate::api::stats::ClickLocationCounts>;
            }
            account {
                list_servers, listServers, paged, GET "/servers" [], $crate::api::servers::ListServers => $crate::api::servers::ServerList;
                get_server, getServer, single, GET "/servers/{id}" [id], $crate::api::servers::GetServer => $crate::api::servers::Server;
                create_server, createServer, single, POST "/servers" [], $crate::api::servers::CreateServer => $crate::api::servers::Server;
                edit_server, editServer, single, PUT "/servers/{id}" [id], $crate::api::servers::EditServer => $crate::api::servers::Server;
                delete_server, deleteServer, single, DELETE "/servers/{id}" [id], $crate::api::servers::DeleteServer => $crate::api::common::StandardResponse;
                push_templates, pushTemplates, single, PUT "/templates/push" [], $crate::api::templates::PushTemplates => $crate::api::templates::TemplatePush;
                list_domains, listDomains, paged, GET "/domains" [], $crate::api::domains::ListDomains => $crate::api::domains::DomainList;
                get_domain, getDomain, single, GET "/domains/{id}" [id], $crate::api::domains::GetDomain => $crate::api::domains::Domain;
                create_domain, createDomain, single, POST "/domains" [], $crate::api::domains::CreateDomain => $crate::api::domains::Domain;
                edit_domain, editDomain, single, PUT "/domains/{id}" [id], $crate::api::domains::EditDomain => $crate::api::domains::Domain;
                delete_domain, deleteDomain, single, DELETE "/domains/{id}" [id], $crate::api::domains::DeleteDomain => $crate::api::common::StandardResponse;
                verify_domain_dkim, verifyDomainDkim, single, PUT "/domains/{id}/verifyDkim" [id], $crate::api::domains::VerifyDomainDkim => $crate::api::domains::Domain;
                verify_domain_return_path, verifyDomainReturnPath, single, PUT "/domains/{id}/verifyReturnPath" [id], $crate::api::domains::VerifyDomainReturnPath => $crate::api::domains::Domain;
                verify_domain_spf, verifyDomainSpf, single, POST "/domains/{id}/verifyspf" [id], $crate::api::domains::VerifyDomainSpf => $crate::api::domains::SpfRecord;
                rotate_domain_dkim, rotateDomainDkim, single, POST "/domains/{id}/rotatedkim" [id], $crate::api::domains::RotateDomainDkim => $crate::api::domains::Domain;
                list_sender_signatures, listSenderSignatures, paged, GET "/senders" [], $crate::api::senders::ListSenderSignatures => $crate::api::senders::SenderSignatureList;
                get_sender_signature, getSenderSignature, single, GET "/senders/{id}" [id], $crate::api::senders::GetSenderSignature => $crate::api::senders::SenderSignature;
                create_sender_signature, createSenderSignature, single, POST "/senders" [], $crate::api::senders::CreateSenderSignature => $crate::api::senders::SenderSignature;
                edit_sender_signature, editSenderSignature, single, PUT "/senders/{id}" [id], $crate::api::senders::EditSenderSignature => $crate::api::senders::SenderSignature;
                delete_sender_signature, deleteSenderSignature, single, DELETE "/senders/{id}" [id], $crate::api::senders::DeleteSenderSignature => $crate::api::common::StandardResponse;
                resend_sender_signature_confirmation, resendSenderSignatureConfirmation, single, POST "/senders/{id}/resend" [id], $crate::api::senders::ResendSenderSignatureConfirmation => $crate::api::common::StandardResponse;
                verify_sender_signature_spf, verifySenderSignatureSpf, single, POST "/senders/{id}/verifyspf" [id], $crate::api::senders::VerifySenderSignatureSpf => $crate::api::senders::SenderSignature;
                request_new_sender_signature_dkim, requestNewSenderSignatureDkim, single, POST "/senders/{id}/requestnewdkim" [id], $crate::api::senders::RequestNewSenderSignatureDkim => $crate::api::common::StandardResponse;
                create_data_removal, createDataRemoval, single, POST "/data-removals" [], $crate::api::data_removals::CreateDataRemoval => $crate::api::data_removals::DataRemoval;
                get_data_removal_status, getDataRemovalStatus, single, GET "/data-removals/{id}" [id], $crate::api::data_removals::GetDataRemovalStatus => $crate::api::data_removals::DataRemoval;
            }
        }
    };
}

/// Every row's [`Endpoint`] impl and its [`Operation`], as an associated
/// `ROW` of the request type: the table's facts, the endpoint's
/// [`Rules`], and its shapes from the generated table.
macro_rules! operation_rows {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        operation_rows!(@kind Server; $($s, $sj, $sp, $sm $sr [$($sa),*], $sty => $sre;)*);
        operation_rows!(@kind Account; $($a, $aj, $ap, $am $ar [$($aa),*], $aty => $are;)*);

        /// Every operation, in table order: server-token ones first.
        pub static OPERATIONS: &[Operation] = &[$(<$sty>::ROW,)* $(<$aty>::ROW,)*];
    };
    (@kind $token:ident; $($name:ident, $js:ident, $paging:ident, $method:ident $path:literal [$($param:ident),*], $ty:path => $response:ty;)*) => {
        $(
            impl $ty {
                pub(crate) const ROW: Operation = Operation {
                    name: stringify!($name),
                    js_name: stringify!($js),
                    token: $token::NAME,
                    paged: operation_rows!(@paged $paging),
                    method: stringify!($method),
                    path: $path,
                    path_params: &[$(stringify!($param)),*],
                    shapes: shape::operation(stringify!($name)),
                    check: <$ty as Rules>::check,
                    max_body: <$ty as Rules>::MAX_BODY,
                    idempotent: match <$ty as Rules>::IDEMPOTENT {
                        Some(idempotent) => idempotent,
                        None => !matches!(stringify!($method).as_bytes(), b"POST" | b"PATCH"),
                    },
                    pages: operation_rows!(@pages $paging, $ty),
                    build: Operation::table_parts,
                };
            }

            impl crate::Endpoint for $ty {
                type Token = $token;
                type Response = $response;
                const OPERATION: &'static str = stringify!($name);

                fn parts(&self) -> Result<Parts<'static>, BuildError> {
                    Self::ROW.typed_parts(self)
                }
            }
        )*
    };
    (@paged paged) => { true };
    (@paged single) => { false };
    (@pages paged, $ty:path) => {
        Some(PageLimits {
            max_count: <$ty as Paged>::MAX_COUNT,
            depth_cap: <$ty as Paged>::DEPTH_CAP,
            paging: <$ty as Paged>::PAGING,
        })
    };
    (@pages single, $ty:path) => { None };
}

for_each_operation!(operation_rows);

/// How a paged list may be paged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct PageLimits {
    max_count: u32,
    depth_cap: Option<u32>,
    paging: Paging,
}

/// Builds an operation's request parts from its JSON parameters.
type BuildParts = for<'a> fn(&Operation, &'a [u8]) -> Result<Parts<'a>, BuildError>;

/// One operation: what the table says about it, and its entry points by name.
///
/// Found with [`operation`]; every method checks its input against the
/// operation's shapes, so a misspelt field is refused before anything is
/// sent, with its JSON path.
///
/// It serializes to its table facts, `{name, jsName, token, paged, method,
/// path, idempotent, items}`, as the bindings' `operations()` list them.
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// snake_case name, as in Postmark's catalog (`send_email`).
    pub name: &'static str,
    /// camelCase name for JavaScript (`sendEmail`).
    pub js_name: &'static str,
    /// `"server"` or `"account"`; `"any"` for [`RAW`].
    pub token: &'static str,
    /// Whether the list is paged, with `count`/`offset` or with
    /// `count`/`paginationKey` ([`paging`](Self::paging) tells which).
    pub paged: bool,
    /// HTTP method.
    pub method: &'static str,
    /// Path template, with `{id}`-style parameters.
    pub path: &'static str,
    /// Whether sending the request twice has the same effect as sending it
    /// once (every method but POST and PATCH, unless the endpoint says).
    pub idempotent: bool,
    #[serde(skip)]
    path_params: &'static [&'static str],
    /// For a paged list, the field of its answer holding the page's items.
    #[serde(rename = "items", serialize_with = "serialize_items")]
    shapes: &'static OperationShapes,
    #[serde(skip)]
    check: fn(read::Value<'_>) -> Result<(), BuildError>,
    #[serde(skip)]
    max_body: usize,
    #[serde(skip)]
    pages: Option<PageLimits>,
    #[serde(skip)]
    build: BuildParts,
}

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("name", &self.name)
            .field("token", &self.token)
            .field("paged", &self.paged)
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Operation {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Operation {}

fn serialize_items<S: serde::Serializer>(
    shapes: &&'static OperationShapes,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    shapes.items.serialize(serializer)
}

/// The operation table as JSON text, [`RAW`] last: `[{name, jsName, token,
/// paged, method, path, idempotent, items}]`, what the bindings build their
/// clients' methods from.
pub fn table_json() -> String {
    let rows: Vec<&Operation> = operations().chain([&RAW]).collect();
    json::to_string(&rows)
}

/// A request built by name, with what a transport needs to know to retry it.
#[derive(Debug)]
pub struct BuiltRequest {
    /// The request.
    pub request: Request<Vec<u8>>,
    /// Whether resending it after an ambiguous failure is harmless.
    pub idempotent: bool,
}

/// A response read by an operation: the JSON text to hand to the caller and,
/// for a page, what the walk needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Answer<'b> {
    /// The answer as JSON text with Postmark's wire names: the body as
    /// received, with a `null` or missing field given its default, a `null`
    /// where a value may be absent left out, and every enum in its
    /// documented spelling. Fields the models do not know are kept.
    pub text: Cow<'b, [u8]>,
    /// For a page: how many items it holds.
    pub items: Option<usize>,
    /// For a page: Postmark's `TotalCount`.
    pub total: Option<u64>,
    /// For a page of a list paged by key: the key of the next page
    /// (`PaginationKey`), absent on the last page.
    pub next_key: Option<String>,
}

impl<'b> Answer<'b> {
    /// Whether the text is the body as received.
    pub fn is_unchanged(&self) -> bool {
        matches!(self.text, Cow::Borrowed(_))
    }

    /// The text as a string; it is valid UTF-8.
    pub fn into_string(self) -> String {
        String::from_utf8(self.text.into_owned())
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned())
    }
}

impl Operation {
    /// The kind of token a caller who does not say should build with: the
    /// operation's own, and a server token for [`RAW`], the common case.
    pub fn default_token_kind(&self) -> &'static str {
        match self.token {
            token if token == RAW.token => Server::NAME,
            token => token,
        }
    }

    /// Builds the request from JSON parameters (the endpoint struct's serde
    /// form; empty text or `null` for none) for a client holding a token of
    /// kind `K`.
    ///
    /// Refused: the other kind of token, parameters that do not fit the
    /// operation's shape (with the path of the first one that does not, a
    /// misspelt field included), a required field that is absent or blank,
    /// and whatever the endpoint itself refuses.
    pub fn build<K: TokenKind>(
        &self,
        config: &Config<K>,
        params: &str,
    ) -> Result<BuiltRequest, BuildError> {
        let parts = self.parts(K::NAME, params)?;
        let idempotent = parts.idempotent;
        Ok(BuiltRequest {
            request: parts.into_request(config)?,
            idempotent,
        })
    }

    /// [`build`](Self::build) without a config: the method, path, query and
    /// body for a client whose token is of `kind` (`"server"` or
    /// `"account"`). `params` is the JSON text, or its bytes: UTF-8 is
    /// checked as it is read, not in a pass of its own. The body borrows
    /// `params` when it is the parameters as given.
    pub fn parts<'a, P: AsRef<[u8]> + ?Sized>(
        &self,
        kind: &str,
        params: &'a P,
    ) -> Result<Parts<'a>, BuildError> {
        if self.token != kind && self.token != RAW.token {
            return Err(BuildError::WrongTokenKind {
                operation: self.name,
                needs: self.token,
            });
        }
        (self.build)(self, params.as_ref())
    }

    /// Reads a response into the JSON text the caller gets (see [`Answer`]),
    /// checking it against the operation's response shape; a non-success
    /// status is an [`Error`], as in [`parse`](crate::parse). Never panics,
    /// whatever the bytes.
    pub fn read<'b>(&self, response: &Response<&'b [u8]>) -> Result<Answer<'b>, Error> {
        if !response.status().is_success() {
            return Err(Error::from_response(response));
        }
        self.read_body(response.status(), response.body())
    }

    /// [`read`](Self::read) of a success: the status and the body alone.
    pub fn read_body<'b>(&self, status: StatusCode, body: &'b [u8]) -> Result<Answer<'b>, Error> {
        self.read_answer(status, body, false)
    }

    /// [`read_body`](Self::read_body) with the text in ASCII, each character
    /// past it written as a `\u` escape: the same JSON value, for a reader
    /// that decodes ASCII faster than UTF-8 (JavaScript's `TextDecoder`
    /// decodes it as Latin-1 several times faster). The escapes are written
    /// as the edits are, in the same copy; the text is the body itself when
    /// it is ASCII and needs no edits.
    pub fn read_body_ascii<'b>(
        &self,
        status: StatusCode,
        body: &'b [u8],
    ) -> Result<Answer<'b>, Error> {
        self.read_answer(status, body, true)
    }

    fn read_answer<'b>(
        &self,
        status: StatusCode,
        body: &'b [u8],
        ascii: bool,
    ) -> Result<Answer<'b>, Error> {
        // An empty success body is read as `null`: raw calls get `null`, and
        // a model that needs fields reports what it missed.
        let text = match body.trim_ascii() {
            b"" => b"null".as_slice(),
            _ => body,
        };
        let answer =
            read::response(text, self.shapes.response, self.shapes.items).map_err(|failure| {
                match failure {
                    Failure::Invalid { path, message, .. } => Error::Decode {
                        status,
                        path,
                        message,
                        body: crate::error::excerpt(body),
                    },
                    Failure::Refused(error) => Error::Decode {
                        status,
                        path: ".".into(),
                        message: error.to_string(),
                        body: crate::error::excerpt(body),
                    },
                }
            })?;
        Ok(Answer {
            // The edits write ASCII, or text taken from the body.
            text: answer.edits.apply(text, ascii && !answer.ascii),
            items: answer.items,
            total: answer.total,
            next_key: answer.next_key,
        })
    }

    /// Reads a response into JSON text: [`read`](Self::read)'s text.
    pub fn parse(&self, response: &Response<&[u8]>) -> Result<String, Error> {
        self.read(response).map(Answer::into_string)
    }

    /// For a paged list: the field of its answer that holds the page's items.
    pub fn items_field(&self) -> Option<&'static str> {
        self.shapes.items
    }

    /// For a paged list: how Postmark pages it.
    pub fn paging(&self) -> Option<Paging> {
        self.pages.map(|limits| limits.paging)
    }

    /// Starts a walk over every item of this paged list from the page its
    /// `count`/`offset` (or `count`/`paginationKey`) parameters name,
    /// handing out at most `limit` items.
    pub fn pages(&'static self, params: &str, limit: Option<u64>) -> Result<DynPager, BuildError> {
        let (start, key) = self.first_page(params)?;
        let cursor = self.start(start, key, limit)?;
        DynPager::new(self, params, start, cursor)
    }

    /// Resumes a walk from a saved cursor. A cursor made for a looser list is
    /// tightened to this one's page size and depth limits; one of the other
    /// [`Paging`] is refused.
    pub fn resume(&'static self, params: &str, mut cursor: Cursor) -> Result<DynPager, BuildError> {
        let (start, _) = self.first_page(params)?;
        self.restrict(&mut cursor)?;
        DynPager::new(self, params, start, cursor)
    }

    /// A cursor for a walk from the page `params` name, as [`pages`](Self::pages)
    /// starts one; for callers that send the pages themselves.
    pub fn cursor(&self, params: &str, limit: Option<u64>) -> Result<Cursor, BuildError> {
        let (start, key) = self.first_page(params)?;
        self.start(start, key, limit)
    }

    /// A cursor for a walk from `start` (and `key`, by key).
    fn start(
        &self,
        start: Page,
        key: Option<String>,
        limit: Option<u64>,
    ) -> Result<Cursor, BuildError> {
        let limits = self.limits()?;
        match limits.paging {
            Paging::Offset => Cursor::new(
                start.count,
                limits.max_count,
                limits.depth_cap,
                start.offset,
                limit,
            ),
            Paging::Key => Cursor::keyed(start.count, limits.max_count, key, limit),
        }
    }

    /// Tightens a cursor a caller saved to this list's page size and depth
    /// limits. Refused: a cursor of the other [`Paging`], which cannot say
    /// where this list stands.
    pub fn restrict(&self, cursor: &mut Cursor) -> Result<(), BuildError> {
        let limits = self.limits()?;
        if cursor.paging() != limits.paging {
            return Err(BuildError::InvalidParams {
                operation: self.name,
                path: "cursor".into(),
                message: format!(
                    "a cursor of a list paged by {}",
                    match cursor.paging() {
                        Paging::Offset => "offset",
                        Paging::Key => "key",
                    }
                ),
            });
        }
        cursor.restrict(limits.max_count, limits.depth_cap);
        Ok(())
    }

    fn limits(&self) -> Result<PageLimits, BuildError> {
        self.pages.ok_or(BuildError::NotPaged {
            operation: self.name,
        })
    }

    /// The page the parameters name, checked as a request would be, and
    /// for a list by key the key they name.
    fn first_page(&self, params: &str) -> Result<(Page, Option<String>), BuildError> {
        self.limits()?;
        let text = params_text(params.as_bytes());
        let doc = read::params(text, self.shapes.params, &[]).map_err(|f| self.refusal(f))?;
        let key = doc.root().get(KEY_PARAM).and_then(|key| key.str());
        Ok((self.page_of(doc.root()), key.map(Cow::into_owned)))
    }

    /// The `count` and `offset` of read parameters, with their defaults. A
    /// list by key whose `count` has none (Postmark's own applies) is walked
    /// in pages of its largest count.
    fn page_of(&self, params: read::Value<'_>) -> Page {
        let number = |name: &str| -> u32 {
            let given = params.get(name).and_then(read::Value::int);
            let default = || {
                object(self.shapes.params)
                    .and_then(|object| object.fields.iter().find(|f| f.name() == name))
                    .and_then(|field| field.default()?.parse().ok())
            };
            given
                .or_else(default)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or_default()
        };
        let count = match (number("count"), self.pages) {
            (
                0,
                Some(PageLimits {
                    paging: Paging::Key,
                    max_count,
                    ..
                }),
            ) if params.get("count").is_none() => max_count,
            (count, _) => count,
        };
        Page {
            count,
            offset: number("offset"),
        }
    }

    /// A failure to read parameters as a [`BuildError`].
    fn refusal(&self, failure: Failure) -> BuildError {
        match failure {
            Failure::Invalid {
                path,
                message,
                syntax,
            } => BuildError::InvalidParams {
                operation: self.name,
                path,
                message: match syntax {
                    true => format!("not JSON: {message}"),
                    false => message,
                },
            },
            Failure::Refused(error) => error,
        }
    }

    /// The parts of a table operation's request: the parameters read against
    /// the shape, the page and the endpoint's own checks, then the path with
    /// its parameters, the query (GET, DELETE) or the body.
    fn table_parts<'a>(&self, params: &'a [u8]) -> Result<Parts<'a>, BuildError> {
        let text = params_text(params);
        let has_body = !matches!(self.method, "GET" | "DELETE");
        let exclude = if has_body { self.path_params } else { &[] };
        let doc = read::params(text, self.shapes.params, exclude).map_err(|f| self.refusal(f))?;
        let root = doc.root();
        if let Some(limits) = self.pages {
            crate::validate_page(self.page_of(root), limits.max_count, limits.depth_cap)?;
        }
        (self.check)(root)?;
        let mut path_and_query = self.fill_path(root);
        let fields = object(self.shapes.params).map_or(&[][..], |object| object.fields);
        let body = match has_body {
            false => {
                push_query(&mut path_and_query, root, fields, self.path_params);
                None
            }
            true if fields.iter().all(|f| self.path_params.contains(&f.name()))
                && object(self.shapes.params).is_some() =>
            {
                None
            }
            true => {
                let body = doc.edits().apply(text, false);
                if body.len() > self.max_body {
                    return Err(BuildError::PayloadTooLarge {
                        bytes: body.len(),
                        max: self.max_body,
                    });
                }
                Some(body)
            }
        };
        Ok(Parts {
            method: Method::from_bytes(self.method.as_bytes()).unwrap_or_default(),
            path_and_query,
            body,
            idempotent: self.idempotent,
        })
    }

    /// The path template with its parameters: numbers as written, strings
    /// as escaped path segments.
    fn fill_path(&self, params: read::Value<'_>) -> String {
        let mut path = String::with_capacity(self.path.len() + 24);
        let mut rest = self.path;
        while let Some(open) = rest.find('{') {
            path.push_str(&rest[..open]);
            let close = rest[open..].find('}').map_or(rest.len(), |i| open + i);
            let value = params.get(&rest[open + 1..close]);
            match value.and_then(read::Value::str) {
                Some(text) => path.push_str(&path_segment(&text)),
                None => path.push_str(value.and_then(read::Value::number).unwrap_or_default()),
            }
            rest = rest.get(close + 1..).unwrap_or_default();
        }
        path.push_str(rest);
        path
    }

    /// A typed endpoint's parts: its serde form read as the parameters are,
    /// so that the checks exist once. A body that is that form as written
    /// takes it over rather than copying it.
    pub(crate) fn typed_parts<E: Serialize>(
        &self,
        endpoint: &E,
    ) -> Result<Parts<'static>, BuildError> {
        enum Body {
            None,
            Same,
            Edited(Vec<u8>),
        }
        let text = json::to_vec(endpoint);
        let (method, path_and_query, body, idempotent) = {
            let parts = (self.build)(self, &text)?;
            let body = match parts.body {
                None => Body::None,
                Some(Cow::Borrowed(body)) if body.len() == text.len() => Body::Same,
                Some(body) => Body::Edited(body.into_owned()),
            };
            (parts.method, parts.path_and_query, body, parts.idempotent)
        };
        let body = match body {
            Body::None => None,
            Body::Same => Some(Cow::Owned(text)),
            Body::Edited(body) => Some(Cow::Owned(body)),
        };
        Ok(Parts {
            method,
            path_and_query,
            body,
            idempotent,
        })
    }
}

/// Parameters as text: empty text and `null` are no parameters.
fn params_text(params: &[u8]) -> &[u8] {
    match params.trim_ascii() {
        b"" | b"null" => b"{}",
        _ => params,
    }
}

/// The object a shape is, if it is one.
fn object(shape: &'static Shape) -> Option<&'static Object> {
    match shape {
        Shape::Object(object) => Some(object),
        _ => None,
    }
}

/// Appends the query of a GET or DELETE: first those with a default (a
/// list's `count` and `offset`), given or not, then the others given, in the
/// order given, but the path's.
fn push_query(out: &mut String, params: read::Value<'_>, fields: &[Field], path_params: &[&str]) {
    let mut query = crate::Query::default();
    let paging = |field: &Field| field.default().is_some() && !field.has(Field::OPTIONAL);
    for field in fields.iter().filter(|f| paging(f)) {
        match params.get(field.name()) {
            Some(value) => query.push(field.name(), value.text()),
            None => query.push(
                field.name(),
                field.default().unwrap_or_default().trim_matches('"'),
            ),
        };
    }
    for (name, value) in params.members() {
        let Some(field) = fields
            .iter()
            .find(|f| f.name() == name || f.alias() == Some(&*name))
        else {
            continue;
        };
        if path_params.contains(&field.name()) || paging(field) {
            continue;
        }
        if field.has(Field::METADATA_FILTER) {
            if let (Some(key), Some(value)) = (
                value.get("key").and_then(read::Value::str),
                value.get("value").and_then(read::Value::str),
            ) {
                query.push(&format!("metadata_{key}"), value);
            }
            continue;
        }
        // Every query field is a scalar (the reader refused anything else).
        let text: Cow<'_, str> = match (value.str(), field.shape()) {
            (Some(text), Shape::Enum(values)) => {
                let known = values.iter().find(|v| v.eq_ignore_ascii_case(&text));
                let spelled = known.map_or(text, |known| Cow::Borrowed(*known));
                match field.has(Field::LOWER_IN_QUERY) {
                    true => Cow::Owned(spelled.to_ascii_lowercase()),
                    false => spelled,
                }
            }
            (Some(text), _) => text,
            (None, _) => value.text(),
        };
        query.push(field.name(), text);
    }
    if !query.is_empty() {
        out.push('?');
        out.push_str(&query.to_string());
    }
}

/// The escape hatch: `{method, path, query?, body?}` with either kind of
/// token, answering the body as it came (`null` for an empty one). See
/// [`Raw`](crate::api::raw::Raw).
pub static RAW: Operation = Operation {
    name: "raw",
    js_name: "raw",
    token: "any",
    paged: false,
    method: "any",
    path: "any",
    idempotent: false,
    path_params: &[],
    shapes: &crate::api::raw::SHAPES,
    check: crate::endpoint::no_check,
    max_body: crate::api::raw::MAX_RAW_BYTES,
    pages: None,
    build: crate::api::raw::parts,
};

/// Every operation of the table, in table order (not [`RAW`]).
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    OPERATIONS.iter()
}

/// The operation with this snake_case name, [`RAW`] for `"raw"`.
pub fn operation(name: &str) -> Option<&'static Operation> {
    match name {
        "raw" => Some(&RAW),
        name => operations().find(|op| op.name == name),
    }
}

/// [`operation`], or the error that names the unknown operation.
pub fn find(name: &str) -> Result<&'static Operation, BuildError> {
    operation(name).ok_or_else(|| BuildError::UnknownOperation {
        name: name.to_owned(),
    })
}

/// [`find`] by the JavaScript name (`sendEmail`; `raw` for [`RAW`]).
pub fn find_js(js_name: &str) -> Result<&'static Operation, BuildError> {
    match js_name {
        "raw" => Ok(&RAW),
        js_name => operations()
            .find(|op| op.js_name == js_name)
            .ok_or_else(|| BuildError::UnknownOperation {
                name: js_name.to_owned(),
            }),
    }
}

/// A walk over a paged list by operation name, for the bindings: it hands
/// out the JSON parameters of each page and takes each page's response.
#[derive(Debug, Clone)]
pub struct DynPager {
    operation: &'static Operation,
    params: Map<String, Value>,
    cursor: Cursor,
}

impl DynPager {
    fn new(
        operation: &'static Operation,
        params: &str,
        start: Page,
        cursor: Cursor,
    ) -> Result<DynPager, BuildError> {
        // The parameters were read against the shape already: an object.
        let mut params = match serde_json::from_slice(params_text(params.as_bytes())) {
            Ok(Value::Object(params)) => params,
            _ => Map::new(),
        };
        params.retain(|_, value| !value.is_null());
        let key = params
            .get(KEY_PARAM)
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut pager = DynPager {
            operation,
            params,
            cursor,
        };
        pager.set_page(start, key.as_deref());
        Ok(pager)
    }

    /// Sets the parameters that name a page: `count` and `offset`, or
    /// `count` and the key (left out for the first page).
    fn set_page(&mut self, page: Page, key: Option<&str>) {
        self.params.insert("count".into(), page.count.into());
        match self.cursor.paging() {
            Paging::Offset => {
                self.params.insert("offset".into(), page.offset.into());
            }
            Paging::Key => match key {
                Some(key) => {
                    self.params.insert(KEY_PARAM.into(), key.into());
                }
                None => {
                    self.params.remove(KEY_PARAM);
                }
            },
        }
    }

    /// The operation being walked.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The parameters the walk pages through, `null`s left out and its
    /// `count` and `offset` (or `paginationKey`) those of the first page.
    pub fn params(&self) -> &Map<String, Value> {
        &self.params
    }

    /// The page to fetch next and its JSON parameters, or `None` when done.
    pub fn next_params(&self) -> Option<(Page, String)> {
        let page = self.cursor.next_page()?;
        let mut next = self.clone();
        next.set_page(page, self.cursor.key());
        Some((page, json::to_string(&next.params)))
    }

    /// Takes the response to `page` and returns the items to hand out, as a
    /// JSON array with Postmark's wire names. An error response leaves the
    /// walk where it was.
    pub fn advance(&mut self, page: Page, response: &Response<&[u8]>) -> Result<String, Error> {
        let answer = self.operation.read(response)?;
        let received = answer.items.unwrap_or_default();
        let keep = match self.cursor.paging() {
            Paging::Offset => {
                0..self
                    .cursor
                    .advance(page, received, answer.total.unwrap_or_default())
            }
            Paging::Key => self
                .cursor
                .advance_key(page, received, answer.next_key.as_deref()),
        };
        let field = self.operation.items_field().unwrap_or_default();
        Ok(shape::items(&answer.text, field, keep))
    }

    /// Where the walk stands; serializable, to resume later.
    pub fn cursor(&self) -> &Cursor {
        &self.cursor
    }
}

/// JSON Schemas of every operation's parameters, response and (for paged
/// lists) items, with shared definitions: the source of the bindings' type
/// declarations.
///
/// The document is `{"operations": [{name, jsName, token, paged, method,
/// path, params, response, item?}], "definitions": {...}}`, where `params`,
/// `response` and `item` are schemas that refer into `definitions`.
#[cfg(feature = "schema")]
pub fn schema_document() -> Value {
    use schemars::SchemaGenerator;
    use schemars::generate::SchemaSettings;

    fn describe<E>(generator: &mut SchemaGenerator, item: Option<schemars::Schema>) -> Value
    where
        E: crate::Endpoint + schemars::JsonSchema,
        E::Response: schemars::JsonSchema,
    {
        let op = operation(E::OPERATION).expect("every endpoint is in the table");
        let mut row = serde_json::json!({
            "name": op.name,
            "jsName": op.js_name,
            "token": op.token,
            "paged": op.paged,
            "method": op.method,
            "path": op.path,
            "params": generator.subschema_for::<E>(),
            "response": generator.subschema_for::<E::Response>(),
        });
        if let Some(item) = item {
            row["item"] = item.to_value();
        }
        row
    }

    macro_rules! schema_rows {
        (server { $($server:tt)* } account { $($account:tt)* }) => {
            |generator: &mut SchemaGenerator| {
                let mut rows = Vec::new();
                schema_rows!(@rows rows, generator; $($server)*);
                schema_rows!(@rows rows, generator; $($account)*);
                rows
            }
        };
        (@rows $rows:ident, $generator:ident; $($name:ident, $js:ident, $paging:ident, $method:ident $path:literal [$($param:ident),*], $ty:path => $response:ty;)*) => {
            $({
                let item = schema_rows!(@item $paging, $ty, $generator);
                $rows.push(describe::<$ty>($generator, item));
            })*
        };
        (@item paged, $ty:path, $generator:ident) => {
            Some($generator.subschema_for::<<$ty as Paged>::Item>())
        };
        (@item single, $ty:path, $generator:ident) => {
            None
        };
    }

    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let rows = for_each_operation!(schema_rows)(&mut generator);
    serde_json::json!({
        "operations": rows,
        "definitions": generator.take_definitions(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Token;

    fn config() -> Config<Server> {
        Config::new(Token::new("t").unwrap())
    }

    fn build(name: &str, params: &str) -> Result<BuiltRequest, BuildError> {
        find(name)?.build(&config(), params)
    }

    /// `head`, `x`s, then `tail`: `len` bytes in all, for texts exactly at
    /// a size limit.
    fn padded(head: &str, tail: &str, len: usize) -> String {
        format!("{head}{}{tail}", "x".repeat(len - head.len() - tail.len()))
    }

    /// A message of `send_email` whose JSON text is `len` bytes long.
    fn message_of_len(len: usize) -> String {
        padded(
            r#"{"From":"a@x.com","To":"b@x.com","TextBody":""#,
            r#""}"#,
            len,
        )
    }

    /// `body` read as a 200 answer of the operation `name`, as JSON.
    fn read(name: &str, body: &str) -> Result<Value, Error> {
        let answer = find(name)
            .unwrap()
            .read_body(StatusCode::OK, body.as_bytes())?;
        Ok(serde_json::from_str(&answer.into_string()).unwrap())
    }

    /// The parameters of a template send whose `TemplateModel` is `model`.
    fn template_send(model: &str) -> String {
        format!(
            r#"{{"From":"a@x.com","To":"b@x.com","TemplateAlias":"t","TemplateModel":{model}}}"#
        )
    }

    #[test]
    fn names_are_unique_and_found() {
        let mut names: Vec<_> = operations().map(|op| op.name).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(operation("list_servers").unwrap().token, "account");
        assert_eq!(operation("send_email").unwrap().js_name, "sendEmail");
        assert_eq!(operation("raw"), Some(&RAW));
        assert!(operation("nope").is_none());
    }

    #[test]
    fn operations_serialize_to_their_table_facts() {
        let send = serde_json::to_value(find_js("sendEmail").unwrap()).unwrap();
        assert_eq!(
            send,
            serde_json::json!({"name": "send_email", "jsName": "sendEmail", "token": "server",
                               "paged": false, "method": "POST", "path": "/email",
                               "idempotent": false, "items": null})
        );
        assert_eq!(find_js("raw").unwrap(), &RAW);
        assert_eq!(RAW.default_token_kind(), "server");
        assert_eq!(
            find("list_servers").unwrap().default_token_kind(),
            "account"
        );
        assert!(matches!(
            find_js("send_email"),
            Err(BuildError::UnknownOperation { .. })
        ));
    }

    #[test]
    fn every_operation_has_its_generated_shapes() {
        for op in operations() {
            assert_eq!(op.shapes.name, op.name);
        }
    }

    #[test]
    fn operations_are_told_apart_by_name_and_listed_for_the_bindings() {
        let send = find("send_email").unwrap();
        assert_eq!(send, operation("send_email").unwrap());
        assert_ne!(send, find("get_server").unwrap());
        let shown = format!("{send:?}");
        assert!(
            shown.starts_with(r#"Operation { name: "send_email", token: "server", paged: false"#),
            "{shown}"
        );
        let table: Vec<serde_json::Value> = serde_json::from_str(&table_json()).unwrap();
        assert_eq!(table.len(), operations().count() + 1);
        assert_eq!(
            table[0],
            serde_json::to_value(operations().next().unwrap()).unwrap()
        );
        assert_eq!(table.last().unwrap()["name"], "raw");
    }

    #[test]
    fn values_nest_up_to_the_readers_depth() {
        // The parameters' object is one level, the model's arrays the others.
        let nested = |levels: usize| {
            template_send(&format!(
                r#"{{"a":{}1{}}}"#,
                "[".repeat(levels),
                "]".repeat(levels)
            ))
        };
        assert!(build("send_email_with_template", &nested(126)).is_ok());
        // Depth is nesting, not count: many arrays and objects side by side.
        let siblings = template_send(&format!(
            r#"{{"a":[{}],"b":[{}]}}"#,
            vec!["[]"; 300].join(","),
            vec!["{}"; 300].join(",")
        ));
        assert!(build("send_email_with_template", &siblings).is_ok());
        let err = build("send_email_with_template", &nested(127)).unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { message, .. } if message.contains("nest too deeply")),
            "{err:?}"
        );
    }

    #[test]
    fn an_empty_answer_object_gets_its_defaults() {
        for body in ["{}", "{ }", r#"{"InactiveMails": 3}"#] {
            let answer = read("get_delivery_stats", body).unwrap();
            assert!(answer["Bounces"].is_array(), "{body}: {answer}");
        }
    }

    /// A response's `null` takes the field's default only where the field may
    /// not be absent: the reader counts on no optional field having one.
    #[test]
    fn no_optional_field_has_a_default() {
        for shape in crate::shape::table::SHAPES {
            if let Shape::Object(object) = shape {
                for field in object.fields {
                    assert!(
                        !(field.has(Field::OPTIONAL) && field.default().is_some()),
                        "{}",
                        field.name()
                    );
                }
            }
        }
    }

    #[test]
    fn a_null_in_a_required_answer_field_is_refused_by_its_path() {
        let err = read("get_bounce", r#"{"ID": null, "Type": "HardBounce"}"#).unwrap_err();
        assert!(
            matches!(&err, Error::Decode { path, message, .. }
                if path == "ID" && message == "expected an integer, found null"),
            "{err:?}"
        );
    }

    #[test]
    fn a_blank_enum_in_an_answer_reads_as_absent() {
        let answer = read(
            "get_message_opens",
            r#"{"TotalCount": 2, "Opens": [{"Platform": " "}, {"Platform": "mobile"}]}"#,
        )
        .unwrap();
        assert_eq!(answer["Opens"][0].get("Platform"), None, "{answer}");
        assert_eq!(answer["Opens"][1]["Platform"], "Mobile");
    }

    #[test]
    fn only_the_pagination_key_is_a_pages_next_key() {
        let list = find("list_bulk_emails").unwrap();
        let read = |body: &str| {
            list.read_body(StatusCode::OK, body.as_bytes())
                .unwrap()
                .next_key
        };
        assert_eq!(
            read(r#"{"Requests": [], "PaginationKey": "k2"}"#).as_deref(),
            Some("k2")
        );
        assert_eq!(read(r#"{"Requests": [], "Note": "not a key"}"#), None);
        // Nor is a known string of an answer that is no page.
        let sent = find("send_email")
            .unwrap()
            .read_body(
                StatusCode::OK,
                br#"{"To": "a@example.com", "MessageID": "m", "ErrorCode": 0, "Message": "OK"}"#,
            )
            .unwrap();
        assert_eq!(sent.next_key, None);
    }

    #[test]
    fn metadata_drops_nulls_and_refuses_what_only_starts_like_one() {
        let details = |body| read("get_outbound_message_details", body);
        let answer = details(
            r#"{"MessageID": "m", "Metadata": {"a": null, "b": "x", "c": [ 1, { "d" : "e f" } ]}}"#,
        )
        .unwrap();
        // Other values become their compact JSON text, strings untouched.
        assert_eq!(
            answer["Metadata"],
            serde_json::json!({"b": "x", "c": r#"[1,{"d":"e f"}]"#})
        );
        assert!(details(r#"{"MessageID": "m", "Metadata": {"a": nulx}}"#).is_err());
    }

    #[test]
    fn attachments_read_as_their_names() {
        let with = |attachments: &str| {
            let body = format!(r#"{{"MessageID": "m", "Attachments": {attachments}}}"#);
            read("get_outbound_message_details", &body)
        };
        let names =
            r#"["a.pdf", {"Name": "b.png", "ContentType": "image/png"}, {"Name": null}, {}]"#;
        assert_eq!(
            with(names).unwrap()["Attachments"],
            serde_json::json!(["a.pdf", "b.png", "", ""])
        );
        assert_eq!(with("[ ]").unwrap()["Attachments"], serde_json::json!([]));
        for (bad, path) in [
            (r#"["a", 5]"#, "Attachments[1]"),
            (r#"["a", "b", {"Name": 5}]"#, "Attachments[2].Name"),
        ] {
            let err = with(bad).unwrap_err();
            assert!(
                matches!(&err, Error::Decode { path: at, .. } if at == path),
                "{bad}: {err:?}"
            );
        }
        // Many lists of names side by side, each closed: no depth builds up.
        let search = find("search_outbound_messages").unwrap();
        let messages = vec![r#"{"Attachments": []}, {"Attachments": ["a"]}"#; 150].join(",");
        let body = format!(r#"{{"TotalCount": 300, "Messages": [{messages}]}}"#);
        assert_eq!(
            search
                .read_body(StatusCode::OK, body.as_bytes())
                .unwrap()
                .items,
            Some(300)
        );
    }

    #[test]
    fn a_signed_field_reads_a_negative_number() {
        let answer = read(
            "get_bounce",
            r#"{"ID": -42, "Type": "HardBounce", "TypeCode": -1}"#,
        )
        .unwrap();
        assert_eq!(
            (answer["ID"].as_i64(), answer["TypeCode"].as_i64()),
            (Some(-42), Some(-1))
        );
    }

    #[test]
    fn an_answer_says_whether_it_is_the_body_as_received() {
        let get_server = find("get_server").unwrap();
        // Defaults given, a `null` where a value may be absent left out: edited.
        let edited = get_server
            .read_body(StatusCode::OK, br#"{"ID":1,"Name":null}"#)
            .unwrap();
        assert!(!edited.is_unchanged());
        // What the reading wrote needs no more edits.
        let text = edited.into_string();
        let again = get_server
            .read_body(StatusCode::OK, text.as_bytes())
            .unwrap();
        assert!(again.is_unchanged(), "{text}");
    }

    #[test]
    fn an_answer_in_ascii_is_the_text_itself_when_it_is_ascii() {
        let get_server = find("get_server").unwrap();
        // A text the reading wrote, which it reads again unchanged.
        let ascii = get_server
            .read_body(StatusCode::OK, br#"{"ID":1,"Name":"Cafe"}"#)
            .unwrap()
            .into_string();
        let read = get_server
            .read_body_ascii(StatusCode::OK, ascii.as_bytes())
            .unwrap();
        assert!(matches!(read.text, Cow::Borrowed(text) if std::ptr::eq(text, ascii.as_bytes())));
        // Edited or not, a character past ASCII is escaped, wherever it is:
        // in a field, a member no model has, or its key.
        for body in [
            r#"{"ID":1,"Name":"Café"}"#,
            r#"{"ID":1,"Name":"Café","Color":"red"}"#,
            r#"{"ID":1,"Name":"Caf\u00e9","Extra":["é"]}"#,
            r#"{"ID":1,"Name":"Caf\u00e9","é":1}"#,
        ] {
            let text = get_server
                .read_body_ascii(StatusCode::OK, body.as_bytes())
                .unwrap()
                .text;
            assert!(
                text.starts_with(br#"{"ID":1,"Name":"Caf\u00e9""#),
                "{text:?}"
            );
            assert!(text.is_ascii());
            // Read as it is, the same answer keeps its characters.
            let text = get_server
                .read_body(StatusCode::OK, body.as_bytes())
                .unwrap()
                .text;
            assert!(!text.is_ascii(), "{text:?}");
        }
    }

    #[test]
    fn text_that_is_not_utf8_is_refused_as_such_at_the_top() {
        // Inside a string or outside one, as an answer (read by the operation
        // or typed) or as parameters: refused at `.`, saying so.
        let refused = |what: &[u8], path: String, message: String| {
            assert_eq!(path, ".", "{what:?}");
            assert!(
                message.contains("the text is not UTF-8"),
                "{what:?}: {message}"
            );
            message
        };
        let get_server = find("get_server").unwrap();
        for body in [
            &b"{\"ID\":1,\"Name\":\"Caf\xe9\"}"[..],
            b"{\"ID\":1,\"Name\":\"\xed\xa0\x80\"}",
            b"{\"ID\":1,\xff\"Name\":\"Cafe\"}",
            b"{\"ID\":\"\xc3\"}",
        ] {
            let Err(Error::Decode { path, message, .. }) =
                get_server.read_body(StatusCode::OK, body)
            else {
                panic!("{body:?} was read");
            };
            let read = refused(body, path, message);
            let response = http::Response::builder().status(200).body(body).unwrap();
            let Err(Error::Decode { path, message, .. }) =
                crate::parse::<crate::api::servers::GetCurrentServer>(response)
            else {
                panic!("{body:?} was parsed");
            };
            assert_eq!(
                refused(body, path, message),
                read,
                "typed and not, the same"
            );
        }
        let send_email = find("send_email").unwrap();
        for params in [
            &b"{\"From\":\"a@example.com\",\"To\":\"b\xff@example.com\"}"[..],
            b"{\"From\":\"a@example.com\",\xc3}",
        ] {
            let Err(BuildError::InvalidParams { path, message, .. }) =
                send_email.parts("server", params)
            else {
                panic!("{params:?} was taken");
            };
            refused(params, path, message);
        }
    }

    #[test]
    fn unknown_operation_and_wrong_token_are_refused() {
        assert_eq!(
            build("send_mail", "{}").unwrap_err(),
            BuildError::UnknownOperation {
                name: "send_mail".into()
            }
        );
        assert!(matches!(
            build("get_server", r#"{"id": 1}"#),
            Err(BuildError::WrongTokenKind {
                needs: "account",
                ..
            })
        ));
        assert_eq!(
            find("get_server").unwrap().pages("", None).unwrap_err(),
            BuildError::NotPaged {
                operation: "get_server"
            }
        );
    }

    #[test]
    fn no_parameters_are_empty_text_or_null() {
        for none in ["", "  ", "null", " null\n"] {
            let built = build("get_current_server", none).unwrap();
            assert_eq!(built.request.uri().path(), "/server", "{none:?}");
        }
    }

    #[test]
    fn a_body_may_be_as_large_as_its_limit() {
        let max = crate::api::email::MAX_MESSAGE_BYTES;
        let built = build("send_email", &message_of_len(max)).unwrap();
        assert_eq!(built.request.body().len(), max);
        assert_eq!(
            build("send_email", &message_of_len(max + 1)).unwrap_err(),
            BuildError::PayloadTooLarge {
                bytes: max + 1,
                max
            }
        );
    }

    #[test]
    fn a_batch_message_may_be_as_large_as_its_limit() {
        let max = crate::api::email::MAX_MESSAGE_BYTES;
        let batch = |len| format!("[{}]", message_of_len(len));
        assert!(build("send_email_batch", &batch(max)).is_ok());
        assert_eq!(
            build("send_email_batch", &batch(max + 1)).unwrap_err(),
            BuildError::InBatch {
                index: 0,
                source: Box::new(BuildError::PayloadTooLarge {
                    bytes: max + 1,
                    max
                })
            }
        );
    }

    #[test]
    fn a_list_by_key_needs_no_count_but_refuses_a_zero_one() {
        let built = build("list_bulk_emails", "{}").unwrap();
        assert_eq!(built.request.uri().query(), None);
        // A count given is the caller's, zero included: refused, not replaced.
        assert_eq!(
            build("list_bulk_emails", r#"{"count": 0}"#).unwrap_err(),
            BuildError::MissingField {
                field: "count".into()
            }
        );
    }

    #[test]
    fn a_walk_keeps_its_filters_without_nulls() {
        let search = find("search_outbound_messages").unwrap();
        let pager = search
            .pages(
                r#"{"count": 50, "recipient": "a@x.org", "tag": null}"#,
                None,
            )
            .unwrap();
        assert_eq!(
            Value::Object(pager.params().clone()),
            serde_json::json!({"count": 50, "offset": 0, "recipient": "a@x.org"})
        );
    }

    #[cfg(feature = "schema")]
    #[test]
    fn the_schema_document_describes_every_operation() {
        let document = schema_document();
        let rows = document["operations"].as_array().unwrap();
        let names: Vec<&str> = rows
            .iter()
            .map(|row| row["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, operations().map(|op| op.name).collect::<Vec<_>>());
        let send = &rows[0];
        assert_eq!(
            (send["method"].as_str(), send["path"].as_str()),
            (Some("POST"), Some("/email"))
        );
        assert!(send["params"]["$ref"].is_string(), "{send}");
        assert!(
            document["definitions"]
                .as_object()
                .is_some_and(|d| d.len() > 100)
        );
    }

    /// A query parameter is written once, as text: none is a list or an
    /// object but the metadata filter, which becomes `metadata_<key>`.
    #[test]
    fn query_parameters_are_scalars() {
        for op in operations().filter(|op| matches!(op.method, "GET" | "DELETE")) {
            for field in object(op.shapes.params).map_or(&[][..], |o| o.fields) {
                let scalar = !matches!(
                    field.shape(),
                    Shape::List(_) | Shape::Batch(_) | Shape::Map(_) | Shape::Object(_)
                );
                assert!(
                    scalar || field.has(Field::METADATA_FILTER),
                    "{} {}",
                    op.name,
                    field.name()
                );
            }
        }
    }

    #[test]
    fn misspelt_parameters_are_refused_with_their_path() {
        let err = build(
            "send_email",
            r#"{"From": "a@x.com", "To": "b@x.com", "TextBody": "x", "Htmlbody": "y"}"#,
        )
        .unwrap_err();
        assert_eq!(
            err,
            BuildError::InvalidParams {
                operation: "send_email",
                path: "Htmlbody".into(),
                message: "unknown field".into()
            }
        );
        let err = build(
            "create_webhook",
            r#"{"Url": "https://x.example", "Triggers": {"Open": {"Enabled": true, "Extra": 1}}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { path, .. } if path == "Triggers.Open.Extra"),
            "{err:?}"
        );
        let err = build("get_webhook", r#"{"id": "seven"}"#).unwrap_err();
        assert_eq!(
            err,
            BuildError::InvalidParams {
                operation: "get_webhook",
                path: "id".into(),
                message: "expected an integer, found a string".into()
            }
        );
        let err = build("create_webhook", r#"{"Url": ["https://x.example"]}"#).unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { message, .. } if message == "expected a string, found an array"),
            "{err:?}"
        );
        let err = build("get_webhook", r#"{"id": 7} 8"#).unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { path, message, .. }
                if path == "." && message.contains("trailing characters")),
            "{err:?}"
        );
        let err = build("get_webhook", "{").unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { path, message, .. } if path == "." && message.starts_with("not JSON")),
            "{err:?}"
        );
    }

    /// A key written with escapes names its field as well, and an unedited
    /// body is the parameters as written, that key included.
    #[test]
    fn escaped_keys_name_their_fields() {
        let params = r#"{"\u0055rl": "https://x.example/hook", "MessageStream": "outbound"}"#;
        let built = build("create_webhook", params).unwrap();
        assert_eq!(built.request.body().as_slice(), params.as_bytes());
    }

    #[test]
    fn explicit_nulls_are_accepted() {
        let built = build(
            "send_email",
            r#"{"From": "a@x.com", "To": "b@x.com", "TextBody": "x", "Cc": null}"#,
        )
        .unwrap();
        assert_eq!(
            built.request.body().as_slice(),
            br#"{"From": "a@x.com", "To": "b@x.com", "TextBody": "x"}"#
        );
        assert!(!built.idempotent);
    }

    #[test]
    fn raw_query_values_are_scalars_and_arrays_of_them() {
        let params = r#"{"method": "GET", "path": "/x", "query":
            {"a": "s", "n": 5, "t": true, "l": [1, "b", null, {"x": 1}], "o": {"x": 1}, "z": null}}"#;
        let built = build("raw", params).unwrap();
        assert_eq!(built.request.uri().query(), Some("a=s&n=5&t=true&l=1&l=b"));
    }

    #[test]
    fn raw_parameters_need_a_method_and_a_clean_absolute_path() {
        for none in ["", "null"] {
            assert_eq!(
                build("raw", none).unwrap_err(),
                BuildError::MissingField {
                    field: "method".into()
                },
                "{none:?}"
            );
        }
        // Checked where the parts are made, before any URL: the npm package
        // makes its URL from them.
        for path in [
            "x",
            "//host/x",
            "/x?a=1",
            "/x#top",
            "/a b",
            "/a\u{2003}b",
            r"/a\u0001b",
        ] {
            let params = format!(r#"{{"method": "GET", "path": "{path}"}}"#);
            assert!(
                matches!(
                    RAW.parts("server", &params),
                    Err(BuildError::InvalidPath { .. })
                ),
                "{path}"
            );
        }
        let built = build("raw", r#"{"method": "delete", "path": "/a/b-c_d"}"#).unwrap();
        assert_eq!(built.request.method(), Method::DELETE);
        assert_eq!(built.request.uri().path(), "/a/b-c_d");
    }

    #[test]
    fn a_raw_body_may_be_as_large_as_its_limit() {
        let max = crate::api::raw::MAX_RAW_BYTES;
        let params = |len| {
            let body = padded("\"", "\"", len);
            format!(r#"{{"method": "POST", "path": "/x", "body": {body}}}"#)
        };
        assert_eq!(
            build("raw", &params(max)).unwrap().request.body().len(),
            max
        );
        assert_eq!(
            build("raw", &params(max + 1)).unwrap_err(),
            BuildError::PayloadTooLarge {
                bytes: max + 1,
                max
            }
        );
    }

    #[test]
    fn a_typed_raw_call_reads_its_method_in_any_case() {
        use crate::api::raw::Raw;
        let raw: Raw<Server> =
            serde_json::from_str(r#"{"method": "patch", "path": "/x"}"#).unwrap();
        assert_eq!(raw.method, Method::PATCH);
        assert!(serde_json::from_str::<Raw<Server>>(r#"{"method": "a b", "path": "/x"}"#).is_err());
    }

    #[test]
    fn raw_uses_the_clients_token_header() {
        let built = build("raw", r#"{"method": "get", "path": "/deliverystats"}"#).unwrap();
        assert!(built.request.headers().contains_key(Server::HEADER));
        assert!(built.idempotent);
        let account = Config::<Account>::new(Token::new("t").unwrap());
        let built = RAW
            .build(
                &account,
                r#"{"method": "POST", "path": "/x", "body": {"a": null}}"#,
            )
            .unwrap();
        assert!(built.request.headers().contains_key(Account::HEADER));
        assert_eq!(built.request.body().as_slice(), br#"{"a": null}"#);
    }
}
