//! Receiving Postmark webhooks, in a Worker's `fetch` handler or any server.

use js_sys::Reflect;
use postmark_kit::webhook;
use wasm_bindgen::prelude::*;

use crate::errors::{build_error, webhook_error};
use crate::json::{bytes, from_js, to_js};

/// `parseWebhook(body)`: the event, with Postmark's wire names and a
/// `RecordType` naming its kind (`"Inbound"` for inbound mail); an event
/// type this version does not know comes back as received. `body` is the
/// request body as text, bytes, or already-parsed JSON. Throws a
/// `WebhookError` for a body that is not a JSON object or a known event
/// with fields of the wrong type.
#[wasm_bindgen(js_name = parseWebhook)]
pub fn parse_webhook(body: JsValue) -> Result<JsValue, JsValue> {
    let body = match bytes(&body) {
        Some(body) => body,
        None if body.is_object() => {
            serde_json::to_vec(&from_js("the webhook body", &body)?).expect("JSON values serialize")
        }
        None => {
            return Err(build_error(
                "invalid_body",
                "the webhook body must be a string, a Uint8Array, an ArrayBuffer or an object",
                serde_json::json!({}),
            ));
        }
    };
    webhook::parse_webhook(&body)
        .map(|event| to_js(&event))
        .map_err(|error| webhook_error(&error))
}

/// `checkBasicAuth(authorization, username, password)`: whether the
/// `Authorization` header value (`request.headers.get("authorization")`,
/// `null` when absent) carries exactly these credentials, compared in
/// constant time.
#[wasm_bindgen(js_name = checkBasicAuth)]
pub fn check_basic_auth(authorization: Option<String>, username: &str, password: &str) -> bool {
    webhook::check_basic_auth(authorization.as_deref(), username, password)
}

/// `isWebhookEvent(event, recordType)`: whether a parsed event has this
/// `RecordType`. The core writes a known event's `RecordType` in its
/// documented spelling and never gives an unknown event a known one, so the
/// comparison is exact; the TypeScript declaration narrows the event's type.
#[wasm_bindgen(js_name = isWebhookEvent)]
pub fn is_webhook_event(event: &JsValue, record_type: &str) -> bool {
    event.is_object()
        && Reflect::get(event, &"RecordType".into())
            .ok()
            .and_then(|value| value.as_string())
            .is_some_and(|value| value == record_type)
}
