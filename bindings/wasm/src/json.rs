//! Values across the boundary, as JSON text.
//!
//! JavaScript's own `JSON.stringify` / `JSON.parse` and the core's serde_json
//! meet on a string: one copy each way, no per-field crossings, and no second
//! serializer in the module.

use http::HeaderMap;
use js_sys::{ArrayBuffer, JSON, Object, Reflect, Uint8Array};
use postmark_kit::BuildError;
use postmark_kit::ops::Operation;
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::{JsCast, JsValue};

use crate::errors::{Refusal, from_build_error, refusal};

/// What `JSON.stringify` makes of a value: `None` for `undefined` (and
/// anything else it drops), or why it cannot (a BigInt, a cycle).
pub(crate) fn stringify(value: &JsValue) -> Result<Option<String>, String> {
    match JSON::stringify(value) {
        Ok(text) => Ok(text.as_string()),
        // JSON.stringify's own TypeError says what it could not convert.
        Err(error) => Err(error
            .dyn_ref::<js_sys::Error>()
            .map(|error| String::from(error.message()))
            .unwrap_or_default()),
    }
}

/// A JavaScript value as JSON text for `operation`'s parameters; the empty
/// text (no parameters) for `undefined`. A value `JSON.stringify` refuses is
/// the core's own refusal of parameters that do not fit, for the whole value.
pub(crate) fn json_text(operation: &Operation, value: &JsValue) -> Result<String, JsValue> {
    stringify(value)
        .map(Option::unwrap_or_default)
        .map_err(|reason| {
            from_build_error(BuildError::InvalidParams {
                operation: operation.name,
                path: ".".into(),
                message: format!("not JSON: {reason}"),
            })
        })
}

/// An options object read through the JSON it stringifies to (functions and
/// `undefined` values drop out); `T::default()` for `undefined` or `null`.
pub(crate) fn read_options<T: DeserializeOwned + Default>(
    what: &str,
    value: &JsValue,
) -> Result<T, JsValue> {
    let invalid = |reason: String| refusal(Refusal::Options, &format!("invalid {what}: {reason}"));
    match stringify(value).map_err(invalid)?.as_deref() {
        None | Some("null") => Ok(T::default()),
        Some(text) => serde_json::from_str(text).map_err(|error| invalid(error.to_string())),
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

/// A property of any value; `undefined` where there is none, and for values
/// that are not objects.
pub(crate) fn property(target: &JsValue, key: &str) -> JsValue {
    if target.is_object() {
        Reflect::get(target, &key.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
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
