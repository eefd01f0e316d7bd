//! Bulk API (server token): one request sending the same content, or the same template,
//! to many recipients on a Broadcasts stream; its status; the list of requests.
//!
//! The whole request is validated first: any problem refuses all of it (ErrorCode 11 with
//! an `Errors` map naming the fields). Each message is then checked like a single send;
//! one whose recipients are all suppressed only counts as failed. Accepted messages wait
//! in the request: `POST /__mock/bulk/{id}/advance` moves it from `Accepted` to
//! `Processing` (half of them sent) to `Completed` (all sent), so searches and stats see
//! them only then.

use std::collections::VecDeque;

use serde_json::{Map, Value, json};

use super::email::check_message;
use crate::control::missing;
use crate::json::{ApiError, Fields};
use crate::router::{Auth, BATCH_LIMIT, Ctx, Route};
use crate::state::{SentMessage, Server};
use crate::templating::{self, Part};
use crate::{StreamType, clock, ids};

pub(super) const ROUTES: &[Route] = &[
    Route::new("POST", "/email/bulk", Auth::Server, send).max_body(BATCH_LIMIT),
    Route::new("GET", "/email/bulk", Auth::Server, list),
    Route::new("GET", "/email/bulk/{}", Auth::Server, status),
];

pub(super) const CONTROL: &[Route] = &[Route::new(
    "POST",
    "/__mock/bulk/{}/advance",
    Auth::Open,
    advance,
)];

/// The stream a bulk request goes to when it names none.
const DEFAULT_STREAM: &str = "broadcast";
const DEFAULT_PAGE: usize = 50;
const MAX_PAGE: usize = 500;
/// Fields of a bulk request that each message may set for itself.
const PER_MESSAGE: &[&str] = &["To", "Cc", "Bcc"];

#[derive(Debug)]
pub(crate) struct BulkRequest {
    id: String,
    submitted_at: String,
    subject: Option<String>,
    total: usize,
    /// Checked messages not sent yet, in request order.
    queued: VecDeque<SentMessage>,
    status: &'static str,
}

impl BulkRequest {
    /// The `BulkEmailStatus` model: `Id` spelt so, unlike the `ID` of the POST answer.
    fn to_json(&self) -> Value {
        // Messages that failed count as processed once processing starts.
        let done = self.total - self.queued.len();
        let percentage = match self.status {
            "Accepted" => 0.0,
            "Completed" => 100.0,
            _ => (done as f64 * 1000.0 / self.total.max(1) as f64).round() / 10.0,
        };
        let mut status = json!({
            "Id": self.id,
            "SubmittedAt": self.submitted_at,
            "TotalMessages": self.total,
            "PercentageCompleted": percentage,
            "Status": self.status,
        });
        if let Some(subject) = &self.subject {
            status["Subject"] = subject.as_str().into();
        }
        status
    }
}

/// Errors per field, answered as `{"ErrorCode": 11, "Message", "Errors": {field: [...]}}`.
#[derive(Default)]
struct Problems(Map<String, Value>);

impl Problems {
    fn add(&mut self, field: &str, code: i64, message: impl Into<String>) {
        let entry = self
            .0
            .entry(field.to_owned())
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = entry {
            list.push(json!({"ErrorCode": code, "Message": message.into()}));
        }
    }

    fn check(&mut self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            return Ok(());
        }
        let mut details = Map::new();
        details.insert("Errors".into(), Value::Object(std::mem::take(&mut self.0)));
        Err(ApiError::new(11, "Multiple errors occurred: see Errors.").with_details(details))
    }
}

fn send(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let body = ctx.body()?;
    let f = Fields::of(&body, "The request body")?;
    let mut problems = Problems::default();
    let messages = match f.array("Messages") {
        Ok(Some(list)) if !list.is_empty() => list.as_slice(),
        _ => {
            problems.add("Messages", 300, "Messages must be a non-empty list.");
            &[]
        }
    };
    let template = f.has("TemplateId") || f.has("TemplateAlias");
    let inline = ["Subject", "HtmlBody", "TextBody"].iter().any(|k| f.has(k));
    if template && inline {
        problems.add(
            "TemplateId",
            300,
            "Give either a template or Subject, HtmlBody and TextBody, not both.",
        );
    } else if !template && !f.has("HtmlBody") && !f.has("TextBody") {
        problems.add(
            "HtmlBody",
            300,
            "Give an HtmlBody, a TextBody or a template.",
        );
    }
    if !f.has("From") {
        problems.add("From", 300, "From is required.");
    }
    let stream_id = f
        .str("MessageStream")
        .ok()
        .flatten()
        .unwrap_or(DEFAULT_STREAM);
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    match server.stream(stream_id).filter(|s| !s.is_archived()) {
        None => problems.add(
            "MessageStream",
            1235,
            format!("The message stream '{stream_id}' does not exist on this server."),
        ),
        Some(stream) if stream.kind != StreamType::Broadcasts => problems.add(
            "MessageStream",
            1236,
            format!("'{stream_id}' is not a Broadcasts stream: bulk sends need one."),
        ),
        Some(_) => {}
    }
    problems.check()?;

    let mut queued = VecDeque::new();
    for (at, message) in messages.iter().enumerate() {
        let field = format!("Messages[{at}]");
        let merged = match merge(&f, message, stream_id, template) {
            Ok(merged) => merged,
            Err(why) => {
                problems.add(&field, 300, why);
                continue;
            }
        };
        match check_message(server, &merged, template) {
            Ok((sent, _skipped)) => queued.push_back(sent),
            // Every recipient suppressed: the message fails later, not the request.
            Err(error) if error.code == 406 => {}
            Err(error) => problems.add(&field, error.code, error.message),
        }
    }
    problems.check()?;
    let request = BulkRequest {
        id: ids::uuid(),
        submitted_at: clock::eastern_now(),
        // The shared subject as written; a template's as the first message got it.
        subject: f
            .str("Subject")
            .ok()
            .flatten()
            .map(str::to_owned)
            .or_else(|| queued.front().map(|m| m.subject.clone())),
        total: messages.len(),
        queued,
        status: "Accepted",
    };
    let answer =
        json!({"ID": request.id, "Status": request.status, "SubmittedAt": request.submitted_at});
    server.bulk.push(request);
    Ok(answer)
}

