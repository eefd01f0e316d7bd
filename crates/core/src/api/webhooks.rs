//! Webhooks: where Postmark posts events of a message stream, and which events.

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::Header;
use crate::endpoint::Rules;
use crate::enums::string_enum;

/// HTTP Basic credentials Postmark sends with each event.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
#[cfg_attr(feature = "schema", schemars(transform = super::required("Username Password")))]
pub struct HttpAuth {
    /// User name.
    pub username: String,
    /// Password.
    pub password: String,
}

impl fmt::Debug for HttpAuth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpAuth")
            .field("username", &self.username)
            .field("password", &"****")
            .finish()
    }
}

/// A trigger with no options.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
#[cfg_attr(feature = "schema", schemars(transform = super::required("Enabled")))]
pub struct Trigger {
    /// Whether these events are posted.
    pub enabled: bool,
}

/// The Open trigger.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
#[cfg_attr(feature = "schema", schemars(transform = super::required("Enabled")))]
pub struct OpenTrigger {
    /// Whether open events are posted.
    pub enabled: bool,
    /// Post only the first open of each message.
    pub post_first_open_only: bool,
}

/// The Bounce and SpamComplaint triggers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
#[cfg_attr(feature = "schema", schemars(transform = super::required("Enabled")))]
pub struct ContentTrigger {
    /// Whether these events are posted.
    pub enabled: bool,
    /// Include the bounce or complaint message itself.
    pub include_content: bool,
}

/// Which events a webhook receives. In an edit, a trigger left `None` keeps
/// its current setting.
#[skip_serializing_none]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct Triggers {
    /// Opens.
    pub open: Option<OpenTrigger>,
    /// Link clicks.
    pub click: Option<Trigger>,
    /// Deliveries.
    pub delivery: Option<Trigger>,
    /// Bounces.
    pub bounce: Option<ContentTrigger>,
    /// Spam complaints.
    pub spam_complaint: Option<ContentTrigger>,
    /// Subscription changes (suppressions and reactivations).
    pub subscription_change: Option<Trigger>,
}

impl Triggers {
    /// Every trigger enabled, with content included in bounces and complaints.
    pub fn all() -> Self {
        let on = Trigger { enabled: true };
        let with_content = ContentTrigger {
            enabled: true,
            include_content: true,
        };
        Triggers {
            open: Some(OpenTrigger {
                enabled: true,
                post_first_open_only: false,
            }),
            click: Some(on),
            delivery: Some(on),
            bounce: Some(with_content),
            spam_complaint: Some(with_content),
            subscription_change: Some(on),
        }
    }
}

string_enum! {
    /// Whether Postmark's test events to the webhook URL succeeded.
    pub enum WebhookStatus {
        /// Every enabled trigger answered its test event.
        Verified => "verified",
        /// Some trigger failed; it receives no events until verified again.
        Unverified => "unverified",
    }
}

/// A configured webhook.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct Webhook {
    /// Webhook ID.
    #[serde(rename = "ID")]
    pub id: i64,
    /// Where events are posted.
    pub url: String,
    /// The message stream whose events are posted.
    pub message_stream: Option<String>,
    /// Basic credentials sent with each event.
    pub http_auth: Option<HttpAuth>,
    /// Extra headers sent with each event.
    pub http_headers: Vec<Header>,
    /// Which events are posted.
    pub triggers: Triggers,
    /// Verification status.
    pub status: Option<WebhookStatus>,
}

/// The webhooks of a server.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct WebhookList {
    /// The webhooks.
    pub webhooks: Vec<Webhook>,
}

impl WebhookList {
    /// The webhooks that post to `url`, compared as [`same_url`] does.
    pub fn pointing_at<'a>(&'a self, url: &'a str) -> impl Iterator<Item = &'a Webhook> + 'a {
        self.webhooks.iter().filter(move |w| same_url(&w.url, url))
    }
}

/// Whether two webhook URLs name the same endpoint: scheme and host compare
/// without case, a trailing slash on the path does not count, the rest is
/// compared exactly (paths and queries are case-sensitive).
pub fn same_url(a: &str, b: &str) -> bool {
    fn split(url: &str) -> (String, &str) {
        let url = url.trim();
        let start = url.find("://").map_or(0, |i| i + 3);
        let end = url[start..]
            .find(['/', '?', '#'])
            .map_or(url.len(), |i| start + i);
        let rest = url[end..].trim_end_matches('/');
        (url[..end].to_ascii_lowercase(), rest)
    }
    split(a) == split(b)
}

/// Adds to a webhook request the settings create and edit share, after its
/// own fields (see [`request_struct`](super::request_struct)). `None` fields
/// are not sent.
macro_rules! webhook_settings {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// Basic credentials to send with each event.
            pub http_auth: Option<HttpAuth>,
            /// Extra headers to send with each event.
            pub http_headers: Option<Vec<Header>>,
            /// Which events to post.
            pub triggers: Option<Triggers>,
            /// Whether Postmark test-posts every enabled trigger before saving
            /// (Postmark's default is true; on failure nothing is saved,
            /// ErrorCode 1364).
            pub verify: Option<bool>,
        ] $($rest)*);
    };
}

/// `GET /webhooks`: the server's webhooks, optionally of one stream.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct ListWebhooks {
    /// Only webhooks of this message stream.
    pub message_stream: Option<String>,
}

impl Rules for ListWebhooks {}

/// `GET /webhooks/{id}`: one webhook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetWebhook {
    /// Webhook ID.
    pub id: i64,
}

impl Rules for GetWebhook {}

