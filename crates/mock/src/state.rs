//! Everything the mock remembers, kept in one struct behind one `Mutex`.

use std::collections::VecDeque;

use serde_json::{Map, Value, json};

use crate::address::Address;
use crate::api::bulk::BulkRequest;
use crate::api::data_removals::DataRemovals;
use crate::api::domains::Domains;
use crate::api::inbound_rules::InboundRules;
use crate::api::senders::Senders;
use crate::api::streams::Stream;
use crate::api::suppressions::{self, CUSTOMER, RECIPIENT};
use crate::api::templates::Template;
use crate::faults::FaultQueue;
use crate::json::ApiError;
use crate::{SeenRequest, StreamType, clock, ids};

/// Older messages are forgotten so that a long benchmark run does not grow without
/// bound; enough are kept for a search to match more than the 10,000 Postmark pages
/// (which a walk reaches by splitting its date window).
const MESSAGE_HISTORY: usize = 50_000;
/// Enough for any test that counts attempts, bounded for the same reason.
const REQUEST_HISTORY: usize = 100_000;
/// Every new server starts with a hard bounce of this address on `outbound`, which
/// suppresses it there, so 406 is easy to reach.
const SEEDED_BOUNCE_EMAIL: &str = "inactive@example.com";
/// Bounce IDs start past 2^32, as Postmark's do, and stay below 2^53 so that JavaScript
/// clients can hold them as numbers.
const FIRST_BOUNCE_ID: i64 = 5_000_000_001;

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) account_token: String,
    /// Token of the server created at start; control routes act on the server holding it.
    default_token: String,
    pub(crate) servers: Vec<Server>,
    next_server_id: i64,
    next_webhook_id: i64,
    next_bounce_id: i64,
    pub(crate) messages: VecDeque<SentMessage>,
    pub(crate) requests: VecDeque<SeenRequest>,
    pub(crate) faults: FaultQueue,
    /// Account-wide: domains, sender signatures and data-removal requests.
    pub(crate) domains: Domains,
    pub(crate) senders: Senders,
    pub(crate) data_removals: DataRemovals,
}

impl State {
    pub(crate) fn new(server_token: String, account_token: String) -> State {
        let mut state = State {
            account_token,
            default_token: server_token.clone(),
            servers: Vec::new(),
            next_server_id: 1,
            next_webhook_id: 1,
            next_bounce_id: FIRST_BOUNCE_ID,
            messages: VecDeque::new(),
            requests: VecDeque::new(),
            faults: FaultQueue::default(),
            domains: Domains::default(),
            senders: Senders::default(),
            data_removals: DataRemovals::default(),
        };
        state.add_server(ServerSettings::named("Default Server"), server_token);
        state
    }

    /// Back to the state at start, keeping the tokens so connected clients keep working.
    pub(crate) fn reset(&mut self) {
        let server_token = std::mem::take(&mut self.default_token);
        let account_token = std::mem::take(&mut self.account_token);
        *self = State::new(server_token, account_token);
    }

    /// Adds a server with Postmark's default streams, the seeded template and the seeded
    /// hard bounce, which suppresses its address on `outbound`.
    pub(crate) fn add_server(&mut self, settings: ServerSettings, token: String) -> &Server {
        let id = self.next_server_id;
        self.next_server_id += 1;
        let mut server = Server::new(id, settings, token);
        let seeded = Bounce {
            id: self.next_bounce_id(),
            kind: &BOUNCE_TYPES[0],
            email: SEEDED_BOUNCE_EMAIL.to_owned(),
            message_id: ids::uuid(),
            stream: "outbound".to_owned(),
            tag: String::new(),
            from: String::new(),
            subject: String::new(),
            details: "smtp;550 5.1.1 The email account that you tried to reach does not exist."
                .to_owned(),
            bounced_at: clock::eastern_now(),
            inactive: true,
            can_activate: true,
            content: None,
        };
        server
            .add_bounce(seeded)
            .expect("every new server has an outbound stream");
        self.servers.push(server);
        &self.servers[self.servers.len() - 1]
    }

    pub(crate) fn server(&self, id: i64) -> Option<&Server> {
        self.servers.iter().find(|s| s.id == id)
    }

