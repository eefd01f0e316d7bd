//! Request bodies as compact JSON: byte for byte what `serde_json::to_writer`
//! writes, with a faster string escaper.
//!
//! serde_json looks at strings one byte at a time to find what needs escaping,
//! which made escaping three quarters of building a send (bodies are mostly
//! HTML, text and base64 attachments). This writer skips a string's clean
//! start 32 bytes at a time, then looks at eight bytes at a time, and copies
//! the runs that need nothing. Everything else (structure,
//! numbers) is written exactly as serde_json writes it; the tests compare the
//! two on the request models and on arbitrary JSON.

use std::fmt::{self, Display};

use serde::ser::{self, Serialize};

use crate::shape::{HIGHS, special_bytes, word};

/// `value` as compact JSON. For the crate's models, which always serialize:
/// their maps have string keys.
pub(crate) fn to_vec<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    let mut out = Vec::with_capacity(128);
    write(&mut out, value).expect("models always serialize");
    out
}

/// [`to_vec`] as a string.
pub(crate) fn to_string<T: Serialize + ?Sized>(value: &T) -> String {
    String::from_utf8(to_vec(value)).expect("JSON is UTF-8")
}

/// Appends `value` as compact JSON to `out`.
pub(crate) fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, value: &T) -> Result<(), Error> {
    value.serialize(&mut Writer { out })
}

/// A JSON object written member by member, for what the bindings read as
/// one object (error details, tables) without a map in between.
#[derive(Debug)]
pub(crate) struct ObjectText {
    out: Vec<u8>,
}

impl ObjectText {
    pub(crate) fn new() -> Self {
        ObjectText { out: vec![b'{'] }
    }

    fn key(&mut self, key: &str) -> &mut Vec<u8> {
        if self.out.len() > 1 {
            self.out.push(b',');
        }
        write_str(&mut self.out, key);
        self.out.push(b':');
        &mut self.out
    }

    /// Adds `key` with any value that serializes: a string, a number, a
    /// boolean, `None` as `null`.
    pub(crate) fn value<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> &mut Self {
        let out = self.key(key);
        write(out, value).expect("plain values always serialize");
        self
    }

    /// Adds `key` with a value that is JSON text already.
    pub(crate) fn raw(&mut self, key: &str, json: &str) -> &mut Self {
        self.key(key).extend_from_slice(json.as_bytes());
        self
    }

    pub(crate) fn finish(&mut self) -> String {
        self.out.push(b'}');
        String::from_utf8(std::mem::take(&mut self.out)).expect("JSON is UTF-8")
    }
}

/// Why a value could not be written: a map key that is not a string or a
/// number, or a `Serialize` impl that failed.
#[derive(Debug)]
pub(crate) struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(message: T) -> Self {
        Error(message.to_string())
    }
}

struct Writer<'a> {
    out: &'a mut Vec<u8>,
}

impl<'a> Writer<'a> {
    /// A whole number, as serde_json prints it: its digits written here
    /// rather than through `fmt`, whose machinery is much of what
    /// formatting costs the npm package's WebAssembly.
    fn integer(&mut self, negative: bool, mut magnitude: u64) -> Result<(), Error> {
        let mut digits = [0; 20];
        let mut start = digits.len();
        loop {
            start -= 1;
            digits[start] = b'0' + (magnitude % 10) as u8;
            magnitude /= 10;
            if magnitude == 0 {
                break;
            }
        }
        if negative {
            self.out.push(b'-');
        }
        self.out.extend_from_slice(&digits[start..]);
        Ok(())
    }

    fn signed(&mut self, value: i64) -> Result<(), Error> {
        self.integer(value < 0, value.unsigned_abs())
    }

    /// A 128-bit number, which no model has: through `fmt`.
    fn wide(&mut self, value: impl Display) -> Result<(), Error> {
        self.out.extend_from_slice(value.to_string().as_bytes());
        Ok(())
    }

