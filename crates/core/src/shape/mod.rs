//! Every model's wire form as data, and one reader that checks JSON text
//! against it.
//!
//! The typed models of [`api`](crate::api) and [`webhook`](crate::webhook)
//! are the source; `postmark-codegen` writes their [`Shape`]s into
//! `table.rs` from their JSON Schemas. The dynamic interface of
//! [`ops`](crate::ops), which the npm package and the Python wheel call, works
//! from these tables alone: its code is the same whatever the number of
//! models, so an operation more costs a few hundred bytes of data, not a copy
//! of serde's code for each of its models.
//!
//! The reader ([`read`]) walks JSON text once against a shape. For
//! parameters it is strict (a misspelt field, a value of the wrong type, a
//! missing required field are refused with their path) and keeps a tape of
//! the values, for the endpoints' own checks and for the query. For
//! responses it is lenient, as serde is with the models: unknown fields are
//! kept, a `null` reads as absent, an absent field takes its default, an enum
//! takes its documented spelling. Either way it answers the edits that make
//! the text what the typed models would write, so callers get JSON text they
//! can hand straight to `JSON.parse` or `json.loads`.

mod edit;
pub(crate) mod read;
mod scan;
#[rustfmt::skip]
pub(crate) mod table;

use scan::Scan;
pub(crate) use scan::{HIGHS, not_utf8, special_bytes, word};

