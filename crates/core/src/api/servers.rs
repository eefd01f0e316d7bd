//! Servers: the current server (server token) and every server of the account
//! (account token).

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::TrackLinks;
use super::paged_list;
use crate::endpoint::Rules;
use crate::enums::string_enum;

string_enum! {
    /// The color of a server in Postmark's UI. Postmark answers in lower case;
    /// any casing parses.
    pub enum Color {
        /// Purple.
        Purple => "Purple",
        /// Blue.
        Blue => "Blue",
        /// Turquoise.
        Turquoise => "Turquoise",
        /// Green.
        Green => "Green",
        /// Red.
        Red => "Red",
        /// Yellow.
        Yellow => "Yellow",
        /// Grey.
        Grey => "Grey",
        /// Orange.
        Orange => "Orange",
    }
}

string_enum! {
    /// Whether a server delivers mail. Chosen when the server is created; it
    /// cannot be changed afterwards.
    pub enum DeliveryType {
        /// Mail is delivered.
        Live => "Live",
        /// Mail is accepted and processed but never delivered.
        Sandbox => "Sandbox",
    }
}

/// A Postmark server.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct Server {
    /// Server ID.
    #[serde(rename = "ID")]
    pub id: i64,
    /// Server name, unique in the account.
    pub name: String,
    /// The server's API tokens.
    pub api_tokens: Vec<String>,
    /// UI color.
    pub color: Option<Color>,
    /// Whether SMTP sending is enabled.
    pub smtp_api_activated: Option<bool>,
    /// Whether inbound webhooks include the raw message.
    pub raw_email_enabled: Option<bool>,
    /// `Live` or `Sandbox` (absent in old records).
    pub delivery_type: Option<DeliveryType>,
    /// Link to the server in Postmark's UI.
    pub server_link: Option<String>,
    /// Inbound address, `<InboundHash>@inbound.postmarkapp.com`.
    pub inbound_address: Option<String>,
    /// Legacy inbound hook URL (`""` when unset); prefer the Webhooks API.
    pub inbound_hook_url: Option<String>,
    /// Legacy bounce hook URL.
    pub bounce_hook_url: Option<String>,
    /// Legacy open hook URL.
    pub open_hook_url: Option<String>,
    /// Legacy delivery hook URL.
    pub delivery_hook_url: Option<String>,
    /// Legacy click hook URL.
    pub click_hook_url: Option<String>,
    /// Whether only the first open of a message is reported.
    pub post_first_open_only: Option<bool>,
    /// Custom inbound domain.
    pub inbound_domain: Option<String>,
    /// The hash part of the inbound address.
    pub inbound_hash: Option<String>,
    /// Spam score (0–30) above which inbound mail is blocked.
    pub inbound_spam_threshold: Option<i64>,
    /// Whether opens are tracked by default.
    pub track_opens: Option<bool>,
    /// Link tracking default.
    pub track_links: Option<TrackLinks>,
    /// Whether bounce webhooks include the bounce content.
    pub include_bounce_content_in_hook: Option<bool>,
    /// Whether SMTP API errors trigger bounce webhooks.
    pub enable_smtp_api_error_hooks: Option<bool>,
}

/// Adds to a server request the settings that can be set on create and
/// changed later, after its own fields (see
/// [`request_struct`](super::request_struct)). Only the fields that are
/// `Some` are sent, so an edit changes only what the caller set.
macro_rules! server_settings {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// UI color.
            pub color: Option<Color>,
            /// Whether SMTP sending is enabled.
            pub smtp_api_activated: Option<bool>,
            /// Whether inbound webhooks include the raw message.
            pub raw_email_enabled: Option<bool>,
            /// Legacy inbound hook URL; prefer the Webhooks API.
            pub inbound_hook_url: Option<String>,
            /// Legacy bounce hook URL.
            pub bounce_hook_url: Option<String>,
            /// Legacy open hook URL.
            pub open_hook_url: Option<String>,
            /// Legacy delivery hook URL.
            pub delivery_hook_url: Option<String>,
            /// Legacy click hook URL.
            pub click_hook_url: Option<String>,
            /// Whether only the first open of a message is reported.
            pub post_first_open_only: Option<bool>,
            /// Custom inbound domain.
            pub inbound_domain: Option<String>,
            /// Spam score (0–30) above which inbound mail is blocked.
            #[cfg_attr(feature = "schema", schemars(range(min = 0, max = MAX_INBOUND_SPAM_THRESHOLD)))]
            pub inbound_spam_threshold: Option<i64>,
            /// Whether opens are tracked by default.
            pub track_opens: Option<bool>,
            /// Link tracking default.
            pub track_links: Option<TrackLinks>,
            /// Whether bounce webhooks include the bounce content.
            pub include_bounce_content_in_hook: Option<bool>,
            /// Whether SMTP API errors trigger bounce webhooks.
            pub enable_smtp_api_error_hooks: Option<bool>,
        ] $($rest)*);
    };
}

/// Largest accepted `InboundSpamThreshold`.
pub const MAX_INBOUND_SPAM_THRESHOLD: i64 = 30;

/// `GET /server`: the server the token belongs to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetCurrentServer {}

impl Rules for GetCurrentServer {}

request_struct! {
    /// `PUT /server`: changes the server the token belongs to.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct EditCurrentServer {
        /// New name.
        #[cfg_attr(feature = "schema", schemars(extend("x-not-blank" = true)))]
        pub name: Option<String>,
    } + server_settings
}

impl Rules for EditCurrentServer {}

/// `GET /servers`: one page of the account's servers.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ListServers {
    /// Page size, at most 500.
    #[serde(default = "super::default_count")]
    pub count: u32,
    /// Items to skip.
    #[serde(default)]
    pub offset: u32,
    /// Only servers whose name contains this text.
    pub name: Option<String>,
}

/// A page of servers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct ServerList {
    /// Servers matching the query, over all pages.
    pub total_count: u64,
    /// This page.
    pub servers: Vec<Server>,
}

impl Rules for ListServers {}

paged_list!(ListServers => Server, servers, depth None; name);

/// `GET /servers/{id}`: one server.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetServer {
    /// Server ID.
    pub id: i64,
}

impl Rules for GetServer {}

request_struct! {
    /// `POST /servers`: creates a server.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct CreateServer {
        /// Name, unique in the account.
        pub name: String,
        /// `Live` (the default) or `Sandbox`; cannot be changed later.
        pub delivery_type: Option<DeliveryType>,
    } + server_settings
}

impl Rules for CreateServer {}

request_struct! {
    /// `PUT /servers/{id}`: changes a server. There is deliberately no
    /// `delivery_type`: Postmark fixes it at creation.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct EditServer {
        /// Server ID: a path parameter, not sent in the body.
        #[serde(rename = "id")]
        pub id: i64,
        /// New name.
        #[cfg_attr(feature = "schema", schemars(extend("x-not-blank" = true)))]
        pub name: Option<String>,
    } + server_settings
}

impl Rules for EditServer {}

/// `DELETE /servers/{id}`: deletes a server (only for accounts Postmark has
/// enabled for it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeleteServer {
    /// Server ID.
    pub id: i64,
}

impl Rules for DeleteServer {}
