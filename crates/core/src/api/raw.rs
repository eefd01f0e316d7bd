//! Any request, for endpoints this crate does not model yet.

use std::marker::PhantomData;

use http::Method;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use crate::endpoint::json_body;
use crate::{BuildError, Endpoint, Query, TokenKind};

/// Largest raw request body: Postmark's largest limit (batches).
const MAX_RAW_BYTES: usize = crate::api::email::MAX_BATCH_BYTES;

/// Any method, path, query and JSON body, sent with the same token header,
/// retries and error decoding as typed calls; the answer is plain JSON
/// (`null` for an empty body).
///
/// ```
/// use postmark_kit::{build, Config, Server, Token};
/// use postmark_kit::api::raw::Raw;
///
/// let config = Config::<Server>::new(Token::new("server-token")?);
/// let raw = Raw::<Server>::new(http::Method::GET, "/deliverystats");
/// assert_eq!(build(&config, &raw)?.uri().path(), "/deliverystats");
/// # Ok::<(), postmark_kit::BuildError>(())
/// ```
#[skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Raw<K: TokenKind> {
    /// HTTP method.
    #[serde(serialize_with = "method_out", deserialize_with = "method_in")]
    pub method: Method,
    /// Path below the base URL, starting with `/`, without a query.
    pub path: String,
    /// Query parameters: strings, numbers and booleans; an array repeats the key.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    pub query: Map<String, Value>,
    /// JSON body.
    pub body: Option<Value>,
    #[serde(skip)]
    kind: PhantomData<K>,
}

impl<K: TokenKind> Raw<K> {
    /// A request without query or body.
    pub fn new(method: Method, path: impl Into<String>) -> Self {
        Raw {
            method,
            path: path.into(),
            query: Map::new(),
            body: None,
            kind: PhantomData,
        }
    }

    /// Adds a query parameter.
    pub fn query(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.query.insert(key.into(), value.into());
        self
    }

    /// Sets the JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }
}

fn method_out<S: Serializer>(method: &Method, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(method.as_str())
}

fn method_in<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Method, D::Error> {
    let name = String::deserialize(deserializer)?;
    Method::from_bytes(name.to_ascii_uppercase().as_bytes()).map_err(serde::de::Error::custom)
}

fn push_scalar(query: &mut Query, key: &str, value: &Value) {
    match value {
        Value::Null => {}
        Value::String(s) => {
            query.push(key, s);
        }
        Value::Array(items) => items.iter().for_each(|v| push_scalar(query, key, v)),
        other => {
            query.push(key, other);
        }
    }
}

impl<K: TokenKind> Endpoint for Raw<K> {
    type Token = K;
    type Response = Value;
    const OPERATION: &'static str = "raw";

    fn method(&self) -> Method {
        self.method.clone()
    }
    fn path(&self) -> String {
        self.path.clone()
    }
    fn query(&self, query: &mut Query) {
        for (key, value) in &self.query {
            push_scalar(query, key, value);
        }
    }
    fn validate(&self) -> Result<(), BuildError> {
        let path = &self.path;
        let clean = path.starts_with('/')
            && !path.starts_with("//")
            && !path.contains(['?', '#'])
            && !path.chars().any(|c| c.is_whitespace() || c.is_control());
        if clean {
            Ok(())
        } else {
            Err(BuildError::InvalidPath { path: path.clone() })
        }
    }
    fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
        match &self.body {
            Some(body) => json_body(body, MAX_RAW_BYTES),
            None => Ok(None),
        }
    }
}
