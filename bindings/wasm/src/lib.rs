//! # postmark-kit-wasm
//!
//! The WebAssembly module of the npm package `postmark-kit`: the
//! [`postmark_kit`] core's sans-IO functions behind a few exports. The
//! package's JavaScript (`js/`) does the rest, which the platform does best
//! there: `fetch`, timeouts and cancelling, sleeping between retries (the
//! core decides them), walking pages (the core's cursor says which), and the
//! error classes.
//!
//! Nothing here knows an endpoint: the JavaScript clients get one method per
//! row of [`table`], and every call goes through the core's operation table
//! ([`postmark_kit::ops`]) by index. Values cross once each way, as text or
//! bytes: parameters in as the JSON text `JSON.stringify` made, encoded by
//! the caller straight into the module's memory ([`params_buffer`]), the
//! request's parts out as a line of text (and a body only when it differs
//! from the parameters, which the caller otherwise copies out of that
//! memory); a response's bytes in, and out the JSON text for
//! `JSON.parse` (in ASCII, read from the module's memory) only when the core
//! had to edit or escape it (otherwise the caller decodes the bytes it
//! already holds). A refusal is thrown as the JSON text
//! of its details, which `js/errors.js` turns into the package's errors.
//!
//! | Export | Core |
//! |---|---|
//! | [`table`], [`defaults`] | [`ops::OPERATIONS`], [`RetryPolicy::default`] |
//! | [`check_client`] | [`Config::from_settings`] |
//! | [`build`], [`take_body`] | [`Operation::parts`] |
//! | [`read`], [`answer_text`] | [`Operation::read_body`], [`Error::from_parts`] |
//! | [`retry_delay`] | [`RetryPolicy::decide`] |
//! | [`Walk`] | [`Cursor`] |
//! | [`read_webhook`], [`check_basic_auth`] | [`webhook::read_webhook`], [`webhook::check_basic_auth`] |
//! | [`is_postmark_webhook_ipv4`], [`check_webhook_body_size`] | [`webhook::is_postmark_webhook_ip`], [`webhook::check_body_size`] |
//! | [`batches`] | [`batching::batch_params`] |
//! | [`Windows`] | [`SearchWindows`] |
//! | [`inactive_recipients`] | [`SendEmailResponse::inactive_recipients`] |
//! | [`same_webhook_url`] | [`postmark_kit::api::webhooks::same_url`] |

mod defaults;

use std::borrow::Cow;
use std::cell::RefCell;
use std::net::Ipv4Addr;
use std::time::Duration;

use postmark_kit::api::email::SendEmailResponse;
use postmark_kit::http::{HeaderValue, StatusCode};
use postmark_kit::ops::{self, Operation, RAW};
use postmark_kit::paging::{KEY_FIELD, KEY_PARAM};
use postmark_kit::webhook::{self, WebhookError};
use postmark_kit::windows::{Plan, SearchWindows, Window};
use postmark_kit::{
    Account, BuildError, Config, Cursor, Decision, Error, ErrorCode, Outcome, Page, Paging,
    RetryPolicy, Server, TokenKind, batching, parse_retry_after,
};
use wasm_bindgen::prelude::*;

/// The operation at `index` of [`table`]; past the table's rows, `raw`.
fn operation(index: usize) -> &'static Operation {
    ops::OPERATIONS.get(index).unwrap_or(&RAW)
}

/// A refusal for JavaScript: `[class, details]`, the error class it belongs
/// to (`build`, `api`, `webhook`) and the JSON text of its details.
fn thrown(class: &str, details: String) -> JsValue {
    JsValue::from_str(&format!("[\"{class}\",{details}]"))
}

/// A JSON string.
fn quoted(text: &str) -> String {
    // Debug escapes quotes, backslashes and control characters as JSON
    // does, apart from `\u{..}` forms, which the texts here never need.
    format!("{text:?}")
}

/// A refusal of the package's own (`invalid_status`, `invalid_options`),
/// which JavaScript throws as a `BuildError`.
fn refusal(kind: &str, message: &str) -> JsValue {
    thrown(
        "build",
        format!("{{\"kind\":\"{kind}\",\"message\":{}}}", quoted(message)),
    )
}

fn build_error(error: BuildError) -> JsValue {
    thrown("build", error.details_json())
}

fn api_error(error: Error) -> JsValue {
    thrown("api", error.describe_json())
}

