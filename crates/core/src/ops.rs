//! The operation table, and the dynamic interface built from it.
//!
//! [`for_each_operation!`](crate::for_each_operation) is the single list of
//! operations. Everything that enumerates them is generated from it: each
//! endpoint's [`Endpoint`] impl (name, method, path, token, response type),
//! the [`Operation`] rows (and through them the README's scope table), the
//! name-based interface the bindings call, and the bindings' typed methods.
//!
//! The dynamic interface takes parameters as JSON text and answers JSON text
//! with Postmark's wire names, checked against the operation's models on the
//! way in and on the way out:
//!
//! ```
//! use postmark_kit::{Config, Server, Token, ops};
//!
//! let config = Config::<Server>::new(Token::new("server-token")?);
//! let send = ops::operation("send_email").unwrap();
//! let built = send.build(&config, r#"{"From":"a@example.com","To":"b@example.com","TextBody":"Hi"}"#)?;
//! assert_eq!(built.request.uri().path(), "/email");
//! assert!(!built.idempotent);
//!
//! let misspelt = send.build(&config, r#"{"From":"a@example.com","To":"b@example.com","Textbody":"Hi"}"#);
//! assert!(misspelt.unwrap_err().to_string().contains("at `Textbody`"));
//! # Ok::<(), postmark_kit::BuildError>(())
//! ```

use std::fmt;

