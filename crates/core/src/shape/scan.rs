//! JSON tokens over bytes: white space, strings, numbers and literals.
//!
//! A string is read by finding its closing quote, sixteen bytes at a time,
//! looking only for `"`, `\`, control characters and bytes past ASCII.
//! Bodies are mostly long strings (HTML, base64 attachments), so that loop
//! is most of the reading. Only strings may hold bytes past ASCII in JSON,
//! so checking those as UTF-8 where they are met checks the whole text,
//! without a pass of its own.

use std::borrow::Cow;

/// A position in JSON text.
#[derive(Debug)]
pub(crate) struct Scan<'a> {
    pub(crate) bytes: &'a [u8],
    pub(crate) pos: usize,
    /// Whether every string read so far is ASCII.
    pub(crate) ascii: bool,
}

/// Why the text is not JSON.
pub(crate) type Syntax = &'static str;

/// What text that is not UTF-8 is refused with.
const NOT_UTF8: Syntax = "the text is not UTF-8";

/// Why text is not UTF-8, where it stops being: the message every reader of
/// bytes gives (answers typed or not, parameters, webhooks).
pub(crate) fn not_utf8(error: std::str::Utf8Error) -> String {
    format!("{NOT_UTF8}: {error}")
}

/// The high bit of each of a word's eight bytes: the bits set in bytes past
/// ASCII.
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// The little-endian word of eight bytes.
pub(crate) fn word(bytes: &[u8]) -> u64 {
    u64::from_le_bytes(bytes.try_into().unwrap_or_default())
}

/// Where the first byte of a 16-byte `chunk` is that ends or escapes a
/// string, may not be in one, or is past ASCII; in WebAssembly with its
/// 128-bit SIMD, three vector compares.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
// For cargo-mutants: the host's tests cannot run this, the npm package's do. (No
// build compiles it for tests, so the compiler never applies the attribute.)
#[cfg_attr(test, mutants::skip)]
fn first_special(chunk: &[u8]) -> Option<usize> {
    use core::arch::wasm32::{
        i8x16_lt, i8x16_splat, u8x16_bitmask, u8x16_eq, u8x16_splat, u64x2, v128_or,
    };
    let bytes = u64x2(word(&chunk[..8]), word(&chunk[8..16]));
    let quote = u8x16_eq(bytes, u8x16_splat(b'"'));
    let backslash = u8x16_eq(bytes, u8x16_splat(b'\\'));
    // As signed bytes, both the control characters and the bytes past
    // ASCII are below 0x20.
    let control = i8x16_lt(bytes, i8x16_splat(0x20));
    let mask = u8x16_bitmask(v128_or(v128_or(quote, backslash), control));
    (mask != 0).then(|| mask.trailing_zeros() as usize)
}

/// Where the first byte of a 16-byte `chunk` is that ends or escapes a
/// string, may not be in one, or is past ASCII: two words, eight bytes at a
/// time.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn first_special(chunk: &[u8]) -> Option<usize> {
    [0, 8].into_iter().find_map(|half| {
        let word = word(&chunk[half..half + 8]);
        let special = special_bytes(word) | (word & HIGHS);
        (special != 0).then(|| half + (special.trailing_zeros() / 8) as usize)
    })
}

