//! Values across the boundary, as JSON text.
//!
//! JavaScript's own `JSON.stringify` / `JSON.parse` and the core's serde_json
//! meet on a string: one copy each way, no per-field crossings, and no second
//! serializer in the module.

use http::HeaderMap;
use js_sys::{ArrayBuffer, JSON, Object, Reflect, Uint8Array};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::{JsCast, JsValue};

use crate::errors::build_error;

/// A JavaScript value as the JSON text it stringifies to, for the core's
/// dynamic interface; the empty text (no parameters) for `undefined` and
/// anything else `JSON.stringify` drops.
pub(crate) fn json_text(what: &str, value: &JsValue) -> Result<String, JsValue> {
    let text = JSON::stringify(value).map_err(|error| {
        // A BigInt or a cycle: JSON.stringify's own TypeError says which.
        let reason = error
            .dyn_ref::<js_sys::Error>()
            .map(|error| String::from(error.message()))
            .unwrap_or_default();
        build_error(
            "invalid_params",
            &format!("{what} cannot be converted to JSON: {reason}"),
            serde_json::json!({}),
        )
    })?;
    Ok(text.as_string().unwrap_or_default())
}

/// A JavaScript value as the JSON it stringifies to; `undefined` (and
/// anything else `JSON.stringify` drops) is `null`.
pub(crate) fn from_js(what: &str, value: &JsValue) -> Result<Value, JsValue> {
    match json_text(what, value)?.as_str() {
        "" => Ok(Value::Null),
        text => serde_json::from_str(text).map_err(|error| {
            build_error(
                "invalid_params",
                &format!("{what} is not valid JSON: {error}"),
                serde_json::json!({}),
            )
        }),
    }
}

/// JSON text from the core as a JavaScript value.
pub(crate) fn parse_js(text: &str) -> JsValue {
    JSON::parse(text).expect("the core writes valid JSON")
}

/// A serializable value as a JavaScript one.
pub(crate) fn to_js<T: Serialize + ?Sized>(value: &T) -> JsValue {
    let text = serde_json::to_string(value).expect("JSON values always serialize");
    JSON::parse(&text).expect("serde_json writes valid JSON")
}

/// The bytes of a body given as a string, a `Uint8Array` or an `ArrayBuffer`;
/// `None` for anything else.
pub(crate) fn bytes(value: &JsValue) -> Option<Vec<u8>> {
    if let Some(text) = value.as_string() {
        Some(text.into_bytes())
    } else if let Some(array) = value.dyn_ref::<Uint8Array>() {
        Some(array.to_vec())
    } else {
        value
            .dyn_ref::<ArrayBuffer>()
            .map(|buffer| Uint8Array::new(buffer).to_vec())
    }
}

/// Sets a property of a plain object made here.
pub(crate) fn set(target: &Object, key: &str, value: &JsValue) {
    // Setting a property of a fresh plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), value);
}

/// Request headers as a plain object, `{name: value}` (names in lower case).
pub(crate) fn headers_object(headers: &HeaderMap) -> Object {
    let object = Object::new();
    for (name, value) in headers {
        if let Ok(value) = value.to_str() {
            set(&object, name.as_str(), &value.into());
        }
    }
    object
}