    pub(crate) fn server_mut(&mut self, id: i64) -> Option<&mut Server> {
        self.servers.iter_mut().find(|s| s.id == id)
    }

    pub(crate) fn server_by_token(&self, token: &str) -> Option<&Server> {
        self.servers
            .iter()
            .find(|s| s.api_tokens.iter().any(|t| t.eq_ignore_ascii_case(token)))
    }

    /// The server created at start (it holds the configured token), unless deleted.
    pub(crate) fn default_server_id(&self) -> Option<i64> {
        let token = &self.default_token;
        self.servers
            .iter()
            .find(|s| s.api_tokens.contains(token))
            .map(|s| s.id)
    }

    pub(crate) fn default_server_mut(&mut self) -> Result<&mut Server, ApiError> {
        self.default_server_id()
            .and_then(|id| self.server_mut(id))
            .ok_or_else(|| {
                ApiError::with_status(
                    409,
                    409,
                    "The default server was deleted; POST /__mock/reset restores it.",
                )
            })
    }

    /// Stream `id` of the default server: 409 when that server was deleted, 404 when it has
    /// no such stream.
    pub(crate) fn default_stream_mut(&mut self, id: &str) -> Result<&mut Stream, ApiError> {
        self.default_server_mut()?
            .stream_mut(id)
            .ok_or_else(|| no_stream(id))
    }

    pub(crate) fn next_webhook_id(&mut self) -> i64 {
        let id = self.next_webhook_id;
        self.next_webhook_id += 1;
        id
    }

    pub(crate) fn next_bounce_id(&mut self) -> i64 {
        let id = self.next_bounce_id;
        self.next_bounce_id += 1;
        id
    }

    /// The messages server `server_id` sent, newest first.
    pub(crate) fn sent_by(&self, server_id: i64) -> impl Iterator<Item = &SentMessage> {
        self.messages
            .iter()
            .rev()
            .filter(move |m| m.server_id == server_id)
    }

    /// The message `id` (compared ignoring case) that server `server_id` sent.
    pub(crate) fn sent(&self, server_id: i64, id: &str) -> Option<&SentMessage> {
        self.sent_by(server_id)
            .find(|m| m.id.eq_ignore_ascii_case(id))
    }

    pub(crate) fn record_message(&mut self, message: SentMessage) {
        if self.messages.len() == MESSAGE_HISTORY {
            self.messages.pop_front();
        }
        self.messages.push_back(message);
    }

    pub(crate) fn record_request(&mut self, request: SeenRequest) {
        if self.requests.len() == REQUEST_HISTORY {
            self.requests.pop_front();
        }
        self.requests.push_back(request);
    }
}

#[derive(Debug)]
pub(crate) struct Server {
    pub(crate) id: i64,
    pub(crate) api_tokens: Vec<String>,
    pub(crate) inbound_hash: String,
    pub(crate) settings: ServerSettings,
    pub(crate) streams: Vec<Stream>,
    pub(crate) webhooks: Vec<Webhook>,
    /// Oldest first, like every list below.
    pub(crate) templates: Vec<Template>,
    pub(crate) bounces: Vec<Bounce>,
    pub(crate) inbound: Vec<InboundMessage>,
    /// `Open` events of the opens search, as answered.
    pub(crate) opens: Vec<Value>,
    /// `Click` events of the clicks search, as answered.
    pub(crate) clicks: Vec<Value>,
    pub(crate) inbound_rules: InboundRules,
    pub(crate) bulk: Vec<BulkRequest>,
}

impl Server {
    fn new(id: i64, settings: ServerSettings, token: String) -> Server {
        let stream = Stream::new;
        Server {
            id,
            api_tokens: vec![token],
            inbound_hash: ids::uuid().replace('-', ""),
            settings,
            streams: vec![
                stream(
                    "outbound",
                    StreamType::Transactional,
                    "Default Transactional Stream",
                ),
                stream(
                    "broadcast",
                    StreamType::Broadcasts,
                    "Default Broadcast Stream",
                ),
                stream("inbound", StreamType::Inbound, "Default Inbound Stream"),
            ],
            webhooks: Vec::new(),
            templates: vec![Template::seeded()],
            bounces: Vec::new(),
            inbound: Vec::new(),
            opens: Vec::new(),
            clicks: Vec::new(),
            inbound_rules: InboundRules::default(),
            bulk: Vec::new(),
        }
    }

