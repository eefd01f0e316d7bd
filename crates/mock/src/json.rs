//! Reading request bodies the way Postmark does, and the `{ErrorCode, Message}` envelope.
//!
//! Postmark's JSON reader matches property names case-insensitively and treats `null` like
//! an absent field, so request fields are looked up through [`Fields`] rather than derived
//! structs.

use serde_json::{Map, Value, json};

/// A failed request: HTTP status plus Postmark `ErrorCode` and `Message`.
#[derive(Debug)]
pub(crate) struct ApiError {
    pub(crate) status: u16,
    pub(crate) code: i64,
    pub(crate) message: String,
    /// Extra top-level keys merged into the envelope (the 1364 verification result).
    details: Option<Map<String, Value>>,
}

impl ApiError {
    /// The usual business-rule failure: HTTP 422.
    pub(crate) fn new(code: i64, message: impl Into<String>) -> Self {
        ApiError::with_status(422, code, message)
    }

    pub(crate) fn with_status(status: u16, code: i64, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    pub(crate) fn with_details(mut self, details: Map<String, Value>) -> Self {
        self.details = Some(details);
        self
    }

    pub(crate) fn invalid_json(why: impl std::fmt::Display) -> Self {
        ApiError::new(402, format!("Received invalid JSON input: {why}"))
    }

    pub(crate) fn envelope(&self) -> Value {
        let mut body = self.details.clone().unwrap_or_default();
        body.insert("ErrorCode".into(), self.code.into());
        body.insert("Message".into(), self.message.clone().into());
        Value::Object(body)
    }
}

/// `{ErrorCode: 0, Message}`, Postmark's answer for deletes and other acknowledgements.
pub(crate) fn ok_message(message: impl Into<String>) -> Value {
    json!({"ErrorCode": 0, "Message": message.into()})
}

pub(crate) fn parse(body: &[u8]) -> Result<Value, ApiError> {
    if body.is_empty() {
        return Err(ApiError::invalid_json("the request body is empty"));
    }
    serde_json::from_slice(body).map_err(ApiError::invalid_json)
}

/// Read-only view of a JSON object with case-insensitive, null-as-absent lookups.
/// Type mismatches are reported as ErrorCode 402, like Postmark's deserializer failures.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    pub(crate) fn of(value: &'a Value, what: &str) -> Result<Self, ApiError> {
        value
            .as_object()
            .map(Fields)
            .ok_or_else(|| ApiError::invalid_json(format!("{what} must be a JSON object")))
    }

    fn raw(&self, key: &str) -> Option<&'a Value> {
        self.0
            .get(key)
            .or_else(|| {
                self.0
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(key))
                    .map(|(_, v)| v)
            })
            .filter(|v| !v.is_null())
    }

    /// Whether the key is present with a non-null value.
    pub(crate) fn has(&self, key: &str) -> bool {
        self.raw(key).is_some()
    }

    fn typed<T>(
        &self,
        key: &str,
        kind: &str,
        get: impl FnOnce(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, ApiError> {
        match self.raw(key) {
            None => Ok(None),
            Some(v) => get(v)
                .map(Some)
                .ok_or_else(|| ApiError::invalid_json(format!("'{key}' must be {kind}"))),
        }
    }

    pub(crate) fn str(&self, key: &str) -> Result<Option<&'a str>, ApiError> {
        self.typed(key, "a string", Value::as_str)
    }

    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, ApiError> {
        self.typed(key, "true or false", Value::as_bool)
    }

    pub(crate) fn int(&self, key: &str) -> Result<Option<i64>, ApiError> {
        self.typed(key, "an integer", Value::as_i64)
    }

    pub(crate) fn array(&self, key: &str) -> Result<Option<&'a Vec<Value>>, ApiError> {
        self.typed(key, "an array", Value::as_array)
    }

    pub(crate) fn object(&self, key: &str) -> Result<Option<Fields<'a>>, ApiError> {
        self.typed(key, "an object", |v| v.as_object().map(Fields))
    }

    /// The value itself, whatever its type (template models are arbitrary JSON).
    pub(crate) fn any(&self, key: &str) -> Option<&'a Value> {
        self.raw(key)
    }

    pub(crate) fn map(&self) -> &'a Map<String, Value> {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_ignore_case_and_nulls() {
        let v = json!({"From": "a@b.co", "to": "c@d.co", "Cc": null, "Count": 3, "Flag": true});
        let f = Fields::of(&v, "body").unwrap();
        assert_eq!(f.str("From").unwrap(), Some("a@b.co"));
        assert_eq!(f.str("To").unwrap(), Some("c@d.co"));
        assert_eq!(f.str("Cc").unwrap(), None);
        assert!(!f.has("Cc"));
        assert_eq!(f.int("count").unwrap(), Some(3));
        assert_eq!(f.bool("Flag").unwrap(), Some(true));
        let e = f.str("Count").unwrap_err();
        assert_eq!((e.status, e.code), (422, 402));
        assert!(
            e.message.contains("'Count' must be a string"),
            "{}",
            e.message
        );
    }

    #[test]
    fn envelope_merges_details() {
        let mut details = Map::new();
        details.insert("Success".into(), false.into());
        let e = ApiError::new(1364, "nope").with_details(details);
        assert_eq!(
            e.envelope(),
            json!({"ErrorCode": 1364, "Message": "nope", "Success": false})
        );
        assert_eq!(parse(b"").unwrap_err().code, 402);
        assert_eq!(parse(b"{").unwrap_err().code, 402);
    }
}