/// The high bit of each byte of `word` that ends or escapes a JSON string,
/// or may not be in one: `"`, `\` and the control characters below 0x20.
/// The lowest bit set is exact; the ones above it may be wrong (borrows),
/// which finding the first byte need not care about. The scan's and the
/// JSON writer's search, eight bytes at a time.
pub(crate) fn special_bytes(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    // The high bit of each byte that is zero (the lowest one exact).
    let zero_bytes = |word: u64| word.wrapping_sub(ONES) & !word & HIGHS;
    let quote = zero_bytes(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_bytes(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control
}

impl<'a> Scan<'a> {
    pub(crate) fn new(bytes: &'a [u8]) -> Self {
        Scan {
            bytes,
            pos: 0,
            ascii: true,
        }
    }

    /// Skips white space.
    pub(crate) fn ws(&mut self) {
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.bytes.get(self.pos) {
            self.pos += 1;
        }
    }

    /// The byte at the position, if any.
    pub(crate) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Consumes `byte`, or fails with `expected`.
    pub(crate) fn expect(&mut self, byte: u8, expected: Syntax) -> Result<(), Syntax> {
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.unexpected(expected))
        }
    }

    /// `expected`, or the end of the text when that is what was met.
    pub(crate) fn unexpected(&self, expected: Syntax) -> Syntax {
        if self.pos >= self.bytes.len() {
            "the text ends too early"
        } else {
            expected
        }
    }

    /// Reads the string that starts at the position (at its `"`) and moves
    /// past it. Answers whether it has escapes.
    pub(crate) fn string(&mut self) -> Result<bool, Syntax> {
        self.string_inline()
    }

    /// [`string`](Self::string), compiled into its caller: for the reader's
    /// keys, string values and enums, most of a page's strings. In the npm
    /// package, whose build is optimised for size, a call per string cost a
    /// fifth of reading a page before V8 optimises the module.
    #[inline(always)]
    pub(crate) fn string_inline(&mut self) -> Result<bool, Syntax> {
        let bytes = self.bytes;
        let mut i = self.pos + 1;
        let mut escaped = false;
        loop {
            while let Some(chunk) = bytes.get(i..i + 16) {
                if let Some(at) = first_special(chunk) {
                    i += at;
                    break;
                }
                i += 16;
            }
            match bytes.get(i) {
                Some(b'"') => {
                    self.pos = i + 1;
                    return Ok(escaped);
                }
                Some(b'\\') => {
                    escaped = true;
                    i += 1;
                    // The escapes of quotes and line breaks, which HTML and
                    // text bodies are full of, without a call.
                    i = match bytes.get(i) {
                        Some(b'"' | b'n') => i + 1,
                        _ => self.escape(i)?,
                    };
                }
                Some(byte) if *byte < 0x20 => {
                    self.pos = i;
                    return Err("a control character in a string must be escaped");
                }
                Some(byte) if !byte.is_ascii() => i = self.past_ascii(i)?,
                Some(_) => i += 1,
                None => {
                    self.pos = bytes.len();
                    return Err("the text ends inside a string");
                }
            }
        }
    }

    /// Checks the run of bytes past ASCII that starts at `i` as UTF-8;
    /// answers where it ends. In UTF-8 text an ASCII byte is always a whole
    /// character, so each such run is whole characters on its own.
    fn past_ascii(&mut self, i: usize) -> Result<usize, Syntax> {
        let run = &self.bytes[i..];
        let len = run.iter().position(u8::is_ascii).unwrap_or(run.len());
        match std::str::from_utf8(&run[..len]) {
            Ok(_) => {
                self.ascii = false;
                Ok(i + len)
            }
            Err(error) => {
                self.pos = i + error.valid_up_to();
                Err(NOT_UTF8)
            }
        }
    }

    /// Checks the escape whose letter is at `i`; answers where it ends.
    fn escape(&mut self, i: usize) -> Result<usize, Syntax> {
        match self.bytes.get(i) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => Ok(i + 1),
            Some(b'u') => {
                let hex = self.bytes.get(i + 1..i + 5);
                if hex.is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit)) {
                    Ok(i + 5)
                } else {
                    self.pos = i;
                    Err("a \\u escape needs four hexadecimal digits")
                }
            }
            _ => {
                self.pos = i;
                Err("an invalid escape in a string")
            }
        }
    }

    /// Reads the number at the position; answers whether it is an integer
    /// (no fraction, no exponent).
    pub(crate) fn number(&mut self) -> Result<bool, Syntax> {
        const INVALID: Syntax = "an invalid number";
        let bytes = self.bytes;
        let mut i = self.pos;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => i = digits(bytes, i),
            _ => {
                self.pos = i;
                return Err(INVALID);
            }
        }
        let mut integer = true;
        if bytes.get(i) == Some(&b'.') {
            integer = false;
            let end = digits(bytes, i + 1);
            if end == i + 1 {
                self.pos = end;
                return Err(INVALID);
            }
            i = end;
        }
        if let Some(b'e' | b'E') = bytes.get(i) {
            integer = false;
            i += 1;
            if let Some(b'+' | b'-') = bytes.get(i) {
                i += 1;
            }
            let end = digits(bytes, i);
            if end == i {
                self.pos = end;
                return Err(INVALID);
            }
            i = end;
        }
        self.pos = i;
        Ok(integer)
    }

    /// Consumes `word` (`true`, `false`, `null`).
    pub(crate) fn literal(&mut self, word: &[u8]) -> Result<(), Syntax> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(self.unexpected("an invalid literal"))
        }
    }

    /// Whether the text at the position starts `null`.
    // Asked at every member's value; inlined, as for `Field::name`.
    #[inline]
    pub(crate) fn at_null(&self) -> bool {
        self.bytes[self.pos..].starts_with(b"null")
    }
}

