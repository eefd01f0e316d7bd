//! Sending one request with `fetch`, with a timeout per attempt and retries
//! by the core's policy.

use std::time::Duration;

use http::{Request, Response};
use js_sys::futures::JsFuture;
use js_sys::{Array, Function, Object, Promise, Reflect, Uint8Array};
use postmark_kit::{Decision, Outcome, RetryPolicy};
use wasm_bindgen::prelude::*;

use crate::errors::transport_error;
use crate::json::{headers_object, set};

#[wasm_bindgen]
extern "C" {
    /// What `fetch` resolves to; only the parts read here.
    type FetchResponse;
    #[wasm_bindgen(method, getter)]
    fn status(this: &FetchResponse) -> u16;
    #[wasm_bindgen(method, getter)]
    fn headers(this: &FetchResponse) -> JsValue;
    #[wasm_bindgen(method, catch, js_name = arrayBuffer)]
    fn array_buffer(this: &FetchResponse) -> Result<Promise, JsValue>;

    /// `AbortSignal.timeout(ms)`: aborts with a `TimeoutError` without a
    /// timer to clear or a callback to keep alive (Node 17.3+, every current
    /// browser and worker runtime).
    #[wasm_bindgen(js_namespace = AbortSignal, js_name = timeout)]
    fn abort_after(ms: u32) -> JsValue;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
}

/// `error.cause.code` values of Node's fetch (undici) that mean no connection
/// was made, so Postmark never saw the request. Browsers do not say; their
/// failures count as "maybe sent", which only makes retries more careful.
const NEVER_CONNECTED: &[&str] = &[
    "ECONNREFUSED",
    "ENOTFOUND",
    "EAI_AGAIN",
    "EHOSTUNREACH",
    "ENETUNREACH",
    "EADDRNOTAVAIL",
];

/// How requests go out: which `fetch`, how long one attempt may take, and
/// when to try again.
#[derive(Debug)]
pub(crate) struct Transport {
    /// The caller's `fetch`; `None` means the global one, looked up at each
    /// call so that a `fetch` installed later (a test double) is used.
    pub(crate) fetch: Option<Function>,
    /// Limit for one attempt, response body included; `None` for none.
    pub(crate) timeout: Option<u32>,
    pub(crate) retry: RetryPolicy,
}

/// A failed attempt: what the retry policy needs to know, and the error to
/// throw if no retry follows.
struct Failure {
    outcome: Outcome,
    error: JsValue,
}