/// The wire form of a value.
#[derive(Debug)]
pub(crate) enum Shape {
    /// Any JSON value, kept as it is.
    Any,
    /// A string.
    Str,
    /// `true` or `false`.
    Bool,
    /// A whole number in a range.
    Int(Int),
    /// Any number.
    Float,
    /// A string with documented values, matched in any casing and written in
    /// their documented spelling; any other string is kept as it is.
    Enum(&'static [&'static str]),
    /// An array of values of one shape.
    List(&'static Shape),
    /// An array of messages sent in one call: a refusal of one of them
    /// names its index.
    Batch(&'static Shape),
    /// An object with any keys and values of one shape.
    Map(&'static Shape),
    /// An object with named fields.
    Object(&'static Object),
    /// Custom metadata, read leniently: a string map where another value is
    /// kept as its compact JSON text and a `null` value drops its key.
    Metadata,
    /// A message's attachment names: strings, or attachment objects of which
    /// the `Name` is kept.
    AttachmentNames,
    /// A value always written as this string: a webhook event's
    /// `RecordType`, in its documented spelling whatever was received.
    Constant(&'static str),
}

impl Shape {
    /// Whether its values are strings, booleans or numbers: read whole by
    /// one scan, with nothing inside to look into.
    pub(crate) fn is_scalar(&self) -> bool {
        matches!(
            self,
            Shape::Str | Shape::Bool | Shape::Int(_) | Shape::Float
        )
    }
}

/// The range of an [`Shape::Int`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Int {
    /// `i64`.
    I64,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
}

impl Int {
    /// The smallest and largest value: each in the one 64-bit type that
    /// holds all three, as 128-bit arithmetic costs WebAssembly a library
    /// of its own.
    pub(crate) const fn bounds(self) -> (i64, u64) {
        match self {
            Int::I64 => (i64::MIN, i64::MAX as u64),
            Int::U32 => (0, u32::MAX as u64),
            Int::U64 => (0, u64::MAX),
        }
    }
}

/// An object's fields, sorted by wire name (byte order), so that the reader
/// finds a key by binary search.
#[derive(Debug)]
pub(crate) struct Object {
    /// The fields.
    pub(crate) fields: &'static [Field],
}

impl Object {
    /// The index of the field a key names: its wire name, or one of its
    /// aliases.
    pub(crate) fn find(&self, key: &[u8]) -> Option<usize> {
        self.fields
            .binary_search_by(|field| field.name_bytes().cmp(key))
            .ok()
            .or_else(|| {
                self.fields
                    .iter()
                    .position(|field| field.alias().is_some_and(|alias| alias.as_bytes() == key))
            })
    }
}

/// One field of an [`Object`]: eight bytes of indices into the lists of
/// `table`, which the fields share, rather than references of its own (nine
/// hundred fields weigh on the npm package's download).
#[derive(Debug)]
pub(crate) struct Field {
    /// Where its wire name is in [`table::NAMES`], and its length.
    pub(crate) name_at: u16,
    pub(crate) name_len: u8,
    /// Its value's shape, in [`table::SHAPES`].
    pub(crate) shape: u16,
    /// [`REQUIRED`](Self::REQUIRED), [`OPTIONAL`](Self::OPTIONAL) and the
    /// other flags.
    pub(crate) flags: u8,
    /// In [`table::DEFAULTS`], or [`NONE`](Self::NONE): the JSON text a
    /// response takes when the field is absent or `null`; for a parameter,
    /// the value sent when it is absent.
    pub(crate) default: u8,
    /// In [`table::MORES`], or [`NONE`](Self::NONE): what few fields have
    /// besides.
    pub(crate) more: u8,
}

/// What a [`Field`] may have besides its name, shape, flags and default.
#[derive(Debug)]
pub(crate) struct More {
    /// Another name the field is read under (and written back as `name`).
    pub(crate) alias: Option<&'static str>,
    /// What the value must be, besides its shape.
    pub(crate) rule: Rule,
}

impl Field {
    /// A parameter that must be given; a response field without a default
    /// that must be present.
    pub(crate) const REQUIRED: u8 = 1;
    /// A field that may be absent or `null`, read as absent.
    pub(crate) const OPTIONAL: u8 = 2;
    /// A string parameter that may not be blank when given.
    pub(crate) const NOT_BLANK: u8 = 4;
    /// A string enum of which a blank value reads as absent.
    pub(crate) const BLANK_IS_ABSENT: u8 = 8;
    /// An enum sent in lower case in a query, as Postmark's searches take it.
    pub(crate) const LOWER_IN_QUERY: u8 = 16;
    /// A `{key, value}` search filter, sent as `metadata_<key>=<value>`.
    pub(crate) const METADATA_FILTER: u8 = 32;

    /// No default, or nothing more: an index past the end of those lists
    /// (the generator keeps them shorter).
    pub(crate) const NONE: u8 = u8::MAX;

    /// Whether the field has `flag`.
    pub(crate) const fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }

    /// Its wire name.
    // Inlined even where the build optimises for size (the npm package's):
    // the reader asks for a name at every member, and the call cost 4% of
    // reading a page in WebAssembly.
    #[inline]
    pub(crate) fn name(&self) -> &'static str {
        let at = usize::from(self.name_at);
        &table::NAMES[at..at + usize::from(self.name_len)]
    }

    /// Its wire name's bytes, what keys are compared with: slicing bytes
    /// needs no check that the ends fall between characters.
    #[inline]
    pub(crate) fn name_bytes(&self) -> &'static [u8] {
        let at = usize::from(self.name_at);
        &table::NAMES.as_bytes()[at..at + usize::from(self.name_len)]
    }

    /// Its value's shape.
    pub(crate) fn shape(&self) -> &'static Shape {
        table::SHAPES[usize::from(self.shape)]
    }

    /// The JSON text a response takes when the field is absent or `null`;
    /// for a parameter, the value sent when it is absent.
    pub(crate) fn default(&self) -> Option<&'static str> {
        table::DEFAULTS.get(usize::from(self.default)).copied()
    }

    /// Whether the field has an alias or a rule.
    pub(crate) fn has_more(&self) -> bool {
        self.more != Self::NONE
    }

    fn more(&self) -> Option<&'static More> {
        table::MORES.get(usize::from(self.more))
    }

    /// Another name the field is read under.
    pub(crate) fn alias(&self) -> Option<&'static str> {
        self.more().and_then(|more| more.alias)
    }

    /// What the value must be, besides its shape.
    pub(crate) fn rule(&self) -> Rule {
        self.more().map_or(Rule::None, |more| more.rule)
    }
}

/// A check on a parameter besides its shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rule {
    /// None.
    None,
    /// A number from `min` to `max`.
    Range(i64, i64),
    /// A list of at most this many items.
    MaxItems(u32),
    /// A text of at most this many characters.
    MaxChars(usize),
    /// An absolute `http` or `https` URL.
    Url,
    /// A date (`2026-01-31`) or a date and time without offset
    /// (`2026-01-31T08:00:00`), as Postmark's date filters take them.
    LocalDate,
}

/// The shapes of one operation: its parameters, its answer, and for a paged
/// list the field of the answer that holds the page's items.
#[derive(Debug)]
pub(crate) struct OperationShapes {
    /// The operation's name, to check the table against the operations.
    pub(crate) name: &'static str,
    /// The parameters.
    pub(crate) params: &'static Shape,
    /// The answer.
    pub(crate) response: &'static Shape,
    /// The answer's field with the page's items.
    pub(crate) items: Option<&'static str>,
}

