//! The core's errors as instances of the package's JavaScript `Error`
//! subclasses (`js/errors.js`), so that `instanceof` works for callers and
//! every field is a plain property.

use postmark_kit::BuildError;
use postmark_kit::webhook::WebhookError;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use crate::json::to_js;

// A raw module path, kept verbatim in the generated glue
// (`pkg/postmark_kit_wasm.js`), so the glue and the package's entry points
// import the very same module and its classes are one and the same.
#[wasm_bindgen(raw_module = "../js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = PostmarkError)]
    type JsPostmarkError;
    #[wasm_bindgen(constructor, js_class = "PostmarkError")]
    fn new(message: &str, details: JsValue) -> JsPostmarkError;

    #[wasm_bindgen(js_name = BuildError)]
    type JsBuildError;
    #[wasm_bindgen(constructor, js_class = "BuildError")]
    fn new(message: &str, details: JsValue) -> JsBuildError;

    #[wasm_bindgen(js_name = TransportError)]
    type JsTransportError;
    #[wasm_bindgen(constructor, js_class = "TransportError")]
    fn new(message: &str, details: JsValue, cause: JsValue) -> JsTransportError;

    #[wasm_bindgen(js_name = WebhookError)]
    type JsWebhookError;
    #[wasm_bindgen(constructor, js_class = "WebhookError")]
    fn new(message: &str, details: JsValue) -> JsWebhookError;
}

/// A response that is not the success asked for: Postmark's error envelope,
/// another error page, or a body that does not match the model.
pub(crate) fn api_error(error: &postmark_kit::Error) -> JsValue {
    let (path, body) = match error {
        postmark_kit::Error::Decode { path, body, .. } => (Some(path), Some(body)),
        postmark_kit::Error::Http { body, .. } => (None, Some(body)),
        _ => (None, None),
    };
    let code = error.code();
    let details = json!({
        "kind": error.kind().as_str(),
        "status": error.status().as_u16(),
        "errorCode": code.map(|code| code.as_u32()),
        "errorName": code.and_then(|code| code.name()),
        "requestId": error.request_id(),
        "retryAfter": error.retry_after(),
        "path": path,
        "body": body,
    });
    JsPostmarkError::new(&error.message(), to_js(&details)).into()
}

/// A request refused before anything was sent, with a stable `kind` and the
/// field, operation, JSON path or batch index it concerns.
pub(crate) fn from_build_error(error: &BuildError) -> JsValue {
    let mut details = json!({});
    let mut innermost = error;
    if let BuildError::InBatch { index, source } = error {
        details["index"] = json!(index);
        innermost = source;
    }
    let kind = match innermost {
        BuildError::MissingField { field } => {
            details["field"] = json!(field);
            "missing_field"
        }
        BuildError::OutOfRange { field, .. } => {
            details["field"] = json!(field);
            "out_of_range"
        }
        BuildError::TooManyRecipients { .. } => "too_many_recipients",
        BuildError::TooManyMessages { .. } => "too_many_messages",
        BuildError::PayloadTooLarge { .. } => "payload_too_large",
        BuildError::CountTooLarge { .. } => "count_too_large",
        BuildError::PagedTooDeep { .. } => "paged_too_deep",
        BuildError::TemplateChoice => "template_choice",
        BuildError::InvalidHeaderValue { .. } => "invalid_header_value",
        BuildError::InvalidBaseUrl { .. } => "invalid_base_url",
        BuildError::InvalidPath { .. } => "invalid_path",
        BuildError::UnknownOperation { .. } => "unknown_operation",
        BuildError::WrongTokenKind { operation, .. } => {
            details["operation"] = json!(operation);
            "wrong_token_kind"
        }
        BuildError::NotPaged { operation } => {
            details["operation"] = json!(operation);
            "not_paged"
        }
        BuildError::InvalidParams {
            operation, path, ..
        } => {
            details["operation"] = json!(operation);
            details["path"] = json!(path);
            "invalid_params"
        }
        _ => "other",
    };
    build_error(kind, &error.to_string(), details)
}

/// A `BuildError` of this crate's own (options, values that are not JSON).
pub(crate) fn build_error(kind: &str, message: &str, mut details: Value) -> JsValue {
    details["kind"] = json!(kind);
    JsBuildError::new(message, to_js(&details)).into()
}

/// No answer: `kind` is `timeout` or `network`; `cause` is what `fetch` threw.
pub(crate) fn transport_error(kind: &str, message: &str, cause: JsValue) -> JsValue {
    JsTransportError::new(message, to_js(&json!({ "kind": kind })), cause).into()
}

/// A webhook body that is not a readable Postmark event.
pub(crate) fn webhook_error(error: &WebhookError) -> JsValue {
    let details = json!({
        "kind": error.kind().as_str(),
        "path": error.path(),
    });
    JsWebhookError::new(&error.to_string(), to_js(&details)).into()
}
