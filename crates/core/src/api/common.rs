//! Types shared by several API groups.

use std::fmt;

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::ErrorCode;
use crate::enums::string_enum;

/// One email or HTTP header. Postmark sends and takes headers as a list,
/// never a map: order is kept and names may repeat.
///
/// `Debug` shows the name and the value's length, never the value: a
/// webhook's `HttpHeaders` carry whatever secret its receiver checks, under
/// any name, so no list of names could tell which values are safe to print.
///
/// ```
/// use postmark_kit::api::common::Header;
///
/// let header = Header::new("X-Webhook-Secret", "s3cret");
/// assert_eq!(format!("{header:?}"), r#"Header { name: "X-Webhook-Secret", value: <6 bytes> }"#);
/// ```
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
#[cfg_attr(feature = "schema", schemars(transform = super::required("Name Value")))]
pub struct Header {
    /// Header name.
    pub name: String,
    /// Header value.
    #[cfg_attr(feature = "schema", schemars(extend("x-blank-ok" = true)))]
    pub value: String,
}

impl fmt::Debug for Header {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Header")
            .field("name", &self.name)
            .field("value", &format_args!("<{} bytes>", self.value.len()))
            .finish()
    }
}

impl Header {
    /// A header from a name and a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Self {
        Header {
            name: name.into(),
            value: value.into(),
        }
    }
}

/// A file attached to an outgoing message.
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase")]
pub struct Attachment {
    /// File name shown to the recipient.
    pub name: String,
    /// The file, base64-encoded.
    pub content: String,
    /// MIME type, such as `application/pdf`.
    pub content_type: String,
    /// `cid:...` identifier for inline images.
    #[serde(rename = "ContentID")]
    pub content_id: Option<String>,
}

impl Attachment {
    /// An attachment from raw bytes, base64-encoding them.
    pub fn from_bytes(
        name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: &[u8],
    ) -> Self {
        Attachment {
            name: name.into(),
            content: base64::engine::general_purpose::STANDARD.encode(bytes),
            content_type: content_type.into(),
            content_id: None,
        }
    }
}

string_enum! {
    /// How Postmark rewrites links for click tracking.
    pub enum TrackLinks {
        /// No link tracking.
        None => "None",
        /// Links in both the HTML and the text part.
        HtmlAndText => "HtmlAndText",
        /// Links in the HTML part only.
        HtmlOnly => "HtmlOnly",
        /// Links in the text part only.
        TextOnly => "TextOnly",
    }
}

/// One recipient of a sent message, as message results list them.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct EmailAddress {
    /// The address.
    pub email: String,
    /// Display name; may be empty or absent.
    pub name: Option<String>,
}

/// Adds to a send the sender, ahead of its own fields, and the options every
/// kind of send has (one message, a batch, a bulk request) after them (see
/// [`request_struct`](super::request_struct)).
macro_rules! sending_fields {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [
            /// Sender: a confirmed sender signature or an address on a
            /// verified domain; `"Name <address>"` is allowed.
            pub from: String,
            $($fields)*
            /// One tag for statistics, up to 1000 characters.
            pub tag: Option<String>,
            /// Reply-To address(es).
            pub reply_to: Option<String>,
            /// Custom metadata, searchable and echoed in webhooks.
            pub metadata: Option<std::collections::BTreeMap<String, String>>,
            /// Extra email headers.
            pub headers: Option<Vec<$crate::api::common::Header>>,
            /// Whether to track opens; the server's default when absent.
            pub track_opens: Option<bool>,
            /// Link tracking; the server's default when absent.
            pub track_links: Option<$crate::api::common::TrackLinks>,
            /// Attached files.
            pub attachments: Option<Vec<$crate::api::common::Attachment>>,
        ] $($rest)*);
    };
}

pub(crate) use sending_fields;

/// Adds to a search request Postmark's `fromdate` and `todate` filters, a
/// window of time, after its own fields (see
/// [`request_struct`](super::request_struct)).
macro_rules! date_window {
    ($name:ident $head:tt [$($fields:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// Only what happened from this date or time on: a date
            /// (`2026-01-31`) or a date and time without offset
            /// (`2026-01-31T08:00:00`), inclusive, in US Eastern time.
            #[serde(rename = "fromdate")]
            #[cfg_attr(feature = "schema", schemars(extend("x-format" = "local-date")))]
            pub from_date: Option<String>,
            /// Only what happened up to this date or time, inclusive, in
            /// the same form.
            #[serde(rename = "todate")]
            #[cfg_attr(feature = "schema", schemars(extend("x-format" = "local-date")))]
            pub to_date: Option<String>,
        ] $($rest)*);
    };
}

pub(crate) use date_window;

/// The raw source of a bounce or of a sent message: `{Body}`.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct Dump {
    /// The source, as received or sent; empty or absent when Postmark no
    /// longer has it (bounce dumps are kept for 30 days).
    pub body: Option<String>,
}

/// The `{ErrorCode, Message}` answer of calls that return no resource
/// (deletes, for instance): `ErrorCode` is 0 and `Message` says what was done.
#[skip_serializing_none]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
pub struct StandardResponse {
    /// 0 on success.
    pub error_code: ErrorCode,
    /// What Postmark did, e.g. `"Webhook 12 removed."`.
    pub message: String,
}

/// Counts the addresses in a comma-separated recipient list. Commas inside
/// quoted display names (`"Doe, Jane" <jane@example.com>`) do not separate
/// addresses, and empty entries are not addresses.
pub(crate) fn count_recipients(list: Option<&str>) -> usize {
    let Some(list) = list else { return 0 };
    // Without quotes every comma separates: the common case, counted without
    // walking the list char by char (the walk below gives the same answer).
    if !list.contains('"') {
        return list
            .split(',')
            .filter(|entry| !entry.trim().is_empty())
            .count();
    }
    let mut count = 0;
    let mut in_quotes = false;
    let mut escaped = false;
    let mut has_text = false;
    for c in list.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_quotes => escaped = true,
            '"' => in_quotes = !in_quotes,
            ',' if !in_quotes => {
                count += usize::from(has_text);
                has_text = false;
                continue;
            }
            _ => {}
        }
        has_text |= !c.is_whitespace();
    }
    count + usize::from(has_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recipients_are_counted_outside_quotes() {
        assert_eq!(count_recipients(None), 0);
        assert_eq!(count_recipients(Some("  ")), 0);
        assert_eq!(count_recipients(Some("a@x.com")), 1);
        assert_eq!(count_recipients(Some("a@x.com, b@x.com,,")), 2);
        assert_eq!(count_recipients(Some("Zoë <z@x.com>,\u{2003}, b@x.com")), 2);
        assert_eq!(
            count_recipients(Some(r#""Doe, Jane" <j@x.com>, "A \"q, b\"" <a@x.com>"#)),
            2
        );
        // Outside quotes a backslash escapes nothing: the comma after it
        // still separates.
        assert_eq!(
            count_recipients(Some(r#""Doe" <j@x.com>, b@x.com\, c@x.com"#)),
            3
        );
    }

    #[test]
    fn a_headers_value_is_not_shown_in_debug() {
        let header = Header::new("X-Api-Key", "secret-value");
        assert_eq!(
            format!("{header:?}"),
            r#"Header { name: "X-Api-Key", value: <12 bytes> }"#
        );
    }

    #[test]
    fn attachment_from_bytes_is_base64() {
        let a = Attachment::from_bytes("a.txt", "text/plain", b"hello");
        assert_eq!(a.content, "aGVsbG8=");
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            r#"{"Name":"a.txt","Content":"aGVsbG8=","ContentType":"text/plain"}"#
        );
    }
}