/// The shape of one webhook event.
#[derive(Debug)]
pub(crate) struct EventShape {
    /// Its documented `RecordType`.
    pub(crate) record_type: &'static str,
    /// The event's fields.
    pub(crate) shape: &'static Shape,
}

/// The shapes of the operation `name`, found while compiling. An operation
/// the generated table does not know yet reads and writes any JSON; a test
/// and `postmark-codegen --check` make sure none is left so.
pub(crate) const fn operation(name: &str) -> &'static OperationShapes {
    let mut i = 0;
    while i < table::OPERATIONS.len() {
        if same(table::OPERATIONS[i].name, name) {
            return &table::OPERATIONS[i];
        }
        i += 1;
    }
    &UNKNOWN
}

static UNKNOWN: OperationShapes = OperationShapes {
    name: "",
    params: &Shape::Any,
    response: &Shape::Any,
    items: None,
};

const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The items at positions `keep` of the array in the top-level `field` of
/// `text` (checked JSON), as a JSON array; `[]` when there is no such array.
pub(crate) fn items(text: &[u8], field: &str, keep: std::ops::Range<usize>) -> String {
    let mut scan = Scan::new(text);
    let mut out = b"[".to_vec();
    if scan.find_member(field.as_bytes()) && scan.peek() == Some(b'[') {
        scan.pos += 1;
        for index in 0..keep.end {
            scan.ws();
            if scan.peek() == Some(b']') {
                break;
            }
            let start = scan.pos;
            scan.skip_value();
            if index >= keep.start {
                if index > keep.start {
                    out.push(b',');
                }
                out.extend_from_slice(&text[start..scan.pos]);
            }
            scan.ws();
            if scan.peek() == Some(b',') {
                scan.pos += 1;
            }
        }
    }
    out.push(b']');
    String::from_utf8(out).unwrap_or_else(|_| "[]".into())
}

/// Where each item of a top-level JSON array is in `text`, or why `text` is
/// not one: a JSON syntax error's message, or what the value is instead.
pub(crate) fn array_items(text: &[u8]) -> Result<Vec<std::ops::Range<usize>>, String> {
    if let Err(read::Failure::Invalid { message, .. }) = read::response(text, &Shape::Any, None) {
        return Err(message);
    }
    let mut scan = Scan::new(text);
    scan.ws();
    if scan.peek() != Some(b'[') {
        return Err("not an array".into());
    }
    scan.pos += 1;
    let mut items = Vec::new();
    loop {
        scan.ws();
        match scan.peek() {
            Some(b']') | None => return Ok(items),
            Some(b',') => scan.pos += 1,
            Some(_) => {
                let start = scan.pos;
                scan.skip_value();
                items.push(start..scan.pos);
            }
        }
    }
}

