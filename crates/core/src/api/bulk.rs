//! Bulk sends: one request sending the same content, or the same template,
//! to many recipients of a broadcast stream; where such a request stands;
//! and the requests sent.
//!
//! Postmark checks a bulk request as a whole: one bad field refuses all of
//! it (ErrorCode 11, with the fields named in the error's details).
//! Recipients that fail later only show in the request's counts and in the
//! bounces.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use super::common::{Header, count_recipients, sending_fields};
use super::email::{
    MAX_BATCH_BYTES, MAX_RECIPIENTS, require_body, template_fields, template_named,
};
use crate::endpoint::Rules;
use crate::enums::string_enum;
use crate::shape::read::Value;
use crate::{BuildError, Page, Paged, Paging};

string_enum! {
    /// Where a bulk request stands.
    pub enum BulkStatus {
        /// Accepted, not sent yet.
        Accepted => "Accepted",
        /// Being sent.
        Processing => "Processing",
        /// Every message was handled.
        Completed => "Completed",
        /// Stopped before every message was sent.
        Cancelled => "Cancelled",
        /// Could not be sent.
        Failed => "Failed",
    }
}

/// The recipients of one message of a bulk request, and what is theirs
/// alone.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct BulkMessage {
    /// Comma-separated recipients, at most 50.
    pub to: String,
    /// Comma-separated carbon-copy recipients, at most 50.
    pub cc: Option<String>,
    /// Comma-separated blind carbon-copy recipients, at most 50.
    pub bcc: Option<String>,
    /// Values for the placeholders of the subject and bodies, or of the
    /// template.
    pub template_model: Option<serde_json::Map<String, serde_json::Value>>,
    /// Metadata of this message; its keys win over the request's.
    pub metadata: Option<BTreeMap<String, String>>,
    /// Headers of this message; they win over the request's of the same
    /// name.
    pub headers: Option<Vec<Header>>,
}

request_struct! {
    /// `POST /email/bulk`: sends one content to every message's recipients:
    /// a subject and bodies whose placeholders each message's
    /// `template_model` fills, or a stored template. Only for accounts
    /// Postmark has enabled for it (ErrorCode 14 otherwise).
    #[skip_serializing_none]
    #[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(rename_all = "PascalCase")]
    pub struct SendBulkEmail {
        /// Subject line, with placeholders.
        pub subject: Option<String>,
        /// HTML body, with placeholders; a body or a template is required.
        pub html_body: Option<String>,
        /// Plain-text body, with placeholders.
        pub text_body: Option<String>,
        /// A broadcast stream's ID; `broadcast` when absent.
        pub message_stream: Option<String>,
        /// The messages, each to its own recipients.
        #[cfg_attr(feature = "schema", schemars(extend("x-batch" = true)))]
        pub messages: Vec<BulkMessage>,
    } + template_fields + sending_fields
}

impl Rules for SendBulkEmail {
    const MAX_BODY: usize = MAX_BATCH_BYTES;

    /// A template or a body, at least one message, and at most
    /// [`MAX_RECIPIENTS`] in each recipient field of a message.
    fn check(params: Value<'_>) -> Result<(), BuildError> {
        match template_named(params) {
            (true, true) => return Err(BuildError::TemplateChoice),
            (false, false) => require_body(params)?,
            _ => {}
        }
        let messages: Vec<Value<'_>> = params
            .get("Messages")
            .into_iter()
            .flat_map(Value::children)
            .collect();
        if messages.is_empty() {
            return Err(BuildError::MissingField {
                field: "Messages".into(),
            });
        }
        for (index, message) in messages.into_iter().enumerate() {
            for field in ["To", "Cc", "Bcc"] {
                let count = count_recipients(message.get(field).and_then(Value::str).as_deref());
                if count > MAX_RECIPIENTS {
                    return Err(BuildError::InBatch {
                        index,
                        source: Box::new(BuildError::TooManyRecipients {
                            count,
                            max: MAX_RECIPIENTS,
                        }),
                    });
                }
            }
        }
        Ok(())
    }
}

/// Postmark's answer to a bulk request it accepted.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct BulkEmailAccepted {
    /// The request's ID, to ask where it stands.
    #[serde(rename = "ID")]
    pub id: String,
    /// `Accepted`.
    pub status: Option<BulkStatus>,
    /// When Postmark accepted it.
    pub submitted_at: Option<String>,
}

/// `GET /email/bulk/{id}`: where a bulk request stands.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct GetBulkEmailStatus {
    /// The request's ID.
    pub id: String,
}

impl Rules for GetBulkEmailStatus {}

/// A bulk request and how far it got.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct BulkEmail {
    /// The request's ID (spelled `Id` here, unlike in the answer to the
    /// send).
    pub id: String,
    /// When Postmark accepted it.
    pub submitted_at: Option<String>,
    /// Messages in the request.
    pub total_messages: u64,
    /// How much of it is done, from 0 to 100.
    pub percentage_completed: f64,
    /// Where it stands.
    pub status: Option<BulkStatus>,
    /// The subject, when the request had one.
    pub subject: Option<String>,
    /// Messages sent so far, when Postmark says.
    pub released_count: Option<u64>,
    /// Messages that could not be sent, when Postmark says.
    pub failed_count: Option<u64>,
}

/// `GET /email/bulk`: the server's bulk requests, newest first, a page at a
/// time. A page ends with the key of the next one; pass it back as
/// `pagination_key` to get that page.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ListBulkEmails {
    /// Page size; Postmark's default when absent.
    pub count: Option<u32>,
    /// The previous page's `PaginationKey`; the first page when absent.
    #[serde(rename = "paginationKey")]
    pub pagination_key: Option<String>,
}

impl Rules for ListBulkEmails {}

impl Paged for ListBulkEmails {
    type Item = BulkEmail;
    const PAGING: Paging = Paging::Key;

    /// Without a `count`, a walk takes pages of the largest.
    fn page(&self) -> Page {
        Page {
            count: self.count.unwrap_or(Self::MAX_COUNT),
            offset: 0,
        }
    }

    fn with_page(&self, page: Page) -> Self {
        self.with_key(page, self.pagination_key.as_deref())
    }

    fn into_items(response: BulkEmailList) -> (u64, Vec<BulkEmail>) {
        (0, response.requests)
    }

    fn key(&self) -> Option<&str> {
        self.pagination_key.as_deref()
    }

    fn with_key(&self, page: Page, key: Option<&str>) -> Self {
        ListBulkEmails {
            count: Some(page.count),
            pagination_key: key.map(str::to_owned),
        }
    }

    fn next_key(response: &BulkEmailList) -> Option<String> {
        response.pagination_key.clone()
    }
}

/// A page of bulk requests.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct BulkEmailList {
    /// This page.
    pub requests: Vec<BulkEmail>,
    /// The key of the next page; absent on the last one.
    pub pagination_key: Option<String>,
}
