//! The core's two pure functions, for callers with a transport of their own:
//! `buildRequest` gives what to pass to `fetch`, `parseResponse` reads what
//! came back. Operations are named as the clients' methods are (`sendEmail`).

use http::{Response, StatusCode};
use js_sys::Object;
use postmark_kit::ops::{self, Operation, find};
use postmark_kit::{Account, BuildError, Config, Server, Token, TokenKind};
use serde::Deserialize;
use serde_json::{Value, json};
use wasm_bindgen::prelude::*;

use crate::errors::{api_error, build_error, from_build_error};
use crate::json::{bytes, from_js, headers_object, json_text, parse_js, set, to_js};
use crate::transport::header_pairs;

/// The third argument of `buildRequest`.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BuildOptions {
    token: String,
    base_url: Option<String>,
    user_agent: Option<String>,
    /// Which header the token goes in; only `raw` needs it (default `server`),
    /// every other operation has its own.
    token_kind: Option<String>,
}

/// The operation the methods call `js_name` (`"sendEmail"`), or `raw`: its
/// table name and the kind of token it needs.
fn resolve(js_name: &str, raw_kind: Option<&str>) -> Result<(&'static str, &'static str), JsValue> {
    if js_name == "raw" {
        let kind = match raw_kind.unwrap_or(Server::NAME) {
            kind if kind == Server::NAME => Server::NAME,
            kind if kind == Account::NAME => Account::NAME,
            other => {
                return Err(build_error(
                    "invalid_options",
                    &format!("tokenKind is `{other}`; it must be `server` or `account`"),
                    json!({}),
                ));
            }
        };
        return Ok(("raw", kind));
    }
    ops::operations()
        .find(|op| op.js_name == js_name)
        .map(|op| (op.name, op.token))
        .ok_or_else(|| {
            from_build_error(&BuildError::UnknownOperation {
                name: js_name.to_owned(),
            })
        })
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
    let options =
        BuildOptions::deserialize(from_js("the build options", &options)?).map_err(|error| {
            build_error(
                "invalid_options",
                &format!("invalid build options: {error}"),
                json!({}),
            )
        })?;
    let (name, kind) = resolve(operation, options.token_kind.as_deref())?;
    let params = json_text("the parameters", &params)?;
    let built = if kind == Account::NAME {
        build_as::<Account>(&options, name, &params)
    } else {
        build_as::<Server>(&options, name, &params)
    }
    .map_err(|error| from_build_error(&error))?;
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
    name: &str,
    params: &str,
) -> Result<ops::BuiltRequest, BuildError> {
    let mut config = Config::<K>::new(Token::new(&options.token)?);
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    if let Some(user_agent) = &options.user_agent {
        config = config.with_user_agent(user_agent)?;
    }
    find(name)?.build(&config, params)
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
    let (name, _) = resolve(operation, None)?;
    let status = StatusCode::from_u16(status).map_err(|_| {
        build_error(
            "invalid_status",
            &format!("{status} is not an HTTP status"),
            json!({}),
        )
    })?;
    let body = if body.is_null() || body.is_undefined() {
        Vec::new()
    } else {
        bytes(&body).ok_or_else(|| {
            build_error(
                "invalid_body",
                "the body must be a string, a Uint8Array, an ArrayBuffer or null",
                json!({}),
            )
        })?
    };
    let mut response = Response::new(body.as_slice());
    *response.status_mut() = status;
    for (name, value) in header_pairs(&headers) {
        // A header http refuses cannot be one the core reads.
        if let (Ok(name), Ok(value)) = (
            http::HeaderName::from_bytes(name.as_bytes()),
            http::HeaderValue::from_str(&value),
        ) {
            response.headers_mut().append(name, value);
        }
    }
    find(name)
        .map_err(|error| from_build_error(&error))?
        .parse(&response)
        .map(|answer| parse_js(&answer))
        .map_err(|error| api_error(&error))
}

/// `operations()`: the operation table, `[{name, jsName, token, paged,
/// method, path}]`, in table order.
#[wasm_bindgen]
pub fn operations() -> JsValue {
    let rows: Vec<Value> = ops::operations().map(row).collect();
    to_js(&rows)
}

fn row(op: &Operation) -> Value {
    json!({
        "name": op.name,
        "jsName": op.js_name,
        "token": op.token,
        "paged": op.paged,
        "method": op.method,
        "path": op.path,
    })
}
