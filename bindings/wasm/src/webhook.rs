//! Receiving Postmark webhooks, in a Worker's `fetch` handler or any server.

use postmark_kit::webhook::{self, WebhookError};
use wasm_bindgen::prelude::*;

use crate::errors::webhook_error;
use crate::json::{bytes, stringify, to_js};

/// `parseWebhook(body)`: the event, with Postmark's wire names and a
/// `RecordType` that tells the events apart (`"Inbound"` for inbound mail,
/// `"Unknown"` for a type this version does not model). `body` is the
/// request body as text or bytes, or JSON already parsed. Throws a
/// `WebhookError` for anything that is not a JSON object, and for a known
/// event with fields of the wrong type.
#[wasm_bindgen(js_name = parseWebhook)]
pub fn parse_webhook(body: JsValue) -> Result<JsValue, JsValue> {
    // Parsed JSON (any value but text and bytes) is read as the text it
    // stringifies to: the core then says what is wrong with it, if anything.
    let body = match bytes(&body) {
        Some(body) => body,
        None => stringify(&body)
            .map_err(|reason| {
                webhook_error(&WebhookError::Syntax {
                    message: format!("JSON.stringify failed: {reason}"),
                })
            })?
            .unwrap_or_default()
            .into_bytes(),
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
