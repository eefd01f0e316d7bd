//! Sending email: one message, a batch, with a template, a batch with templates.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::{Attachment, Header, TrackLinks, count_recipients};
use crate::endpoint::{RequestParts, json_body, json_body_sized};
use crate::{ApiError, BuildError, ErrorCode};

/// Most recipients one message may have, across To, Cc and Bcc.
pub const MAX_RECIPIENTS: usize = 50;
/// Most messages in one batch.
pub const MAX_BATCH_MESSAGES: usize = 500;
/// Largest single message, attachments included.
pub const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;
/// Largest batch request.
pub const MAX_BATCH_BYTES: usize = 50 * 1024 * 1024;

/// Adds to a message struct the addressing, tracking and extras every send
/// has, ahead of its own fields, and `envelope()` to view them (see
/// [`request_struct`](super::request_struct)).
macro_rules! envelope_fields {
    ($name:ident $head:tt [$($fields:tt)*] [$($impls:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [
            /// Sender: a confirmed sender signature or an address on a
            /// verified domain; `"Name <address>"` is allowed.
            pub from: String,
            /// Comma-separated recipients.
            pub to: Option<String>,
            /// Comma-separated carbon-copy recipients.
            pub cc: Option<String>,
            /// Comma-separated blind carbon-copy recipients.
            pub bcc: Option<String>,
            /// One tag for statistics, up to 1000 characters.
            pub tag: Option<String>,
            /// Reply-To address(es).
            pub reply_to: Option<String>,
            /// Custom metadata, searchable and echoed in webhooks.
            pub metadata: Option<BTreeMap<String, String>>,
            /// Extra email headers.
            pub headers: Option<Vec<Header>>,
            /// Whether to track opens; the server's default when absent.
            pub track_opens: Option<bool>,
            /// Link tracking; the server's default when absent.
            pub track_links: Option<TrackLinks>,
            /// Attached files.
            pub attachments: Option<Vec<Attachment>>,
            /// Message stream ID; `outbound` when absent.
            pub message_stream: Option<String>,
            $($fields)*
        ] [$($impls)*
            impl $name {
                fn envelope(&self) -> Envelope<'_> {
                    Envelope {
                        from: &self.from,
                        recipients: [&self.to, &self.cc, &self.bcc],
                        texts: [&self.tag, &self.reply_to, &self.message_stream],
                        metadata: &self.metadata,
                        headers: &self.headers,
                        attachments: &self.attachments,
                    }
                }
            }
        ] $($rest)*);
    };
}

/// The addressing and extras of a message, as its checks and size estimate
/// need them.
struct Envelope<'a> {
    from: &'a str,
    /// To, Cc and Bcc.
    recipients: [&'a Option<String>; 3],
    /// The other plain texts: Tag, ReplyTo, MessageStream.
    texts: [&'a Option<String>; 3],
    metadata: &'a Option<BTreeMap<String, String>>,
    headers: &'a Option<Vec<Header>>,
    attachments: &'a Option<Vec<Attachment>>,
}

impl Envelope<'_> {
    /// About the length of the envelope's JSON: its text plus room for the
    /// field names, quotes and escapes.
    fn json_size_hint(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        let metadata: usize = self
            .metadata
            .iter()
            .flatten()
            .map(|(k, v)| k.len() + v.len() + 8)
            .sum();
        let headers: usize = self
            .headers
            .iter()
            .flatten()
            .map(|h| h.name.len() + h.value.len() + 32)
            .sum();
        let attachments: usize = self
            .attachments
            .iter()
            .flatten()
            .map(|a| {
                a.name.len() + a.content.len() + a.content_type.len() + text(&a.content_id) + 64
            })
            .sum();
        256 + self.from.len()
            + self.recipients.into_iter().map(text).sum::<usize>()
            + self.texts.into_iter().map(text).sum::<usize>()
            + metadata
            + headers
            + attachments
    }

    fn validate(&self) -> Result<(), BuildError> {
        if self.from.trim().is_empty() {
            return Err(BuildError::MissingField { field: "From" });
        }
        let count = self
            .recipients
            .into_iter()
            .map(|list| count_recipients(list.as_deref()))
            .sum();
        match count {
            0 => Err(BuildError::MissingField { field: "To" }),
            count if count > MAX_RECIPIENTS => Err(BuildError::TooManyRecipients {
                count,
                max: MAX_RECIPIENTS,
            }),
            _ => Ok(()),
        }
    }
}