fn webhook_error(error: WebhookError) -> JsValue {
    thrown(
        "webhook",
        format!(
            "{{\"kind\":\"{}\",\"message\":{},\"path\":{}}}",
            error.kind().as_str(),
            quoted(&error.to_string()),
            quoted(error.path()),
        ),
    )
}

/// The operation table as JSON: `[{name, jsName, token, paged, method, path,
/// idempotent, items}]` in table order, `raw` last. A row's position is the
/// index the other exports take.
#[wasm_bindgen]
pub fn table() -> String {
    ops::table_json()
}

/// The defaults of the clients' options as JSON: the core's retry policy
/// and the package's timeout, in milliseconds.
#[wasm_bindgen]
pub fn defaults() -> String {
    let policy = RetryPolicy::default();
    format!(
        "{{\"timeoutMs\":{},\"retry\":{{\"maxAttempts\":{},\"baseDelayMs\":{},\"maxDelayMs\":{},\
         \"maxRetryAfterMs\":{},\"retryNonIdempotent\":{}}}}}",
        defaults::DEFAULT_TIMEOUT_MS,
        policy.max_attempts,
        millis(policy.base_delay),
        millis(policy.max_delay),
        millis(policy.max_retry_after),
        policy.retry_non_idempotent,
    )
}

/// Whole milliseconds, without the `u128` of [`Duration::as_millis`], whose
/// formatting takes a library of its own in WebAssembly.
fn millis(duration: Duration) -> u64 {
    duration
        .as_secs()
        .saturating_mul(1000)
        .saturating_add(u64::from(duration.subsec_millis()))
}

/// Checks a client's settings for a token of `kind` as the core would build
/// with them; answers `{baseUrl, userAgent, header}` (the base URL
/// normalised, the `User-Agent` to send, the token's header name).
/// `allow_insecure_http` lets the base URL be plain `http://` to any host.
#[wasm_bindgen(js_name = checkClient)]
pub fn check_client(
    kind: &str,
    token: &str,
    base_url: Option<String>,
    user_agent: Option<String>,
    allow_insecure_http: bool,
) -> Result<String, JsValue> {
    fn settings<K: TokenKind>(
        token: &str,
        base_url: Option<&str>,
        user_agent: Option<&str>,
        allow_insecure_http: bool,
    ) -> Result<String, BuildError> {
        let config = Config::<K>::from_settings(token, base_url, user_agent, allow_insecure_http)?;
        Ok(format!(
            "{{\"baseUrl\":{},\"userAgent\":{},\"header\":\"{}\"}}",
            quoted(config.base_url()),
            quoted(config.user_agent().to_str().unwrap_or_default()),
            K::HEADER,
        ))
    }
    let (base_url, user_agent) = (base_url.as_deref(), user_agent.as_deref());
    match kind {
        Account::NAME => settings::<Account>(token, base_url, user_agent, allow_insecure_http),
        _ => settings::<Server>(token, base_url, user_agent, allow_insecure_http),
    }
    .map_err(build_error)
}

