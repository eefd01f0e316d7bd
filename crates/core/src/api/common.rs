//! Types shared by several API groups.

use base64::Engine as _;
use serde::{Deserialize, Serialize};
use serde_with::skip_serializing_none;

use crate::enums::string_enum;
use crate::{BuildError, ErrorCode, Query};

/// One email or HTTP header. Postmark sends and takes headers as a list,
/// never a map: order is kept and names may repeat.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "PascalCase", default)]
#[cfg_attr(feature = "schema", schemars(transform = super::required("Name Value")))]
pub struct Header {
    /// Header name.
    pub name: String,
    /// Header value.
    pub value: String,
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

/// Adds to a search request Postmark's `fromdate` and `todate` filters, a
/// window of time, after its own fields, and `date_window()` to view them
/// (see [`request_struct`](super::request_struct)).
macro_rules! date_window {
    ($name:ident $head:tt [$($fields:tt)*] [$($impls:tt)*] $($rest:ident)*) => {
        $crate::api::request_struct!(@splice $name $head [$($fields)*
            /// Only what happened from this date or time on: a date
            /// (`2026-01-31`) or a date and time without offset
            /// (`2026-01-31T08:00:00`), inclusive, in US Eastern time.
            #[serde(rename = "fromdate")]
            pub from_date: Option<String>,
            /// Only what happened up to this date or time, inclusive, in
            /// the same form.
            #[serde(rename = "todate")]
            pub to_date: Option<String>,
        ] [$($impls)*
            impl $name {
                fn date_window(&self) -> $crate::api::common::DateWindow<'_> {
                    $crate::api::common::DateWindow {
                        from_date: self.from_date.as_deref(),
                        to_date: self.to_date.as_deref(),
                    }
                }
            }
        ] $($rest)*);
    };
}

pub(crate) use date_window;

/// The `fromdate` and `todate` of a search.
pub(crate) struct DateWindow<'a> {
    pub(crate) from_date: Option<&'a str>,
    pub(crate) to_date: Option<&'a str>,
}

impl DateWindow<'_> {
    pub(crate) fn query(&self, query: &mut Query) {
        query
            .push_opt("fromdate", self.from_date)
            .push_opt("todate", self.to_date);
    }

    /// Refuses a bound Postmark would not read as an Eastern date or time.
    pub(crate) fn validate(&self) -> Result<(), BuildError> {
        for (field, bound) in [("fromdate", self.from_date), ("todate", self.to_date)] {
            if bound.is_some_and(|bound| !is_local_date(bound)) {
                return Err(BuildError::InvalidValue {
                    field,
                    reason: "it must be a date (2026-01-31) or a date and time \
                             (2026-01-31T08:00:00), without offset",
                });
            }
        }
        Ok(())
    }
}

/// Whether `text` is `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS`.
/// The shape only: Postmark itself answers for a date that does not exist.
fn is_local_date(text: &str) -> bool {
    const SHAPES: [&str; 3] = ["0000-00-00", "0000-00-00T00:00", "0000-00-00T00:00:00"];
    SHAPES.iter().any(|shape| {
        shape.len() == text.len()
            && shape.bytes().zip(text.bytes()).all(|(s, t)| match s {
                b'0' => t.is_ascii_digit(),
                _ => s == t,
            })
    })
}

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
    }

    #[test]
    fn local_dates_and_times() {
        for good in ["2026-01-31", "2026-01-31T08:00", "2026-01-31T08:00:59"] {
            assert!(is_local_date(good), "{good}");
        }
        for bad in [
            "",
            "2026-1-31",
            "31/01/2026",
            "2026-01-31T08",
            "2026-01-31T08:00:00Z",
            "2026-01-31T08:00:00-05:00",
            "2026-01-31 08:00:00",
            "2026-01-31-01",
        ] {
            assert!(!is_local_date(bad), "{bad}");
        }
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
