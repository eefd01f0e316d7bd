//! The operation table, and the dynamic interface built from it.
//!
//! [`for_each_operation!`](crate::for_each_operation) is the single list of
//! operations. Everything that enumerates them is generated from it: the
//! [`OPERATIONS`] metadata (and through it the README's scope table), the
//! name-based [`build_operation`] / [`parse_operation`] the bindings call,
//! and the bindings' typed methods.

use http::{Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::api::raw::Raw;
use crate::endpoint::{build_with, parse_body};
use crate::paging::{Cursor, Page, Paged};
use crate::{BuildError, Config, Endpoint, Error, TokenKind};

/// Calls `$callback!` with every operation, grouped by the token it needs.
///
/// Each row is `name, jsName, single|paged, METHOD "/path", Type;`. A binding
/// passes its own macro as the callback to generate one method per row.
#[macro_export]
macro_rules! for_each_operation {
    ($callback:ident) => {
        $callback! {
            server {
                send_email, sendEmail, single, POST "/email", $crate::api::email::SendEmail;
                send_email_batch, sendEmailBatch, single, POST "/email/batch", $crate::api::email::SendEmailBatch;
                send_email_with_template, sendEmailWithTemplate, single, POST "/email/withTemplate", $crate::api::email::SendEmailWithTemplate;
                send_email_batch_with_templates, sendEmailBatchWithTemplates, single, POST "/email/batchWithTemplates", $crate::api::email::SendEmailBatchWithTemplates;
                get_current_server, getCurrentServer, single, GET "/server", $crate::api::servers::GetCurrentServer;
                edit_current_server, editCurrentServer, single, PUT "/server", $crate::api::servers::EditCurrentServer;
                list_webhooks, listWebhooks, single, GET "/webhooks", $crate::api::webhooks::ListWebhooks;
                get_webhook, getWebhook, single, GET "/webhooks/{id}", $crate::api::webhooks::GetWebhook;
                create_webhook, createWebhook, single, POST "/webhooks", $crate::api::webhooks::CreateWebhook;
                edit_webhook, editWebhook, single, PUT "/webhooks/{id}", $crate::api::webhooks::EditWebhook;
                delete_webhook, deleteWebhook, single, DELETE "/webhooks/{id}", $crate::api::webhooks::DeleteWebhook;
                verify_webhook, verifyWebhook, single, POST "/webhooks/{id}/verify", $crate::api::webhooks::VerifyWebhook;
                get_webhook_statistics, getWebhookStatistics, single, GET "/webhooks/{id}/statistics", $crate::api::webhooks::GetWebhookStatistics;
            }
            account {
                list_servers, listServers, paged, GET "/servers", $crate::api::servers::ListServers;
                get_server, getServer, single, GET "/servers/{id}", $crate::api::servers::GetServer;
                create_server, createServer, single, POST "/servers", $crate::api::servers::CreateServer;
                edit_server, editServer, single, PUT "/servers/{id}", $crate::api::servers::EditServer;
                delete_server, deleteServer, single, DELETE "/servers/{id}", $crate::api::servers::DeleteServer;
            }
        }
    };
}

/// What the table says about one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// snake_case name, as in Postmark's catalog (`send_email`).
    pub name: &'static str,
    /// camelCase name for JavaScript (`sendEmail`).
    pub js_name: &'static str,
    /// `"server"` or `"account"`.
    pub token: &'static str,
    /// Whether the list is paged with `count`/`offset`.
    pub paged: bool,
    /// HTTP method.
    pub method: &'static str,
    /// Path template, with `{id}`-style parameters.
    pub path: &'static str,
}

macro_rules! operation_rows {
    (@kind $kind:ident { $($name:ident, $js:ident, $paging:ident, $method:ident $path:literal, $ty:path;)* }) => {
        [$(Operation {
            name: stringify!($name),
            js_name: stringify!($js),
            token: stringify!($kind),
            paged: operation_rows!(@paged $paging),
            method: stringify!($method),
            path: $path,
        }),*]
    };
    (@paged paged) => { true };
    (@paged single) => { false };
    (server { $($server:tt)* } account { $($account:tt)* }) => {
        const SERVER_ROWS: &[Operation] = &operation_rows!(@kind server { $($server)* });
        const ACCOUNT_ROWS: &[Operation] = &operation_rows!(@kind account { $($account)* });
    };
}

for_each_operation!(operation_rows);

/// Every operation, server-token ones first.
pub static OPERATIONS: [&[Operation]; 2] = [SERVER_ROWS, ACCOUNT_ROWS];

