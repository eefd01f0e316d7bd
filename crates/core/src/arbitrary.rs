//! Arbitrary JSON for the property tests of the core's own JSON writer and
//! scanners: every kind of value, strings full of quotes, backslashes,
//! control characters and non-ASCII text, keys likewise, nested a few deep.

use proptest::prelude::*;
use serde_json::Value;

pub(crate) fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        text(40).prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::from),
            prop::collection::btree_map(text(8), inner, 0..8)
                .prop_map(|map| Value::Object(map.into_iter().collect())),
        ]
    })
}

/// Any string, or one of JSON's own punctuation, escapes and control
/// characters among non-ASCII text, which any string meets too rarely.
fn text(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        proptest::string::string_regex(&format!(
            "[\" ,:{{}}\\[\\]\\\\\\x00-\\x1f a-zé😀]{{0,{max}}}"
        ))
        .expect("the pattern is a regular expression"),
    ]
}
