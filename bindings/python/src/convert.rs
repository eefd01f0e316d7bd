//! Python objects to JSON and back: request parameters go in as dicts, lists
//! and scalars, written straight to the JSON text the core reads; responses
//! come out of the core as JSON text, read straight into plain dicts and
//! lists with Postmark's wire names.

use std::borrow::Cow;
use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::{BuildHasherDefault, Hasher};
use std::io::Write as _;
use std::ops::Range;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
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
/// int, float, bool and None; `bytes`, `bytearray` and `memoryview` as
/// base64 text (the form of an attachment's content).
pub(crate) fn to_json(value: &Bound<'_, PyAny>) -> Result<String, NotJson> {
    let mut writer = Writer {
        out: Vec::new(),
        path: String::new(),
        written: HashMap::default(),
    };
    writer.value(value)?;
    Ok(String::from_utf8(writer.out).expect("JSON text is UTF-8"))
}

/// Strings from this many bytes on are written once per call: a batch that
/// repeats one body (the same `str` object) copies its JSON text instead.
const REPEATED_FROM: usize = 64;

/// Writes Python values as JSON text.
struct Writer {
    out: Vec<u8>,
    /// Where the value being written is (`Messages[2].To`), for errors.
    path: String,
    /// Where long strings were written, by the address of their `str`
    /// object: alive (and so unchanged, and at that address) for the call.
    written: HashMap<usize, Range<usize>, BuildHasherDefault<KeyHash>>,
}

impl Writer {
    fn not_json(&self, message: impl Into<String>) -> NotJson {
        NotJson {
            path: match self.path.is_empty() {
                true => ".".into(),
                false => self.path.clone(),
            },
            message: message.into(),
        }
    }

    fn value(&mut self, value: &Bound<'_, PyAny>) -> Result<(), NotJson> {
        // Strings first: most values are.
        if let Ok(text) = value.cast::<PyString>() {
            return self.string(text);
        }
        if value.is_none() {
            self.out.extend_from_slice(b"null");
            return Ok(());
        }
        // Binary data (an attachment's content) goes as base64 text, encoded
        // straight into the request.
        if let Some(data) = body_bytes(value).map_err(|_| self.not_json("unreadable bytes"))? {
            let start = self.out.len() + 1;
            let len = base64::encoded_len(data.len(), true).unwrap_or(0);
            self.out.resize(start + len + 1, b'"');
            STANDARD
                .encode_slice(&*data, &mut self.out[start..])
                .expect("sized for the encoding");
            return Ok(());
        }
        // bool before int: Python's bool is an int.
        if let Ok(flag) = value.cast::<PyBool>() {
            self.out
                .extend_from_slice(if flag.is_true() { b"true" } else { b"false" });
            return Ok(());
        }
        if let Ok(int) = value.cast::<PyInt>() {
            let written = match int.extract::<i64>() {
                Ok(n) => write!(self.out, "{n}"),
                Err(_) => match int.extract::<u64>() {
                    Ok(n) => write!(self.out, "{n}"),
                    Err(_) => return Err(self.not_json("integer out of the 64-bit range")),
                },
            };
            written.expect("writing to a Vec cannot fail");
            return Ok(());
        }
        if let Ok(float) = value.cast::<PyFloat>() {
            let float = float.value();
            if !float.is_finite() {
                return Err(self.not_json("NaN and infinity have no JSON form"));
            }
            serde_json::to_writer(&mut self.out, &float).expect("finite floats serialize");
            return Ok(());
        }
        if let Ok(dict) = value.cast::<PyDict>() {
            return self.object(dict);
        }
        if let Ok(list) = value.cast::<PyList>() {
            return self.sequence(list.iter());
        }
        if let Ok(tuple) = value.cast::<PyTuple>() {
            return self.sequence(tuple.iter());
        }
        Err(self.not_json(format!("{} is not a JSON value", type_name(value))))
    }

    /// A str, from its UTF-8 as one bytes object (the stable ABI of Python
    /// 3.9 has no borrowed view of it), or copied from where it was written.
    fn string(&mut self, text: &Bound<'_, PyString>) -> Result<(), NotJson> {
        let address = text.as_ptr() as usize;
        if let Some(range) = self.written.get(&address) {
            self.out.extend_from_within(range.clone());
            return Ok(());
        }
        let utf8 = text
            .encode_utf8()
            .map_err(|_| self.not_json("string is not valid UTF-8"))?;
        let start = self.out.len();
        write_str(&mut self.out, utf8.as_bytes());
        if utf8.as_bytes().len() >= REPEATED_FROM {
            self.written.insert(address, start..self.out.len());
        }
        Ok(())
    }