/// Every operation, in table order.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    OPERATIONS.iter().flat_map(|rows| rows.iter())
}

/// The operation with this snake_case name.
pub fn operation(name: &str) -> Option<&'static Operation> {
    operations().find(|op| op.name == name)
}

/// A request built by name, with what a transport needs to know to retry it.
#[derive(Debug)]
pub struct BuiltRequest {
    /// The request.
    pub request: Request<Vec<u8>>,
    /// Whether resending it after an ambiguous failure is harmless.
    pub idempotent: bool,
}

fn params<E: Serialize + DeserializeOwned>(
    operation: &'static str,
    params: Value,
) -> Result<E, BuildError> {
    let params = match params {
        Value::Null => Value::Object(Default::default()),
        other => other,
    };
    let invalid = |path: String, message: String| BuildError::InvalidParams {
        operation,
        path,
        message,
    };
    // As in parsing, the path is tracked only to report a failure.
    let endpoint = match E::deserialize(&params) {
        Ok(endpoint) => endpoint,
        Err(_) => serde_path_to_error::deserialize(&params)
            .map_err(|e| invalid(e.path().to_string(), e.into_inner().to_string()))?,
    };
    // Models ignore unknown keys so that responses stay forward compatible
    // (and serde's `deny_unknown_fields` does not work through `flatten`), so
    // misspelt parameters are found by comparing the input with what was kept.
    let kept = serde_json::to_value(&endpoint).expect("request models always serialize");
    if let Some(path) = unused_key(&params, &kept) {
        return Err(invalid(path, "unknown field".into()));
    }
    Ok(endpoint)
}

/// The path of the first key of `input` that `kept` does not have (explicit
/// nulls aside). The path is written only for that key, on the way out.
fn unused_key(input: &Value, kept: &Value) -> Option<String> {
    match (input, kept) {
        (Value::Object(input), Value::Object(kept)) => {
            input.iter().find_map(|(key, value)| match kept.get(key) {
                None if value.is_null() => None,
                None => Some(format!(".{key}")),
                Some(kept) => unused_key(value, kept).map(|rest| format!(".{key}{rest}")),
            })
        }
        (Value::Object(_), _) => Some(String::new()),
        (Value::Array(input), Value::Array(kept)) => {
            input
                .iter()
                .zip(kept)
                .enumerate()
                .find_map(|(i, (value, kept))| {
                    unused_key(value, kept).map(|rest| format!("[{i}]{rest}"))
                })
        }
        _ => None,
    }
}

fn build_typed<E, K>(config: &Config<K>, params: Value) -> Result<BuiltRequest, BuildError>
where
    E: Endpoint + Serialize + DeserializeOwned,
    K: TokenKind,
{
    if <E::Token as TokenKind>::NAME != K::NAME {
        return Err(BuildError::WrongTokenKind {
            operation: E::OPERATION,
            needs: <E::Token as TokenKind>::NAME,
        });
    }
    let endpoint: E = self::params(E::OPERATION, params)?;
    Ok(BuiltRequest {
        request: build_with(config, &endpoint)?,
        idempotent: endpoint.idempotent(),
    })
}

fn parse_typed<E>(response: &Response<&[u8]>) -> Result<Value, Error>
where
    E: Endpoint,
    E::Response: Serialize,
{
    let parsed: E::Response = parse_body(response)?;
    Ok(serde_json::to_value(parsed).expect("response models always serialize"))
}

macro_rules! dispatch {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal, $sty:path;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal, $aty:path;)* }) => {
        fn build_named<K: TokenKind>(
            config: &Config<K>,
            name: &str,
            params: Value,
        ) -> Result<BuiltRequest, BuildError> {
            match name {
                $(stringify!($s) => build_typed::<$sty, K>(config, params),)*
                $(stringify!($a) => build_typed::<$aty, K>(config, params),)*
                _ => Err(BuildError::UnknownOperation { name: name.to_owned() }),
            }
        }

        fn parse_named(name: &str, response: &Response<&[u8]>) -> Option<Result<Value, Error>> {
            Some(match name {
                $(stringify!($s) => parse_typed::<$sty>(response),)*
                $(stringify!($a) => parse_typed::<$aty>(response),)*
                "raw" => parse_body::<Value, _>(response),
                _ => return None,
            })
        }

        fn pager_named(name: &str, params: Value, limit: Option<u64>) -> Result<DynPager, BuildError> {
            match name {
                $(stringify!($s) => dispatch!(@pager $sp, $sty, params, limit),)*
                $(stringify!($a) => dispatch!(@pager $ap, $aty, params, limit),)*
                _ => Err(BuildError::UnknownOperation { name: name.to_owned() }),
            }
        }
    };
    (@pager paged, $ty:path, $params:ident, $limit:ident) => {
        DynPager::new::<$ty>($params, $limit)
    };
    (@pager single, $ty:path, $params:ident, $limit:ident) => {
        Err(BuildError::NotPaged { operation: <$ty as Endpoint>::OPERATION })
    };
}