request_struct! {
    /// `POST /email`: sends one message.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct SendEmail {
        /// Subject line.
        pub subject: Option<String>,
        /// HTML body; at least one of `html_body` and `text_body` is required.
        pub html_body: Option<String>,
        /// Plain-text body.
        pub text_body: Option<String>,
    } + envelope_fields
}

impl SendEmail {
    /// A message from `from` to `to` (comma-separated) with a subject; add a body.
    pub fn new(from: impl Into<String>, to: impl Into<String>, subject: impl Into<String>) -> Self {
        SendEmail {
            from: from.into(),
            to: Some(to.into()),
            subject: Some(subject.into()),
            ..SendEmail::default()
        }
    }

    /// Sets the HTML body.
    pub fn html_body(mut self, html: impl Into<String>) -> Self {
        self.html_body = Some(html.into());
        self
    }

    /// Sets the plain-text body.
    pub fn text_body(mut self, text: impl Into<String>) -> Self {
        self.text_body = Some(text.into());
        self
    }

    /// About the length of the message's JSON; HTML and text get an eighth
    /// more for their escaped quotes and line breaks.
    fn json_size_hint(&self) -> usize {
        let text = |s: &Option<String>| s.as_ref().map_or(0, String::len);
        let bodies = text(&self.html_body) + text(&self.text_body);
        self.envelope().json_size_hint() + text(&self.subject) + bodies + bodies / 8
    }

    fn check(&self) -> Result<(), BuildError> {
        self.envelope().validate()?;
        let has_body = [&self.html_body, &self.text_body]
            .into_iter()
            .any(|b| b.as_deref().is_some_and(|b| !b.is_empty()));
        if !has_body {
            return Err(BuildError::MissingField {
                field: "HtmlBody or TextBody",
            });
        }
        Ok(())
    }
}

impl RequestParts for SendEmail {
    fn validate(&self) -> Result<(), BuildError> {
        self.check()
    }
    fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
        json_body_sized(self, self.json_size_hint(), MAX_MESSAGE_BYTES)
    }
}

/// Postmark's answer to one message: the whole answer of a single send, one
/// item of a batch answer.
///
/// In a batch a rejected message is an item with a non-zero `error_code` and no
/// `message_id`; it does not fail the other messages or the call.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct SendEmailResponse {
    /// Recipients as accepted.
    pub to: Option<String>,
    /// When Postmark accepted the message.
    pub submitted_at: Option<String>,
    /// Postmark's ID for the message, absent when it was rejected.
    #[serde(rename = "MessageID")]
    pub message_id: Option<String>,
    /// 0 when accepted.
    pub error_code: ErrorCode,
    /// `"OK"`, a note about inactive recipients, or why it was rejected.
    pub message: String,
}

impl SendEmailResponse {
    /// Whether Postmark accepted the message.
    pub fn is_accepted(&self) -> bool {
        self.error_code.is_success()
    }

    /// The rejection, when Postmark did not accept the message.
    pub fn error(&self) -> Option<ApiError> {
        (!self.is_accepted()).then(|| ApiError {
            code: self.error_code,
            message: self.message.clone(),
        })
    }
}

/// One answer per message of a batch, in request order.
pub type BatchResponse = Vec<SendEmailResponse>;