    fn object(&mut self, dict: &Bound<'_, PyDict>) -> Result<(), NotJson> {
        self.out.push(b'{');
        for (i, (key, item)) in dict.iter().enumerate() {
            let key = key.cast::<PyString>().map_err(|_| {
                self.not_json(format!("dict keys must be str, not {}", type_name(&key)))
            })?;
            let key = key
                .encode_utf8()
                .map_err(|_| self.not_json("dict key is not valid UTF-8"))?;
            let key = std::str::from_utf8(key.as_bytes()).expect("Python encodes valid UTF-8");
            if i > 0 {
                self.out.push(b',');
            }
            write_str(&mut self.out, key.as_bytes());
            self.out.push(b':');
            let len = self.path.len();
            if !self.path.is_empty() {
                self.path.push('.');
            }
            self.path.push_str(key);
            self.value(&item)?;
            self.path.truncate(len);
        }
        self.out.push(b'}');
        Ok(())
    }

    fn sequence<'py>(
        &mut self,
        items: impl Iterator<Item = Bound<'py, PyAny>>,
    ) -> Result<(), NotJson> {
        self.out.push(b'[');
        for (index, item) in items.enumerate() {
            if index > 0 {
                self.out.push(b',');
            }
            let len = self.path.len();
            write!(self.path, "[{index}]").expect("writing to a String cannot fail");
            self.value(&item)?;
            self.path.truncate(len);
        }
        self.out.push(b']');
        Ok(())
    }
}

/// Writes UTF-8 text as a JSON string.
fn write_str(out: &mut Vec<u8>, text: &[u8]) {
    // Most text has nothing to escape (an HTML body, a base64 attachment):
    // checked in one pass the compiler vectorizes (no early exit), then
    // copied whole. Text with something to escape goes through serde_json.
    let plain = text.iter().fold(true, |plain, &b| {
        plain & (b >= 0x20) & (b != b'"') & (b != b'\\')
    });
    if plain {
        out.reserve(text.len() + 2);
        out.push(b'"');
        out.extend_from_slice(text);
        out.push(b'"');
    } else {
        let text = std::str::from_utf8(text).expect("Python encodes valid UTF-8");
        serde_json::to_writer(&mut *out, text).expect("strings serialize");
    }
}

fn type_name(value: &Bound<'_, PyAny>) -> String {
    value
        .get_type()
        .name()
        .map_or_else(|_| "object".into(), |name| name.to_string())
}

/// The Python form of JSON text: dicts, lists, str, int, float, bool and
/// None, as `json.loads` makes them, built straight from the bytes. Keys
/// repeated across a list's items (500 messages with the same 20 keys) are
/// made once and shared. Text this reader does not take (a lone surrogate
/// escape, nesting deeper than [`MAX_DEPTH`]) goes to `json.loads`, which
/// takes it or raises as it always did.
pub(crate) fn from_json<'py>(py: Python<'py>, text: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let mut reader = Reader {
        py,
        text,
        at: 0,
        keys: HashMap::default(),
        scratch: String::new(),
    };
    // The reader makes no reference cycles, so the cyclic collector's passes
    // over the thousands of new dicts of a large answer are wasted: paused
    // meanwhile. The GIL is held throughout, so no other thread sees it.
    let paused = text.len() >= PAUSE_GC_FROM && pause_gc(py)?;
    let read = reader.document();
    if paused {
        static ENABLE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
        ENABLE.import(py, "gc", "enable")?.call0()?;
    }
    match read {
        Ok(value) => Ok(value),
        Err(Unread::Python(error)) => Err(error),
        Err(Unread::Text) => {
            static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
            LOADS
                .import(py, "json", "loads")?
                .call1((PyBytes::new(py, text),))
        }
    }
}

/// The size of answer from which [`from_json`] pauses the cyclic garbage collector.
const PAUSE_GC_FROM: usize = 64 * 1024;

/// Pauses the cyclic garbage collector; whether it was running.
fn pause_gc(py: Python<'_>) -> PyResult<bool> {
    static IS_ENABLED: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    static DISABLE: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let enabled = IS_ENABLED
        .import(py, "gc", "isenabled")?
        .call0()?
        .is_truthy()?;
    if enabled {
        DISABLE.import(py, "gc", "disable")?.call0()?;
    }
    Ok(enabled)
}

