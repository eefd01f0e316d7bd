//! A failed call as the model reads it: the core's description of the error
//! (`Error::describe_json`, `BuildError::details_json`), with a `hint` that
//! says what to do next.

use postmark_kit::{BuildError, Error, ErrorCode, ErrorKind};
use postmark_kit_reqwest::{ClientError, TransportErrorKind};
use serde_json::{Map, Value};

/// Why a call failed.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The client failed: refused before sending, Postmark's error, no answer.
    Client(ClientError),
    /// This server refused the call: `kind`, what, and what would let it through.
    Refused {
        kind: &'static str,
        message: String,
        hint: String,
        /// More fields for the answer (the recipients refused).
        extra: Map<String, Value>,
    },
}

impl From<ClientError> for Failure {
    fn from(error: ClientError) -> Self {
        Failure::Client(error)
    }
}

impl From<BuildError> for Failure {
    fn from(error: BuildError) -> Self {
        Failure::Client(ClientError::Build(error))
    }
}

impl Failure {
    /// The failure as one JSON object: `kind`, `message`, the error's other
    /// fields (`status`, `error_code`, `error_name`, `path`...) and `hint`.
    pub(crate) fn to_json(&self) -> Map<String, Value> {
        let (mut fields, hint) = match self {
            Failure::Client(ClientError::Build(error)) => (error.details(), build_hint(error)),
            Failure::Client(ClientError::Api(error)) => (error.describe(), api_hint(error)),
            Failure::Client(ClientError::Transport { kind, message }) => {
                let mut fields = Map::new();
                fields.insert("kind".into(), "transport".into());
                fields.insert("transport".into(), kind.as_str().into());
                fields.insert("message".into(), message.as_str().into());
                (fields, transport_hint(*kind))
            }
            Failure::Client(other) => {
                let mut fields = Map::new();
                fields.insert("kind".into(), "client".into());
                fields.insert("message".into(), other.to_string().into());
                (
                    fields,
                    "The server could not make the call: tell the user.".to_owned(),
                )
            }
            Failure::Refused {
                kind,
                message,
                hint,
                extra,
            } => {
                let mut fields = Map::new();
                fields.insert("kind".into(), (*kind).into());
                fields.insert("message".into(), message.as_str().into());
                fields.extend(extra.clone());
                (fields, hint.clone())
            }
        };
        fields.insert("hint".into(), hint.into());
        fields
    }

    /// A short name for the log: the kind, and Postmark's code when it sent one.
    pub(crate) fn summary(&self) -> String {
        let fields = self.to_json();
        let kind = fields["kind"].as_str().unwrap_or_default();
        match fields.get("error_code") {
            Some(code) => format!("{kind} (ErrorCode {code})"),
            None => kind.to_owned(),
        }
    }
}

/// What to do about a request the core refused before sending it.
fn build_hint(error: &BuildError) -> String {
    let details = error.details();
    let text = |key: &str| details.get(key).and_then(Value::as_str).unwrap_or_default();
    let batch = match details.get("index") {
        Some(index) => format!("In message {index} of the batch: "),
        None => String::new(),
    };
    let action = match error.kind() {
        "invalid_params" if text("path") == "." => {
            "Pass the arguments as one JSON object that fits the tool's input schema.".to_owned()
        }
        "invalid_params" => format!(
            "Fix the argument at `{}` so it fits the tool's input schema (field names are \
             Postmark's, as the schema spells them), then call again.",
            text("path")
        ),
        "missing_field" => format!("Add `{}` and call again.", text("field")),
        "template_choice" => "Give exactly one of TemplateId and TemplateAlias.".to_owned(),
        "paged_too_deep" => "Postmark pages this list no deeper: narrow the search (a date \
             window with fromdate/todate, a recipient, a tag) instead of raising the offset."
            .to_owned(),
        "too_many_recipients"
        | "too_many_messages"
        | "too_many_items"
        | "payload_too_large"
        | "count_too_large"
        | "too_long"
        | "out_of_range" => format!(
            "Stay within the limit ({}): split a batch or list into several calls, or \
             shorten the value, then call again.",
            details
                .get("limit")
                .map(Value::to_string)
                .unwrap_or_default()
        ),
        _ => "Correct the request as the message says, then call again.".to_owned(),
    };
    format!("Nothing was sent. {batch}{action}")
}

