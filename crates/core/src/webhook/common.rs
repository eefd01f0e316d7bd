//! Shapes Postmark uses across resources, not only in webhooks: metadata,
//! and the lenient readers the models share.
//!
//! Nothing here depends on the rest of `webhook`, so the file can move to a
//! crate-wide module as it is.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The custom metadata sent with a message, echoed back on its events.
///
/// Postmark documents string values only. Reading is lenient so that one odd
/// value never costs the whole event (and a webhook retry): a number, boolean,
/// array or object is kept as its compact JSON text (`12345` → `"12345"`), a
/// `null` value drops the key, and a `null` `Metadata` reads as empty.
pub type Metadata = BTreeMap<String, String>;

/// Reads [`Metadata`] with the leniency its documentation describes. Use with
/// `#[serde(default, deserialize_with = "...")]` so a missing field is empty.
pub(crate) fn lenient_metadata<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Metadata, D::Error> {
    deserializer.deserialize_option(MetadataVisitor)
}

/// Reads `Metadata` straight into its strings: a value that is a string (all
/// of them, as documented) is read once, with no JSON value in between.
struct MetadataVisitor;

impl<'de> Visitor<'de> for MetadataVisitor {
    type Value = Metadata;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a map")
    }

    fn visit_none<E: de::Error>(self) -> Result<Metadata, E> {
        Ok(Metadata::new())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Metadata, E> {
        Ok(Metadata::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Metadata, D::Error> {
        deserializer.deserialize_map(self)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Metadata, A::Error> {
        let mut metadata = Metadata::new();
        while let Some((key, MetadataValue(value))) = map.next_entry::<String, MetadataValue>()? {
            if let Some(value) = value {
                metadata.insert(key, value);
            }
        }
        Ok(metadata)
    }
}

/// One metadata value as text; `None` for `null`.
struct MetadataValue(Option<String>);

impl<'de> Deserialize<'de> for MetadataValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        match Value::deserialize(deserializer)? {
            Value::Null => Ok(MetadataValue(None)),
            Value::String(text) => Ok(MetadataValue(Some(text))),
            other => Ok(MetadataValue(Some(other.to_string()))),
        }
    }
}

/// Reads an optional string enum, taking a blank string like `null`: Postmark
/// writes "no value" either way, and `Other("")` would claim a value exists.
/// Use with `#[serde(default, deserialize_with = "...")]`.
pub(crate) fn blank_as_none<'de, D, E>(deserializer: D) -> Result<Option<E>, D::Error>
where
    D: Deserializer<'de>,
    E: for<'a> From<&'a str>,
{
    let raw = Option::<String>::deserialize(deserializer)?;
    Ok(raw
        .filter(|text| !text.trim().is_empty())
        .map(|text| E::from(&text)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct WithMetadata {
        #[serde(rename = "Metadata", default, deserialize_with = "lenient_metadata")]
        metadata: Metadata,
    }

    fn metadata(json: &str) -> Result<Metadata, serde_json::Error> {
        serde_json::from_str::<WithMetadata>(json).map(|m| m.metadata)
    }

    #[test]
    fn metadata_keeps_strings_and_stringifies_other_values() {
        let parsed = metadata(
            r#"{"Metadata":{"s":"x","n":12345,"f":1.5,"b":true,"z":null,"a":[1,"2"],"o":{"k":"v"}}}"#,
        )
        .unwrap();
        let expected: Metadata = [
            ("s", "x"),
            ("n", "12345"),
            ("f", "1.5"),
            ("b", "true"),
            ("a", r#"[1,"2"]"#),
            ("o", r#"{"k":"v"}"#),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
        assert_eq!(parsed, expected);
    }

    #[test]
    fn metadata_missing_or_null_is_empty() {
        assert_eq!(metadata("{}").unwrap(), Metadata::new());
        assert_eq!(metadata(r#"{"Metadata":null}"#).unwrap(), Metadata::new());
        assert_eq!(metadata(r#"{"Metadata":{}}"#).unwrap(), Metadata::new());
    }

    #[test]
    fn metadata_that_is_not_an_object_is_an_error() {
        let err = metadata(r#"{"Metadata":"a=b"}"#).unwrap_err();
        assert!(
            err.to_string()
                .contains("invalid type: string \"a=b\", expected a map"),
            "{err}"
        );
    }
}