/// How deep arrays and objects may nest before [`from_json`] hands the text
/// to `json.loads`: far deeper than any Postmark answer, and shallow enough
/// for the reader's recursion.
const MAX_DEPTH: usize = 256;

/// Why [`Reader`] stopped: text it does not take, or a Python error
/// (memory) while building.
enum Unread {
    Text,
    Python(PyErr),
}

impl From<PyErr> for Unread {
    fn from(error: PyErr) -> Self {
        Unread::Python(error)
    }
}

/// A multiply-rotate hash over 8 bytes at a time (as rustc's FxHash): keys
/// are short, come from one answer of the API, and the map lives for it.
#[derive(Default)]
struct KeyHash(u64);

impl Hasher for KeyHash {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;
        let mut hash = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let word = u64::from_le_bytes(chunk.try_into().expect("8 bytes"));
            hash = (hash.rotate_left(5) ^ word).wrapping_mul(SEED);
        }
        let mut tail = [0u8; 8];
        tail[..chunks.remainder().len()].copy_from_slice(chunks.remainder());
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(SEED);
        self.0 = hash;
    }
}

/// A recursive-descent reader of JSON text into Python objects.
struct Reader<'py, 't> {
    py: Python<'py>,
    text: &'t [u8],
    at: usize,
    /// Object keys made so far, by their bytes in the text (escape-free keys only).
    keys: HashMap<&'t [u8], Bound<'py, PyString>, BuildHasherDefault<KeyHash>>,
    /// Where escaped strings are decoded.
    scratch: String,
}

