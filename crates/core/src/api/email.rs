//! Sending email: one message, a batch, with a template, a batch with templates.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::{count_recipients, sending_fields};
use crate::endpoint::Rules;
use crate::shape::read::Value;
use crate::{ApiError, BuildError, ErrorCode};

/// Most recipients one message may have, across To, Cc and Bcc.
pub const MAX_RECIPIENTS: usize = 50;
/// Most messages in one batch.
pub const MAX_BATCH_MESSAGES: usize = 500;
/// Largest single message, attachments included.
pub const MAX_MESSAGE_BYTES: usize = 10 * 1024 * 1024;
/// Largest batch request.
pub const MAX_BATCH_BYTES: usize = 50 * 1024 * 1024;

/// Adds to a message struct its recipients and its stream, around its own
/// fields, and then what every kind of send shares (see
/// [`request_struct`](super::request_struct)).
macro_rules! envelope_fields {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [
            /// Comma-separated recipients.
            pub to: Option<String>,
            /// Comma-separated carbon-copy recipients.
            pub cc: Option<String>,
            /// Comma-separated blind carbon-copy recipients.
            pub bcc: Option<String>,
            $($fields)*
            /// Message stream ID; `outbound` when absent.
            pub message_stream: Option<String>,
        ] sending_fields $($rest)*);
    };
}

/// Adds to a send the stored template it is rendered from, after its own
/// fields (see [`request_struct`](super::request_struct)).
macro_rules! template_fields {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// The template's numeric ID; give this or `template_alias`.
            pub template_id: Option<i64>,
            /// The template's alias; give this or `template_id`.
            pub template_alias: Option<String>,
            /// Whether to inline CSS in the HTML part; Postmark's default is true.
            #[serde(rename = "InlineCss")]
            pub inline_css: Option<bool>,
        ] $($rest)*);
    };
}

pub(crate) use template_fields;

/// Refuses a message without a recipient or with more than
/// [`MAX_RECIPIENTS`] across To, Cc and Bcc.
fn check_recipients(message: Value<'_>) -> Result<(), BuildError> {
    let count = ["To", "Cc", "Bcc"]
        .into_iter()
        .map(|field| count_recipients(message.get(field).and_then(Value::str).as_deref()))
        .sum();
    match count {
        0 => Err(BuildError::MissingField { field: "To".into() }),
        count if count > MAX_RECIPIENTS => Err(BuildError::TooManyRecipients {
            count,
            max: MAX_RECIPIENTS,
        }),
        _ => Ok(()),
    }
}

/// Refuses parameters with neither an `HtmlBody` nor a `TextBody` that is
/// not empty.
pub(crate) fn require_body(params: Value<'_>) -> Result<(), BuildError> {
    let has_body = ["HtmlBody", "TextBody"]
        .into_iter()
        .any(|field| params.get(field).is_some_and(Value::is_filled_str));
    match has_body {
        true => Ok(()),
        false => Err(BuildError::MissingField {
            field: "HtmlBody or TextBody".into(),
        }),
    }
}

/// The checks of one message: its recipients, and a body.
fn check_message(message: Value<'_>) -> Result<(), BuildError> {
    check_recipients(message)?;
    require_body(message)
}

/// Whether the parameters name a template by `TemplateId`, and by a
/// `TemplateAlias` that is not empty.
pub(crate) fn template_named(params: Value<'_>) -> (bool, bool) {
    let alias = params
        .get("TemplateAlias")
        .is_some_and(Value::is_filled_str);
    (params.get("TemplateId").is_some(), alias)
}

/// The checks of one template send: its recipients, and exactly one of
/// `TemplateId` and `TemplateAlias`.
fn check_template_message(message: Value<'_>) -> Result<(), BuildError> {
    check_recipients(message)?;
    let (id, alias) = template_named(message);
    if id == alias {
        return Err(BuildError::TemplateChoice);
    }
    Ok(())
}

/// Checks a batch's size, then each message, naming the first bad one: its
/// own checks, and the single-message limit on its size in the body.
fn check_batch(
    messages: Option<Value<'_>>,
    check: fn(Value<'_>) -> Result<(), BuildError>,
) -> Result<(), BuildError> {
    let messages: Vec<Value<'_>> = messages
        .map(Value::children)
        .into_iter()
        .flatten()
        .collect();
    let count = messages.len();
    if count == 0 {
        return Err(BuildError::MissingField {
            field: "Messages".into(),
        });
    }
    if count > MAX_BATCH_MESSAGES {
        return Err(BuildError::TooManyMessages {
            count,
            max: MAX_BATCH_MESSAGES,
        });
    }
    messages
        .into_iter()
        .enumerate()
        .try_for_each(|(index, message)| {
            let in_batch = |source| BuildError::InBatch {
                index,
                source: Box::new(source),
            };
            check(message).map_err(in_batch)?;
            let bytes = message.body_len();
            if bytes > MAX_MESSAGE_BYTES {
                return Err(in_batch(BuildError::PayloadTooLarge {
                    bytes,
                    max: MAX_MESSAGE_BYTES,
                }));
            }
            Ok(())
        })
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
}

impl Rules for SendEmail {
    const MAX_BODY: usize = MAX_MESSAGE_BYTES;

    fn check(params: Value<'_>) -> Result<(), BuildError> {
        check_message(params)
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

    /// The recipients Postmark will not deliver to because they are
    /// inactive: those the message of an accepted send names (Postmark
    /// accepts a message when some recipients are inactive, and says so
    /// only there), or those of a refusal with ErrorCode 406 (every
    /// recipient inactive; in a batch, that message). Empty otherwise.
    pub fn inactive_recipients(&self) -> Vec<String> {
        match self.error() {
            Some(error) => error.inactive_recipients(),
            None => crate::inactive_recipients(&self.message),
        }
    }
}

/// One answer per message of a batch, in request order.
pub type BatchResponse = Vec<SendEmailResponse>;

/// `POST /email/batch`: sends up to 500 messages in one call. The body is a
/// bare JSON array.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(extend("x-batch" = true)))]
#[serde(transparent)]
pub struct SendEmailBatch(pub Vec<SendEmail>);

impl Rules for SendEmailBatch {
    const MAX_BODY: usize = MAX_BATCH_BYTES;

    fn check(params: Value<'_>) -> Result<(), BuildError> {
        check_batch(Some(params), check_message)
    }
}

request_struct! {
    /// `POST /email/withTemplate`: sends one message rendered from a stored template.
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct SendEmailWithTemplate {
        /// Values for the template's placeholders.
        pub template_model: serde_json::Map<String, serde_json::Value>,
    } + template_fields + envelope_fields
}

impl Rules for SendEmailWithTemplate {
    const MAX_BODY: usize = MAX_MESSAGE_BYTES;

    fn check(params: Value<'_>) -> Result<(), BuildError> {
        check_template_message(params)
    }
}

/// `POST /email/batchWithTemplates`: up to 500 template sends in one call.
/// Unlike `/email/batch`, the body is an object wrapping `Messages`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct SendEmailBatchWithTemplates {
    /// The messages.
    #[cfg_attr(feature = "schema", schemars(extend("x-batch" = true)))]
    pub messages: Vec<SendEmailWithTemplate>,
}

impl Rules for SendEmailBatchWithTemplates {
    const MAX_BODY: usize = MAX_BATCH_BYTES;

    fn check(params: Value<'_>) -> Result<(), BuildError> {
        check_batch(params.get("Messages"), check_template_message)
    }
}
