//! Python objects to JSON and back: request parameters go in as dicts, lists
//! and scalars; responses come out as plain dicts with Postmark's wire names.

use pyo3::exceptions::PyOverflowError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde_json::{Map, Number, Value};

/// Why a Python value has no JSON form, and where it is (`.Headers[0].Name`).
#[derive(Debug)]
pub(crate) struct NotJson {
    pub(crate) path: String,
    pub(crate) message: String,
}

/// The JSON form of `value`: dicts with string keys, lists and tuples, str,
/// int, float, bool and None.
pub(crate) fn to_json(value: &Bound<'_, PyAny>) -> Result<Value, NotJson> {
    to_json_at(value, &mut String::new())
}

fn to_json_at(value: &Bound<'_, PyAny>, path: &mut String) -> Result<Value, NotJson> {
    let not_json = |path: &str, message: String| NotJson {
        path: if path.is_empty() {
            ".".into()
        } else {
            path.into()
        },
        message,
    };
    if value.is_none() {
        return Ok(Value::Null);
    }
    // bool before int: Python's bool is an int.
    if let Ok(flag) = value.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if let Ok(int) = value.cast::<PyInt>() {
        if let Ok(n) = int.extract::<i64>() {
            return Ok(Value::from(n));
        }
        return match int.extract::<u64>() {
            Ok(n) => Ok(Value::from(n)),
            Err(_) => Err(not_json(path, "integer out of the 64-bit range".into())),
        };
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        return Number::from_f64(float.value())
            .map(Value::Number)
            .ok_or_else(|| not_json(path, "NaN and infinity have no JSON form".into()));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return text
            .to_cow()
            .map(|s| Value::String(s.into_owned()))
            .map_err(|_| not_json(path, "string is not valid UTF-8".into()));
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        let mut map = Map::new();
        for (key, item) in dict.iter() {
            let key = key.cast::<PyString>().map_err(|_| {
                not_json(
                    path,
                    format!("dict keys must be str, not {}", type_name(&key)),
                )
            })?;
            let key = key
                .to_cow()
                .map_err(|_| not_json(path, "dict key is not valid UTF-8".into()))?;
            let len = path.len();
            path.push('.');
            path.push_str(&key);
            let item = to_json_at(&item, path)?;
            path.truncate(len);
            map.insert(key.into_owned(), item);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(list) = value.cast::<PyList>() {
        return sequence(list.iter(), path);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return sequence(tuple.iter(), path);
    }
    Err(not_json(
        path,
        format!("{} is not a JSON value", type_name(value)),
    ))
}

fn sequence<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    path: &mut String,
) -> Result<Value, NotJson> {
    let mut out = Vec::new();
    for (index, item) in items.enumerate() {
        let len = path.len();
        path.push_str(&format!("[{index}]"));
        out.push(to_json_at(&item, path)?);
        path.truncate(len);
    }
    Ok(Value::Array(out))
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "object".into(), |name| name.to_string())
}

/// The Python form of a JSON value: dict, list, str, int, float, bool or None.
pub(crate) fn to_py(py: Python<'_>, value: Value) -> PyResult<Bound<'_, PyAny>> {
    Ok(match value {
        Value::Null => py.None().into_bound(py),
        Value::Bool(flag) => PyBool::new(py, flag).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else {
                let f = n
                    .as_f64()
                    .ok_or_else(|| PyOverflowError::new_err("number out of range"))?;
                PyFloat::new(py, f).into_any()
            }
        }
        Value::String(s) => PyString::new(py, &s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (key, item) in map {
                dict.set_item(key, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}