    /// Stream IDs are compared case-insensitively, like paths.
    pub(crate) fn stream(&self, id: &str) -> Option<&Stream> {
        self.streams.iter().find(|s| s.id.eq_ignore_ascii_case(id))
    }

    pub(crate) fn stream_mut(&mut self, id: &str) -> Option<&mut Stream> {
        self.streams
            .iter_mut()
            .find(|s| s.id.eq_ignore_ascii_case(id))
    }

    /// Adds a bounce. An inactive one suppresses its address on its stream, which must
    /// exist (404 otherwise, and nothing is added).
    pub(crate) fn add_bounce(&mut self, bounce: Bounce) -> Result<(), ApiError> {
        let stream = self
            .stream_mut(&bounce.stream)
            .ok_or_else(|| no_stream(&bounce.stream))?;
        if bounce.inactive {
            let (reason, origin) = match bounce.kind.name {
                "SpamComplaint" => (suppressions::SPAM_COMPLAINT, RECIPIENT),
                "ManuallyDeactivated" => (suppressions::MANUAL, CUSTOMER),
                _ => (suppressions::HARD_BOUNCE, RECIPIENT),
            };
            stream.suppressions.add(&bounce.email, reason, origin);
        }
        self.bounces.push(bounce);
        Ok(())
    }
}

/// Fields of a server that its owner can set (`CreateServerRequest`/`EditServerRequest`).
#[derive(Debug, Clone)]
pub(crate) struct ServerSettings {
    pub(crate) name: String,
    pub(crate) color: &'static str,
    pub(crate) delivery_type: &'static str,
    pub(crate) smtp_api_activated: bool,
    pub(crate) raw_email_enabled: bool,
    pub(crate) inbound_domain: String,
    pub(crate) inbound_hook_url: String,
    pub(crate) bounce_hook_url: String,
    pub(crate) open_hook_url: String,
    pub(crate) delivery_hook_url: String,
    pub(crate) click_hook_url: String,
    pub(crate) post_first_open_only: bool,
    pub(crate) inbound_spam_threshold: i64,
    pub(crate) track_opens: bool,
    pub(crate) track_links: &'static str,
    pub(crate) include_bounce_content_in_hook: bool,
    pub(crate) enable_smtp_api_error_hooks: bool,
}

impl ServerSettings {
    /// Postmark's defaults for a new server.
    pub(crate) fn named(name: &str) -> ServerSettings {
        ServerSettings {
            name: name.to_owned(),
            color: "purple",
            delivery_type: "Live",
            smtp_api_activated: true,
            raw_email_enabled: false,
            inbound_domain: String::new(),
            inbound_hook_url: String::new(),
            bounce_hook_url: String::new(),
            open_hook_url: String::new(),
            delivery_hook_url: String::new(),
            click_hook_url: String::new(),
            post_first_open_only: false,
            inbound_spam_threshold: 0,
            track_opens: false,
            track_links: "None",
            include_bounce_content_in_hook: false,
            enable_smtp_api_error_hooks: false,
        }
    }
}

/// The answer to a control request naming a stream that is missing. Control requests act
/// on the default server, the only one whose streams they can name.
fn no_stream(id: &str) -> ApiError {
    crate::control::missing(format!("The default server has no stream '{id}'."))
}

#[derive(Debug, Clone)]
pub(crate) struct Webhook {
    pub(crate) id: i64,
    pub(crate) url: String,
    pub(crate) stream: String,
    /// (Username, Password)
    pub(crate) http_auth: Option<(String, String)>,
    /// (Name, Value) pairs in the order given.
    pub(crate) http_headers: Vec<(String, String)>,
    /// Indexed like `webhooks::TRIGGERS`.
    pub(crate) triggers: [Trigger; 6],
    /// Whether the last verification of this configuration succeeded.
    pub(crate) verified: bool,
}

#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Trigger {
    pub(crate) enabled: bool,
    /// `PostFirstOpenOnly` for Open, `IncludeContent` for Bounce and SpamComplaint.
    pub(crate) option: bool,
}