for_each_operation!(dispatch);

/// Builds the request for the operation `name` from its JSON parameters (the
/// endpoint struct's serde form), for a client holding a token of kind `K`.
///
/// The operation `raw` takes `{method, path, query?, body?}` and works with
/// either kind of token.
pub fn build_operation<K: TokenKind>(
    config: &Config<K>,
    name: &str,
    params: Value,
) -> Result<BuiltRequest, BuildError> {
    if name == "raw" {
        let raw: Raw<K> = self::params("raw", params)?;
        return Ok(BuiltRequest {
            request: build_with(config, &raw)?,
            idempotent: raw.idempotent(),
        });
    }
    build_named(config, name, params)
}

/// Parses the response to the operation `name` into JSON with Postmark's wire
/// names, after checking it against the operation's response model.
///
/// # Errors
/// An unknown operation name is reported as a decode error, since it can only
/// come from a caller mixing up requests and responses.
pub fn parse_operation(name: &str, response: &Response<&[u8]>) -> Result<Value, Error> {
    parse_named(name, response).unwrap_or_else(|| {
        Err(Error::Decode {
            status: response.status(),
            path: ".".into(),
            message: format!("unknown operation `{name}`"),
            body: String::new(),
        })
    })
}

/// Parses one page's response into its TotalCount and JSON items.
type PageParser = fn(&Response<&[u8]>) -> Result<(u64, Vec<Value>), Error>;

fn parse_page<E>(response: &Response<&[u8]>) -> Result<(u64, Vec<Value>), Error>
where
    E: Paged,
    E::Item: Serialize,
{
    let (total, items) = E::into_items(parse_body(response)?);
    let items = items
        .into_iter()
        .map(|item| serde_json::to_value(item).expect("response models always serialize"))
        .collect();
    Ok((total, items))
}

/// A walk over a paged list by operation name, for the bindings: it hands
/// out JSON parameters for each page and takes each page's response.
#[derive(Debug, Clone)]
pub struct DynPager {
    operation: &'static str,
    params: serde_json::Map<String, Value>,
    cursor: Cursor,
    parse_page: PageParser,
}

impl DynPager {
    fn new<E>(params: Value, limit: Option<u64>) -> Result<DynPager, BuildError>
    where
        E: Paged + Serialize + DeserializeOwned,
        E::Item: Serialize,
    {
        let endpoint: E = self::params(E::OPERATION, params)?;
        let page = endpoint.page();
        let params = match serde_json::to_value(&endpoint) {
            Ok(Value::Object(map)) => map,
            _ => unreachable!("paged endpoints serialize to objects"),
        };
        Ok(DynPager {
            operation: E::OPERATION,
            params,
            cursor: Cursor::new(page.count, E::MAX_COUNT, E::DEPTH_CAP, page.offset, limit)?,
            parse_page: parse_page::<E>,
        })
    }

    /// Starts a walk over the operation `name` (which must be paged) from the
    /// page its `count`/`offset` parameters name, handing out at most `limit` items.
    pub fn start(name: &str, params: Value, limit: Option<u64>) -> Result<DynPager, BuildError> {
        pager_named(name, params, limit)
    }

    /// Resumes a walk from a saved cursor.
    pub fn resume(name: &str, params: Value, cursor: Cursor) -> Result<DynPager, BuildError> {
        let mut pager = pager_named(name, params, None)?;
        pager.cursor = cursor;
        Ok(pager)
    }

    /// The operation being walked.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The parameters of the next page and the page itself, or `None` when done.
    pub fn next_params(&self) -> Option<(Page, Value)> {
        let page = self.cursor.next_page()?;
        let mut params = self.params.clone();
        params.insert("count".into(), page.count.into());
        params.insert("offset".into(), page.offset.into());
        Some((page, Value::Object(params)))
    }

    /// Takes the response to `page` and returns the items to hand out.
    pub fn advance(&mut self, page: Page, response: &Response<&[u8]>) -> Result<Vec<Value>, Error> {
        let (total, mut items) = (self.parse_page)(response)?;
        let keep = self.cursor.advance(page, items.len(), total);
        items.truncate(keep);
        Ok(items)
    }