/// What to do about Postmark's answer.
fn api_hint(error: &Error) -> String {
    let meaning = error
        .code()
        .and_then(ErrorCode::description)
        .map(|text| format!("{text} "))
        .unwrap_or_default();
    let action = match (error.kind(), error.code()) {
        (_, Some(ErrorCode::INACTIVE_RECIPIENT)) => format!(
            "Inactive recipients ({}) cannot be sent to: send without them. A hard bounce can \
             be reactivated with activate_bounce; a manual suppression lifted with \
             delete_suppressions; a spam complaint cannot.",
            error.inactive_recipients().join(", ")
        ),
        (ErrorKind::InvalidToken, _) => "Retrying will not help: the user must check the token \
             in the server's environment (POSTMARK_SERVER_TOKEN or POSTMARK_ACCOUNT_TOKEN)."
            .to_owned(),
        (ErrorKind::NotFound, _) => {
            "Nothing has that ID: find the right one with a list or search tool.".to_owned()
        }
        (ErrorKind::RateLimited, _) => format!(
            "Wait {} seconds, then call again.",
            error.retry_after().unwrap_or(10)
        ),
        (ErrorKind::Unavailable, _) => {
            "Postmark is unavailable and did not act on the request: try again later.".to_owned()
        }
        (ErrorKind::ServerError, _) => "Postmark failed; it may or may not have acted. Before \
             repeating a send or a change, check whether it happened (search_outbound_messages, \
             a get tool)."
            .to_owned(),
        (ErrorKind::Decode, _) => "Postmark answered in a shape the client does not know; the \
             call may have taken effect. Tell the user."
            .to_owned(),
        _ => "Change the request as Postmark's message says; the same call unchanged will fail \
             again."
            .to_owned(),
    };
    format!("{meaning}{action}")
}

fn transport_hint(kind: TransportErrorKind) -> String {
    match kind {
        TransportErrorKind::Connect => "Postmark could not be reached and nothing was sent: \
             try again shortly; if it persists, the user should check the network (or \
             POSTMARK_API_URL)."
            .to_owned(),
        _ => "The connection failed after the request was sent: Postmark may have acted on it. \
             Before repeating a send or a change, check whether it happened."
            .to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use postmark_kit::http::StatusCode;
    use serde_json::json;

    use super::*;

    fn api(status: u16, body: &str) -> Failure {
        ClientError::Api(Error::from_parts(
            StatusCode::from_u16(status).unwrap(),
            Some("3"),
            None,
            body.as_bytes(),
        ))
        .into()
    }

    #[test]
    fn api_errors_keep_their_code_and_gain_a_hint() {
        let failure = api(401, r#"{"ErrorCode": 10, "Message": "Bad token."}"#);
        let fields = failure.to_json();
        assert_eq!(fields["kind"], "invalid_token");
        assert_eq!(fields["status"], 401);
        assert_eq!(fields["error_code"], 10);
        assert_eq!(fields["error_name"], "INVALID_TOKEN");
        assert_eq!(fields["message"], "Bad token.");
        let hint = fields["hint"].as_str().unwrap();
        assert!(
            hint.starts_with("The request has no valid server or account token"),
            "{hint}"
        );
        assert!(hint.contains("POSTMARK_SERVER_TOKEN"), "{hint}");
        assert_eq!(failure.summary(), "invalid_token (ErrorCode 10)");

        let inactive = api(
            422,
            r#"{"ErrorCode": 406, "Message": "You tried to send to recipient(s) that have been marked as inactive. Found inactive addresses: gone@example.com. Inactive recipients are ones that have generated a hard bounce, a spam complaint, or a manual suppression."}"#,
        )
        .to_json();
        assert_eq!(inactive["inactive_recipients"], json!(["gone@example.com"]));
        assert!(
            inactive["hint"]
                .as_str()
                .unwrap()
                .contains("(gone@example.com)")
        );

        let limited = api(429, "Too many requests.").to_json();
        assert_eq!(limited["kind"], "rate_limited");
        assert_eq!(limited["hint"], "Wait 3 seconds, then call again.");
    }

    #[test]
    fn refusals_before_sending_say_where() {
        let failure = Failure::from(BuildError::InvalidParams {
            operation: "send_email",
            path: "Textbody".into(),
            message: "unknown field".into(),
        });
        let fields = failure.to_json();
        assert_eq!(fields["kind"], "invalid_params");
        assert_eq!(fields["path"], "Textbody");
        assert!(
            fields["hint"]
                .as_str()
                .unwrap()
                .starts_with("Nothing was sent. Fix the argument at `Textbody`")
        );
        let batch = Failure::from(BuildError::InBatch {
            index: 2,
            source: Box::new(BuildError::MissingField { field: "To".into() }),
        })
        .to_json();
        assert_eq!(
            batch["hint"],
            "Nothing was sent. In message 2 of the batch: Add `To` and call again."
        );
        let limit = Failure::from(BuildError::CountTooLarge {
            count: 900,
            max: 500,
        })
        .to_json();
        assert!(limit["hint"].as_str().unwrap().contains("the limit (500)"));
    }

    #[test]
    fn transport_failures_say_whether_anything_was_sent() {
        let failure = Failure::from(ClientError::Transport {
            kind: TransportErrorKind::Connect,
            message: "connection refused".into(),
        });
        let fields = failure.to_json();
        assert_eq!(fields["kind"], "transport");
        assert_eq!(fields["transport"], "connect");
        assert!(
            fields["hint"]
                .as_str()
                .unwrap()
                .contains("nothing was sent")
        );
        let refused = Failure::Refused {
            kind: "recipient_not_allowed",
            message: "m".into(),
            hint: "h".into(),
            extra: Map::from_iter([("refused".to_owned(), json!(["x@y.z"]))]),
        };
        assert_eq!(
            Value::Object(refused.to_json()),
            json!({"kind": "recipient_not_allowed", "message": "m", "refused": ["x@y.z"], "hint": "h"})
        );
    }
}