use http::{Request, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::api::raw::Raw;
use crate::config::ErasedConfig;
use crate::endpoint::{build_with, parse_body};
use crate::paging::{Cursor, Page, Paged};
use crate::{Account, BuildError, Config, Endpoint, Error, Server, TokenKind, decode, json};

/// Calls `$callback!` with every operation, grouped by the token it needs.
///
/// Each row is `name, jsName, single|paged, METHOD "/path/{param}" [param],
/// Request => Response;`: the table name, the JavaScript name, whether the
/// list is paged, the method, the path template with the request fields
/// that fill it, and the request and response types. A binding passes its
/// own macro as the callback to generate one method per row.
#[macro_export]
macro_rules! for_each_operation {
    ($callback:ident) => {
        $callback! {
            server {
                send_email, sendEmail, single, POST "/email" [], $crate::api::email::SendEmail => $crate::api::email::SendEmailResponse;
                send_email_batch, sendEmailBatch, single, POST "/email/batch" [], $crate::api::email::SendEmailBatch => ::std::vec::Vec<$crate::api::email::SendEmailResponse>;
                send_email_with_template, sendEmailWithTemplate, single, POST "/email/withTemplate" [], $crate::api::email::SendEmailWithTemplate => $crate::api::email::SendEmailResponse;
                send_email_batch_with_templates, sendEmailBatchWithTemplates, single, POST "/email/batchWithTemplates" [], $crate::api::email::SendEmailBatchWithTemplates => ::std::vec::Vec<$crate::api::email::SendEmailResponse>;
                get_delivery_stats, getDeliveryStats, single, GET "/deliverystats" [], $crate::api::bounces::GetDeliveryStats => $crate::api::bounces::DeliveryStats;
                list_bounces, listBounces, paged, GET "/bounces" [], $crate::api::bounces::ListBounces => $crate::api::bounces::BounceList;
                get_bounce, getBounce, single, GET "/bounces/{id}" [id], $crate::api::bounces::GetBounce => $crate::webhook::Bounce;
                get_bounce_dump, getBounceDump, single, GET "/bounces/{id}/dump" [id], $crate::api::bounces::GetBounceDump => $crate::api::common::Dump;
                activate_bounce, activateBounce, single, PUT "/bounces/{id}/activate" [id], $crate::api::bounces::ActivateBounce => $crate::api::bounces::BounceActivation;
                get_current_server, getCurrentServer, single, GET "/server" [], $crate::api::servers::GetCurrentServer => $crate::api::servers::Server;
                edit_current_server, editCurrentServer, single, PUT "/server" [], $crate::api::servers::EditCurrentServer => $crate::api::servers::Server;
                search_outbound_messages, searchOutboundMessages, paged, GET "/messages/outbound" [], $crate::api::messages::SearchOutboundMessages => $crate::api::messages::OutboundMessageList;
                get_outbound_message_details, getOutboundMessageDetails, single, GET "/messages/outbound/{id}/details" [id], $crate::api::messages::GetOutboundMessageDetails => $crate::api::messages::OutboundMessageDetails;
                get_outbound_message_dump, getOutboundMessageDump, single, GET "/messages/outbound/{id}/dump" [id], $crate::api::messages::GetOutboundMessageDump => $crate::api::common::Dump;
                search_inbound_messages, searchInboundMessages, paged, GET "/messages/inbound" [], $crate::api::messages::SearchInboundMessages => $crate::api::messages::InboundMessageList;
                get_inbound_message_details, getInboundMessageDetails, single, GET "/messages/inbound/{id}/details" [id], $crate::api::messages::GetInboundMessageDetails => $crate::api::messages::InboundMessageDetails;
                bypass_inbound_message, bypassInboundMessage, single, PUT "/messages/inbound/{id}/bypass" [id], $crate::api::messages::BypassInboundMessage => $crate::api::common::StandardResponse;
                retry_inbound_message, retryInboundMessage, single, PUT "/messages/inbound/{id}/retry" [id], $crate::api::messages::RetryInboundMessage => $crate::api::common::StandardResponse;
                search_message_opens, searchMessageOpens, paged, GET "/messages/outbound/opens" [], $crate::api::messages::SearchMessageOpens => $crate::api::messages::MessageOpenList;
                get_message_opens, getMessageOpens, paged, GET "/messages/outbound/opens/{id}" [id], $crate::api::messages::GetMessageOpens => $crate::api::messages::MessageOpenList;
                search_message_clicks, searchMessageClicks, paged, GET "/messages/outbound/clicks" [], $crate::api::messages::SearchMessageClicks => $crate::api::messages::MessageClickList;
                get_message_clicks, getMessageClicks, paged, GET "/messages/outbound/clicks/{id}" [id], $crate::api::messages::GetMessageClicks => $crate::api::messages::MessageClickList;
                list_webhooks, listWebhooks, single, GET "/webhooks" [], $crate::api::webhooks::ListWebhooks => $crate::api::webhooks::WebhookList;
                get_webhook, getWebhook, single, GET "/webhooks/{id}" [id], $crate::api::webhooks::GetWebhook => $crate::api::webhooks::Webhook;
                create_webhook, createWebhook, single, POST "/webhooks" [], $crate::api::webhooks::CreateWebhook => $crate::api::webhooks::Webhook;
                edit_webhook, editWebhook, single, PUT "/webhooks/{id}" [id], $crate::api::webhooks::EditWebhook => $crate::api::webhooks::Webhook;
                delete_webhook, deleteWebhook, single, DELETE "/webhooks/{id}" [id], $crate::api::webhooks::DeleteWebhook => $crate::api::common::StandardResponse;
                verify_webhook, verifyWebhook, single, POST "/webhooks/{id}/verify" [id], $crate::api::webhooks::VerifyWebhook => $crate::api::webhooks::WebhookVerification;
                get_webhook_statistics, getWebhookStatistics, single, GET "/webhooks/{id}/statistics" [id], $crate::api::webhooks::GetWebhookStatistics => $crate::api::webhooks::WebhookStatistics;
            }
            account {
                list_servers, listServers, paged, GET "/servers" [], $crate::api::servers::ListServers => $crate::api::servers::ServerList;
                get_server, getServer, single, GET "/servers/{id}" [id], $crate::api::servers::GetServer => $crate::api::servers::Server;
                create_server, createServer, single, POST "/servers" [], $crate::api::servers::CreateServer => $crate::api::servers::Server;
                edit_server, editServer, single, PUT "/servers/{id}" [id], $crate::api::servers::EditServer => $crate::api::servers::Server;
                delete_server, deleteServer, single, DELETE "/servers/{id}" [id], $crate::api::servers::DeleteServer => $crate::api::common::StandardResponse;
            }
        }
    };
}

/// The [`Endpoint`] impl of every row: the table's facts, and the
/// endpoint's [`RequestParts`](crate::endpoint::RequestParts) for the rest.
/// A paged row checks its page before anything else, then every row its
/// path parameters.
macro_rules! endpoint_impls {
    (server { $($server:tt)* } account { $($account:tt)* }) => {
        endpoint_impls!(@kind Server; $($server)*);
        endpoint_impls!(@kind Account; $($account)*);
    };
    (@kind $token:ident; $($name:ident, $js:ident, $paging:ident, $method:ident $path:literal [$($param:ident),*], $ty:path => $response:ty;)*) => {
        $(impl Endpoint for $ty {
            type Token = $token;
            type Response = $response;
            const OPERATION: &'static str = stringify!($name);

            fn method(&self) -> http::Method {
                http::Method::$method
            }
            fn path(&self) -> String {
                crate::endpoint::fill_path(
                    $path,
                    &[$((stringify!($param), crate::endpoint::PathParam::segment(&self.$param))),*],
                )
            }
            fn query(&self, query: &mut crate::Query) {
                crate::endpoint::RequestParts::query(self, query)
            }
            fn body(&self) -> Result<Option<Vec<u8>>, BuildError> {
                crate::endpoint::RequestParts::body(self)
            }
            fn validate(&self) -> Result<(), BuildError> {
                endpoint_impls!(@page $paging, self);
                $(crate::endpoint::PathParam::validate(&self.$param, stringify!($param))?;)*
                crate::endpoint::RequestParts::validate(self)
            }
            fn idempotent(&self) -> bool {
                crate::endpoint::RequestParts::idempotent(self, &http::Method::$method)
            }
        })*
    };
    (@page paged, $self:ident) => {
        crate::paging::validate_page(Paged::page($self), <Self as Paged>::MAX_COUNT, <Self as Paged>::DEPTH_CAP)?
    };
    (@page single, $self:ident) => {};
}

for_each_operation!(endpoint_impls);

/// One operation: what the table says about it, and its entry points by name.
///
/// Found with [`operation`]; every method checks its input against the
/// operation's models, so a misspelt field is refused before anything is
/// sent, with its JSON path.
///
/// It serializes to its table facts, `{name, jsName, token, paged, method,
/// path}`, as the bindings' `operations()` list them.
#[derive(Clone, Copy, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Operation {
    /// snake_case name, as in Postmark's catalog (`send_email`).
    pub name: &'static str,
    /// camelCase name for JavaScript (`sendEmail`).
    pub js_name: &'static str,
    /// `"server"` or `"account"`; `"any"` for [`RAW`].
    pub token: &'static str,
    /// Whether the list is paged with `count`/`offset`.
    pub paged: bool,
    /// HTTP method.
    pub method: &'static str,
    /// Path template, with `{id}`-style parameters.
    pub path: &'static str,
    #[serde(skip)]
    build: fn(&ErasedConfig<'_>, &str) -> Result<BuiltRequest, BuildError>,
    #[serde(skip)]
    parse: fn(&Response<&[u8]>) -> Result<String, Error>,
    #[serde(skip)]
    pages: Option<PagerStart>,
}

/// Where a walk over a paged list begins.
enum Start {
    /// At the page the parameters name, handing out at most this many items.
    Fresh(Option<u64>),
    /// Where a saved cursor stands.
    Resume(Cursor),
}

/// Starts a [`DynPager`] over one paged operation.
type PagerStart = fn(&'static Operation, &str, Start) -> Result<DynPager, BuildError>;

impl fmt::Debug for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Operation")
            .field("name", &self.name)
            .field("token", &self.token)
            .field("paged", &self.paged)
            .field("method", &self.method)
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl PartialEq for Operation {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Operation {}

/// A request built by name, with what a transport needs to know to retry it.
#[derive(Debug)]
pub struct BuiltRequest {
    /// The request.
    pub request: Request<Vec<u8>>,
    /// Whether resending it after an ambiguous failure is harmless.
    pub idempotent: bool,
}

impl Operation {
    /// The kind of token a caller who does not say should build with: the
    /// operation's own, and a server token for [`RAW`], the common case.
    pub fn default_token_kind(&self) -> &'static str {
        match self.token {
            token if token == RAW.token => Server::NAME,
            token => token,
        }
    }

    /// Builds the request from JSON parameters (the endpoint struct's serde
    /// form; empty text or `null` for none) for a client holding a token of
    /// kind `K`.
    ///
    /// Refused: the other kind of token, parameters that do not fit the
    /// request type (with the path of the first one that does not, a
    /// misspelt field included), and whatever the endpoint itself refuses.
    pub fn build<K: TokenKind>(
        &self,
        config: &Config<K>,
        params: &str,
    ) -> Result<BuiltRequest, BuildError> {
        if self.token != K::NAME && self.token != RAW.token {
            return Err(BuildError::WrongTokenKind {
                operation: self.name,
                needs: self.token,
            });
        }
        (self.build)(&config.erased(), params)
    }

    /// Parses a response into JSON text with Postmark's wire names, after
    /// reading it into the operation's response model: fields the model
    /// does not know are left out, missing ones are filled in, and every
    /// enum is in its documented spelling. A non-success status is an
    /// [`Error`], as in [`parse`](crate::parse).
    pub fn parse(&self, response: &Response<&[u8]>) -> Result<String, Error> {
        (self.parse)(response)
    }

    /// Starts a walk over every item of this paged list from the page its
    /// `count`/`offset` parameters name, handing out at most `limit` items.
    pub fn pages(&'static self, params: &str, limit: Option<u64>) -> Result<DynPager, BuildError> {
        self.start(params, Start::Fresh(limit))
    }

    /// Resumes a walk from a saved cursor. A cursor made for a looser list is
    /// tightened to this one's page size and depth limits.
    pub fn resume(&'static self, params: &str, cursor: Cursor) -> Result<DynPager, BuildError> {
        self.start(params, Start::Resume(cursor))
    }

    fn start(&'static self, params: &str, start: Start) -> Result<DynPager, BuildError> {
        match self.pages {
            Some(pages) => pages(self, params, start),
            None => Err(BuildError::NotPaged {
                operation: self.name,
            }),
        }
    }
}

/// Reads the JSON parameters of `operation` into its request type. Models
/// ignore members they do not know, so that responses stay forward
/// compatible; parameters are read strictly instead, so that a misspelt
/// field is refused with its path rather than dropped.
fn params<E: DeserializeOwned>(operation: &'static str, text: &str) -> Result<E, BuildError> {
    let text = match text.trim_ascii() {
        "" | "null" => "{}",
        text => text,
    };
    decode::from_text_strict(text).map_err(|failure| BuildError::InvalidParams {
        operation,
        path: failure.path,
        message: match failure.syntax {
            true => format!("not JSON: {}", failure.message),
            false => failure.message,
        },
    })
}

fn build_typed<E>(config: &ErasedConfig<'_>, params: &str) -> Result<BuiltRequest, BuildError>
where
    E: Endpoint + DeserializeOwned,
{
    let endpoint: E = self::params(E::OPERATION, params)?;
    Ok(BuiltRequest {
        request: build_with(config, &endpoint)?,
        idempotent: endpoint.idempotent(),
    })
}

fn parse_typed<E>(response: &Response<&[u8]>) -> Result<String, Error>
where
    E: Endpoint,
    E::Response: Serialize,
{
    let parsed: E::Response = parse_body(response)?;
    Ok(json::to_string(&parsed))
}

fn start_pager<E>(
    operation: &'static Operation,
    params: &str,
    start: Start,
) -> Result<DynPager, BuildError>
where
    E: Paged + Serialize + DeserializeOwned,
    E::Item: Serialize,
{
    let endpoint: E = self::params(E::OPERATION, params)?;
    let cursor = match start {
        Start::Fresh(limit) => {
            let page = endpoint.page();
            Cursor::new(page.count, E::MAX_COUNT, E::DEPTH_CAP, page.offset, limit)?
        }
        Start::Resume(mut cursor) => {
            cursor.restrict(E::MAX_COUNT, E::DEPTH_CAP);
            cursor
        }
    };
    let Ok(Value::Object(params)) = serde_json::from_slice(&json::to_vec(&endpoint)) else {
        unreachable!("paged endpoints write JSON objects")
    };
    Ok(DynPager {
        operation,
        params,
        cursor,
        advance: advance_page::<E>,
    })
}

macro_rules! operation_rows {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        /// Every operation, in table order: server-token ones first.
        pub static OPERATIONS: &[Operation] = &[
            $(operation_rows!(@row server, $s, $sj, $sp, $sm $sr, $sty),)*
            $(operation_rows!(@row account, $a, $aj, $ap, $am $ar, $aty),)*
        ];
    };
    (@row $kind:ident, $name:ident, $js:ident, $paging:ident, $method:ident $path:literal, $ty:path) => {
        Operation {
            name: stringify!($name),
            js_name: stringify!($js),
            token: stringify!($kind),
            paged: operation_rows!(@paged $paging),
            method: stringify!($method),
            path: $path,
            build: build_typed::<$ty>,
            parse: parse_typed::<$ty>,
            pages: operation_rows!(@pages $paging, $ty),
        }
    };
    (@paged paged) => { true };
    (@paged single) => { false };
    (@pages paged, $ty:path) => { Some(start_pager::<$ty>) };
    (@pages single, $ty:path) => { None };
}

for_each_operation!(operation_rows);

/// The escape hatch: `{method, path, query?, body?}` with either kind of
/// token, answering the body as it came (`null` for an empty one). See
/// [`Raw`].
pub static RAW: Operation = Operation {
    name: "raw",
    js_name: "raw",
    token: "any",
    paged: false,
    method: "any",
    path: "any",
    build: build_raw,
    parse: parse_typed::<Raw<Server>>,
    pages: None,
};

fn build_raw(config: &ErasedConfig<'_>, params: &str) -> Result<BuiltRequest, BuildError> {
    // The kind only decides which header the token goes in, which the config
    // already knows; the request type is the same for both.
    match config.kind {
        Server::NAME => build_typed::<Raw<Server>>(config, params),
        _ => build_typed::<Raw<Account>>(config, params),
    }
}

/// Every operation of the table, in table order (not [`RAW`]).
pub fn operations() -> impl Iterator<Item = &'static Operation> {
    OPERATIONS.iter()
}

/// The operation with this snake_case name, [`RAW`] for `"raw"`.
pub fn operation(name: &str) -> Option<&'static Operation> {
    match name {
        "raw" => Some(&RAW),
        name => operations().find(|op| op.name == name),
    }
}

