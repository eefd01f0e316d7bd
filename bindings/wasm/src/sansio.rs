//! The core's two pure functions, for callers with a transport of their own:
//! `buildRequest` gives what to pass to `fetch`, `parseResponse` reads what
//! came back. Operations are named as the clients' methods are (`sendEmail`).

use http::StatusCode;
use js_sys::{Array, Object};
use postmark_kit::ops::{self, Operation};
use postmark_kit::{Account, BuildError, Config, Server, TokenKind};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::errors::{Refusal, api_error, from_build_error, refusal};
use crate::json::{bytes, headers_object, json_text, parse_js, read_options, set, to_js};
use crate::transport::response;

/// The third argument of `buildRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BuildOptions {
    token: String,
    base_url: Option<String>,
    user_agent: Option<String>,
    /// Which kind of token `token` is; default the one the operation needs.
    token_kind: Option<Kind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    Server,
    Account,
}

/// `buildRequest(operation, params, {token, baseUrl?, userAgent?, tokenKind?})`:
/// the request as `{method, url, headers, body, idempotent}`, ready for
/// `fetch(url, {method, headers, body})`. `body` is the JSON text or `null`;
/// `idempotent` says whether resending it after an ambiguous failure is safe.
#[wasm_bindgen(js_name = buildRequest)]
pub fn build_request(
    operation: &str,
    params: JsValue,
    options: JsValue,
) -> Result<JsValue, JsValue> {
    let options = read_options::<Option<BuildOptions>>("build options", &options)?
        .ok_or_else(|| refusal(Refusal::Options, "buildRequest needs options with a token"))?;
    let operation = ops::find_js(operation).map_err(from_build_error)?;
    let params = json_text(operation, &params)?;
    let kind = options
        .token_kind
        .unwrap_or(match operation.default_token_kind() {
            Account::NAME => Kind::Account,
            _ => Kind::Server,
        });
    let built = match kind {
        Kind::Server => build_as::<Server>(&options, operation, &params),
        Kind::Account => build_as::<Account>(&options, operation, &params),
    }
    .map_err(from_build_error)?;
    // Built property by property: the body is JSON text already, and going
    // through `to_js` would escape it into JSON and parse it back.
    let request = built.request;
    let result = Object::new();
    set(&result, "method", &request.method().as_str().into());
    set(&result, "url", &request.uri().to_string().into());
    set(&result, "headers", &headers_object(request.headers()));
    let body = match request.body().as_slice() {
        [] => JsValue::NULL,
        body => String::from_utf8_lossy(body).as_ref().into(),
    };
    set(&result, "body", &body);
    set(&result, "idempotent", &built.idempotent.into());
    Ok(result.into())
}

fn build_as<K: TokenKind>(
    options: &BuildOptions,
    operation: &Operation,
    params: &str,
) -> Result<ops::BuiltRequest, BuildError> {
    let config = Config::<K>::from_settings(
        &options.token,
        options.base_url.as_deref(),
        options.user_agent.as_deref(),
    )?;
    operation.build(&config, params)
}

/// `parseResponse(operation, status, headers, body)`: the response's model
/// (Postmark's wire names), or a thrown `PostmarkError`. `headers` may be a
/// `Headers`, a plain object or an array of pairs; `body` a string, a
/// `Uint8Array`, an `ArrayBuffer`, or `null` for none.
#[wasm_bindgen(js_name = parseResponse)]
pub fn parse_response(
    operation: &str,
    status: u16,
    headers: JsValue,
    body: JsValue,
) -> Result<JsValue, JsValue> {
    let operation = ops::find_js(operation).map_err(from_build_error)?;
    let status = StatusCode::from_u16(status)
        .map_err(|_| refusal(Refusal::Status, &format!("{status} is not an HTTP status")))?;
    let body = if body.is_null() || body.is_undefined() {
        Vec::new()
    } else {
        bytes(&body).ok_or_else(|| {
            refusal(
                Refusal::Body,
                "the body must be a string, a Uint8Array, an ArrayBuffer or null",
            )
        })?
    };
    operation
        .parse(&response(status, &headers, body.as_slice()))
        .map(|answer| parse_js(&answer))
        .map_err(api_error)
}

/// `operations()`: the operation table, `[{name, jsName, token, paged,
/// method, path}]`, in table order, as the core's operations serialize.
#[wasm_bindgen]
pub fn operations() -> Array {
    to_js(ops::OPERATIONS).unchecked_into()
}
