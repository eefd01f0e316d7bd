//! Edits of JSON text: what turns the text as received into the text the
//! models describe, without writing it again.

use std::borrow::Cow;

/// What goes in place of a span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Text {
    /// This text as it is.
    Raw(&'static str),
    /// This string, quoted (an enum's documented spelling).
    Quoted(&'static str),
    /// A member for an absent field, `"name":value`, after a comma when
    /// members come before it.
    Member {
        comma: bool,
        name: &'static str,
        value: &'static str,
    },
    /// Text made while reading.
    Owned(String),
}

impl Text {
    fn len(&self) -> usize {
        match self {
            Text::Raw(text) => text.len(),
            Text::Quoted(text) => text.len() + 2,
            Text::Member { comma, name, value } => {
                usize::from(*comma) + name.len() + 3 + value.len()
            }
            Text::Owned(text) => text.len(),
        }
    }

    /// Writes the text; a text made while reading goes through `copy`, as
    /// the text read does (the others are ASCII).
    fn write(&self, out: &mut Vec<u8>, copy: CopyText) {
        match self {
            Text::Raw(text) => out.extend_from_slice(text.as_bytes()),
            Text::Quoted(text) => {
                out.push(b'"');
                out.extend_from_slice(text.as_bytes());
                out.push(b'"');
            }
            Text::Member { comma, name, value } => {
                if *comma {
                    out.push(b',');
                }
                out.push(b'"');
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b"\":");
                out.extend_from_slice(value.as_bytes());
            }
            Text::Owned(text) => copy(out, text.as_bytes()),
        }
    }
}

/// How the text between edits is copied.
type CopyText = fn(&mut Vec<u8>, &[u8]);

/// One edit: the bytes `start..end` replaced by `text`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Edit {
    start: usize,
    end: usize,
    text: Text,
}

/// Edits of one text, made in the order of the text, none overlapping.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Edits {
    list: Vec<Edit>,
}

impl Edits {
    /// Replaces `start..end` with `text`.
    pub(crate) fn replace(&mut self, start: usize, end: usize, text: Text) {
        debug_assert!(self.list.last().is_none_or(|last| last.end <= start));
        self.list.push(Edit { start, end, text });
    }

    /// Removes `start..end` (a member, or the separator before one: never
    /// empty), and with it the edits made inside it.
    pub(crate) fn remove(&mut self, start: usize, end: usize) {
        while self.list.last().is_some_and(|last| last.start >= start) {
            self.list.pop();
        }
        self.replace(start, end, Text::Raw(""));
    }

    /// `text` edited; with `ascii`, in ASCII too, each character past it
    /// written as a `\u` escape as the text is copied (see
    /// [`push_ascii`](crate::json::push_ascii)).
    pub(crate) fn apply<'t>(&self, text: &'t [u8], ascii: bool) -> Cow<'t, [u8]> {
        if self.list.is_empty() && !ascii {
            return Cow::Borrowed(text);
        }
        let copy: CopyText = match ascii {
            true => crate::json::push_ascii,
            false => Vec::extend_from_slice,
        };
        let mut out = Vec::with_capacity(self.len_of(0, text.len()));
        let mut at = 0;
        for edit in &self.list {
            copy(&mut out, &text[at..edit.start]);
            edit.text.write(&mut out, copy);
            at = edit.end;
        }
        copy(&mut out, &text[at..]);
        Cow::Owned(out)
    }

    /// How long `start..end` of the text is once edited. Edits that reach
    /// outside the span do not count: spans are values, and edits fall
    /// within a value or outside it.
    pub(crate) fn len_of(&self, start: usize, end: usize) -> usize {
        let first = self.list.partition_point(|edit| edit.start < start);
        let mut len = end - start;
        for edit in self.list[first..].iter().take_while(|edit| edit.end <= end) {
            len = len - (edit.end - edit.start) + edit.text.len();
        }
        len
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_apply_in_order_and_measure_spans() {
        let text = br#"{"a":null,"b":"x","c":1}"#;
        let mut edits = Edits::default();
        edits.remove(1, 9);
        edits.remove(9, 10);
        edits.replace(14, 17, Text::Quoted("X"));
        edits.replace(23, 23, Text::Raw(r#","d":[]"#));
        assert_eq!(&*edits.apply(text, false), br#"{"b":"X","c":1,"d":[]}"#);
        assert_eq!(edits.len_of(0, text.len()), 22);
        assert_eq!(edits.len_of(14, 17), 3);
        assert!(matches!(
            Edits::default().apply(text, false),
            Cow::Borrowed(_)
        ));
    }

    #[test]
    fn a_spans_length_counts_the_edits_that_start_in_it() {
        // Three values, each edited where it starts: one grows, one goes,
        // one shrinks.
        let mut edits = Edits::default();
        edits.replace(0, 3, Text::Raw("AAAAA"));
        edits.replace(4, 7, Text::Raw(""));
        edits.replace(8, 11, Text::Raw("C"));
        assert_eq!(&*edits.apply(b"aaa,bbb,ccc", false), b"AAAAA,,C");
        assert_eq!(edits.len_of(0, 3), 5);
        assert_eq!(edits.len_of(4, 7), 0);
        assert_eq!(edits.len_of(8, 11), 1);
        assert_eq!(edits.len_of(4, 11), 2);
        assert_eq!(edits.len_of(0, 11), 8);
    }

    #[test]
    fn absent_members_go_in_one_after_another() {
        let member = |comma, name| Text::Member {
            comma,
            name,
            value: "{}",
        };
        let text = br#"[{},{"a":1}]"#;
        let mut edits = Edits::default();
        edits.replace(2, 2, member(false, "M"));
        edits.replace(2, 2, member(true, "N"));
        edits.replace(10, 10, member(true, "M"));
        assert_eq!(
            &*edits.apply(text, false),
            br#"[{"M":{},"N":{}},{"a":1,"M":{}}]"#
        );
        assert_eq!(edits.len_of(1, 3), 15);
        assert_eq!(edits.len_of(4, 11), 14);
    }

    #[test]
    fn in_ascii_the_text_and_what_reading_made_are_escaped() {
        let text = "{\"a\":\"é\",\"b\":[1, 2],\"c\":\"ß\"}".as_bytes();
        let mut edits = Edits::default();
        edits.replace(14, 20, Text::Owned("\"1€\"".into()));
        edits.replace(25, 29, Text::Quoted("X"));
        assert_eq!(
            &*edits.apply(text, true),
            br#"{"a":"\u00e9","b":"1\u20ac","c":"X"}"#
        );
        assert_eq!(
            &*edits.apply(text, false),
            "{\"a\":\"é\",\"b\":\"1€\",\"c\":\"X\"}".as_bytes()
        );
        // Without edits, the text escaped all the same.
        let escaped = Edits::default().apply(text, true);
        assert_eq!(&*escaped, br#"{"a":"\u00e9","b":[1, 2],"c":"\u00df"}"#);
    }
}