/// [`operation`], or the error that names the unknown operation.
pub fn find(name: &str) -> Result<&'static Operation, BuildError> {
    operation(name).ok_or_else(|| BuildError::UnknownOperation {
        name: name.to_owned(),
    })
}

/// [`find`] by the JavaScript name (`sendEmail`; `raw` for [`RAW`]).
pub fn find_js(js_name: &str) -> Result<&'static Operation, BuildError> {
    match js_name {
        "raw" => Ok(&RAW),
        js_name => operations()
            .find(|op| op.js_name == js_name)
            .ok_or_else(|| BuildError::UnknownOperation {
                name: js_name.to_owned(),
            }),
    }
}

/// Takes the response to one page: moves the cursor on and returns the
/// items to hand out, as a JSON array.
type PageAdvance = fn(&mut Cursor, Page, &Response<&[u8]>) -> Result<String, Error>;

fn advance_page<E>(
    cursor: &mut Cursor,
    page: Page,
    response: &Response<&[u8]>,
) -> Result<String, Error>
where
    E: Paged,
    E::Item: Serialize,
{
    let (total, mut items) = E::into_items(parse_body(response)?);
    let keep = cursor.advance(page, items.len(), total);
    items.truncate(keep);
    Ok(json::to_string(&items))
}

/// A walk over a paged list by operation name, for the bindings: it hands
/// out the JSON parameters of each page and takes each page's response.
#[derive(Debug, Clone)]
pub struct DynPager {
    operation: &'static Operation,
    params: Map<String, Value>,
    cursor: Cursor,
    advance: PageAdvance,
}

