//! Everything the mock remembers, kept in one struct behind one `Mutex`.

use std::collections::VecDeque;

use serde_json::{Map, Value, json};

use crate::address::Address;
use crate::faults::FaultQueue;
use crate::json::ApiError;
use crate::{SeenRequest, StreamType, ids};

/// Postmark searches at most 10,000 messages deep; older ones are forgotten so that a
/// long benchmark run does not grow without bound.
const MESSAGE_HISTORY: usize = 10_000;
/// Enough for any test that counts attempts, bounded for the same reason.
const REQUEST_HISTORY: usize = 100_000;
/// Every new server's suppression lists start with this address, so 406 is easy to reach.
const SEEDED_SUPPRESSION: &str = "inactive@example.com";
/// TemplateId of the template every new server starts with.
const SEEDED_TEMPLATE_ID: i64 = 1000;

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) account_token: String,
    /// Token of the server created at start; control routes act on the server holding it.
    default_token: String,
    pub(crate) servers: Vec<Server>,
    next_server_id: i64,
    next_webhook_id: i64,
    pub(crate) messages: VecDeque<SentMessage>,
    pub(crate) requests: VecDeque<SeenRequest>,
    pub(crate) faults: FaultQueue,
}

impl State {
    pub(crate) fn new(server_token: String, account_token: String) -> State {
        let mut state = State {
            account_token,
            default_token: server_token.clone(),
            servers: Vec::new(),
            next_server_id: 1,
            next_webhook_id: 1,
            messages: VecDeque::new(),
            requests: VecDeque::new(),
            faults: FaultQueue::default(),
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

    pub(crate) fn add_server(&mut self, settings: ServerSettings, token: String) -> &Server {
        let id = self.next_server_id;
        self.next_server_id += 1;
        self.servers.push(Server::new(id, settings, token));
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

    pub(crate) fn next_webhook_id(&mut self) -> i64 {
        let id = self.next_webhook_id;
        self.next_webhook_id += 1;
        id
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
    pub(crate) templates: Vec<Template>,
}

impl Server {
    fn new(id: i64, settings: ServerSettings, token: String) -> Server {
        let stream = |id: &str, kind| Stream {
            id: id.to_owned(),
            kind,
            archived: false,
            suppressed: if kind == StreamType::Inbound {
                Vec::new()
            } else {
                vec![SEEDED_SUPPRESSION.to_owned()]
            },
        };
        Server {
            id,
            api_tokens: vec![token],
            inbound_hash: ids::uuid().replace('-', ""),
            settings,
            streams: vec![
                stream("outbound", StreamType::Transactional),
                stream("broadcast", StreamType::Broadcasts),
                stream("inbound", StreamType::Inbound),
            ],
            webhooks: Vec::new(),
            templates: vec![Template {
                id: SEEDED_TEMPLATE_ID,
                name: "Welcome".into(),
                alias: Some("welcome".into()),
                subject: "Welcome, {{name}}!".into(),
                html_body: Some("<p>Hello {{name}}, welcome aboard.</p>".into()),
                text_body: Some("Hello {{name}}, welcome aboard.".into()),
            }],
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

    /// Adds a template; one with the same TemplateId or Alias is replaced.
    pub(crate) fn put_template(&mut self, mut template: Template) -> i64 {
        let alias = template.alias.clone();
        let same = move |t: &Template, id: i64| {
            t.id == id
                || matches!((&t.alias, &alias), (Some(a), Some(b)) if a.eq_ignore_ascii_case(b))
        };
        if template.id == 0 {
            let next = self
                .templates
                .iter()
                .map(|t| t.id)
                .max()
                .unwrap_or(SEEDED_TEMPLATE_ID)
                + 1;
            template.id = self
                .templates
                .iter()
                .find(|t| same(t, 0))
                .map_or(next, |t| t.id);
        }
        let id = template.id;
        self.templates.retain(|t| !same(t, id));
        self.templates.push(template);
        id
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

#[derive(Debug)]
pub(crate) struct Stream {
    pub(crate) id: String,
    pub(crate) kind: StreamType,
    pub(crate) archived: bool,
    /// Suppressed recipient addresses, compared case-insensitively.
    pub(crate) suppressed: Vec<String>,
}

impl Stream {
    pub(crate) fn is_suppressed(&self, email: &str) -> bool {
        self.suppressed
            .iter()
            .any(|s| s.eq_ignore_ascii_case(email))
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// 0 asks [`Server::put_template`] to pick one.
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) alias: Option<String>,
    pub(crate) subject: String,
    pub(crate) html_body: Option<String>,
    pub(crate) text_body: Option<String>,
}

impl Template {
    /// The `Template` model of `GET /templates/{id}`.
    pub(crate) fn to_json(&self, server_id: i64) -> Value {
        json!({
            "TemplateId": self.id,
            "Name": self.name,
            "Subject": self.subject,
            "HtmlBody": self.html_body,
            "TextBody": self.text_body,
            "AssociatedServerId": server_id,
            "Active": true,
            "Alias": self.alias,
            "TemplateType": "Standard",
            "LayoutTemplate": null,
        })
    }
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
        let people = |list: &[Address]| -> Value {
            list.iter()
                .map(|a| json!({"Email": a.email, "Name": a.name}))
                .collect()
        };
        let recipients: Vec<&str> = [&self.to, &self.cc, &self.bcc]
            .into_iter()
            .flatten()
            .map(|a| a.email.as_str())
            .collect();
        json!({
            "MessageID": self.id,
            "ServerID": self.server_id,
            "MessageStream": self.stream,
            "From": self.from,
            "To": people(&self.to),
            "Cc": people(&self.cc),
            "Bcc": people(&self.bcc),
            "Recipients": recipients,
            "ReplyTo": self.reply_to,
            "Subject": self.subject,
            "HtmlBody": self.html_body,
            "TextBody": self.text_body,
            "Tag": self.tag,
            "Metadata": self.metadata,
            "Headers": self.headers,
            "Attachments": self.attachments,
            "TrackOpens": self.track_opens,
            "TrackLinks": self.track_links,
            "ReceivedAt": self.received_at,
            "Status": "Sent",
            "Sandboxed": self.sandboxed,
        })
    }
}