/// Checks a batch's size, then each message, naming the first bad one.
fn check_batch<T>(
    messages: &[T],
    check: impl Fn(&T) -> Result<(), BuildError>,
) -> Result<(), BuildError> {
    if messages.is_empty() {
        return Err(BuildError::MissingField { field: "Messages" });
    }
    if messages.len() > MAX_BATCH_MESSAGES {
        return Err(BuildError::TooManyMessages {
            count: messages.len(),
            max: MAX_BATCH_MESSAGES,
        });
    }
    messages
        .iter()
        .enumerate()
        .try_for_each(|(index, message)| {
            check(message).map_err(|source| BuildError::InBatch {
                index,
                source: Box::new(source),
            })
        })
}

/// `POST /email/batch`: sends up to 500 messages in one call. The body is a
/// bare JSON array.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct SendEmailBatch(pub Vec<SendEmail>);

impl RequestParts for SendEmailBatch {
    fn validate(&self) -> Result<(), BuildError> {
        check_batch(&self.0, SendEmail::check)
    }
    fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
        batch_body(b"[", &self.0, b"]")
    }
}

/// The JSON of a batch: `open`, the messages separated by commas, `close`.
/// Each message is held to the single-message limit (a message over it is
/// refused with its index, as Postmark would refuse it) and the whole to the
/// batch limit.
fn batch_body<T: Serialize>(
    open: &[u8],
    messages: &[T],
    close: &[u8],
) -> Result<Option<Vec<u8>>, BuildError> {
    let mut bytes = Vec::with_capacity(64 * 1024);
    bytes.extend_from_slice(open);
    for (index, message) in messages.iter().enumerate() {
        if index > 0 {
            bytes.push(b',');
        }
        let start = bytes.len();
        crate::json::write(&mut bytes, message).expect("request models always serialize");
        let size = bytes.len() - start;
        if size > MAX_MESSAGE_BYTES {
            return Err(BuildError::InBatch {
                index,
                source: Box::new(BuildError::PayloadTooLarge {
                    bytes: size,
                    max: MAX_MESSAGE_BYTES,
                }),
            });
        }
        if bytes.len() > MAX_BATCH_BYTES {
            return Err(BuildError::PayloadTooLarge {
                bytes: bytes.len() + close.len(),
                max: MAX_BATCH_BYTES,
            });
        }
    }
    bytes.extend_from_slice(close);
    Ok(Some(bytes))
}

request_struct! {
    /// `POST /email/withTemplate`: sends one message rendered from a stored template.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct SendEmailWithTemplate {
        /// The template's numeric ID; give this or `template_alias`.
        pub template_id: Option<i64>,
        /// The template's alias; give this or `template_id`.
        pub template_alias: Option<String>,
        /// Values for the template's placeholders.
        pub template_model: serde_json::Map<String, serde_json::Value>,
        /// Whether to inline CSS in the HTML part; Postmark's default is true.
        #[serde(rename = "InlineCss")]
        pub inline_css: Option<bool>,
    } + envelope_fields
}

impl SendEmailWithTemplate {
    fn check(&self) -> Result<(), BuildError> {
        self.envelope().validate()?;
        let alias = self
            .template_alias
            .as_deref()
            .is_some_and(|a| !a.is_empty());
        if self.template_id.is_some() == alias {
            return Err(BuildError::TemplateChoice);
        }
        Ok(())
    }
}

impl RequestParts for SendEmailWithTemplate {
    fn validate(&self) -> Result<(), BuildError> {
        self.check()
    }
    fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
        json_body(self, MAX_MESSAGE_BYTES)
    }
}

/// `POST /email/batchWithTemplates`: up to 500 template sends in one call.
/// Unlike `/email/batch`, the body is an object wrapping `Messages`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct SendEmailBatchWithTemplates {
    /// The messages.
    pub messages: Vec<SendEmailWithTemplate>,
}

impl RequestParts for SendEmailBatchWithTemplates {
    fn validate(&self) -> Result<(), BuildError> {
        check_batch(&self.messages, SendEmailWithTemplate::check)
    }
    fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
        batch_body(br#"{"Messages":["#, &self.messages, b"]}")
    }
}