/// A bounce type as Postmark documents it, with what a bounce of the type does to its
/// recipient.
#[derive(Debug)]
pub(crate) struct BounceType {
    /// `Type`, e.g. `HardBounce`.
    pub(crate) name: &'static str,
    pub(crate) code: i64,
    /// `Name`, e.g. `Hard bounce`.
    pub(crate) label: &'static str,
    pub(crate) effect: Effect,
    pub(crate) description: &'static str,
}

/// What a bounce does to its recipient.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Effect {
    /// Nothing: the recipient stays active.
    Notice,
    /// Deactivates the recipient until it is reactivated.
    Deactivates,
    /// Deactivates the recipient for good: the API cannot reactivate it (`CanActivate`
    /// false).
    Final,
}

/// Every documented type, in `TypeCode` order; `HardBounce` first.
#[rustfmt::skip]
pub(crate) const BOUNCE_TYPES: &[BounceType] = &[
    bounce_type("HardBounce", 1, "Hard bounce", Effect::Deactivates, "The receiving server refused the message for good (unknown user, mailbox not found)."),
    bounce_type("Transient", 2, "Message delayed", Effect::Notice, "Delivery is delayed; Postmark keeps trying."),
    bounce_type("Unsubscribe", 16, "Unsubscribe request", Effect::Notice, "The recipient asked to be unsubscribed."),
    bounce_type("Subscribe", 32, "Subscribe request", Effect::Notice, "The recipient asked to be subscribed."),
    bounce_type("AutoResponder", 64, "Auto responder", Effect::Notice, "An automatic reply, such as an out-of-office message."),
    bounce_type("AddressChange", 128, "Address change", Effect::Notice, "The recipient's address changed."),
    bounce_type("DnsError", 256, "DNS error", Effect::Notice, "A temporary DNS error."),
    bounce_type("SpamNotification", 512, "Spam notification", Effect::Notice, "The receiving server took the message for spam."),
    bounce_type("OpenRelayTest", 1024, "Open relay test", Effect::Notice, "An open relay test."),
    bounce_type("Unknown", 2048, "Unknown", Effect::Notice, "The bounce could not be classified."),
    bounce_type("SoftBounce", 4096, "Soft bounce", Effect::Notice, "Delivery failed for now (a full mailbox, a server issue)."),
    bounce_type("VirusNotification", 8192, "Virus notification", Effect::Notice, "The receiving server reported a virus."),
    bounce_type("ChallengeVerification", 16384, "Spam challenge verification", Effect::Notice, "The receiving server asks the sender to prove it is not a spammer."),
    bounce_type("BadEmailAddress", 100000, "Invalid email address", Effect::Deactivates, "The address is not a valid email address."),
    bounce_type("SpamComplaint", 100001, "Spam complaint", Effect::Final, "The recipient marked the message as spam."),
    bounce_type("ManuallyDeactivated", 100002, "Manually deactivated", Effect::Deactivates, "The address was deactivated by hand."),
    bounce_type("Unconfirmed", 100003, "Registration not confirmed", Effect::Notice, "The recipient did not confirm the registration."),
    bounce_type("Blocked", 100006, "ISP block", Effect::Notice, "The receiving ISP blocked the message."),
    bounce_type("SMTPApiError", 100007, "SMTP API error", Effect::Notice, "The SMTP API refused the message."),
    bounce_type("InboundError", 100008, "Processing failed", Effect::Notice, "Processing an inbound message failed."),
    bounce_type("DMARCPolicy", 100009, "DMARC Policy", Effect::Notice, "Refused under the sender domain's DMARC policy."),
    bounce_type("TemplateRenderingFailed", 100010, "Template rendering failed", Effect::Notice, "The template could not be rendered."),
];

const fn bounce_type(
    name: &'static str,
    code: i64,
    label: &'static str,
    effect: Effect,
    description: &'static str,
) -> BounceType {
    BounceType {
        name,
        code,
        label,
        effect,
        description,
    }
}

/// The documented type called `name`, in any casing.
pub(crate) fn find_bounce_type(name: &str) -> Option<&'static BounceType> {
    BOUNCE_TYPES
        .iter()
        .find(|kind| kind.name.eq_ignore_ascii_case(name.trim()))
}