/// One message of the request as a single send takes it: the shared fields with the
/// message's recipients, its Metadata and Headers taking precedence, and (without a
/// template) the shared Subject and bodies rendered with its `TemplateModel`.
fn merge(
    shared: &Fields<'_>,
    message: &Value,
    stream: &str,
    template: bool,
) -> Result<Value, String> {
    let own = Fields::of(message, "Each message").map_err(|e| e.message)?;
    let mut merged: Map<String, Value> = shared
        .map()
        .iter()
        .filter(|(k, _)| {
            !k.eq_ignore_ascii_case("Messages")
                && !PER_MESSAGE.iter().any(|p| p.eq_ignore_ascii_case(k))
        })
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for key in PER_MESSAGE {
        if let Some(value) = own.any(key) {
            merged.insert((*key).to_owned(), value.clone());
        }
    }
    merged.insert("MessageStream".into(), stream.into());
    let mut metadata = shared
        .any("Metadata")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    metadata.extend(
        own.any("Metadata")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
    );
    if !metadata.is_empty() {
        merged.insert("Metadata".into(), Value::Object(metadata));
    }
    if let Some(Value::Array(own_headers)) = own.any("Headers") {
        let name = |h: &Value| h["Name"].as_str().unwrap_or_default().to_ascii_lowercase();
        let mut headers: Vec<Value> = shared
            .any("Headers")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|h| !own_headers.iter().any(|o| name(o) == name(h)))
            .cloned()
            .collect();
        headers.extend(own_headers.iter().cloned());
        merged.insert("Headers".into(), Value::Array(headers));
    }
    let model = own
        .any("TemplateModel")
        .cloned()
        .unwrap_or_else(|| json!({}));
    if template {
        merged.insert("TemplateModel".into(), model);
    } else {
        for (key, part) in [
            ("Subject", Part::Text),
            ("HtmlBody", Part::Html),
            ("TextBody", Part::Text),
        ] {
            if let Some(source) = shared.any(key).and_then(Value::as_str) {
                let rendered = templating::render(source, &model, part, None).map_err(|e| {
                    format!(
                        "{key} could not be rendered: {} (line {}).",
                        e.message, e.line
                    )
                })?;
                merged.insert(key.to_owned(), rendered.into());
            }
        }
    }
    Ok(Value::Object(merged))
}

fn status(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    find(server, ctx.param(0)).map(BulkRequest::to_json)
}

fn find<'s>(server: &'s Server, id: &str) -> Result<&'s BulkRequest, ApiError> {
    server
        .bulk
        .iter()
        .find(|b| b.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| {
            ApiError::with_status(404, 12, format!("The bulk request '{id}' was not found."))
        })
}

/// Newest first, `count` (1 to 500, default 50) at a time. `PaginationKey` names the first
/// request of the next page and is absent on the last; a key that names no request of
/// this server is refused (13).
fn list(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let count = match ctx.query("count") {
        None => DEFAULT_PAGE,
        Some(raw) => raw
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=MAX_PAGE).contains(n))
            .ok_or_else(|| {
                ApiError::new(300, format!("'count' must be between 1 and {MAX_PAGE}."))
            })?,
    };
    let mut state = ctx.state();
    let server = ctx.current(&mut state)?;
    let newest_first: Vec<&BulkRequest> = server.bulk.iter().rev().collect();
    let start = match ctx.query("paginationKey") {
        None => 0,
        Some(key) => newest_first
            .iter()
            .position(|b| b.id == key)
            .ok_or_else(|| ApiError::new(13, "The pagination key is not valid."))?,
    };
    let page: Vec<Value> = newest_first
        .iter()
        .skip(start)
        .take(count)
        .map(|b| b.to_json())
        .collect();
    let mut answer = json!({ "Requests": page });
    if let Some(next) = newest_first.get(start + count) {
        answer["PaginationKey"] = next.id.as_str().into();
    }
    Ok(answer)
}

/// `POST /__mock/bulk/{id}/advance`: one step of processing. `Accepted` sends the first
/// half of the messages and becomes `Processing`; `Processing` sends the rest and becomes
/// `Completed`, which stays.
fn advance(ctx: &Ctx<'_>) -> Result<Value, ApiError> {
    let id = ctx.param(0);
    let mut state = ctx.state();
    let request = state
        .servers
        .iter_mut()
        .flat_map(|s| s.bulk.iter_mut())
        .find(|b| b.id.eq_ignore_ascii_case(id))
        .ok_or_else(|| missing(format!("There is no bulk request '{id}'.")))?;
    let release = match request.status {
        "Accepted" => {
            request.status = "Processing";
            request.queued.len().div_ceil(2)
        }
        _ => {
            request.status = "Completed";
            request.queued.len()
        }
    };
    let sent: Vec<SentMessage> = request.queued.drain(..release).collect();
    let answer = request.to_json();
    for message in sent {
        state.record_message(message);
    }
    Ok(answer)
}
