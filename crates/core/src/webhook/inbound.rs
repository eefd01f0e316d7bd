//! Inbound e-mail: what Postmark posts to an inbound webhook, and what the
//! inbound-message endpoints return.

use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::api::common::Header;

/// An e-mail received on an inbound stream.
///
/// The inbound webhook has no `RecordType`; [`parse_webhook`](super::parse_webhook)
/// recognises it by `FromFull` or `OriginalRecipient`. Every field is
/// optional and every list defaults to empty, so a sparse message still
/// parses.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InboundMessage {
    /// Sender address.
    #[serde(rename = "From")]
    pub from: Option<String>,
    /// Sender display name; may be empty.
    #[serde(rename = "FromName")]
    pub from_name: Option<String>,
    /// Sender, parsed.
    #[serde(rename = "FromFull")]
    pub from_full: Option<InboundAddress>,
    /// The raw `To` header value (may hold quotes and several addresses).
    #[serde(rename = "To")]
    pub to: Option<String>,
    /// `To` recipients, parsed.
    #[serde(rename = "ToFull", default)]
    pub to_full: Vec<InboundAddress>,
    /// The raw `Cc` header value.
    #[serde(rename = "Cc")]
    pub cc: Option<String>,
    /// `Cc` recipients, parsed.
    #[serde(rename = "CcFull", default)]
    pub cc_full: Vec<InboundAddress>,
    /// The raw `Bcc` value; usually empty for inbound mail.
    #[serde(rename = "Bcc")]
    pub bcc: Option<String>,
    /// `Bcc` recipients, parsed.
    #[serde(rename = "BccFull", default)]
    pub bcc_full: Vec<InboundAddress>,
    /// The address Postmark received the message on.
    #[serde(rename = "OriginalRecipient")]
    pub original_recipient: Option<String>,
    /// The raw `Reply-To` value; may be empty.
    #[serde(rename = "ReplyTo")]
    pub reply_to: Option<String>,
    /// Subject.
    #[serde(rename = "Subject")]
    pub subject: Option<String>,
    /// Postmark's ID for the message. The RFC 5322 `Message-ID` is in
    /// [`headers`](Self::headers).
    #[serde(rename = "MessageID")]
    pub message_id: Option<String>,
    /// The `+hash` part of the recipient address; may be empty.
    #[serde(rename = "MailboxHash")]
    pub mailbox_hash: Option<String>,
    /// The raw `Date` header (RFC 2822-ish, not ISO 8601), as received.
    #[serde(rename = "Date")]
    pub date: Option<String>,
    /// Plain-text body.
    #[serde(rename = "TextBody")]
    pub text_body: Option<String>,
    /// HTML body.
    #[serde(rename = "HtmlBody")]
    pub html_body: Option<String>,
    /// The reply text without the quoted history; may be empty.
    #[serde(rename = "StrippedTextReply")]
    pub stripped_text_reply: Option<String>,
    /// Tag; may be empty.
    #[serde(rename = "Tag")]
    pub tag: Option<String>,
    /// Every header of the message, in order (including `X-Spam-Status`,
    /// `X-Spam-Score`, `Received`...).
    #[serde(rename = "Headers", default)]
    pub headers: Vec<Header>,
    /// Attachments, with their content in base64.
    #[serde(rename = "Attachments", default)]
    pub attachments: Vec<InboundAttachment>,
    /// Message stream (`"inbound"`).
    #[serde(rename = "MessageStream")]
    pub message_stream: Option<String>,
    /// The full raw message; only when the server has `RawEmailEnabled`.
    #[serde(rename = "RawEmail")]
    pub raw_email: Option<String>,
}

impl InboundMessage {
    /// The value of the first header called `name`, compared
    /// case-insensitively as header names are.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|header| header.name.eq_ignore_ascii_case(name))
            .map(|header| header.value.as_str())
    }
}

/// One address of an inbound message (`FromFull`, `ToFull`, `CcFull`, `BccFull`).
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InboundAddress {
    /// The address.
    #[serde(rename = "Email")]
    pub email: Option<String>,
    /// Display name; may be empty.
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// The `+hash` part of the address; may be empty.
    #[serde(rename = "MailboxHash")]
    pub mailbox_hash: Option<String>,
}

/// An attachment of an inbound message.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct InboundAttachment {
    /// File name.
    #[serde(rename = "Name")]
    pub name: Option<String>,
    /// Content in base64; absent from some inbound-message API responses.
    #[serde(rename = "Content")]
    pub content: Option<String>,
    /// MIME type.
    #[serde(rename = "ContentType")]
    pub content_type: Option<String>,
    /// Size of the decoded content, in bytes.
    #[serde(rename = "ContentLength")]
    pub content_length: Option<i64>,
    /// Content-ID for inline parts (`"cid:..."`); may be empty or absent.
    #[serde(rename = "ContentID")]
    pub content_id: Option<String>,
}