impl<'py, 't> Reader<'py, 't> {
    fn document(&mut self) -> Result<Bound<'py, PyAny>, Unread> {
        let value = self.value(0)?;
        self.skip_space();
        match self.at == self.text.len() {
            true => Ok(value),
            false => Err(Unread::Text),
        }
    }

    fn skip_space(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.text.get(self.at) {
            self.at += 1;
        }
    }

    fn peek(&mut self) -> Result<u8, Unread> {
        self.skip_space();
        self.text.get(self.at).copied().ok_or(Unread::Text)
    }

    fn expect(&mut self, byte: u8) -> Result<(), Unread> {
        match self.peek()? == byte {
            true => {
                self.at += 1;
                Ok(())
            }
            false => Err(Unread::Text),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Result<(), Unread> {
        match self.text[self.at..].starts_with(word) {
            true => {
                self.at += word.len();
                Ok(())
            }
            false => Err(Unread::Text),
        }
    }

    fn value(&mut self, depth: usize) -> Result<Bound<'py, PyAny>, Unread> {
        let py = self.py;
        match self.peek()? {
            b'{' => self.object(depth + 1),
            b'[' => self.array(depth + 1),
            b'"' => Ok(self.string()?.into_any()),
            b't' => self
                .literal(b"true")
                .map(|()| PyBool::new(py, true).to_owned().into_any()),
            b'f' => self
                .literal(b"false")
                .map(|()| PyBool::new(py, false).to_owned().into_any()),
            b'n' => self.literal(b"null").map(|()| py.None().into_bound(py)),
            _ => self.number(),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Bound<'py, PyAny>, Unread> {
        if depth > MAX_DEPTH {
            return Err(Unread::Text);
        }
        self.at += 1;
        let dict = PyDict::new(self.py);
        if self.peek()? == b'}' {
            self.at += 1;
            return Ok(dict.into_any());
        }
        loop {
            if self.peek()? != b'"' {
                return Err(Unread::Text);
            }
            let key = self.key()?;
            self.expect(b':')?;
            let value = self.value(depth)?;
            dict.set_item(key, value)?;
            match self.peek()? {
                b',' => self.at += 1,
                b'}' => {
                    self.at += 1;
                    return Ok(dict.into_any());
                }
                _ => return Err(Unread::Text),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Bound<'py, PyAny>, Unread> {
        if depth > MAX_DEPTH {
            return Err(Unread::Text);
        }
        self.at += 1;
        let mut items = Vec::new();
        if self.peek()? == b']' {
            self.at += 1;
            return Ok(PyList::empty(self.py).into_any());
        }
        loop {
            items.push(self.value(depth)?);
            match self.peek()? {
                b',' => self.at += 1,
                b']' => {
                    self.at += 1;
                    return Ok(PyList::new(self.py, items)?.into_any());
                }
                _ => return Err(Unread::Text),
            }
        }
    }

    /// An object key: escape-free keys are made once per answer.
    fn key(&mut self) -> Result<Bound<'py, PyString>, Unread> {
        let start = self.at + 1;
        let end = start + memchr::memchr2(b'"', b'\\', &self.text[start..]).ok_or(Unread::Text)?;
        if self.text[end] == b'\\' {
            return self.string();
        }
        let raw = &self.text[start..end];
        self.at = end + 1;
        if let Some(key) = self.keys.get(raw) {
            return Ok(key.clone());
        }
        let key = PyString::new(self.py, std::str::from_utf8(raw).map_err(|_| Unread::Text)?);
        self.keys.insert(raw, key.clone());
        Ok(key)
    }

    fn string(&mut self) -> Result<Bound<'py, PyString>, Unread> {
        let start = self.at + 1;
        let end = start + memchr::memchr2(b'"', b'\\', &self.text[start..]).ok_or(Unread::Text)?;
        if self.text[end] == b'"' {
            self.at = end + 1;
            let text = std::str::from_utf8(&self.text[start..end]).map_err(|_| Unread::Text)?;
            return Ok(PyString::new(self.py, text));
        }
        let mut decoded = std::mem::take(&mut self.scratch);
        decoded.clear();
        self.at = start;
        let result = self.unescape(&mut decoded);
        let string = result.map(|()| PyString::new(self.py, &decoded));
        self.scratch = decoded;
        string
    }

    /// Decodes a string with escapes from `self.at` (past the opening quote)
    /// through its closing quote.
    fn unescape(&mut self, out: &mut String) -> Result<(), Unread> {
        loop {
            let rest = &self.text[self.at..];
            let stop = memchr::memchr2(b'"', b'\\', rest).ok_or(Unread::Text)?;
            out.push_str(std::str::from_utf8(&rest[..stop]).map_err(|_| Unread::Text)?);
            self.at += stop + 1;
            if rest[stop] == b'"' {
                return Ok(());
            }
            let escape = *self.text.get(self.at).ok_or(Unread::Text)?;
            self.at += 1;
            out.push(match escape {
                b'"' => '"',
                b'\\' => '\\',
                b'/' => '/',
                b'b' => '\u{8}',
                b'f' => '\u{c}',
                b'n' => '\n',
                b'r' => '\r',
                b't' => '\t',
                b'u' => self.unicode_escape()?,
                _ => return Err(Unread::Text),
            });
        }
    }

    /// The character of `\uXXXX` (past the `u`), a surrogate pair read as
    /// one; a lone surrogate is not Rust text.
    fn unicode_escape(&mut self) -> Result<char, Unread> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF if self.text[self.at..].starts_with(b"\\u") => {
                self.at += 2;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(Unread::Text);
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            code => code,
        };
        char::from_u32(code).ok_or(Unread::Text)
    }

    fn hex4(&mut self) -> Result<u32, Unread> {
        let digits = self.text.get(self.at..self.at + 4).ok_or(Unread::Text)?;
        let digits = std::str::from_utf8(digits).map_err(|_| Unread::Text)?;
        let code = u32::from_str_radix(digits, 16).map_err(|_| Unread::Text)?;
        self.at += 4;
        Ok(code)
    }

    /// A number as `json.loads` reads it: an int when it has no fraction or
    /// exponent (of any size), else a float.
    fn number(&mut self) -> Result<Bound<'py, PyAny>, Unread> {
        let start = self.at;
        let mut integral = true;
        while let Some(&byte) = self.text.get(self.at) {
            match byte {
                b'0'..=b'9' | b'-' | b'+' => {}
                b'.' | b'e' | b'E' => integral = false,
                _ => break,
            }
            self.at += 1;
        }
        let literal = std::str::from_utf8(&self.text[start..self.at]).map_err(|_| Unread::Text)?;
        if literal.is_empty() {
            return Err(Unread::Text);
        }
        let py = self.py;
        if integral {
            if let Ok(n) = literal.parse::<i64>() {
                let Ok(int) = n.into_pyobject(py);
                return Ok(int.into_any());
            }
            // Past 64 bits: Python's own int() of the digits.
            let int = py.get_type::<PyInt>().call1((literal,));
            return int.map_err(|_| Unread::Text);
        }
        let float: f64 = literal.parse().map_err(|_| Unread::Text)?;
        Ok(PyFloat::new(py, float).into_any())
    }
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