impl DynPager {
    /// The operation being walked.
    pub fn operation(&self) -> &'static Operation {
        self.operation
    }

    /// The parameters the walk pages through, as the request type read
    /// them (its `count` and `offset` those of the first page).
    pub fn params(&self) -> &Map<String, Value> {
        &self.params
    }

    /// The page to fetch next and its JSON parameters, or `None` when done.
    pub fn next_params(&self) -> Option<(Page, String)> {
        let page = self.cursor.next_page()?;
        let mut params = self.params.clone();
        params.insert("count".into(), page.count.into());
        params.insert("offset".into(), page.offset.into());
        Some((page, json::to_string(&params)))
    }

    /// Takes the response to `page` and returns the items to hand out, as a
    /// JSON array with Postmark's wire names. An error response leaves the
    /// walk where it was.
    pub fn advance(&mut self, page: Page, response: &Response<&[u8]>) -> Result<String, Error> {
        (self.advance)(&mut self.cursor, page, response)
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
        (server { $($server:tt)* } account { $($account:tt)* }) => {
            |generator: &mut SchemaGenerator| {
                let mut rows = Vec::new();
                schema_rows!(@rows rows, generator; $($server)*);
                schema_rows!(@rows rows, generator; $($account)*);
                rows
            }
        };
        (@rows $rows:ident, $generator:ident; $($name:ident, $js:ident, $paging:ident, $method:ident $path:literal [$($param:ident),*], $ty:path => $response:ty;)*) => {
            $({
                let item = schema_rows!(@item $paging, $ty, $generator);
                $rows.push(describe::<$ty>($generator, item));
            })*
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
    use crate::Token;

    fn config() -> Config<Server> {
        Config::new(Token::new("t").unwrap())
    }

    fn build(name: &str, params: &str) -> Result<BuiltRequest, BuildError> {
        find(name)?.build(&config(), params)
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
        assert_eq!(operation("raw"), Some(&RAW));
        assert!(operation("nope").is_none());
    }

    #[test]
    fn operations_serialize_to_their_table_facts() {
        let send = serde_json::to_value(find_js("sendEmail").unwrap()).unwrap();
        assert_eq!(
            send,
            serde_json::json!({"name": "send_email", "jsName": "sendEmail", "token": "server",
                               "paged": false, "method": "POST", "path": "/email"})
        );
        assert_eq!(find_js("raw").unwrap(), &RAW);
        assert_eq!(RAW.default_token_kind(), "server");
        assert_eq!(
            find("list_servers").unwrap().default_token_kind(),
            "account"
        );
        assert!(matches!(
            find_js("send_email"),
            Err(BuildError::UnknownOperation { .. })
        ));
    }

    #[test]
    fn unknown_operation_and_wrong_token_are_refused() {
        assert_eq!(
            build("send_mail", "{}").unwrap_err(),
            BuildError::UnknownOperation {
                name: "send_mail".into()
            }
        );
        assert!(matches!(
            build("get_server", r#"{"id": 1}"#),
            Err(BuildError::WrongTokenKind {
                needs: "account",
                ..
            })
        ));
        assert_eq!(
            find("get_server").unwrap().pages("", None).unwrap_err(),
            BuildError::NotPaged {
                operation: "get_server"
            }
        );
    }

    #[test]
    fn misspelt_parameters_are_refused_with_their_path() {
        let err = build(
            "send_email",
            r#"{"From": "a@x.com", "To": "b@x.com", "TextBody": "x", "Htmlbody": "y"}"#,
        )
        .unwrap_err();
        assert_eq!(
            err,
            BuildError::InvalidParams {
                operation: "send_email",
                path: "Htmlbody".into(),
                message: "unknown field".into()
            }
        );
        let err = build(
            "create_webhook",
            r#"{"Url": "https://x.example", "Triggers": {"Open": {"Enabled": true, "Extra": 1}}}"#,
        )
        .unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { path, .. } if path == "Triggers.Open.Extra"),
            "{err:?}"
        );
        let err = build("get_webhook", r#"{"id": "seven"}"#).unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { path, .. } if path == "id"),
            "{err:?}"
        );
        let err = build("get_webhook", "{").unwrap_err();
        assert!(
            matches!(&err, BuildError::InvalidParams { path, message, .. } if path == "." && message.starts_with("not JSON")),
            "{err:?}"
        );
    }

    #[test]
    fn explicit_nulls_are_accepted() {
        let built = build(
            "send_email",
            r#"{"From": "a@x.com", "To": "b@x.com", "TextBody": "x", "Cc": null}"#,
        )
        .unwrap();
        assert_eq!(
            built.request.body().as_slice(),
            br#"{"From":"a@x.com","To":"b@x.com","TextBody":"x"}"#
        );
        assert!(!built.idempotent);
    }

    #[test]
    fn raw_uses_the_clients_token_header() {
        let built = build("raw", r#"{"method": "get", "path": "/deliverystats"}"#).unwrap();
        assert!(built.request.headers().contains_key(Server::HEADER));
        assert!(built.idempotent);
        let account = Config::<Account>::new(Token::new("t").unwrap());
        let built = RAW
            .build(
                &account,
                r#"{"method": "POST", "path": "/x", "body": {"a": null}}"#,
            )
            .unwrap();
        assert!(built.request.headers().contains_key(Account::HEADER));
        assert_eq!(built.request.body().as_slice(), br#"{"a":null}"#);
    }
}