request_struct! {
    /// `POST /webhooks`: adds a webhook to a message stream.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct CreateWebhook {
        /// Where to post events.
        #[cfg_attr(feature = "schema", schemars(url))]
        pub url: String,
        /// The stream whose events to post; `outbound` when absent.
        pub message_stream: Option<String>,
    } + webhook_settings
}

impl Rules for CreateWebhook {}

request_struct! {
    /// `PUT /webhooks/{id}`: changes a webhook. Its stream cannot change.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct EditWebhook {
        /// Webhook ID: a path parameter, not sent in the body.
        #[serde(rename = "id")]
        pub id: i64,
        /// New URL.
        #[cfg_attr(feature = "schema", schemars(url))]
        pub url: Option<String>,
    } + webhook_settings
}

impl Rules for EditWebhook {}

/// `DELETE /webhooks/{id}`: removes a webhook.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct DeleteWebhook {
    /// Webhook ID.
    pub id: i64,
}

impl Rules for DeleteWebhook {}

/// `POST /webhooks/{id}/verify`: has Postmark test-post every enabled trigger
/// now. A 200 means the check ran; [`WebhookVerification::success`] says how
/// it went.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct VerifyWebhook {
    /// Webhook ID.
    pub id: i64,
}

/// The outcome of one trigger's test event.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct TriggerVerification {
    /// `Delivery`, `Bounce`, `Open`…
    pub trigger_type: String,
    /// Whether the URL answered 200.
    pub success: bool,
    /// The status the URL answered.
    pub status_code: Option<u16>,
    /// What went wrong, or `OK`.
    pub message: Option<String>,
}

/// The outcome of a verification. Also the body of a create or edit that
/// failed verification (ErrorCode 1364).
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct WebhookVerification {
    /// Webhook ID (spelled `Id` here, unlike elsewhere).
    pub id: i64,
    /// The URL tested.
    pub url: String,
    /// Whether every trigger passed.
    pub success: bool,
    /// One result per enabled trigger.
    pub results: Vec<TriggerVerification>,
    /// Summary, e.g. `4/5 triggers verified successfully`.
    pub message: Option<String>,
}

impl Rules for VerifyWebhook {
    // Verifying twice only posts test events twice.
    const IDEMPOTENT: Option<bool> = Some(true);
}

/// `GET /webhooks/{id}/statistics`: delivery metrics over the last 24 hours.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetWebhookStatistics {
    /// Webhook ID.
    pub id: i64,
}

/// Delivery metrics of a webhook, overall or for one trigger.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct WebhookMetrics {
    /// Events posted.
    pub total_requests: u64,
    /// Posts answered with success.
    pub success_count: u64,
    /// Posts that failed for good.
    pub failure_count: u64,
    /// Retries made.
    pub retry_count: u64,
    /// Percentage of successful posts.
    pub success_rate: Option<f64>,
    /// Slow answers.
    pub slow_count: u64,
    /// Very slow answers.
    pub very_slow_count: u64,
    /// Mean time of final answers, in milliseconds.
    pub average_terminal_response_time_ms: Option<f64>,
    /// Mean time of retried answers, in milliseconds; `None` without retries.
    pub average_retry_response_time_ms: Option<f64>,
}

/// The window the statistics cover.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct TimeRange {
    /// Start of the window.
    pub start_time: String,
    /// End of the window.
    pub end_time: String,
    /// Length in hours.
    pub hours: u32,
}

/// A webhook's delivery statistics.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct WebhookStatistics {
    /// Webhook ID.
    pub webhook_id: i64,
    /// The webhook's URL.
    pub url: String,
    /// Server ID, when Postmark includes it.
    pub server_id: Option<i64>,
    /// Message stream, when Postmark includes it.
    pub message_stream_id: Option<String>,
    /// Verification status per trigger.
    pub statuses: BTreeMap<String, WebhookStatus>,
    /// The window covered.
    pub time_range: TimeRange,
    /// Metrics over every trigger.
    pub metrics: WebhookMetrics,
    /// Metrics per trigger.
    pub metrics_by_trigger: BTreeMap<String, WebhookMetrics>,
}

impl Rules for GetWebhookStatistics {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_compare_without_case_in_host_and_trailing_slash() {
        assert!(same_url(
            "https://Example.com/hook/",
            "https://example.com/hook"
        ));
        assert!(same_url("HTTPS://example.com", "https://example.com/"));
        assert!(!same_url(
            "https://example.com/Hook",
            "https://example.com/hook"
        ));
        assert!(!same_url(
            "https://example.com/a",
            "https://example.com/a/b"
        ));
        assert!(!same_url("http://example.com/a", "https://example.com/a"));
        // A short host: the path after it still keeps its case.
        assert!(!same_url("http://a.io/Path", "http://a.io/path"));
        assert!(same_url("abc://x", "ABC://X/"));
    }

    #[test]
    fn http_auth_password_is_not_debugged() {
        let auth = HttpAuth {
            username: "u".into(),
            password: "hunter2".into(),
        };
        assert_eq!(
            format!("{auth:?}"),
            r#"HttpAuth { username: "u", password: "****" }"#
        );
    }

    #[test]
    fn all_triggers_are_on_with_content() {
        let all = Triggers::all();
        let on = Some(Trigger { enabled: true });
        let with_content = Some(ContentTrigger {
            enabled: true,
            include_content: true,
        });
        assert_eq!(
            all,
            Triggers {
                open: Some(OpenTrigger {
                    enabled: true,
                    post_first_open_only: false,
                }),
                click: on,
                delivery: on,
                bounce: with_content,
                spam_complaint: with_content,
                subscription_change: on,
            }
        );
    }
}