    fn float<T: Serialize>(&mut self, value: T) -> Result<(), Error> {
        // Rare in requests: serde_json's own shortest form (and `null` for NaN).
        serde_json::to_writer(&mut *self.out, &value).map_err(ser::Error::custom)
    }

    fn open<'b>(&'b mut self, variant: Option<&str>, bracket: u8) -> Compound<'a, 'b> {
        if let Some(variant) = variant {
            self.out.push(b'{');
            write_str(self.out, variant);
            self.out.push(b':');
        }
        self.out.push(bracket);
        Compound {
            writer: self,
            first: true,
            close: match (variant.is_some(), bracket) {
                (false, b'[') => b"]",
                (false, _) => b"}",
                (true, b'[') => b"]}",
                (true, _) => b"}}",
            },
        }
    }
}

impl<'a, 'b> ser::Serializer for &'b mut Writer<'a> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'a, 'b>;
    type SerializeTuple = Compound<'a, 'b>;
    type SerializeTupleStruct = Compound<'a, 'b>;
    type SerializeTupleVariant = Compound<'a, 'b>;
    type SerializeMap = Compound<'a, 'b>;
    type SerializeStruct = Compound<'a, 'b>;
    type SerializeStructVariant = Compound<'a, 'b>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out
            .extend_from_slice(if v { b"true" } else { b"false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Error> {
        self.signed(v.into())
    }
    fn serialize_i16(self, v: i16) -> Result<(), Error> {
        self.signed(v.into())
    }
    fn serialize_i32(self, v: i32) -> Result<(), Error> {
        self.signed(v.into())
    }
    fn serialize_i64(self, v: i64) -> Result<(), Error> {
        self.signed(v)
    }
    fn serialize_i128(self, v: i128) -> Result<(), Error> {
        self.wide(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Error> {
        self.integer(false, v.into())
    }
    fn serialize_u16(self, v: u16) -> Result<(), Error> {
        self.integer(false, v.into())
    }
    fn serialize_u32(self, v: u32) -> Result<(), Error> {
        self.integer(false, v.into())
    }
    fn serialize_u64(self, v: u64) -> Result<(), Error> {
        self.integer(false, v)
    }
    fn serialize_u128(self, v: u128) -> Result<(), Error> {
        self.wide(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.float(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        self.float(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        ser::Serializer::collect_seq(self, v)
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.out.extend_from_slice(b"null");
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_none()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.out.push(b'{');
        write_str(self.out, variant);
        self.out.push(b':');
        value.serialize(&mut *self)?;
        self.out.push(b'}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'a, 'b>, Error> {
        Ok(self.open(None, b'['))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'a, 'b>, Error> {
        Ok(self.open(None, b'['))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>, Error> {
        Ok(self.open(None, b'['))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>, Error> {
        Ok(self.open(Some(variant), b'['))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'a, 'b>, Error> {
        Ok(self.open(None, b'{'))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'a, 'b>, Error> {
        Ok(self.open(None, b'{'))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'a, 'b>, Error> {
        Ok(self.open(Some(variant), b'{'))
    }
}

/// An array or object being written; `close` ends it (and the `{"Variant":`
/// wrapper of an enum variant).
struct Compound<'a, 'b> {
    writer: &'b mut Writer<'a>,
    first: bool,
    close: &'static [u8],
}

impl Compound<'_, '_> {
    fn separate(&mut self) {
        if !self.first {
            self.writer.out.push(b',');
        }
        self.first = false;
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.separate();
        value.serialize(&mut *self.writer)
    }

    /// A key as a JSON string. Like serde_json, numbers (and anything that
    /// writes as a number or a boolean) are quoted, other kinds refused.
    fn key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.separate();
        let start = self.writer.out.len();
        key.serialize(&mut *self.writer)?;
        match self.writer.out.get(start) {
            Some(b'"') => {}
            Some(b'-' | b'0'..=b'9' | b't' | b'f') => {
                self.writer.out.insert(start, b'"');
                self.writer.out.push(b'"');
            }
            _ => return Err(ser::Error::custom("key must be a string")),
        }
        self.writer.out.push(b':');
        Ok(())
    }

    fn end(self) -> Result<(), Error> {
        self.writer.out.extend_from_slice(self.close);
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeTupleVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.element(value)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(key)?;
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

impl ser::SerializeStructVariant for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.key(key)?;
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Error> {
        Compound::end(self)
    }
}

/// Writes `s` as a JSON string, escaped as serde_json escapes: `\"`, `\\`,
/// the short forms `\b \t \n \f \r`, and `\u00xx` for other control
/// characters; nothing else.
fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    let mut run = 0;
    let mut i = clean_prefix(bytes);
    while i < bytes.len() {
        if let Some(chunk) = bytes.get(i..i + 8) {
            let found = special_bytes(word(chunk));
            if found == 0 {
                i += 8;
                continue;
            }
            i += found.trailing_zeros() as usize / 8;
        } else if !needs_escape(bytes[i]) {
            i += 1;
            continue;
        }
        out.extend_from_slice(&bytes[run..i]);
        escape(out, bytes[i]);
        i += 1;
        run = i;
    }
    out.extend_from_slice(&bytes[run..]);
    out.push(b'"');
}

/// How many bytes the prefix scan checks at once.
const CHUNK: usize = 32;

/// The length of the whole chunks at the start of `bytes` that need no
/// escaping. A chunk's check has no early exit, so it compiles to a few
/// vector instructions: a long clean string (a base64 attachment, the bulk
/// of a large body) goes by several times faster than a word at a time.
/// Text with escapes throughout (HTML) stops at its first chunk and pays
/// almost nothing for having tried.
fn clean_prefix(bytes: &[u8]) -> usize {
    bytes
        .chunks_exact(CHUNK)
        .take_while(|chunk| {
            !chunk
                .iter()
                .fold(false, |found, &byte| found | needs_escape(byte))
        })
        .count()
        * CHUNK
}

fn needs_escape(byte: u8) -> bool {
    byte < 0x20 || byte == b'"' || byte == b'\\'
}

fn escape(out: &mut Vec<u8>, byte: u8) {
    let short = match byte {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        b'\t' => b't',
        b'\n' => b'n',
        0x0c => b'f',
        b'\r' => b'r',
        _ => return unicode_escape(out, u16::from(byte)),
    };
    out.extend_from_slice(&[b'\\', short]);
}

/// The length of the ASCII start of `bytes`, found eight bytes at a time:
/// an answer is mostly ASCII, and this runs over the whole of it.
fn ascii_prefix(bytes: &[u8]) -> usize {
    let words = bytes
        .chunks_exact(8)
        .take_while(|bytes| word(bytes) & HIGHS == 0)
        .count()
        * 8;
    words
        + bytes[words..]
            .iter()
            .take_while(|byte| byte.is_ascii())
            .count()
}

/// `\uXXXX` for the UTF-16 code unit `unit`.
fn unicode_escape(out: &mut Vec<u8>, unit: u16) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hex = |shift: u16| HEX[usize::from(unit >> shift & 0xf)];
    out.extend_from_slice(&[b'\\', b'u', hex(12), hex(8), hex(4), hex(0)]);
}

/// Appends JSON `text` (valid UTF-8) in ASCII: each character past ASCII
/// as a `\u` escape, two (a surrogate pair) past the Basic Multilingual
/// Plane. Such characters are only met inside strings, where JSON allows
/// the escapes, so the text reads as the same value.
pub(crate) fn push_ascii(out: &mut Vec<u8>, text: &[u8]) {
    let mut at = ascii_prefix(text);
    let mut run = 0;
    loop {
        out.extend_from_slice(&text[run..at]);
        let Some(&lead) = text.get(at) else {
            return;
        };
        // The length its leading byte gives a character; a byte that does
        // not start one (text that is not UTF-8) becomes U+FFFD.
        let width = match lead {
            0xf0.. => 4,
            0xe0.. => 3,
            _ => 2,
        };
        let (character, width) = text
            .get(at..at + width)
            .and_then(|bytes| std::str::from_utf8(bytes).ok())
            .and_then(|text| text.chars().next())
            .map_or((char::REPLACEMENT_CHARACTER, 1), |character| {
                (character, width)
            });
        for unit in character.encode_utf16(&mut [0; 2]) {
            unicode_escape(out, *unit);
        }
        run = at + width;
        at = run + ascii_prefix(&text[run..]);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use proptest::prelude::*;
    use serde_json::json;

    use super::*;
    use crate::api::common::{Attachment, Header, TrackLinks};
    use crate::api::email::{SendEmail, SendEmailBatch};
    use crate::arbitrary::json_value;

    fn ours<T: Serialize + ?Sized>(value: &T) -> String {
        let mut out = Vec::new();
        write(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn same<T: Serialize + ?Sized>(value: &T) {
        assert_eq!(ours(value), serde_json::to_string(value).unwrap());
    }

    #[test]
    fn every_ascii_character_escapes_as_serde_json_does() {
        let all: String = (0u8..=0x7f).map(char::from).collect();
        same(&all);
        for c in (0u8..=0x7f).map(char::from) {
            same(&c);
            // At every offset of an eight-byte word and of the first chunks,
            // after clean words and clean chunks.
            for pad in 0..2 * CHUNK + 9 {
                same(&format!("{}{c}{}", "a".repeat(pad), "é".repeat(pad)));
            }
        }
        same("\u{7f}\u{2028}\u{2029}€𝄞 \"quoted\" \\path\\");
    }

    #[test]
    fn numbers_and_structure_match_serde_json() {
        same(&json!({
            "n": [0, -1, i64::MIN, u64::MAX, 1.5, -0.0, 1e300, 2.5e-8],
            "nested": {"a": [], "b": {}, "c": [null, true, false, "x"]},
            "": "empty key",
        }));
        same(&[f64::NAN, f64::INFINITY]);
        same(&BTreeMap::from([(1u32, "one"), (20, "twenty")]));
        same(&BTreeMap::from([(-3i64, 'c')]));
        same(&(1u8, "tuple", [2u16, 3]));
        same(b"bytes".as_slice());
        same(&TrackLinks::HtmlAndText);
    }

    /// Every kind of value of serde's data model, whether or not a model has
    /// it today: the writer is a whole `Serializer`, and each of its methods
    /// must write what serde_json writes.
    #[test]
    fn every_kind_of_serde_value_matches_serde_json() {
        #[derive(serde::Serialize)]
        struct Unit;
        #[derive(serde::Serialize)]
        struct Newtype(u8);
        #[derive(serde::Serialize)]
        struct Pair(u8, i8);
        #[derive(serde::Serialize)]
        enum Variant {
            Unit,
            Newtype(i32),
            Tuple(u8, i8),
            Struct { a: u16 },
        }
        struct Bytes(&'static [u8]);
        impl Serialize for Bytes {
            fn serialize<S: ser::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_bytes(self.0)
            }
        }
        #[derive(serde::Serialize)]
        struct All {
            i8: [i8; 4],
            i16: [i16; 3],
            i32: [i32; 3],
            i64: [i64; 3],
            i128: [i128; 3],
            u128: [u128; 2],
            f32: [f32; 3],
            unit: (),
            unit_struct: Unit,
            newtype: Newtype,
            pair: Pair,
            variants: [Variant; 4],
            bytes: Bytes,
            char: char,
        }
        same(&All {
            i8: [i8::MIN, -1, 0, i8::MAX],
            i16: [i16::MIN, 0, i16::MAX],
            i32: [i32::MIN, 0, i32::MAX],
            i64: [i64::MIN, 0, -7],
            i128: [i128::MIN, 0, i128::MAX],
            u128: [0, u128::MAX],
            f32: [1.5, -0.25, f32::NAN],
            unit: (),
            unit_struct: Unit,
            newtype: Newtype(7),
            pair: Pair(2, -2),
            variants: [
                Variant::Unit,
                Variant::Newtype(-3),
                Variant::Tuple(1, -1),
                Variant::Struct { a: 9 },
            ],
            bytes: Bytes(b"\x00\xff"),
            char: '"',
        });
        let mut out = Vec::new();
        let error = write(&mut out, &BTreeMap::from([((), 1)])).unwrap_err();
        assert_eq!(error.to_string(), "key must be a string");
    }

    #[test]
    fn request_models_match_serde_json() {
        let email = SendEmail {
            from: "\"Acme, Inc.\" <billing@example.com>".into(),
            to: Some("Jane <jane@example.org>, joe@example.org".into()),
            cc: Some("c@example.org".into()),
            bcc: Some("b@example.org".into()),
            tag: Some("invoice".into()),
            reply_to: Some("reply@example.com".into()),
            metadata: Some(BTreeMap::from([
                ("customer-id".into(), "cus_1".into()),
                ("note".into(), "tab\there".into()),
            ])),
            headers: Some(vec![Header::new("X-Tag", "a\"b")]),
            track_opens: Some(true),
            track_links: Some(TrackLinks::HtmlOnly),
            attachments: Some(vec![Attachment::from_bytes(
                "a.pdf",
                "application/pdf",
                &[0, 1, 2, 250, 251, 252, 253, 254, 255],
            )]),
            message_stream: Some("outbound".into()),

            subject: Some("Über \"deal\"".into()),
            html_body: Some("<p class=\"x\">Hi\r\n</p>\u{1}".into()),
            text_body: Some("Hi\n\tthere".into()),
        };
        same(&email);
        same(&SendEmailBatch(vec![email, SendEmail::default()]));
    }

    fn in_ascii(text: &[u8]) -> String {
        let mut out = Vec::new();
        push_ascii(&mut out, text);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn characters_past_ascii_become_escapes() {
        assert_eq!(in_ascii(br#"{"a":1}"#), r#"{"a":1}"#);
        assert_eq!(
            in_ascii("{\"é\":\"ß€\"}".as_bytes()),
            r#"{"\u00e9":"\u00df\u20ac"}"#
        );
        // Past the Basic Multilingual Plane, a surrogate pair.
        assert_eq!(in_ascii("\"😀\"".as_bytes()), r#""\ud83d\ude00""#);
        // At every offset of the first words, after clean ones, and at the end.
        for pad in 0..20 {
            let clean = "a".repeat(pad);
            assert_eq!(
                in_ascii(format!("\"{clean}é{clean}\"").as_bytes()),
                format!("\"{clean}\\u00e9{clean}\"")
            );
        }
        // Bytes that are not UTF-8 each become U+FFFD, and the rest is kept.
        assert_eq!(
            in_ascii(b"\"\xff\xe9a\xf0\x9f\"x"),
            r#""\ufffd\ufffda\ufffd\ufffd"x"#
        );
    }

    proptest! {
        #[test]
        fn arbitrary_json_matches_serde_json(value in json_value()) {
            prop_assert_eq!(ours(&value), serde_json::to_string(&value).unwrap());
        }

        #[test]
        fn json_in_ascii_reads_as_the_same_value(value in json_value(), pretty in any::<bool>()) {
            let text = if pretty { serde_json::to_vec_pretty(&value) } else { serde_json::to_vec(&value) }.unwrap();
            let escaped = in_ascii(&text);
            prop_assert_eq!(escaped.as_bytes() == text, text.is_ascii());
            prop_assert!(escaped.is_ascii());
            prop_assert_eq!(serde_json::from_str::<serde_json::Value>(&escaped).unwrap(), value);
        }
    }
}