    /// Where the walk stands; serializable, to resume later.
    pub fn cursor(&self) -> &Cursor {
        &self.cursor
    }
}

/// JSON Schemas of every operation's parameters, response and (for paged
/// lists) items, with shared definitions: the source of the bindings' type
/// declarations.
///
/// The document is `{"operations": [{name, jsName, token, paged, method,
/// path, params, response, item?}], "definitions": {...}}`, where `params`,
/// `response` and `item` are schemas that refer into `definitions`.
#[cfg(feature = "schema")]
pub fn schema_document() -> Value {
    use schemars::SchemaGenerator;
    use schemars::generate::SchemaSettings;

    fn describe<E>(generator: &mut SchemaGenerator, item: Option<schemars::Schema>) -> Value
    where
        E: Endpoint + schemars::JsonSchema,
        E::Response: schemars::JsonSchema,
    {
        let op = operation(E::OPERATION).expect("every endpoint is in the table");
        let mut row = serde_json::json!({
            "name": op.name,
            "jsName": op.js_name,
            "token": op.token,
            "paged": op.paged,
            "method": op.method,
            "path": op.path,
            "params": generator.subschema_for::<E>(),
            "response": generator.subschema_for::<E::Response>(),
        });
        if let Some(item) = item {
            row["item"] = item.to_value();
        }
        row
    }

    macro_rules! schema_rows {
        (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal, $sty:path;)* }
         account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal, $aty:path;)* }) => {
            |generator: &mut SchemaGenerator| vec![
                $({
                    let item = schema_rows!(@item $sp, $sty, generator);
                    describe::<$sty>(generator, item)
                },)*
                $({
                    let item = schema_rows!(@item $ap, $aty, generator);
                    describe::<$aty>(generator, item)
                },)*
            ]
        };
        (@item paged, $ty:path, $generator:ident) => {
            Some($generator.subschema_for::<<$ty as Paged>::Item>())
        };
        (@item single, $ty:path, $generator:ident) => {
            None
        };
    }

    let mut generator = SchemaSettings::draft2020_12().into_generator();
    let rows = for_each_operation!(schema_rows)(&mut generator);
    serde_json::json!({
        "operations": rows,
        "definitions": generator.take_definitions(true),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Server, Token};
    use serde_json::json;

    fn config() -> Config<Server> {
        Config::new(Token::new("t").unwrap())
    }

    #[test]
    fn names_are_unique_and_found() {
        let mut names: Vec<_> = operations().map(|op| op.name).collect();
        let count = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), count);
        assert_eq!(operation("list_servers").unwrap().token, "account");
        assert_eq!(operation("send_email").unwrap().js_name, "sendEmail");
        assert!(operation("nope").is_none());
    }

    #[test]
    fn unknown_operation_and_wrong_token_are_refused() {
        assert!(matches!(
            build_operation(&config(), "send_mail", json!({})),
            Err(BuildError::UnknownOperation { .. })
        ));
        assert!(matches!(
            build_operation(&config(), "get_server", json!({"id": 1})),
            Err(BuildError::WrongTokenKind {
                needs: "account",
                ..
            })
        ));
    }

    #[test]
    fn misspelt_parameters_are_refused_with_their_path() {
        let err = build_operation(
            &config(),
            "send_email",
            json!({"From": "a@x.com", "To": "b@x.com", "TextBody": "x", "Htmlbody": "y"}),
        )
        .unwrap_err();
        assert_eq!(
            err,
            BuildError::InvalidParams {
                operation: "send_email",
                path: ".Htmlbody".into(),
                message: "unknown field".into()
            }
        );
        let err = build_operation(
            &config(),
            "create_webhook",
            json!({"Url": "https://x.example", "Triggers": {"Open": {"Enabled": true, "Extra": 1}}}),
        )
        .unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { path, .. } if path == ".Triggers.Open.Extra"),
            "{err:?}"
        );
    }

    #[test]
    fn explicit_nulls_are_accepted() {
        let built = build_operation(
            &config(),
            "send_email",
            json!({"From": "a@x.com", "To": "b@x.com", "TextBody": "x", "Cc": null}),
        )
        .unwrap();
        assert_eq!(
            built.request.body().as_slice(),
            br#"{"From":"a@x.com","To":"b@x.com","TextBody":"x"}"#
        );
        assert!(!built.idempotent);
    }
}
