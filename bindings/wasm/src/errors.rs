//! The core's errors as instances of the package's JavaScript `Error`
//! subclasses (`js/errors.js`), so that `instanceof` works for callers and
//! every field is a plain property.

use js_sys::Object;
use postmark_kit::BuildError;
use postmark_kit::webhook::WebhookError;
use wasm_bindgen::prelude::*;

use crate::json::{set, to_js};

// A raw module path, kept verbatim in the generated glue
// (`pkg/postmark_kit_wasm.js`), so the glue and the package's entry points
// import the very same module and its classes are one and the same.
#[wasm_bindgen(raw_module = "../js/errors.js")]
extern "C" {
    #[wasm_bindgen(js_name = PostmarkError)]
    type JsPostmarkError;
    #[wasm_bindgen(constructor, js_class = "PostmarkError")]
    fn new(message: &str, details: &JsValue) -> JsPostmarkError;

    #[wasm_bindgen(js_name = BuildError)]
    type JsBuildError;
    #[wasm_bindgen(constructor, js_class = "BuildError")]
    fn new(message: &str, details: &JsValue) -> JsBuildError;

    #[wasm_bindgen(js_name = TransportError)]
    type JsTransportError;
    #[wasm_bindgen(constructor, js_class = "TransportError")]
    fn new(message: &str, kind: &str, cause: &JsValue) -> JsTransportError;

    #[wasm_bindgen(js_name = WebhookError)]
    type JsWebhookError;
    #[wasm_bindgen(constructor, js_class = "WebhookError")]
    fn new(message: &str, kind: &str, path: &str) -> JsWebhookError;
}

/// A response that is not the success asked for: Postmark's error envelope,
/// another error page, or a body that does not match the model. The details
/// are the core's [`describe`](postmark_kit::Error::describe), which
/// `PostmarkError` reads.
pub(crate) fn api_error(error: postmark_kit::Error) -> JsValue {
    JsPostmarkError::new(&error.message(), &to_js(&error.describe())).into()
}

/// A request the core refused before anything was sent, with its details
/// (`kind`, and the field, path, operation, batch index or limit it concerns).
pub(crate) fn from_build_error(error: BuildError) -> JsValue {
    JsBuildError::new(&error.to_string(), &to_js(&error.details())).into()
}

/// The package's own refusals, beside the core's [`BuildError`] kinds;
/// `PackageRefusal` in `index.d.ts` (`crates/codegen/src/ts_api.d.ts`) lists
/// the same names.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Refusal {
    /// Options that are not what the constructor, a method or `buildRequest` takes.
    Options,
    /// A status for `parseResponse` that is not an HTTP status.
    Status,
    /// A body for `parseResponse` that is not text, bytes or null.
    Body,
    /// No `fetch` to send with.
    NoFetch,
}

impl Refusal {
    fn kind(self) -> &'static str {
        match self {
            Refusal::Options => "invalid_options",
            Refusal::Status => "invalid_status",
            Refusal::Body => "invalid_body",
            Refusal::NoFetch => "no_fetch",
        }
    }
}

/// A `BuildError` of the package's own.
pub(crate) fn refusal(refusal: Refusal, message: &str) -> JsValue {
    let details = Object::new();
    set(&details, "kind", &refusal.kind().into());
    JsBuildError::new(message, &details).into()
}

/// Why no answer came.
#[derive(Debug, Clone, Copy)]
pub(crate) enum NoAnswer {
    Network,
    Timeout,
    /// The caller's signal.
    Aborted,
}

/// No answer; `cause` is what `fetch` threw, or the signal's reason.
pub(crate) fn transport_error(why: NoAnswer, message: &str, cause: &JsValue) -> JsValue {
    let kind = match why {
        NoAnswer::Network => "network",
        NoAnswer::Timeout => "timeout",
        NoAnswer::Aborted => "aborted",
    };
    JsTransportError::new(message, kind, cause).into()
}

/// A webhook body that is not a readable Postmark event.
pub(crate) fn webhook_error(error: &WebhookError) -> JsValue {
    JsWebhookError::new(&error.to_string(), error.kind().as_str(), error.path()).into()
}