#[derive(Debug)]
pub(crate) struct Bounce {
    pub(crate) id: i64,
    pub(crate) kind: &'static BounceType,
    pub(crate) email: String,
    pub(crate) message_id: String,
    pub(crate) stream: String,
    pub(crate) tag: String,
    pub(crate) from: String,
    pub(crate) subject: String,
    pub(crate) details: String,
    pub(crate) bounced_at: String,
    pub(crate) inactive: bool,
    pub(crate) can_activate: bool,
    /// The raw bounce; `DumpAvailable` while there is one.
    pub(crate) content: Option<String>,
}

impl Bounce {
    /// The `Bounce` model: a list item, or with `Content` the single bounce.
    pub(crate) fn to_json(&self, server_id: i64, with_content: bool) -> Value {
        let mut bounce = json!({
            "RecordType": "Bounce",
            "ID": self.id,
            "Type": self.kind.name,
            "TypeCode": self.kind.code,
            "Name": self.kind.label,
            "Tag": self.tag,
            "MessageID": self.message_id,
            "ServerID": server_id,
            "MessageStream": self.stream,
            "Description": self.kind.description,
            "Details": self.details,
            "Email": self.email,
            "From": self.from,
            "BouncedAt": self.bounced_at,
            "DumpAvailable": self.content.is_some(),
            "Inactive": self.inactive,
            "CanActivate": self.can_activate,
            "Subject": self.subject,
        });
        if let (true, Some(content)) = (with_content, &self.content) {
            bounce["Content"] = content.as_str().into();
        }
        bounce
    }
}

/// A message received on the server's inbound stream.
#[derive(Debug)]
pub(crate) struct InboundMessage {
    pub(crate) id: String,
    pub(crate) from: Address,
    /// The `To` and `Cc` headers as received, and their addresses.
    pub(crate) to_header: String,
    pub(crate) to: Vec<Address>,
    pub(crate) cc_header: String,
    pub(crate) cc: Vec<Address>,
    pub(crate) reply_to: String,
    pub(crate) subject: String,
    pub(crate) tag: String,
    pub(crate) text_body: String,
    pub(crate) html_body: String,
    /// The request's `Headers` and `Attachments` arrays as given.
    pub(crate) headers: Vec<Value>,
    pub(crate) attachments: Vec<Value>,
    /// `Blocked`, `Processed`, `Queued`, `Failed` or `Scheduled`.
    pub(crate) status: &'static str,
    /// Why it was blocked; empty when it was not.
    pub(crate) blocked_reason: String,
    /// ISO 8601, for the date filters.
    pub(crate) received_at: String,
    /// The RFC 2822 `Date` header.
    pub(crate) date: String,
}

impl InboundMessage {
    /// The address Postmark received it on: the first `To` address.
    pub(crate) fn original_recipient(&self) -> &str {
        self.to.first().map_or("", |a| a.email.as_str())
    }

    /// The `+hash` of the address it was received on.
    pub(crate) fn mailbox_hash(&self) -> &str {
        mailbox_hash(self.original_recipient())
    }

    /// The inbound search item, or with `details` the details (bodies, headers and why it
    /// was blocked).
    pub(crate) fn to_json(&self, details: bool) -> Value {
        let full = |list: &[Address]| -> Value {
            list.iter()
                .map(|a| json!({"Email": a.email, "Name": a.name, "MailboxHash": mailbox_hash(&a.email)}))
                .collect()
        };
        let mut message = json!({
            "From": self.from.email,
            "FromName": self.from.name,
            "FromFull": {"Email": self.from.email, "Name": self.from.name, "MailboxHash": ""},
            "To": self.to_header,
            "ToFull": full(&self.to),
            "Cc": self.cc_header,
            "CcFull": full(&self.cc),
            "Bcc": "",
            "BccFull": [],
            "ReplyTo": self.reply_to,
            "OriginalRecipient": self.original_recipient(),
            "Subject": self.subject,
            "Date": self.date,
            "MailboxHash": self.mailbox_hash(),
            "Tag": self.tag,
            "MessageID": self.id,
            "Status": self.status,
            "MessageStream": "inbound",
            "Attachments": self.attachments,
        });
        if details {
            message["TextBody"] = self.text_body.as_str().into();
            message["HtmlBody"] = self.html_body.as_str().into();
            // The mock finds no quoted history to strip.
            message["StrippedTextReply"] = self.text_body.as_str().into();
            message["Headers"] = self.headers.clone().into();
            if !self.blocked_reason.is_empty() {
                message["BlockedReason"] = self.blocked_reason.as_str().into();
            }
        }
        message
    }
}

