//! String enums that survive Postmark's inconsistent casing and new values.

/// Declares a string enum whose wire values parse case-insensitively and whose
/// unknown values are kept verbatim in an `Other` variant, so a value Postmark
/// adds tomorrow still parses and round-trips.
macro_rules! string_enum {
    (
        $(#[$attr:meta])*
        $vis:vis enum $name:ident {
            $($(#[$vattr:meta])* $variant:ident => $wire:literal,)*
        }
    ) => {
        $(#[$attr])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        $vis enum $name {
            $($(#[$vattr])* $variant,)*
            /// A value this version does not know, exactly as received.
            Other(String),
        }

        impl $name {
            /// The documented spelling, or the unknown value as received.
            $vis fn as_str(&self) -> &str {
                match self {
                    $($name::$variant => $wire,)*
                    $name::Other(other) => other,
                }
            }

            /// Parses any casing of a documented value; keeps anything else as `Other`.
            $vis fn parse(value: &str) -> Self {
                $(if value.eq_ignore_ascii_case($wire) {
                    return $name::$variant;
                })*
                $name::Other(value.to_owned())
            }

            /// Whether this is a documented value.
            $vis fn is_known(&self) -> bool {
                !matches!(self, $name::Other(_))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl From<&str> for $name {
            fn from(value: &str) -> Self {
                $name::parse(value)
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// Any string: the documented values, or one Postmark adds later.
        #[cfg(feature = "schema")]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "anyOf": [
                        { "type": "string", "enum": [$($wire),*] },
                        { "type": "string" }
                    ]
                })
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                deserializer.deserialize_str($crate::enums::Parse($name::parse))
            }
        }
    };
}

pub(crate) use string_enum;

/// Reads a string enum from the text as the reader holds it: a documented
/// value (the common case) allocates nothing, where reading a `String` or a
/// `Cow` first would allocate for every value.
pub(crate) struct Parse<T>(pub(crate) fn(&str) -> T);

impl<T> serde::de::Visitor<'_> for Parse<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, value: &str) -> Result<T, E> {
        Ok(self.0(value))
    }
}

#[cfg(test)]
mod tests {
    string_enum! {
        /// A test enum.
        enum Shade {
            /// Light.
            Light => "Light",
            /// Dark.
            DarkGrey => "DarkGrey",
        }
    }

    #[test]
    fn parses_any_casing_and_keeps_unknown_values() {
        let parsed: Vec<Shade> = serde_json::from_str(r#"["light","DARKGREY","Neon"]"#).unwrap();
        assert_eq!(
            parsed,
            [Shade::Light, Shade::DarkGrey, Shade::Other("Neon".into())]
        );
        assert_eq!(
            serde_json::to_string(&parsed).unwrap(),
            r#"["Light","DarkGrey","Neon"]"#
        );
        assert!(!parsed[2].is_known());
        let error = serde_json::from_str::<Shade>("7").unwrap_err().to_string();
        assert!(error.contains("expected a string"), "{error}");
    }
}
