//! Reading JSON into models: one reader for responses, parameters and
//! webhooks, Postmark's `null`s read as absent fields, and the JSON path of
//! the value a failure is about.
//!
//! Every model is read from text by serde_json's string reader and by
//! nothing else, so each model's reading code exists once in a build (which
//! keeps the WebAssembly module small). The path of a failure is found by
//! scanning the text up to where serde_json stopped, instead of tracking it
//! during every read.

use serde::de::DeserializeOwned;
use serde_json::error::Category;

/// Why a text did not read into a model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Failure {
    /// JSON path of the offending value: `Messages[3].To`, `.` for the
    /// document itself.
    pub(crate) path: String,
    /// What serde said, without its line and column.
    pub(crate) message: String,
    /// Whether the text is not JSON at all (as opposed to JSON of another shape).
    pub(crate) syntax: bool,
}

/// Reads `text` into `T`.
///
/// Postmark writes "no value" as a missing field, `null` or `""`, and a
/// field that is not optional in a model still arrives as `null` now and
/// then. So when a read fails and the text has `null` members, it is read
/// again with them left out, which gives those fields their defaults. A
/// read that succeeds the first time keeps every `null` (a raw JSON answer
/// stays as sent); a failure is reported from the text as given.
pub(crate) fn from_text<T: DeserializeOwned>(text: &str) -> Result<T, Failure> {
    read(text, |text| {
        serde_json::from_str(text).map(|value| (value, None))
    })
}

/// Runs `reader` on `text`, and again on `text` without its `null` members
/// when the first read fails on the shape of the data. `reader` answers the
/// value and the path of the first member it had no use for, if any.
fn read<T>(
    text: &str,
    reader: impl Fn(&str) -> Result<(T, Option<String>), serde_json::Error>,
) -> Result<T, Failure> {
    let unused = |path| Failure {
        path,
        message: "unknown field".into(),
        syntax: false,
    };
    let error = match reader(text) {
        Ok((value, None)) => return Ok(value),
        Ok((_, Some(path))) => return Err(unused(path)),
        Err(error) => error,
    };
    // Only JSON is read again: the scan leaves out white space and members
    // without checking the text, which could make JSON of text that is not.
    if error.classify() == Category::Data
        && serde_json::from_str::<serde::de::IgnoredAny>(text).is_ok()
    {
        if let Some(without) = without_null_members(text) {
            match reader(&without) {
                Ok((value, None)) => return Ok(value),
                Ok((_, Some(path))) => return Err(unused(path)),
                Err(_) => {}
            }
        }
    }
    Err(failure(text, &error))
}

/// Finds the place of a failure inside a `#[serde(flatten)]` field.
///
/// serde reads a flattened field from a copy of the members left over once
/// the rest of the object is read, so a failure in it has no position and
/// comes back at the object, `.`. Reading the same text as the flattened
/// type alone (which ignores the other members) meets the failure again at
/// its place; its path is taken when the message is the same, and the
/// failure is left as it was otherwise.
pub(crate) fn locate<Part: DeserializeOwned>(text: &str, failure: &mut Failure) {
    if failure.path != "." || failure.syntax {
        return;
    }
    if let Err(error) = serde_json::from_str::<Part>(text)
        && without_position(&error) == failure.message
    {
        failure.path = self::failure(text, &error).path;
    }
}

/// The [`Failure`] of a serde_json error met while reading `text`.
pub(crate) fn failure(text: &str, error: &serde_json::Error) -> Failure {
    let syntax = !matches!(error.classify(), Category::Data);
    let path = match offset(text, error) {
        Some(offset) if !syntax => path_at(text, offset),
        _ => ".".to_owned(),
    };
    Failure {
        path,
        message: without_position(error),
        syntax,
    }
}

/// serde_json's message without its ` at line L column C` suffix: the path
/// locates the value better.
pub(crate) fn without_position(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let position = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&position) {
        Some(message) => message.to_owned(),
        None => message,
    }
}

/// The byte offset serde_json stopped at: its column counts the bytes read
/// on its line. `None` for errors without a position.
fn offset(text: &str, error: &serde_json::Error) -> Option<usize> {
    if error.line() == 0 {
        return None;
    }
    let line_start = if error.line() == 1 {
        0
    } else {
        text.match_indices('\n').nth(error.line() - 2)?.0 + 1
    };
    Some((line_start + error.column()).min(text.len()))
}