/// The part of an address's local part after `+`, or `""`.
fn mailbox_hash(email: &str) -> &str {
    let local = email.split('@').next().unwrap_or_default();
    local.split_once('+').map_or("", |(_, hash)| hash)
}

/// The `Status` of every sent message: the mock delivers at once.
pub(crate) const SENT_STATUS: &str = "Sent";

/// An accepted outbound message, as later searches and `GET /__mock/messages` see it.
#[derive(Debug)]
pub(crate) struct SentMessage {
    pub(crate) id: String,
    pub(crate) server_id: i64,
    pub(crate) stream: String,
    pub(crate) from: String,
    pub(crate) to: Vec<Address>,
    pub(crate) cc: Vec<Address>,
    pub(crate) bcc: Vec<Address>,
    pub(crate) reply_to: String,
    pub(crate) subject: String,
    pub(crate) html_body: Option<String>,
    pub(crate) text_body: Option<String>,
    pub(crate) tag: String,
    pub(crate) metadata: Map<String, Value>,
    /// The request's `Headers` array as sent.
    pub(crate) headers: Vec<Value>,
    pub(crate) attachments: Vec<String>,
    pub(crate) track_opens: bool,
    pub(crate) track_links: &'static str,
    pub(crate) received_at: String,
    pub(crate) sandboxed: bool,
}

impl SentMessage {
    /// The `OutboundMessage` search shape plus the bodies and headers of the details view.
    pub(crate) fn to_json(&self) -> Value {
        let mut message = self.summary();
        message["ServerID"] = self.server_id.into();
        message["ReplyTo"] = self.reply_to.as_str().into();
        message["HtmlBody"] = self.html_body.clone().into();
        message["TextBody"] = self.text_body.clone().into();
        message["Headers"] = self.headers.clone().into();
        message
    }

    /// The `OutboundMessage` search shape.
    pub(crate) fn summary(&self) -> Value {
        let people = |list: &[Address]| -> Value {
            list.iter()
                .map(|a| json!({"Email": a.email, "Name": a.name}))
                .collect()
        };
        let recipients: Vec<&str> = self.recipients().map(|a| a.email.as_str()).collect();
        json!({
            "MessageID": self.id,
            "MessageStream": self.stream,
            "From": self.from,
            "To": people(&self.to),
            "Cc": people(&self.cc),
            "Bcc": people(&self.bcc),
            "Recipients": recipients,
            "Subject": self.subject,
            "Tag": self.tag,
            "Metadata": self.metadata,
            "Attachments": self.attachments,
            "TrackOpens": self.track_opens,
            "TrackLinks": self.track_links,
            "ReceivedAt": self.received_at,
            "Status": SENT_STATUS,
            "Sandboxed": self.sandboxed,
        })
    }

    /// Every recipient: To, Cc and Bcc.
    pub(crate) fn recipients(&self) -> impl Iterator<Item = &Address> {
        self.to.iter().chain(&self.cc).chain(&self.bcc)
    }

    /// The message as it went out, RFC 5322 text (the dump and the details' `Body`).
    pub(crate) fn source(&self) -> String {
        let list = |list: &[Address]| {
            list.iter()
                .map(|a| match a.name.as_str() {
                    "" => a.email.clone(),
                    name => format!("\"{name}\" <{}>", a.email),
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut source = format!("From: {}\r\nTo: {}\r\n", self.from, list(&self.to));
        if !self.cc.is_empty() {
            source.push_str(&format!("Cc: {}\r\n", list(&self.cc)));
        }
        let (content_type, body) = match (&self.html_body, &self.text_body) {
            (Some(html), _) => ("text/html", html.as_str()),
            (None, text) => ("text/plain", text.as_deref().unwrap_or_default()),
        };
        source.push_str(&format!(
            "Subject: {}\r\nMessage-ID: <{}@mtasv.net>\r\nMIME-Version: 1.0\r\n\
             Content-Type: {content_type}; charset=utf-8\r\n\r\n{body}",
            self.subject, self.id
        ));
        source
    }
}