thread_local! {
    /// The body of the last request [`build`] edited, until [`take_body`].
    static BODY: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The UTF-8 of the parameters of the next [`build`] or [`batches`], which
    /// the JavaScript side encodes straight into the module's memory (see
    /// [`params_buffer`]): one pass over the text, where handing over bytes
    /// would take two (encoding them, then copying them in).
    static PARAMS: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The text of the last answer [`read`] wrote, until the next: kept, so
    /// that it is read out of the module's memory without a copy.
    static ANSWER: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// The module's memory, into which the JavaScript side writes parameters.
#[wasm_bindgen(js_name = moduleMemory)]
pub fn module_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Where in the module's memory to write the parameters' UTF-8, with room
/// for `size` bytes; the bytes written there before are kept, so that the
/// text can be written in two passes. The place holds until the next call.
#[wasm_bindgen(js_name = paramsBuffer)]
pub fn params_buffer(size: usize) -> *mut u8 {
    PARAMS.with(|params| {
        let mut params = params.borrow_mut();
        if params.len() < size {
            params.resize(size, 0);
        }
        params.as_mut_ptr()
    })
}

/// The first `len` bytes of the parameters' buffer, as bytes: the core
/// checks their UTF-8 as it reads them.
fn with_params<T>(
    len: usize,
    read: impl FnOnce(&[u8]) -> Result<T, BuildError>,
) -> Result<T, JsValue> {
    PARAMS.with(|params| {
        let params = params.borrow();
        read(&params[..len.min(params.len())]).map_err(build_error)
    })
}

/// Builds the request of operation `index` from its parameters (the first
/// `len` bytes of [`params_buffer`], the UTF-8 of their JSON text) for a
/// client whose token is of `kind`. Answers one line: `METHOD IDEMPOTENT
/// BODY PATH`, where `IDEMPOTENT` is `1` or `0`, `BODY` is `-` for none, `=`
/// for the parameters themselves (still in the buffer), `*` for another body
/// that [`take_body`] hands over, and `PATH` is the path and query below the
/// base URL.
#[wasm_bindgen]
pub fn build(index: usize, kind: &str, len: usize) -> Result<String, JsValue> {
    let op = operation(index);
    with_params(len, |params| {
        let parts = op.parts(kind, params)?;
        let body = match parts.body {
            None => '-',
            Some(Cow::Borrowed(body)) if std::ptr::eq(body, params) => '=',
            Some(body) => {
                BODY.with(|slot| *slot.borrow_mut() = body.into_owned());
                '*'
            }
        };
        Ok(format!(
            "{} {} {body} {}",
            parts.method,
            u8::from(parts.idempotent),
            parts.path_and_query
        ))
    })
}

/// The body the last [`build`] answered `*` for.
#[wasm_bindgen(js_name = takeBody)]
pub fn take_body() -> Vec<u8> {
    BODY.with(|slot| std::mem::take(&mut *slot.borrow_mut()))
}

/// Reads the response to operation `index`: how long the JSON text for
/// `JSON.parse` is, which [`answer_text`] locates, or nothing when it is the
/// body as received; thrown, the error of a status that is not a success or
/// of a body that does not match the operation's answer.
///
/// Either text is ASCII, characters past it written as `\u` escapes: the
/// caller decodes it as Latin-1, several times faster than UTF-8 in Node.
#[wasm_bindgen]
pub fn read(
    index: usize,
    status: u16,
    retry_after: Option<String>,
    request_id: Option<String>,
    body: &[u8],
) -> Result<Option<usize>, JsValue> {
    let status = StatusCode::from_u16(status)
        .map_err(|_| refusal("invalid_status", &format!("{status} is not an HTTP status")))?;
    if !status.is_success() {
        return Err(api_error(Error::from_parts(
            status,
            retry_after.as_deref(),
            request_id.as_deref(),
            body,
        )));
    }
    let answer = operation(index)
        .read_body_ascii(status, body)
        .map_err(api_error)?;
    Ok(match answer.text {
        Cow::Borrowed(text) if std::ptr::eq(text, body) => None,
        text => Some(ANSWER.with(|slot| {
            let mut slot = slot.borrow_mut();
            *slot = text.into_owned();
            slot.len()
        })),
    })
}

/// Where in the module's memory the text of the last [`read`] that
/// answered a length is; it holds until the next `read`.
#[wasm_bindgen(js_name = answerText)]
pub fn answer_text() -> *const u8 {
    ANSWER.with(|text| text.borrow().as_ptr())
}

/// When to try again after attempt `attempt` (from 1) of a request: the wait
/// in milliseconds, or -1 to give up. `policy` is `[maxAttempts, baseDelayMs,
/// maxDelayMs, maxRetryAfterMs, retryNonIdempotent]`; `status` is the
/// answer's status, or 0 for none, when `sent` says whether the request may
/// have left; `retry_after` is the answer's header, read against `now_ms`
/// (the Unix time in milliseconds); `jitter` is a random number in [0, 1).
#[wasm_bindgen(js_name = retryDelay)]
#[expect(
    clippy::too_many_arguments,
    reason = "one crossing with plain numbers is what JavaScript calls cheaply"
)]
pub fn retry_delay(
    policy: &[f64],
    attempt: u32,
    idempotent: bool,
    status: u16,
    sent: bool,
    retry_after: Option<String>,
    now_ms: f64,
    jitter: f64,
) -> f64 {
    let number = |i: usize| policy.get(i).copied().unwrap_or_default().max(0.0);
    let ms = |i: usize| Duration::from_secs_f64(number(i) / 1000.0);
    let policy = RetryPolicy {
        max_attempts: number(0) as u32,
        base_delay: ms(1),
        max_delay: ms(2),
        max_retry_after: ms(3),
        retry_non_idempotent: number(4) != 0.0,
    };
    let now = Some(Duration::from_secs_f64(now_ms.max(0.0) / 1000.0));
    let outcome = match StatusCode::from_u16(status) {
        Ok(status) => Outcome::Status {
            status,
            retry_after: retry_after
                .and_then(|value| HeaderValue::from_str(&value).ok())
                .and_then(|value| parse_retry_after(&value, now)),
        },
        Err(_) if sent => Outcome::NoResponse,
        Err(_) => Outcome::NotSent,
    };
    match policy.decide(attempt, idempotent, &outcome, jitter) {
        Decision::Retry(wait) => wait.as_secs_f64() * 1000.0,
        Decision::GiveUp => -1.0,
    }
}