/// One open container while scanning.
enum Frame {
    /// An object, with the key of the member being read, if any.
    Object(Option<String>),
    /// An array, with the index of the element being read, if any.
    Array(Option<usize>),
}

/// The JSON path (`Messages[3].To`, `.` for the document) of the value being read at `offset` of
/// `text`, which is valid JSON up to there. serde_json stops right after the
/// value it refuses, and right after the object that misses a field, so the
/// path is the innermost member or element that has begun.
fn path_at(text: &str, offset: usize) -> String {
    let bytes = &text.as_bytes()[..offset.min(text.len())];
    let mut stack: Vec<Frame> = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'"' => {
                let end = string_end(bytes, i);
                match stack.last_mut() {
                    // A string right after `{` or `,` in an object is a key.
                    Some(Frame::Object(key @ None)) => {
                        let inner = &bytes[i + 1..end];
                        *key = Some(unescape(inner.strip_suffix(b"\"").unwrap_or(inner)));
                    }
                    Some(Frame::Array(index @ None)) => *index = Some(0),
                    _ => {}
                }
                i = end;
                continue;
            }
            b'{' => stack.push(Frame::Object(None)),
            b'[' => stack.push(Frame::Array(None)),
            b'}' | b']' => {
                stack.pop();
            }
            b',' => match stack.last_mut() {
                Some(Frame::Object(key)) => *key = None,
                Some(Frame::Array(index)) => *index = Some(index.map_or(1, |i| i + 1)),
                None => {}
            },
            byte if !byte.is_ascii_whitespace() && byte != b':' => {
                if let Some(Frame::Array(index @ None)) = stack.last_mut() {
                    *index = Some(0);
                }
            }
            _ => {}
        }
        // A container starting as an array element is that element.
        if matches!(bytes[i], b'{' | b'[') {
            let at = stack.len() - 1;
            if let Some(Frame::Array(index @ None)) = stack.get_mut(at.wrapping_sub(1)) {
                *index = Some(0);
            }
        }
        i += 1;
    }
    let mut path = String::new();
    for frame in &stack {
        match frame {
            Frame::Object(Some(key)) => {
                if !path.is_empty() {
                    path.push('.');
                }
                path.push_str(key);
            }
            Frame::Array(Some(index)) => path.push_str(&format!("[{index}]")),
            _ => {}
        }
    }
    if path.is_empty() {
        path.push('.');
    }
    path
}

/// The index just past the string that opens at `start`, or the end of
/// `bytes` when it does not close there.
fn string_end(bytes: &[u8], start: usize) -> usize {
    let mut i = start + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// A key's text with its escapes resolved (keys are short and rarely
/// escaped). The scan may cut a key short, so it is read as bytes.
fn unescape(raw: &[u8]) -> String {
    let raw = String::from_utf8_lossy(raw);
    if !raw.contains('\\') {
        return raw.into_owned();
    }
    serde_json::from_str(&format!("\"{raw}\"")).unwrap_or_else(|_| raw.into_owned())
}

/// `text` without the object members whose value is `null`, or `None` when
/// it has none (or is not JSON this scan understands).
fn without_null_members(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = String::with_capacity(text.len());
    // Per open container: whether it is an object, and whether a member has
    // been written to `out` (to know when a comma is needed).
    let mut stack: Vec<(bool, bool)> = Vec::new();
    let mut removed = false;
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        match byte {
            b'{' | b'[' => {
                out.push(byte as char);
                stack.push((byte == b'{', false));
                i += 1;
                // An element or member starts unless the container is empty.
                if let Some(start) = next_token(bytes, i) {
                    if !matches!(bytes[start], b'}' | b']') {
                        i = member(text, &mut out, &mut stack, start, &mut removed)?;
                    } else {
                        i = start;
                    }
                }
            }
            b'}' | b']' => {
                out.push(byte as char);
                stack.pop()?;
                i += 1;
            }
            b',' => {
                let start = next_token(bytes, i + 1)?;
                i = member(text, &mut out, &mut stack, start, &mut removed)?;
            }
            b'"' => {
                let end = string_end(bytes, i);
                out.push_str(&text[i..end]);
                i = end;
            }
            _ if byte.is_ascii_whitespace() => i += 1,
            _ => {
                out.push(byte as char);
                i += 1;
            }
        }
    }
    removed.then_some(out)
}