impl Scan<'_> {
    /// Moves past the value at the position of text already checked as
    /// JSON.
    pub(crate) fn skip_value(&mut self) {
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek() {
                None => return,
                Some(b'"') => {
                    // Checked text: the string closes.
                    let _ = self.string();
                }
                Some(b'{' | b'[') => {
                    depth += 1;
                    self.pos += 1;
                    continue;
                }
                Some(b'}' | b']') => {
                    depth = depth.saturating_sub(1);
                    self.pos += 1;
                }
                Some(b',' | b':') if depth > 0 => {
                    self.pos += 1;
                    continue;
                }
                Some(_) => {
                    while self.peek().is_some_and(|b| {
                        !matches!(b, b',' | b'}' | b']' | b' ' | b'\n' | b'\r' | b'\t')
                    }) {
                        self.pos += 1;
                    }
                }
            }
            if depth == 0 {
                return;
            }
        }
    }

    /// Calls `member` with the key token and the value's span of each
    /// member of the checked JSON object at the position, until it answers
    /// `false`; the position is then at that member's value. Answers
    /// whether `member` stopped the walk.
    pub(crate) fn members(
        &mut self,
        mut member: impl FnMut(&[u8], std::ops::Range<usize>) -> bool,
    ) -> bool {
        self.ws();
        if self.peek() != Some(b'{') {
            return false;
        }
        self.pos += 1;
        loop {
            self.ws();
            if self.peek() != Some(b'"') {
                return false;
            }
            let key = self.pos;
            // Checked text: the string closes.
            let _ = self.string();
            let key = key..self.pos;
            self.ws();
            self.pos += 1;
            self.ws();
            let value = self.pos;
            self.skip_value();
            if !member(&self.bytes[key], value..self.pos) {
                self.pos = value;
                return true;
            }
            self.ws();
            if self.peek() != Some(b',') {
                return false;
            }
            self.pos += 1;
        }
    }

    /// Moves to the value of the top-level member `key` of a checked JSON
    /// object; answers whether there is one.
    pub(crate) fn find_member(&mut self, key: &[u8]) -> bool {
        self.members(|token, _| *token_bytes(token, token.contains(&b'\\')) != *key)
    }
}

/// The index past the ASCII digits from `i`.
fn digits(bytes: &[u8], mut i: usize) -> usize {
    while bytes.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    i
}

/// A string token's bytes without its quotes, escapes resolved (`escaped`
/// says whether it has any): what keys and enum values are compared with,
/// without making a `str`.
#[inline]
pub(crate) fn token_bytes(token: &[u8], escaped: bool) -> Cow<'_, [u8]> {
    match escaped {
        true => Cow::Owned(unescape(token).into_bytes()),
        false => Cow::Borrowed(&token[1..token.len() - 1]),
    }
}