/// A walk over a paged list: which page to fetch next, how many items of
/// each page to hand out, and where the walk stands.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Walk {
    cursor: Cursor,
}

#[wasm_bindgen]
impl Walk {
    /// A walk over operation `index` with `params` (JSON text): from the page
    /// they name, handing out at most `limit` items, or from a saved
    /// `cursor` (JSON text), tightened to this list's limits.
    #[wasm_bindgen(constructor)]
    pub fn new(
        index: usize,
        params: &str,
        limit: Option<f64>,
        cursor: Option<String>,
    ) -> Result<Walk, JsValue> {
        let op = operation(index);
        let fresh = op
            .cursor(params, limit.map(|limit| limit.max(0.0) as u64))
            .map_err(build_error)?;
        let cursor = match cursor {
            None => fresh,
            Some(saved) => {
                let mut cursor = Cursor::from_json(&saved).map_err(|error| {
                    refusal("invalid_options", &format!("invalid cursor: {error}"))
                })?;
                op.restrict(&mut cursor).map_err(build_error)?;
                cursor
            }
        };
        Ok(Walk { cursor })
    }

    /// The next page as `[count, offset]`, or nothing when the walk is over.
    /// A list paged by key asks for the page of [`key`](Self::key) instead
    /// of an offset; `offset` then counts the items walked.
    pub fn next(&self) -> Option<Vec<u32>> {
        self.cursor
            .next_page()
            .map(|page| vec![page.count, page.offset])
    }

    /// For a list paged by key: the parameter and the answer's field that
    /// carry the key, `[param, field]`; nothing for a list paged by offset.
    #[wasm_bindgen(getter, js_name = keyNames)]
    pub fn key_names(&self) -> Option<Vec<String>> {
        match self.cursor.paging() {
            Paging::Offset => None,
            Paging::Key => Some(vec![KEY_PARAM.into(), KEY_FIELD.into()]),
        }
    }

    /// The key of the next page, by key; nothing for the first page.
    #[wasm_bindgen(getter)]
    pub fn key(&self) -> Option<String> {
        self.cursor.key().map(str::to_owned)
    }

    /// Takes the answer to the page `count`/`offset`: `received` items, and
    /// Postmark's `TotalCount` (by offset) or the next page's key (by key).
    /// Answers `[start, end]`: the items of the page to hand out.
    pub fn advance(
        &mut self,
        count: u32,
        offset: u32,
        received: u32,
        total: f64,
        next_key: Option<String>,
    ) -> Vec<u32> {
        let page = Page { count, offset };
        let received = received as usize;
        let kept = match self.cursor.paging() {
            Paging::Offset => 0..self.cursor.advance(page, received, total.max(0.0) as u64),
            Paging::Key => self.cursor.advance_key(page, received, next_key.as_deref()),
        };
        vec![kept.start as u32, kept.end as u32]
    }

    /// The list's `TotalCount` as the last page gave it; nothing before the
    /// first page, or for a list paged by key.
    #[wasm_bindgen(getter)]
    pub fn total(&self) -> Option<f64> {
        self.cursor.total().map(|total| total as f64)
    }

    /// Where the walk stands as JSON, `unconsumed` items fetched but not
    /// handed out yet counting as not fetched.
    pub fn cursor(&self, unconsumed: u32) -> String {
        self.cursor.unconsumed(u64::from(unconsumed)).to_json()
    }

    /// Why the walk stopped, or nothing while it goes on.
    #[wasm_bindgen(getter, js_name = stopReason)]
    pub fn stop_reason(&self) -> Option<String> {
        self.cursor
            .stop_reason()
            .map(|reason| reason.as_str().to_owned())
    }
}

/// Reads a webhook body into the JSON text of its event (see
/// [`webhook::read_webhook`]).
#[wasm_bindgen(js_name = readWebhook)]
pub fn read_webhook(body: &[u8]) -> Result<String, JsValue> {
    webhook::read_webhook(body).map_err(webhook_error)
}

