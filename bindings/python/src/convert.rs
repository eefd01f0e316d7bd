//! Python objects to JSON and back: request parameters go in as dicts, lists
//! and scalars, written straight to the JSON text the core reads; responses
//! come out of the core as JSON text, read by Python's own `json` module into
//! plain dicts with Postmark's wire names.

use std::borrow::Cow;
use std::io::Write as _;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMemoryView, PyString, PyTuple,
};

/// Why a Python value has no JSON form, and where it is (`Headers[0].Name`).
#[derive(Debug)]
pub(crate) struct NotJson {
    pub(crate) path: String,
    pub(crate) message: String,
}

/// The JSON text of `value`: dicts with string keys, lists and tuples, str,
/// int, float, bool and None.
pub(crate) fn to_json(value: &Bound<'_, PyAny>) -> Result<String, NotJson> {
    let mut out = Vec::new();
    write_json(value, &mut out, &mut String::new())?;
    Ok(String::from_utf8(out).expect("JSON text is UTF-8"))
}

fn write_json(
    value: &Bound<'_, PyAny>,
    out: &mut Vec<u8>,
    path: &mut String,
) -> Result<(), NotJson> {
    let not_json = |path: &str, message: String| NotJson {
        path: if path.is_empty() {
            ".".into()
        } else {
            path.into()
        },
        message,
    };
    if value.is_none() {
        out.extend_from_slice(b"null");
        return Ok(());
    }
    // bool before int: Python's bool is an int.
    if let Ok(flag) = value.cast::<PyBool>() {
        out.extend_from_slice(if flag.is_true() { b"true" } else { b"false" });
        return Ok(());
    }
    if let Ok(int) = value.cast::<PyInt>() {
        let written = match int.extract::<i64>() {
            Ok(n) => write!(out, "{n}"),
            Err(_) => match int.extract::<u64>() {
                Ok(n) => write!(out, "{n}"),
                Err(_) => return Err(not_json(path, "integer out of the 64-bit range".into())),
            },
        };
        written.expect("writing to a Vec cannot fail");
        return Ok(());
    }
    if let Ok(float) = value.cast::<PyFloat>() {
        let float = float.value();
        if !float.is_finite() {
            return Err(not_json(path, "NaN and infinity have no JSON form".into()));
        }
        serde_json::to_writer(&mut *out, &float).expect("finite floats serialize");
        return Ok(());
    }
    if let Ok(text) = value.cast::<PyString>() {
        let text = text
            .to_cow()
            .map_err(|_| not_json(path, "string is not valid UTF-8".into()))?;
        write_str(out, &text);
        return Ok(());
    }
    if let Ok(dict) = value.cast::<PyDict>() {
        out.push(b'{');
        for (i, (key, item)) in dict.iter().enumerate() {
            let key = key.cast::<PyString>().map_err(|_| {
                not_json(
                    path,
                    format!("dict keys must be str, not {}", type_name(&key)),
                )
            })?;
            let key = key
                .to_cow()
                .map_err(|_| not_json(path, "dict key is not valid UTF-8".into()))?;
            if i > 0 {
                out.push(b',');
            }
            write_str(out, &key);
            out.push(b':');
            let len = path.len();
            if !path.is_empty() {
                path.push('.');
            }
            path.push_str(&key);
            write_json(&item, out, path)?;
            path.truncate(len);
        }
        out.push(b'}');
        return Ok(());
    }
    if let Ok(list) = value.cast::<PyList>() {
        return sequence(list.iter(), out, path);
    }
    if let Ok(tuple) = value.cast::<PyTuple>() {
        return sequence(tuple.iter(), out, path);
    }
    Err(not_json(
        path,
        format!("{} is not a JSON value", type_name(value)),
    ))
}

fn write_str(out: &mut Vec<u8>, text: &str) {
    serde_json::to_writer(&mut *out, text).expect("strings serialize");
}

fn sequence<'py>(
    items: impl Iterator<Item = Bound<'py, PyAny>>,
    out: &mut Vec<u8>,
    path: &mut String,
) -> Result<(), NotJson> {
    out.push(b'[');
    for (index, item) in items.enumerate() {
        if index > 0 {
            out.push(b',');
        }
        let len = path.len();
        path.push_str(&format!("[{index}]"));
        write_json(&item, out, path)?;
        path.truncate(len);
    }
    out.push(b']');
    Ok(())
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "object".into(), |name| name.to_string())
}

/// The Python form of JSON text, by `json.loads`: dicts, lists, str, int,
/// float, bool and None.
pub(crate) fn from_json<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    LOADS.import(py, "json", "loads")?.call1((text,))
}

/// The bytes of a body as Python code holds one: `bytes`, `bytearray`,
/// `memoryview`, or `str` (as UTF-8). `None` for any other type.
pub(crate) fn body_bytes<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<Option<Cow<'a, [u8]>>> {
    if let Ok(bytes) = value.cast::<PyBytes>() {
        return Ok(Some(Cow::Borrowed(bytes.as_bytes())));
    }
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Some(match text.to_cow()? {
            Cow::Borrowed(text) => Cow::Borrowed(text.as_bytes()),
            Cow::Owned(text) => Cow::Owned(text.into_bytes()),
        }));
    }
    if value.is_instance_of::<PyByteArray>() || value.is_instance_of::<PyMemoryView>() {
        // Copied: a bytearray can change while a slice of it is read.
        let copy = value.py().get_type::<PyBytes>().call1((value,))?;
        return Ok(Some(Cow::Owned(
            copy.cast::<PyBytes>()?.as_bytes().to_vec(),
        )));
    }
    Ok(None)
}

/// The text of a header name or value: `str`, or `bytes` (raw ASGI headers)
/// read as Latin-1, as WSGI reads header bytes, so that any bytes read and
/// only ASCII compares equal to what the core looks for. `None` for any
/// other type.
pub(crate) fn header_text<'a>(value: &'a Bound<'_, PyAny>) -> PyResult<Option<Cow<'a, str>>> {
    if let Ok(text) = value.cast::<PyString>() {
        return Ok(Some(text.to_cow()?));
    }
    if let Ok(bytes) = value.cast::<PyBytes>() {
        let latin1 = bytes.as_bytes().iter().map(|&byte| char::from(byte));
        return Ok(Some(Cow::Owned(latin1.collect())));
    }
    Ok(None)
}