/// The text of a string token without its quotes, escapes resolved.
pub(crate) fn unescape(token: &[u8]) -> String {
    let inner = &token[1..token.len() - 1];
    // Valid UTF-8 (the usual case) is checked once, not run by run between
    // escapes: a run ends at an ASCII backslash, always a char boundary.
    let valid = std::str::from_utf8(inner).ok();
    let mut out = String::with_capacity(inner.len());
    let mut i = 0;
    while i < inner.len() {
        let start = i;
        i += inner[i..]
            .iter()
            .position(|&b| b == b'\\')
            .unwrap_or(inner.len() - i);
        match valid {
            Some(text) => out.push_str(&text[start..i]),
            None => out.push_str(&String::from_utf8_lossy(&inner[start..i])),
        }
        if i >= inner.len() {
            break;
        }
        let letter = inner.get(i + 1).copied().unwrap_or(b'\\');
        i += 2;
        match letter {
            b'b' => out.push('\u{8}'),
            b'f' => out.push('\u{c}'),
            b'n' => out.push('\n'),
            b'r' => out.push('\r'),
            b't' => out.push('\t'),
            b'u' => {
                let unit = hex4(inner, i);
                i += 4;
                let low = (0xD800..0xDC00).contains(&unit)
                    && inner.get(i..i + 2) == Some(b"\\u".as_slice())
                    && (0xDC00..0xE000).contains(&hex4(inner, i + 2));
                let code = if low {
                    let low = hex4(inner, i + 2);
                    i += 6;
                    0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                } else {
                    unit
                };
                out.push(char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER));
            }
            other => out.push(char::from(other)),
        }
    }
    out
}

/// The four hexadecimal digits at `i` as a number; the scan checked them.
fn hex4(bytes: &[u8], i: usize) -> u32 {
    bytes
        .get(i..i + 4)
        .and_then(|hex| std::str::from_utf8(hex).ok())
        .and_then(|hex| u32::from_str_radix(hex, 16).ok())
        .unwrap_or(0xFFFD)
}

#[cfg(test)]
mod tests {

    use proptest::prelude::*;
    use serde::de::IgnoredAny;
    use serde_json::Value;

    use super::*;
    use crate::arbitrary::json_value;

    fn string(text: &str) -> Result<(usize, bool), Syntax> {
        let mut scan = Scan::new(text.as_bytes());
        scan.string().map(|escaped| (scan.pos, escaped))
    }

