//! Sending one request with `fetch`, with a timeout per attempt, the
//! caller's `AbortSignal`, and retries by the core's policy.

use std::time::Duration;

use http::{HeaderName, HeaderValue, Request, Response, StatusCode};
use js_sys::futures::JsFuture;
use js_sys::{Array, Function, Object, Promise, Uint8Array};
use postmark_kit::{Decision, Outcome, RetryPolicy};
use wasm_bindgen::prelude::*;

use crate::errors::{NoAnswer, Refusal, refusal, transport_error};
use crate::json::{headers_object, property, set};

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

    /// A caller's signal (`dyn_into` checks `instanceof AbortSignal`).
    #[derive(Debug, Clone)]
    pub(crate) type AbortSignal;
    #[wasm_bindgen(method, getter)]
    fn aborted(this: &AbortSignal) -> bool;
    #[wasm_bindgen(method, getter)]
    fn reason(this: &AbortSignal) -> JsValue;
    #[wasm_bindgen(method, js_name = addEventListener)]
    fn add_event_listener(this: &AbortSignal, event: &str, listener: &Function);
    #[wasm_bindgen(method, js_name = removeEventListener)]
    fn remove_event_listener(this: &AbortSignal, event: &str, listener: &Function);

    type AbortController;
    #[wasm_bindgen(constructor)]
    fn new() -> AbortController;
    #[wasm_bindgen(method, getter)]
    fn signal(this: &AbortController) -> AbortSignal;

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(handler: &Function, ms: f64) -> JsValue;
    #[wasm_bindgen(js_name = clearTimeout)]
    fn clear_timeout(handle: &JsValue);
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
    /// Sends `request` until it succeeds, the retry policy gives up or
    /// `signal` aborts, and returns the last response (error statuses
    /// included) for the core to parse, or why there was none.
    pub(crate) async fn execute(
        &self,
        request: &Request<Vec<u8>>,
        idempotent: bool,
        signal: Option<&AbortSignal>,
    ) -> Result<Response<Vec<u8>>, JsValue> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            abort_check(signal)?;
            let (outcome, result) = match self.send(request, signal).await {
                Ok(response) if response.status().is_success() => return Ok(response),
                Ok(response) => (Outcome::from_response(&response, unix_now()), Ok(response)),
                Err(failure) => {
                    // A failure the caller caused is not one to retry.
                    abort_check(signal)?;
                    (failure.outcome, Err(failure.error))
                }
            };
            let jitter = js_sys::Math::random();
            match self.retry.decide(attempt, idempotent, &outcome, jitter) {
                Decision::Retry(wait) => sleep(wait, signal).await,
                Decision::GiveUp => return result,
            }
        }
    }

    async fn send(
        &self,
        request: &Request<Vec<u8>>,
        signal: Option<&AbortSignal>,
    ) -> Result<Response<Vec<u8>>, Failure> {
        let fetch = match &self.fetch {
            Some(fetch) => fetch.clone(),
            None => global_fetch().map_err(|error| Failure {
                outcome: Outcome::NotSent,
                error,
            })?,
        };
        // Dropped at the end of the attempt, which clears its timer.
        let attempt = AttemptSignal::new(self.timeout, signal);
        let init = init(request, &attempt.controller.signal());
        let url = JsValue::from_str(&request.uri().to_string());
        let failure =
            |error, sent| self.failure(error, sent, attempt.controller.signal().aborted());
        // `this` is left undefined: a platform `fetch` called on another
        // object throws "Illegal invocation" in browsers and workers.
        let sent = fetch
            .call2(&JsValue::UNDEFINED, &url, &init)
            .map_err(|error| failure(error, false))?;
        let response: FetchResponse = JsFuture::from(Promise::resolve(&sent))
            .await
            .map_err(|error| failure(error, true))?
            .unchecked_into();
        let body = response
            .array_buffer()
            .map_err(|error| failure(error, true))?;
        let body = JsFuture::from(body)
            .await
            .map_err(|error| failure(error, true))?;
        // A status outside 100..=999 can only come from a `fetch` double;
        // it is a broken answer like any other.
        let status = StatusCode::from_u16(response.status()).map_err(|error| Failure {
            outcome: Outcome::NoResponse,
            error: transport_error(
                NoAnswer::Network,
                &format!("unusable response: {error}"),
                &JsValue::UNDEFINED,
            ),
        })?;
        Ok(self::response(
            status,
            &response.headers(),
            Uint8Array::new(&body).to_vec(),
        ))
    }

    /// Classifies what `fetch` threw. `sent` is false when `fetch` threw
    /// before returning a promise: nothing went out. `timed_out` says the
    /// attempt's own signal had fired (the caller's is checked apart).
    fn failure(&self, error: JsValue, sent: bool, timed_out: bool) -> Failure {
        if timed_out {
            let ms = self.timeout.unwrap_or_default();
            return Failure {
                outcome: Outcome::NoResponse,
                error: transport_error(
                    NoAnswer::Timeout,
                    &format!("no answer within {ms} ms"),
                    &error,
                ),
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
            error: transport_error(NoAnswer::Network, &message, &error),
        }
    }
}

