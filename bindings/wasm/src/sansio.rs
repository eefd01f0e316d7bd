//! The core's two pure functions, for callers with a transport of their own:
//! `buildRequest` gives what to pass to `fetch`, `parseResponse` reads what
//! came back. Operations are named as the clients' methods are (`sendEmail`).

use http::{Response, StatusCode};
use js_sys::{Array, Object};
use postmark_kit::ops::{self, Operation, RAW};
use postmark_kit::{Account, BuildError, Config, Server, Token, TokenKind};
use serde::Deserialize;
use wasm_bindgen::prelude::*;

use crate::errors::{Refusal, api_error, from_build_error, refusal};
use crate::json::{bytes, headers_object, json_text, parse_js, read_options, set};
use crate::transport::header_pairs;

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

/// The operation the methods call `js_name` (`"sendEmail"`), or `raw`.
fn resolve(js_name: &str) -> Result<&'static Operation, JsValue> {
    if js_name == RAW.js_name {
        return Ok(&RAW);
    }
    ops::operations()
        .find(|op| op.js_name == js_name)
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
    let options = read_options::<Option<BuildOptions>>("build options", &options)?
        .ok_or_else(|| refusal(Refusal::Options, "buildRequest needs options with a token"))?;
    let operation = resolve(operation)?;
    let params = json_text("the parameters", &params)?;
    let kind = options
        .token_kind
        .unwrap_or(if operation.token == Account::NAME {
            Kind::Account
        } else {
            Kind::Server
        });
    let built = match kind {
        Kind::Server => build_as::<Server>(&options, operation, &params),
        Kind::Account => build_as::<Account>(&options, operation, &params),
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
    operation: &Operation,
    params: &str,
) -> Result<ops::BuiltRequest, BuildError> {
    let mut config = Config::<K>::new(Token::new(&options.token)?);
    if let Some(url) = &options.base_url {
        config = config.with_base_url(url)?;
    }
    if let Some(user_agent) = &options.user_agent {
        config = config.with_user_agent(user_agent)?;
    }
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
    let operation = resolve(operation)?;
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
    operation
        .parse(&response)
        .map(|answer| parse_js(&answer))
        .map_err(|error| api_error(&error))
}

/// `operations()`: the operation table, `[{name, jsName, token, paged,
/// method, path}]`, in table order.
#[wasm_bindgen]
pub fn operations() -> Array {
    ops::operations()
        .map(|op| {
            let row = Object::new();
            for (key, value) in [
                ("name", op.name.into()),
                ("jsName", op.js_name.into()),
                ("token", op.token.into()),
                ("paged", op.paged.into()),
                ("method", op.method.into()),
                ("path", op.path.into()),
            ] {
                set(&row, key, &value);
            }
            JsValue::from(row)
        })
        .collect()
}