    #[test]
    fn strings_end_at_their_closing_quote() {
        assert_eq!(string(r#""""#), Ok((2, false)));
        assert_eq!(string(r#""abcdefghijklmnop" x"#), Ok((18, false)));
        assert_eq!(string(r#""abcdefgh\"ijklmnop" x"#), Ok((20, true)));
        assert_eq!(string(r#""é—ü\\" x"#), Ok((11, true)));
        assert_eq!(string(r#""\u00e9\uD83D\uDE00""#), Ok((20, true)));
        assert!(string("\"abc\ndef\"").is_err());
        assert!(string(r#""abcdefghijk"#).is_err());
        assert!(string(r#""\x""#).is_err());
        assert!(string(r#""\u12g4""#).is_err());
    }

    #[test]
    fn numbers_say_whether_they_are_integers() {
        for (text, integer) in [
            ("0", true),
            ("-12", true),
            ("1.5", false),
            ("1e3", false),
            ("-0.25E-2", false),
        ] {
            let mut scan = Scan::new(text.as_bytes());
            assert_eq!(scan.number(), Ok(integer), "{text}");
            assert_eq!(scan.pos, text.len(), "{text}");
        }
        for bad in ["-", "01x", "1.", "1e", "+1", ".5"] {
            let mut scan = Scan::new(bad.as_bytes());
            let read = scan.number();
            assert!(read.is_err() || scan.pos < bad.len(), "{bad}");
        }
    }

    #[test]
    fn escapes_are_resolved() {
        assert_eq!(unescape(br#""a\"b\\c\/\n\u00e9""#), "a\"b\\c/\né");
        assert_eq!(unescape(br#""\uD83D\uDE00!""#), "😀!");
        assert_eq!(unescape(br#""\uD83Dx""#), "\u{FFFD}x");
        // Only a high surrogate escape pairs with the low one after it.
        assert_eq!(unescape(br#""\u0041xxdc00""#), "Axxdc00");
    }

    #[test]
    fn a_failure_leaves_the_position_at_the_byte_refused() {
        for (text, pos) in [
            ("\"ab\u{1}cd\"", 3),
            (r#""abcdefghijklmnopqr\q""#, 20),
            (r#""\u12g4""#, 2),
            (r#""abc"#, 4),
        ] {
            let mut scan = Scan::new(text.as_bytes());
            assert!(scan.string().is_err(), "{text}");
            assert_eq!(scan.pos, pos, "{text}");
        }
        for (text, pos) in [("-x", 1), ("1.x", 2), ("1e+x", 3), ("2E", 2)] {
            let mut scan = Scan::new(text.as_bytes());
            assert!(scan.number().is_err(), "{text}");
            assert_eq!(scan.pos, pos, "{text}");
        }
    }

    #[test]
    fn literals_and_the_end_of_the_text() {
        let mut scan = Scan::new(b" \t\r\n null");
        scan.ws();
        assert_eq!(scan.pos, 5);
        assert!(scan.at_null());
        assert_eq!(scan.literal(b"nul"), Ok(()));
        assert_eq!(scan.pos, 8);
        assert_eq!(scan.literal(b"l!"), Err("an invalid literal"));
        assert_eq!(scan.expect(b'l', "an l"), Ok(()));
        assert_eq!(scan.expect(b'l', "an l"), Err("the text ends too early"));
        assert_eq!(scan.literal(b"x"), Err("the text ends too early"));
        let mut scan = Scan::new(b"[true]");
        assert_eq!(scan.expect(b'{', "an object"), Err("an object"));
        assert_eq!(scan.pos, 0);
        scan.pos = 1;
        assert!(!scan.at_null());
        assert_eq!(scan.literal(b"false"), Err("an invalid literal"));
    }

    /// A byte a string's scan stops at.
    fn special(byte: u8) -> bool {
        byte == b'"' || byte == b'\\' || byte < 0x20 || !byte.is_ascii()
    }

    /// Bytes around the ones a string stops at, so that the word tricks
    /// meet their borrows and carries, among any others.
    fn chunk_byte() -> impl Strategy<Value = u8> {
        prop_oneof![
            8 => prop::sample::select(b"abcxyz019 ~".to_vec()),
            3 => any::<u8>(),
            1 => prop::sample::select(b"\"\\\x00\x01\x1f\x20\x21\x23\x5b\x5d\x7f\x80\xa2\xdc\xff".to_vec()),
        ]
    }

    /// The pieces string tokens are made of: runs of text, characters of
    /// two to four bytes, escapes valid and not, control characters and
    /// quotes.
    fn string_piece() -> impl Strategy<Value = String> {
        prop_oneof![
            6 => "[a-z ]{1,20}",
            2 => prop::sample::select(vec!["é", "—", "😀", "\u{7f}"]).prop_map(str::to_owned),
            2 => prop::sample::select(vec![
                r#"\""#, r"\\", r"\/", r"\b", r"\f", r"\n", r"\r", r"\t", r"\u00e9", r"\uD83D",
                r"\uDE00", r"\uABCD",
            ])
            .prop_map(str::to_owned),
            1 => prop::sample::select(vec![
                r"\x", r"\u12g4", r"\u12", r"\U0041", r"\", "\u{1}", "\n", "\u{1f}", "\"",
            ])
            .prop_map(str::to_owned),
        ]
    }

    /// The bytes string tokens are made of, UTF-8 or not: ASCII, whole
    /// characters of two to four bytes, and sequences that are not UTF-8
    /// (a lone continuation byte, an overlong form, a surrogate, a code
    /// point past U+10FFFF, a cut character, a byte no UTF-8 has).
    fn byte_piece() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            4 => "[a-z ]{1,20}".prop_map(String::into_bytes),
            2 => prop::sample::select(vec!["é", "—", "😀"]).prop_map(|c| c.as_bytes().to_vec()),
            1 => prop::sample::select(vec![
                &b"\x80"[..], b"\xc0\x80", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82",
                b"\xff",
            ])
            .prop_map(<[u8]>::to_vec),
        ]
    }

    /// serde_json's answer for the string token at the start of `text`:
    /// where it ends and whether it has escapes, or its error.
    fn serde_string(text: &str) -> Result<(usize, bool), serde_json::Error> {
        let mut stream = serde_json::Deserializer::from_str(text).into_iter::<IgnoredAny>();
        stream.next().unwrap()?;
        let end = stream.byte_offset();
        Ok((end, text[..end].contains('\\')))
    }

    /// Whether serde_json takes all of `text` as one JSON value.
    fn is_json(text: &str) -> bool {
        serde_json::from_str::<IgnoredAny>(text).is_ok()
    }

    /// `value` as JSON text, compact or with white space.
    fn written(value: &Value, pretty: bool) -> String {
        match pretty {
            true => serde_json::to_string_pretty(value).unwrap(),
            false => serde_json::to_string(value).unwrap(),
        }
    }

    /// `text` with every character escaped as `\uXXXX` where `coin`'s
    /// bits say so, quotes and backslashes always escaped one way or the
    /// other: another writing of the same string.
    fn escaped(text: &str, coin: u64) -> String {
        let mut out = String::from('"');
        for (i, c) in text.chars().enumerate() {
            if c < ' ' || coin >> (i % 64) & 1 == 1 {
                let mut units = [0; 2];
                for unit in c.encode_utf16(&mut units) {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
            } else if c == '"' || c == '\\' {
                out.push('\\');
                out.push(c);
            } else {
                out.push(c);
            }
        }
        out.push('"');
        out
    }

    proptest! {
        #[test]
        fn the_first_special_byte_of_a_chunk_is_found(chunk in prop::collection::vec(chunk_byte(), 16)) {
            prop_assert_eq!(first_special(&chunk), chunk.iter().position(|&b| special(b)));
        }

        #[test]
        fn strings_end_where_serde_json_ends_them(
            pieces in prop::collection::vec(string_piece(), 0..12),
            close in any::<bool>(),
        ) {
            let text = format!("\"{}{}", pieces.concat(), if close { "\" x" } else { "" });
            let ours = string(&text);
            match serde_string(&text) {
                Ok(expected) => prop_assert_eq!(ours, Ok(expected), "{:?}", text),
                Err(error) => {
                    let message = ours.unwrap_err();
                    prop_assert_eq!(
                        message.contains("control character"),
                        error.to_string().contains("control character"),
                        "{:?}: {} / {}", text, message, error
                    );
                    if message.contains("ends inside") {
                        prop_assert!(error.is_eof(), "{:?}: {}", text, error);
                    }
                }
            }
        }

        #[test]
        fn strings_are_utf8_where_serde_json_says_so(pieces in prop::collection::vec(byte_piece(), 0..12)) {
            let token = [b"\"", &pieces.concat()[..], b"\""].concat();
            let mut scan = Scan::new(&token);
            let ours = scan.string();
            match serde_json::from_slice::<String>(&token) {
                Ok(_) => {
                    prop_assert_eq!(ours, Ok(false), "{:?}", token);
                    prop_assert_eq!(scan.pos, token.len());
                    prop_assert_eq!(scan.ascii, token.is_ascii(), "{:?}", token);
                }
                Err(_) => {
                    prop_assert_eq!(ours, Err(NOT_UTF8), "{:?}", token);
                    // Stopped at the first byte that is not UTF-8.
                    let valid = std::str::from_utf8(&token).unwrap_err().valid_up_to();
                    prop_assert_eq!(scan.pos, valid, "{:?}", token);
                }
            }
        }

        #[test]
        fn numbers_are_the_longest_json_number_there(text in "-?[-+.eE0-9]{0,8}[,x]?") {
            let mut scan = Scan::new(text.as_bytes());
            match scan.number() {
                Ok(integer) => {
                    let read = &text[..scan.pos];
                    prop_assert!(is_json(read), "{:?} read as {:?}", text, read);
                    prop_assert_eq!(integer, !read.contains(['.', 'e', 'E']), "{:?}", text);
                    prop_assert!(
                        (scan.pos + 1..=text.len()).all(|end| !is_json(&text[..end])),
                        "{:?} read only as {:?}", text, read
                    );
                }
                Err(_) => prop_assert!(
                    (scan.pos + 1..=text.len()).all(|end| !is_json(&text[..end])),
                    "{:?} refused at {}", text, scan.pos
                ),
            }
        }

        #[test]
        fn skip_value_moves_past_exactly_one_value(value in json_value(), pretty in any::<bool>()) {
            let text = written(&value, pretty);
            let padded = format!(" {text} , 1");
            let mut scan = Scan::new(padded.as_bytes());
            scan.skip_value();
            prop_assert_eq!(scan.pos, 1 + text.len(), "{}", text);
        }

        #[test]
        fn members_are_the_objects_own(
            members in prop::collection::btree_map("[a-z\" \\\\é]{0,5}", json_value(), 0..6),
            pretty in any::<bool>(),
            stop in 0usize..8,
        ) {
            let object = Value::Object(members.clone().into_iter().collect());
            let text = written(&object, pretty);
            let mut seen = Vec::new();
            let mut scan = Scan::new(text.as_bytes());
            let stopped = scan.members(|key, value| {
                seen.push((unescape(key), serde_json::from_slice::<Value>(&text.as_bytes()[value]).unwrap()));
                seen.len() <= stop
            });
            let expected: Vec<_> = members.clone().into_iter().take(stop + 1).collect();
            prop_assert_eq!(&seen, &expected, "{}", text);
            prop_assert_eq!(stopped, stop < members.len(), "{}", text);
            if stopped {
                let value: Value = serde_json::Deserializer::from_slice(&text.as_bytes()[scan.pos..])
                    .into_iter()
                    .next()
                    .unwrap()
                    .unwrap();
                prop_assert_eq!(&value, &expected[stop].1, "{}", text);
            }
            for (key, value) in &members {
                let mut scan = Scan::new(text.as_bytes());
                prop_assert!(scan.find_member(key.as_bytes()), "{:?} in {}", key, text);
                let found: Value = serde_json::Deserializer::from_slice(&text.as_bytes()[scan.pos..])
                    .into_iter()
                    .next()
                    .unwrap()
                    .unwrap();
                prop_assert_eq!(&found, value, "{:?} in {}", key, text);
            }
            let absent = format!("{}!", members.keys().last().map_or("", String::as_str));
            prop_assert!(!Scan::new(text.as_bytes()).find_member(absent.as_bytes()), "{}", text);
        }

        #[test]
        fn keys_escaped_any_way_are_found(key in "[a-z\" \\\\é😀\u{1}]{0,6}", coin in any::<u64>()) {
            let token = escaped(&key, coin);
            prop_assert_eq!(&unescape(token.as_bytes()), &key);
            let text = format!("{{\"0\":1, {token} : [true], \"9\":2}}");
            let mut scan = Scan::new(text.as_bytes());
            prop_assert!(scan.find_member(key.as_bytes()) && scan.peek() == Some(b'['), "{}", text);
        }

        #[test]
        fn not_an_object_has_no_members(value in json_value(), pretty in any::<bool>()) {
            prop_assume!(!value.is_object());
            let text = written(&value, pretty);
            prop_assert!(!Scan::new(text.as_bytes()).members(|_, _| false));
        }
    }
}