/// The `RequestInit`: method, headers, body and the attempt's signal.
fn init(request: &Request<Vec<u8>>, signal: &AbortSignal) -> Object {
    let init = Object::new();
    set(&init, "method", &request.method().as_str().into());
    set(&init, "headers", &headers_object(request.headers()));
    if !request.body().is_empty() {
        set(&init, "body", &Uint8Array::from(request.body().as_slice()));
    }
    set(&init, "signal", signal);
    init
}

/// The signal of one attempt: it aborts when the attempt's time is up (a
/// timer rather than `AbortSignal.timeout`, which not every runtime has) or
/// when the caller's signal does. Dropping it clears the timer and stops
/// listening to the caller's signal.
struct AttemptSignal {
    controller: AbortController,
    timer: Option<JsValue>,
    caller: Option<(AbortSignal, Function)>,
}

impl AttemptSignal {
    fn new(timeout: Option<u32>, caller: Option<&AbortSignal>) -> AttemptSignal {
        let controller = AbortController::new();
        let abort = property(&controller, "abort")
            .unchecked_into::<Function>()
            .bind0(&controller);
        let timer = timeout.map(|ms| set_timeout(&abort, f64::from(ms)));
        let caller = caller.map(|signal| {
            signal.add_event_listener("abort", &abort);
            (signal.clone(), abort)
        });
        AttemptSignal {
            controller,
            timer,
            caller,
        }
    }
}

impl Drop for AttemptSignal {
    fn drop(&mut self) {
        if let Some(timer) = &self.timer {
            clear_timeout(timer);
        }
        if let Some((signal, abort)) = &self.caller {
            signal.remove_event_listener("abort", abort);
        }
    }
}

/// The error of a call whose signal has aborted; `Ok` while it has not.
fn abort_check(signal: Option<&AbortSignal>) -> Result<(), JsValue> {
    match signal {
        Some(signal) if signal.aborted() => Err(transport_error(
            NoAnswer::Aborted,
            "the call was aborted",
            &signal.reason(),
        )),
        _ => Ok(()),
    }
}

fn global_fetch() -> Result<Function, JsValue> {
    property(&js_sys::global(), "fetch")
        .dyn_into::<Function>()
        .map_err(|_| {
            refusal(
                Refusal::NoFetch,
                "there is no global fetch: pass one as options.fetch",
            )
        })
}

/// Waits `duration` on the runtime's timer, or until `signal` aborts.
async fn sleep(duration: Duration, signal: Option<&AbortSignal>) {
    let ms = duration.as_secs_f64() * 1000.0;
    let mut wake = None;
    let wakeup = Promise::new(&mut |resolve, _reject| {
        wake = Some((set_timeout(&resolve, ms), resolve));
    });
    let (timer, resolve) = wake.expect("the Promise executor runs at once");
    if let Some(signal) = signal {
        signal.add_event_listener("abort", &resolve);
    }
    // The promise only ever resolves.
    let _ = JsFuture::from(wakeup).await;
    clear_timeout(&timer);
    if let Some(signal) = signal {
        signal.remove_event_listener("abort", &resolve);
    }
}

/// A response with `status`, `body`, and the headers of `headers` (a
/// `Headers` object, a plain object or an array of pairs), for the core to
/// read. A pair http refuses is dropped: it cannot be a header the core reads.
pub(crate) fn response<B>(status: StatusCode, headers: &JsValue, body: B) -> Response<B> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    let map = response.headers_mut();
    for (name, value) in header_pairs(headers) {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(&value),
        ) {
            map.append(name, value);
        }
    }
    response
}

/// `(name, value)` pairs of a `Headers` object, a plain object, or an array
/// of pairs; anything else has none.
fn header_pairs(headers: &JsValue) -> Vec<(String, String)> {
    // Not asked for an iterator: on `null` that throws, which costs more
    // than the whole parse.
    if !headers.is_object() {
        return Vec::new();
    }
    let pair = |entry: JsValue| {
        let entry = Array::from(&entry);
        Some((entry.get(0).as_string()?, entry.get(1).as_string()?))
    };
    match js_sys::try_iter(headers) {
        Ok(Some(entries)) => entries.flatten().filter_map(pair).collect(),
        _ => Object::entries(headers.unchecked_ref())
            .iter()
            .filter_map(pair)
            .collect(),
    }
}

/// The time since the Unix epoch by the JavaScript clock, for `Retry-After`
/// dates.
fn unix_now() -> Option<Duration> {
    Some(Duration::from_secs_f64(
        js_sys::Date::now().max(0.0) / 1000.0,
    ))
}