/// Why a webhook body is not an event to read.
pub(crate) enum NotAnEvent {
    /// Not JSON: why.
    Syntax(String),
    /// JSON, but not an object: what it is.
    NotAnObject(&'static str),
}

/// What a webhook body says of its kind: its top-level `RecordType` when it
/// is a string, and whether it has an inbound message's `FromFull` or
/// `OriginalRecipient`.
pub(crate) struct EventProbe {
    pub(crate) record_type: Option<String>,
    pub(crate) looks_inbound: bool,
}

/// Checks that `text` is one JSON object and finds what tells its kind,
/// without reading the rest.
pub(crate) fn probe_event(text: &[u8]) -> Result<EventProbe, NotAnEvent> {
    if let Err(read::Failure::Invalid { message, .. }) = read::response(text, &Shape::Any, None) {
        return Err(NotAnEvent::Syntax(message));
    }
    let mut scan = Scan::new(text);
    scan.ws();
    let found = match scan.peek() {
        Some(b'{') => None,
        Some(b'[') => Some("array"),
        Some(b'"') => Some("string"),
        Some(b't' | b'f') => Some("boolean"),
        Some(b'n') => Some("null"),
        _ => Some("number"),
    };
    if let Some(found) = found {
        return Err(NotAnEvent::NotAnObject(found));
    }
    let has = |key: &[u8]| Scan::new(text).find_member(key);
    let mut record_type = Scan::new(text);
    let record_type =
        match record_type.find_member(b"RecordType") && record_type.peek() == Some(b'"') {
            true => {
                let start = record_type.pos;
                let escaped = record_type.string().unwrap_or(false);
                Some(read::token_text(&text[start..record_type.pos], escaped).into_owned())
            }
            false => None,
        };
    Ok(EventProbe {
        record_type,
        looks_inbound: has(b"FromFull") || has(b"OriginalRecipient"),
    })
}

/// Reads a webhook event of a known `RecordType` against its shape.
pub(crate) fn read_event(text: &[u8], record_type: &str) -> Result<read::Answer, read::Failure> {
    let shape = table::EVENTS
        .iter()
        .find(|event| event.record_type == record_type)
        .map_or(&Shape::Any, |event| event.shape);
    read::response(text, shape, None)
}

/// Postmark's error envelope in a body: its `ErrorCode`, its `Message`, and
/// the body's other members as the JSON text of one object.
pub(crate) struct Envelope {
    pub(crate) code: u64,
    pub(crate) message: String,
    pub(crate) rest: Option<String>,
}

/// The envelope of a body that is a JSON object with a whole, non-negative
/// `ErrorCode`; `None` for anything else.
pub(crate) fn envelope(text: &[u8]) -> Option<Envelope> {
    read::response(text, &Shape::Any, None).ok()?;
    let mut code = None;
    let mut message = String::new();
    let mut rest = Vec::new();
    Scan::new(text).members(|key, value| {
        let token = &text[value.clone()];
        match &*read::token_text(key, key.contains(&b'\\')) {
            "ErrorCode" => code = std::str::from_utf8(token).ok().and_then(|n| n.parse().ok()),
            "Message" if token.starts_with(b"\"") => {
                message = read::token_text(token, true).into_owned()
            }
            "Message" => {}
            _ => {
                rest.push(if rest.is_empty() { b'{' } else { b',' });
                rest.extend_from_slice(key);
                rest.push(b':');
                rest.extend_from_slice(token);
            }
        }
        true
    });
    if !rest.is_empty() {
        rest.push(b'}');
    }
    Some(Envelope {
        code: code?,
        message,
        rest: String::from_utf8(rest).ok().filter(|rest| !rest.is_empty()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_read_within_their_bounds_only() {
        static I64: Shape = Shape::Int(Int::I64);
        static U32: Shape = Shape::Int(Int::U32);
        static U64: Shape = Shape::Int(Int::U64);
        let reads = |shape: &'static Shape, text: &str| {
            read::response(text.as_bytes(), shape, None).is_ok()
        };
        for (shape, taken, refused) in [
            (
                &I64,
                &[
                    "-9223372036854775808",
                    "9223372036854775807",
                    "-0",
                    "0",
                    "-12",
                ][..],
                &["-9223372036854775809", "9223372036854775808", "1.5", "1e3"][..],
            ),
            (
                &U32,
                &["0", "4294967295", "-0"],
                &["4294967296", "-1", "99999999999999999999"],
            ),
            (
                &U64,
                &["18446744073709551615", "7"],
                &["18446744073709551616", "-1", "-18446744073709551616"],
            ),
        ] {
            for text in taken {
                assert!(reads(shape, text), "{shape:?} refused {text}");
            }
            for text in refused {
                assert!(!reads(shape, text), "{shape:?} took {text}");
            }
        }
    }

    #[test]
    fn items_come_from_the_named_array_only() {
        let page = br#"{"TotalCount": 3, "Bounces": [{"ID": 1}, 2, [3]]}"#;
        assert_eq!(items(page, "Bounces", 1..3), "[2,[3]]");
        assert_eq!(items(page, "Bounces", 0..9), r#"[{"ID": 1},2,[3]]"#);
        for other in [
            &br#"{"Bounces": null}"#[..],
            br#"{"Bounces": "[1]"}"#,
            br#"{"TotalCount": 0}"#,
        ] {
            assert_eq!(items(other, "Bounces", 0..9), "[]");
        }
    }

    #[test]
    fn an_envelopes_message_is_a_string_or_nothing() {
        let read = |text: &[u8]| {
            envelope(text).map(|envelope| (envelope.code, envelope.message, envelope.rest))
        };
        assert_eq!(
            read(br#"{"ErrorCode": 300, "Message": "Bad \"x\"", "Extra": [1]}"#),
            Some((300, r#"Bad "x""#.into(), Some(r#"{"Extra":[1]}"#.into())))
        );
        for message in ["5", "null", "[\"x\"]"] {
            let text = format!(r#"{{"ErrorCode": 300, "Message": {message}}}"#);
            assert_eq!(
                read(text.as_bytes()),
                Some((300, String::new(), None)),
                "{message}"
            );
        }
        assert_eq!(read(br#"{"Message": "x"}"#), None);
    }
}