/// Whether the `Authorization` header value carries exactly these Basic
/// credentials, compared in constant time.
#[wasm_bindgen(js_name = checkBasicAuth)]
pub fn check_basic_auth(authorization: Option<String>, username: &str, password: &str) -> bool {
    webhook::check_basic_auth(authorization.as_deref(), username, password)
}

/// Whether the IPv4 address `a.b.c.d`, where a webhook request came from, is
/// one Postmark sends webhooks from (see [`webhook::is_postmark_webhook_ip`]).
/// The caller reads the text: Postmark's addresses are IPv4, and parsing
/// here would bring IPv6's parser into the module.
#[wasm_bindgen(js_name = isPostmarkWebhookIpv4)]
pub fn is_postmark_webhook_ipv4(a: u8, b: u8, c: u8, d: u8) -> bool {
    webhook::is_postmark_webhook_ip(Ipv4Addr::new(a, b, c, d).into())
}

/// Throws the refusal of a webhook body of `length` bytes when it is over
/// `limit`, by default [`webhook::MAX_BODY_BYTES`], more than any Postmark
/// webhook carries (see [`webhook::check_body_size`]).
#[wasm_bindgen(js_name = checkWebhookBodySize)]
pub fn check_webhook_body_size(length: f64, limit: Option<f64>) -> Result<(), JsValue> {
    // JavaScript's lengths are whole numbers below 2^53: exact as `u64`.
    let limit = limit.map_or(webhook::MAX_BODY_BYTES, |limit| limit as u64);
    webhook::check_body_size(length as u64, limit).map_err(webhook_error)
}

/// The parameters of each batch call of operation `index` (a batch send)
/// sending its messages (the first `len` bytes of [`params_buffer`], the
/// UTF-8 of a JSON array), from a client whose token is of `kind`: every
/// batch checked before any is sent (see [`batching::batch_params`]).
#[wasm_bindgen]
pub fn batches(index: usize, kind: &str, len: usize) -> Result<Vec<String>, JsValue> {
    let op = operation(index);
    with_params(len, |params| batching::batch_params(op, kind, params))
}

/// The date windows of a search past Postmark's paging cap (see
/// [`SearchWindows`]): each window is `[from, to]`, in Postmark's form.
#[wasm_bindgen]
#[derive(Debug)]
pub struct Windows {
    windows: SearchWindows,
}

#[wasm_bindgen]
impl Windows {
    /// The windows of operation `index` (the bounces, or a message search)
    /// from `from` to `to`, bounds included.
    #[wasm_bindgen(constructor)]
    pub fn new(index: usize, from: &str, to: &str) -> Result<Windows, JsValue> {
        SearchWindows::for_operation(operation(index).name, from, to)
            .map(|windows| Windows { windows })
            .map_err(build_error)
    }

    /// The window to search next, or nothing when every one was walked.
    pub fn next(&self) -> Option<Vec<String>> {
        self.windows
            .next_window()
            .map(|window| vec![window.from, window.to])
    }

    /// What to do with the window `from`-`to`, given its first page's
    /// `TotalCount`: `"walk"`, `"split"` or `"truncated"`.
    pub fn plan(&mut self, from: String, to: String, total: f64) -> String {
        let plan = self
            .windows
            .plan(&Window { from, to }, total.max(0.0) as u64);
        match plan {
            Plan::Walk => "walk",
            Plan::Split => "split",
            Plan::Truncated => "truncated",
        }
        .into()
    }

    /// Records that the window `from`-`to` was walked.
    pub fn walked(&mut self, from: String, to: String) {
        self.windows.walked(&Window { from, to });
    }
}

/// The recipients Postmark will not deliver to as inactive, named in the
/// answer to one message: its `ErrorCode` (0 when accepted, 406 when every
/// recipient was inactive) and its `Message`.
#[wasm_bindgen(js_name = inactiveRecipients)]
pub fn inactive_recipients(error_code: u32, message: String) -> Vec<String> {
    SendEmailResponse {
        error_code: ErrorCode::from(error_code),
        message,
        ..SendEmailResponse::default()
    }
    .inactive_recipients()
}

/// Whether two webhook URLs name the same endpoint: scheme and host without
/// case, a trailing slash not counted.
#[wasm_bindgen(js_name = sameWebhookUrl)]
pub fn same_webhook_url(a: &str, b: &str) -> bool {
    postmark_kit::api::webhooks::same_url(a, b)
}