impl Transport {
    /// Sends `request` until it succeeds or the retry policy gives up, and
    /// returns the last response (error statuses included) for the core to
    /// parse, or the transport error of the last attempt.
    pub(crate) async fn execute(
        &self,
        request: &Request<Vec<u8>>,
        idempotent: bool,
    ) -> Result<Response<Vec<u8>>, JsValue> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            let (outcome, result) = match self.send(request).await {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => (Outcome::from_response(&response, unix_now()), Ok(response)),
                Err(failure) => (failure.outcome, Err(failure.error)),
            };
            let jitter = js_sys::Math::random();
            match self.retry.decide(attempt, idempotent, &outcome, jitter) {
                Decision::Retry(wait) => sleep(wait).await,
                Decision::GiveUp => return result,
            }
        }
    }

    async fn send(&self, request: &Request<Vec<u8>>) -> Result<Response<Vec<u8>>, Failure> {
        let fetch = match &self.fetch {
            Some(fetch) => fetch.clone(),
            None => global_fetch().map_err(|error| Failure {
                outcome: Outcome::NotSent,
                error,
            })?,
        };
        let init = self.init(request);
        let url = JsValue::from_str(&request.uri().to_string());
        // `this` is left undefined: a platform `fetch` called on another
        // object throws "Illegal invocation" in browsers and workers.
        let sent = fetch
            .call2(&JsValue::UNDEFINED, &url, &init)
            .map_err(|error| self.failure(error, false))?;
        let response: FetchResponse = JsFuture::from(Promise::resolve(&sent))
            .await
            .map_err(|error| self.failure(error, true))?
            .unchecked_into();
        let body = response
            .array_buffer()
            .map_err(|error| self.failure(error, true))?;
        let body = JsFuture::from(body)
            .await
            .map_err(|error| self.failure(error, true))?;
        let mut builder = Response::builder().status(response.status());
        for (name, value) in header_pairs(&response.headers()) {
            builder = builder.header(name, value);
        }
        // A status outside 100..=999 or a header http refuses can only come
        // from a `fetch` double; it is a broken answer like any other.
        builder
            .body(Uint8Array::new(&body).to_vec())
            .map_err(|error| Failure {
                outcome: Outcome::NoResponse,
                error: transport_error(
                    "network",
                    &format!("unusable response: {error}"),
                    JsValue::UNDEFINED,
                ),
            })
    }

    /// The `RequestInit`: method, headers, body and the timeout's signal.
    fn init(&self, request: &Request<Vec<u8>>) -> Object {
        let init = Object::new();
        set(&init, "method", &request.method().as_str().into());
        set(&init, "headers", &headers_object(request.headers()));
        if !request.body().is_empty() {
            set(&init, "body", &Uint8Array::from(request.body().as_slice()));
        }
        if let Some(ms) = self.timeout {
            set(&init, "signal", &abort_after(ms));
        }
        init
    }

    /// Classifies what `fetch` threw. `sent` is false when `fetch` threw
    /// before returning a promise: nothing went out.
    fn failure(&self, error: JsValue, sent: bool) -> Failure {
        let name = property(&error, "name").as_string().unwrap_or_default();
        if name == "TimeoutError" {
            let ms = self.timeout.unwrap_or_default();
            return Failure {
                outcome: Outcome::NoResponse,
                error: transport_error("timeout", &format!("no answer within {ms} ms"), error),
            };
        }
        let code = property(&property(&error, "cause"), "code").as_string();
        let connected = sent && !code.is_some_and(|code| NEVER_CONNECTED.contains(&code.as_str()));
        let message = match property(&error, "message").as_string() {
            Some(message) if !message.is_empty() => message,
            _ => "fetch failed".to_owned(),
        };
        Failure {
            outcome: if connected {
                Outcome::NoResponse
            } else {
                Outcome::NotSent
            },
            error: transport_error("network", &message, error),
        }
    }
}

fn global_fetch() -> Result<Function, JsValue> {
    property(&js_sys::global(), "fetch")
        .dyn_into::<Function>()
        .map_err(|_| {
            crate::errors::build_error(
                "no_fetch",
                "there is no global fetch: pass one as options.fetch",
                serde_json::json!({}),
            )
        })
}

/// Waits `duration` on the runtime's timer.
async fn sleep(duration: Duration) {
    let ms = duration.as_secs_f64() * 1000.0;
    let wakeup = Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, ms);
    });
    // The promise only ever resolves.
    let _ = JsFuture::from(wakeup).await;
}

/// `(name, value)` pairs of a `Headers` object, a plain object, or an array
/// of pairs; anything else has none.
pub(crate) fn header_pairs(headers: &JsValue) -> Vec<(String, String)> {
    let pair = |entry: JsValue| {
        let entry = Array::from(&entry);
        Some((entry.get(0).as_string()?, entry.get(1).as_string()?))
    };
    if let Ok(Some(entries)) = js_sys::try_iter(headers) {
        entries.flatten().filter_map(pair).collect()
    } else if headers.is_object() {
        Object::entries(headers.unchecked_ref())
            .iter()
            .filter_map(pair)
            .collect()
    } else {
        Vec::new()
    }
}

fn property(target: &JsValue, key: &str) -> JsValue {
    if target.is_object() {
        Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// The time since the Unix epoch by the JavaScript clock, for `Retry-After`
/// dates.
fn unix_now() -> Option<Duration> {
    Some(Duration::from_secs_f64(
        js_sys::Date::now().max(0.0) / 1000.0,
    ))
}