/// Starts the member or element at `start` of the innermost container:
/// skips the object members whose value is `null` (and what separates
/// them), then writes the separator and key of the member that is kept.
/// Returns where to go on.
fn member(
    text: &str,
    out: &mut String,
    stack: &mut [(bool, bool)],
    mut start: usize,
    removed: &mut bool,
) -> Option<usize> {
    let bytes = text.as_bytes();
    let (is_object, written) = stack.last_mut()?;
    if !*is_object {
        if *written {
            out.push(',');
        }
        *written = true;
        return Some(start);
    }
    loop {
        if bytes[start] != b'"' {
            return None;
        }
        let key_end = string_end(bytes, start);
        let colon = next_token(bytes, key_end)?;
        if bytes[colon] != b':' {
            return None;
        }
        let value = next_token(bytes, colon + 1)?;
        if !bytes[value..].starts_with(b"null") {
            if *written {
                out.push(',');
            }
            *written = true;
            out.push_str(&text[start..key_end]);
            out.push(':');
            return Some(value);
        }
        *removed = true;
        // The member is gone; what follows it decides what comes next.
        let after = next_token(bytes, value + 4)?;
        if bytes[after] != b',' {
            return Some(after);
        }
        start = next_token(bytes, after + 1)?;
    }
}

/// The index of the next byte at or after `from` that is not white space.
fn next_token(bytes: &[u8], from: usize) -> Option<usize> {
    (from..bytes.len()).find(|&i| !bytes[i].is_ascii_whitespace())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde::Deserialize;
    use serde_json::{Value, json};

    use super::*;
    use crate::arbitrary::json_value;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct Item {
        #[serde(rename = "ID")]
        id: i64,
        #[serde(default)]
        name: String,
        #[serde(default)]
        tags: Vec<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "PascalCase")]
    struct List {
        total_count: u64,
        items: Vec<Item>,
    }

    fn path_of<T: DeserializeOwned + std::fmt::Debug>(text: &str) -> String {
        from_text::<T>(text).unwrap_err().path
    }

    #[test]
    fn paths_point_at_the_offending_value() {
        assert_eq!(
            path_of::<List>(r#"{"TotalCount":"x","Items":[]}"#),
            "TotalCount"
        );
        assert_eq!(
            path_of::<List>(r#"{"TotalCount":1,"Items":[{"ID":1},{"ID":"two"}]}"#),
            "Items[1].ID"
        );
        assert_eq!(
            path_of::<List>(
                "{\n  \"TotalCount\": 1,\n  \"Items\": [{\"ID\": 1, \"Tags\": [\"a\", 7]}]\n}"
            ),
            "Items[0].Tags[1]"
        );
        assert_eq!(
            path_of::<List>(r#"{"TotalCount":1,"Items":[{"ID":1},{"Name":"x"}]}"#),
            "Items[1]"
        );
        assert_eq!(path_of::<List>(r#"{"Items":[]}"#), ".");
        assert_eq!(
            path_of::<List>(r#"{"TotalCount":1,"Items":{"ID":1}}"#),
            "Items"
        );
        assert_eq!(
            path_of::<List>(r#"{"Tot\u0061lCount":1,"Items":["x"]}"#),
            "Items[0]"
        );
        assert_eq!(
            path_of::<List>(r#"{"TotalCount":1,"Items":[{"ID":1,"Name":{"a":[1,{"b":2}]}}]}"#),
            "Items[0].Name"
        );
    }

    #[test]
    fn syntax_errors_are_at_the_document() {
        let failure = from_text::<List>(r#"{"TotalCount":1,"Items":[}"#).unwrap_err();
        assert!(failure.syntax);
        assert_eq!(failure.path, ".");
        assert!(!failure.message.contains("line"), "{}", failure.message);
        assert!(from_text::<Value>("{} x").unwrap_err().syntax);
    }

    #[test]
    fn null_members_read_as_absent_fields() {
        let list: List = from_text(
            r#"{"TotalCount":2,"Items":[{"ID":1,"Name":null,"Tags":null},{"Name":"b","ID":2 , "Tags" : null }]}"#,
        )
        .unwrap();
        assert_eq!(list.items[0].name, "");
        assert_eq!(list.items[1].name, "b");
        assert!(list.items[1].tags.is_empty());
        // A read that needs no help keeps its nulls.
        let raw: Value = from_text(r#"{"a":null,"b":[null]}"#).unwrap();
        assert_eq!(raw, json!({"a": null, "b": [null]}));
        // A null where a value is required stays an error, reported as sent.
        let failure = from_text::<List>(r#"{"TotalCount":null,"Items":[]}"#).unwrap_err();
        assert_eq!(failure.path, "TotalCount");
        assert!(failure.message.contains("null"), "{}", failure.message);
    }

    #[test]
    fn text_that_is_not_json_stays_refused_without_its_nulls() {
        // Each is refused at its null before the error of syntax after it,
        // and would be JSON once the null member and white space are left out.
        for text in [
            "{\"ID\":1,\"Name\":null\u{c}}",
            "{\"ID\":1,\"Name\":null \"Tags\":[]}",
            "{\"Name\":null,\"ID\":1 2}",
        ] {
            let failure = from_text::<Item>(text).unwrap_err();
            assert_eq!(failure.path, "Name", "{text:?}");
        }
        // JSON's own white space is fine.
        let item: Item = from_text("{\"ID\":1,\"Name\":null \t\r\n}").unwrap();
        assert_eq!(item.id, 1);
    }

    fn strip(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(_, v)| !v.is_null())
                    .map(|(k, v)| (k.clone(), strip(v)))
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(strip).collect()),
            other => other.clone(),
        }
    }

    /// A flattened part of a model, as webhook opens and clicks hold theirs.
    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Part {
        #[allow(dead_code)]
        count: u32,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "PascalCase")]
    struct Whole {
        #[allow(dead_code)]
        name: String,
        #[serde(flatten)]
        #[allow(dead_code)]
        part: Part,
    }

    /// `text`'s failure as a `Whole`, then placed by reading it as a `Part`.
    fn located(text: &str) -> Failure {
        let mut failure = from_text::<Whole>(text).unwrap_err();
        locate::<Part>(text, &mut failure);
        failure
    }

    #[test]
    fn a_failure_inside_a_flattened_part_is_placed_there() {
        let text = "{\"Name\": \"n\",\n \"Count\": \"seven\"}";
        assert_eq!(from_text::<Whole>(text).unwrap_err().path, ".");
        let failure = located(text);
        assert_eq!(failure.path, "Count");
        assert_eq!(
            failure.message,
            "invalid type: string \"seven\", expected u32"
        );
        // A failure outside the part stays where it was: the part reads, or
        // fails for another reason.
        assert_eq!(located(r#"{"Count": 7}"#).path, ".");
        let failure = located(r#"{"Count": "seven"}"#);
        assert_eq!(
            (failure.path.as_str(), failure.message.as_str()),
            (".", "missing field `Name`")
        );
        // A failure already placed, or of syntax, is left alone.
        let mut placed = Failure {
            path: "Other".into(),
            message: "invalid type: string \"seven\", expected u32".into(),
            syntax: false,
        };
        locate::<Part>(text, &mut placed);
        assert_eq!(placed.path, "Other");
        let mut syntax = Failure {
            path: ".".into(),
            syntax: true,
            ..placed
        };
        locate::<Part>(text, &mut syntax);
        assert_eq!(syntax.path, ".");
    }

    /// A number, read by `deserialize_any`: a list is refused as soon as
    /// its `[` is read, before any element.
    #[derive(Debug)]
    struct Number;

    impl<'de> Deserialize<'de> for Number {
        fn deserialize<D: serde::Deserializer<'de>>(reader: D) -> Result<Self, D::Error> {
            reader.deserialize_any(NumberVisitor)
        }
    }

    struct NumberVisitor;

    impl serde::de::Visitor<'_> for NumberVisitor {
        type Value = Number;

        fn expecting(&self, out: &mut std::fmt::Formatter) -> std::fmt::Result {
            out.write_str("a number")
        }

        fn visit_u64<E>(self, _: u64) -> Result<Number, E> {
            Ok(Number)
        }
    }

    #[test]
    fn a_list_refused_before_its_first_element_is_the_path() {
        // serde_json stops inside the brackets (past any white space), no
        // element begun: the failure is the list's, not its first element's.
        for text in [r#"{"N": [1]}"#, r#"{"N": [ 1]}"#, "{\"N\": [\n 1, 2]}"] {
            assert_eq!(path_of::<BTreeMap<String, Number>>(text), "N", "{text}");
        }
        assert_eq!(path_of::<Vec<Number>>("[1, [ 2]]"), "[1]");
    }

    #[test]
    fn a_key_cut_short_is_the_path_so_far() {
        // The scan stops wherever it is told, inside a key too.
        assert_eq!(path_at(r#"{"a":{"bc":1}}"#, 8), "a.b");
        assert_eq!(path_at(r#"{"a":{"bc":1}}"#, 7), "a.");
        assert_eq!(path_at(r#"{"a":[{"b":1}, 2]}"#, 16), "a[1]");
    }

    /// A JSON value that refuses `null` and the string `"poison"` where it
    /// meets them, so that serde_json stops right after them.
    #[derive(Debug, PartialEq)]
    struct Picky(Value);

    impl<'de> Deserialize<'de> for Picky {
        fn deserialize<D: serde::Deserializer<'de>>(reader: D) -> Result<Self, D::Error> {
            reader.deserialize_any(PickyVisitor)
        }
    }

    struct PickyVisitor;

    impl<'de> serde::de::Visitor<'de> for PickyVisitor {
        type Value = Picky;

        fn expecting(&self, out: &mut std::fmt::Formatter) -> std::fmt::Result {
            out.write_str("a value that is not null or poison")
        }

        fn visit_bool<E>(self, value: bool) -> Result<Picky, E> {
            Ok(Picky(value.into()))
        }

        fn visit_i64<E>(self, value: i64) -> Result<Picky, E> {
            Ok(Picky(value.into()))
        }

        fn visit_u64<E>(self, value: u64) -> Result<Picky, E> {
            Ok(Picky(value.into()))
        }

        fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<Picky, E> {
            match value {
                "poison" => Err(E::custom("poison")),
                _ => Ok(Picky(value.into())),
            }
        }

        fn visit_unit<E: serde::de::Error>(self) -> Result<Picky, E> {
            Err(E::custom("null"))
        }

        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Picky, A::Error> {
            let mut items = Vec::new();
            while let Some(Picky(item)) = seq.next_element()? {
                items.push(item);
            }
            Ok(Picky(Value::Array(items)))
        }

        fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Picky, A::Error> {
            let mut members = serde_json::Map::new();
            while let Some((key, Picky(value))) = map.next_entry::<String, Picky>()? {
                members.insert(key, value);
            }
            Ok(Picky(Value::Object(members)))
        }
    }

    /// The path oracle: writes a value as JSON text in its own way (white
    /// space, new lines and `\u` escapes where a coin says so) and records,
    /// for each value, where it ends and its path, from the value's own
    /// structure.
    struct Writer {
        text: String,
        coin: u64,
        /// (offset just past the value, its path), in document order.
        ends: Vec<(usize, String)>,
    }

    impl Writer {
        fn write(value: &Value, coin: u64) -> Writer {
            let mut writer = Writer {
                text: String::new(),
                coin: coin | 1,
                ends: Vec::new(),
            };
            writer.space();
            writer.value(value, "");
            writer.space();
            writer
        }

        /// A pseudo-random bit (xorshift).
        fn flip(&mut self) -> bool {
            self.coin ^= self.coin << 13;
            self.coin ^= self.coin >> 7;
            self.coin ^= self.coin << 17;
            self.coin & 1 == 1
        }

        fn space(&mut self) {
            while self.flip() {
                let space = if self.flip() { "\n" } else { " \t\r" };
                self.text.push_str(space);
            }
        }

        fn string(&mut self, text: &str) {
            self.text.push('"');
            for c in text.chars() {
                match c {
                    '"' => self.text.push_str("\\\""),
                    '\\' => self.text.push_str("\\\\"),
                    c if c < ' ' || self.flip() => {
                        let mut units = [0; 2];
                        for unit in c.encode_utf16(&mut units) {
                            self.text.push_str(&format!("\\u{unit:04X}"));
                        }
                    }
                    c => self.text.push(c),
                }
            }
            self.text.push('"');
        }

        fn value(&mut self, value: &Value, path: &str) {
            match value {
                Value::Object(members) => {
                    self.text.push('{');
                    for (i, (key, member)) in members.iter().enumerate() {
                        if i > 0 {
                            self.text.push(',');
                        }
                        self.space();
                        self.string(key);
                        self.space();
                        self.text.push(':');
                        self.space();
                        let here = match path {
                            "" => key.clone(),
                            _ => format!("{path}.{key}"),
                        };
                        self.value(member, &here);
                        self.space();
                    }
                    self.text.push('}');
                }
                Value::Array(items) => {
                    self.text.push('[');
                    for (i, item) in items.iter().enumerate() {
                        if i > 0 {
                            self.text.push(',');
                        }
                        self.space();
                        self.value(item, &format!("{path}[{i}]"));
                        self.space();
                    }
                    self.text.push(']');
                }
                Value::String(text) => self.string(text),
                scalar => self.text.push_str(&scalar.to_string()),
            }
            let path = if path.is_empty() { "." } else { path };
            self.ends.push((self.text.len(), path.to_owned()));
        }
    }

    /// The path and message of the first `null` or `"poison"` of `value` in
    /// the writer's order (members by key), if any.
    fn first_refused(value: &Value, path: &str) -> Option<(String, &'static str)> {
        let member = |key: &str| match path {
            "" => key.to_owned(),
            _ => format!("{path}.{key}"),
        };
        match value {
            Value::Null => Some((path.to_owned(), "null")),
            Value::String(text) if text == "poison" => Some((path.to_owned(), "poison")),
            Value::Object(members) => members
                .iter()
                .find_map(|(key, value)| first_refused(value, &member(key))),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| first_refused(item, &format!("{path}[{i}]"))),
            _ => None,
        }
    }

    /// Whether `value` holds a `null` that is not an object's member, or a
    /// `"poison"`: what reading it as a [`Picky`] refuses even without the
    /// `null` members.
    fn refused_without_null_members(value: &Value, member: bool) -> bool {
        match value {
            Value::Null => !member,
            Value::String(text) => text == "poison",
            Value::Object(members) => members
                .values()
                .any(|member| refused_without_null_members(member, true)),
            Value::Array(items) => items
                .iter()
                .any(|item| refused_without_null_members(item, false)),
            _ => false,
        }
    }

    /// Any JSON value of small integers, short strings (`"poison"` among
    /// them) and keys with the characters that need escaping or care.
    fn picky_value() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            1 => Just(Value::Null),
            1 => Just(Value::from("poison")),
            1 => any::<bool>().prop_map(Value::from),
            1 => (-100i64..100).prop_map(Value::from),
            2 => "[\" ,:{}\\[\\]\\\\a-zé😀\n\u{1}]{0,8}".prop_map(Value::from),
        ];
        leaf.prop_recursive(5, 64, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                prop::collection::btree_map("[a-z\" .\\[\\\\é😀\t\u{7f}]{0,4}", inner, 0..6)
                    .prop_map(|map: BTreeMap<String, Value>| Value::Object(
                        map.into_iter().collect()
                    )),
            ]
        })
    }

    proptest! {
        #[test]
        fn stripping_nulls_keeps_everything_else(value in json_value(), pretty in any::<bool>()) {
            let text = if pretty {
                serde_json::to_string_pretty(&value).unwrap()
            } else {
                serde_json::to_string(&value).unwrap()
            };
            let expected = strip(&value);
            match without_null_members(&text) {
                Some(without) => {
                    let read: Value = serde_json::from_str(&without).unwrap();
                    prop_assert_eq!(read, expected);
                }
                None => prop_assert_eq!(value, expected),
            }
        }

        #[test]
        fn the_path_at_the_end_of_each_value_is_its_own(value in picky_value(), coin in any::<u64>()) {
            let written = Writer::write(&value, coin);
            for (end, path) in &written.ends {
                prop_assert_eq!(&path_at(&written.text, *end), path, "at {} of {}", end, written.text);
            }
        }

        #[test]
        fn a_refusal_is_reported_at_the_value_refused(value in picky_value(), coin in any::<u64>()) {
            let written = Writer::write(&value, coin);
            let read = from_text::<Picky>(&written.text);
            if refused_without_null_members(&value, false) {
                let (path, message) = first_refused(&value, "").unwrap();
                let failure = read.unwrap_err();
                let path = if path.is_empty() { ".".to_owned() } else { path };
                prop_assert_eq!(
                    failure,
                    Failure { path, message: message.to_owned(), syntax: false },
                    "{}", written.text
                );
            } else {
                prop_assert_eq!(read, Ok(Picky(strip(&value))), "{}", written.text);
            }
        }

        #[test]
        fn paths_never_panic(text in "[\\[\\]{}\",:a-z0-9 \\\\\n]{0,40}") {
            let _ = from_text::<List>(&text);
        }
    }
}
