//! Any request, for endpoints this crate does not model yet.

use std::borrow::Cow;
use std::marker::PhantomData;

use http::Method;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use serde_with::skip_serializing_none;

use crate::ops::Operation;
use crate::shape::read::{self, Failure};
use crate::shape::{OperationShapes, Shape, table};
use crate::{BuildError, Endpoint, Parts, Query, TokenKind};

/// Largest raw request body: Postmark's largest limit (batches).
pub(crate) const MAX_RAW_BYTES: usize = crate::api::email::MAX_BATCH_BYTES;

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

/// The shapes of a raw call: `{method, path, query?, body?}`, answered with
/// any JSON.
pub(crate) static SHAPES: OperationShapes = OperationShapes {
    name: "raw",
    params: &table::RAW_PARAMS,
    response: &Shape::Any,
    items: None,
};

/// The parts of a raw call: the method and path as given (the path must be
/// absolute, without query or fragment), the query's strings, numbers and
/// booleans (an array repeats its key), and the body as given, `null`s kept.
pub(crate) fn parts<'a>(operation: &Operation, params: &'a [u8]) -> Result<Parts<'a>, BuildError> {
    let text = match params.trim_ascii() {
        b"" | b"null" => b"{}",
        _ => params,
    };
    let doc = read::params(text, SHAPES.params, &[]).map_err(|failure| match failure {
        Failure::Invalid {
            path,
            message,
            syntax,
        } => BuildError::InvalidParams {
            operation: operation.name,
            path,
            message: match syntax {
                true => format!("not JSON: {message}"),
                false => message,
            },
        },
        Failure::Refused(error) => error,
    })?;
    let root = doc.root();
    let text_of = |name| {
        root.get(name)
            .and_then(read::Value::str)
            .unwrap_or_default()
    };
    let method =
        Method::from_bytes(text_of("method").to_ascii_uppercase().as_bytes()).map_err(|_| {
            BuildError::InvalidParams {
                operation: operation.name,
                path: "method".into(),
                message: "not an HTTP method".into(),
            }
        })?;
    let path = text_of("path");
    let clean = path.starts_with('/')
        && !path.starts_with("//")
        && !path.contains(['?', '#'])
        && !path.chars().any(|c| c.is_whitespace() || c.is_control());
    if !clean {
        return Err(BuildError::InvalidPath {
            path: path.into_owned(),
        });
    }
    let mut query = Query::default();
    for (key, value) in root
        .get("query")
        .map(read::Value::members)
        .into_iter()
        .flatten()
    {
        push_scalar(&mut query, &key, value);
    }
    let mut path_and_query = path.into_owned();
    if !query.is_empty() {
        path_and_query.push('?');
        path_and_query.push_str(&query.to_string());
    }
    let body = root
        .get("body")
        .map(|body| Cow::Borrowed(&text[body.range()]));
    if let Some(body) = &body
        && body.len() > MAX_RAW_BYTES
    {
        return Err(BuildError::PayloadTooLarge {
            bytes: body.len(),
            max: MAX_RAW_BYTES,
        });
    }
    let idempotent = !matches!(method, Method::POST | Method::PATCH);
    Ok(Parts {
        method,
        path_and_query,
        body,
        idempotent,
    })
}

/// Adds a query value: a string as it is, a number or boolean as written, each
/// item of an array, nothing for `null`; an object has no query form and is
/// left out.
fn push_scalar(query: &mut Query, key: &str, value: read::Value<'_>) {
    if let Some(text) = value.str() {
        query.push(key, text);
    } else if value.is_array() {
        value
            .children()
            .for_each(|item| push_scalar(query, key, item));
    } else if !value.is_object() && !value.is_null() {
        query.push(key, value.text());
    }
}

impl<K: TokenKind> Endpoint for Raw<K> {
    type Token = K;
    type Response = Value;
    const OPERATION: &'static str = "raw";

    fn parts(&self) -> Result<Parts<'static>, BuildError> {
        crate::ops::RAW.typed_parts(self)
    }
}
