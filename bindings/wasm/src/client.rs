//! `ServerClient` and `AccountClient`: one Promise-returning method per row
//! of the core's operation table, and an async iterator per paged list.

use std::rc::Rc;
use std::time::Duration;

use js_sys::Function;
use js_sys::futures::future_to_promise;
use js_sys::{Promise, Reflect};
use postmark_kit::ops::{BuiltRequest, Operation, find};
use postmark_kit::{Account, BuildError, Config, RetryPolicy, Server, Token, TokenKind};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::errors::{api_error, build_error, from_build_error};
use crate::json::{from_js, json_text, parse_js};
use crate::pages::{PageOptions, Pages};
use crate::transport::Transport;

/// The second argument of the constructors. `fetch` is read apart: a function
/// does not survive `JSON.stringify`, which is how the rest is read.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct ClientOptions {
    base_url: Option<String>,
    /// Milliseconds one attempt may take, response body included; 0 for no limit.
    timeout_ms: Option<u32>,
    user_agent: Option<String>,
    retry: Option<RetryOptions>,
}

/// The core's [`RetryPolicy`] in milliseconds; absent fields keep its defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct RetryOptions {
    max_attempts: Option<u32>,
    base_delay_ms: Option<u64>,
    max_delay_ms: Option<u64>,
    max_retry_after_ms: Option<u64>,
    retry_non_idempotent: Option<bool>,
}

impl RetryOptions {
    fn policy(self) -> RetryPolicy {
        let default = RetryPolicy::default();
        RetryPolicy {
            max_attempts: self.max_attempts.unwrap_or(default.max_attempts),
            base_delay: self
                .base_delay_ms
                .map_or(default.base_delay, Duration::from_millis),
            max_delay: self
                .max_delay_ms
                .map_or(default.max_delay, Duration::from_millis),
            max_retry_after: self
                .max_retry_after_ms
                .map_or(default.max_retry_after, Duration::from_millis),
            retry_non_idempotent: self
                .retry_non_idempotent
                .unwrap_or(default.retry_non_idempotent),
        }
    }
}

/// One attempt may take this long by default, as in the Rust client.
const DEFAULT_TIMEOUT_MS: u32 = 30_000;

/// What both clients share: the config of one kind of token, and the transport.
#[derive(Debug)]
pub(crate) struct Client<K: TokenKind> {
    config: Config<K>,
    pub(crate) transport: Transport,
}

impl<K: TokenKind> Client<K> {
    fn new(token: &str, options: &JsValue) -> Result<Self, JsValue> {
        let fetch = match Reflect::get(options, &"fetch".into()) {
            Ok(fetch) if fetch.is_undefined() || fetch.is_null() => None,
            Ok(fetch) => Some(fetch.dyn_into::<Function>().map_err(|_| {
                build_error(
                    "invalid_options",
                    "options.fetch must be a function",
                    serde_json::json!({}),
                )
            })?),
            // Not an object: undefined or null options, or a mistake found below.
            Err(_) => None,
        };
        let options = match from_js("the client options", options)? {
            Value::Null => ClientOptions::default(),
            options => ClientOptions::deserialize(options).map_err(|error| {
                build_error(
                    "invalid_options",
                    &format!("invalid client options: {error}"),
                    serde_json::json!({}),
                )
            })?,
        };
        let build = |error: BuildError| from_build_error(&error);
        let mut config = Config::new(Token::new(token).map_err(build)?);
        if let Some(url) = &options.base_url {
            config = config.with_base_url(url).map_err(build)?;
        }
        if let Some(user_agent) = &options.user_agent {
            config = config.with_user_agent(user_agent).map_err(build)?;
        }
        let timeout = match options.timeout_ms {
            Some(0) => None,
            other => Some(other.unwrap_or(DEFAULT_TIMEOUT_MS)),
        };
        Ok(Client {
            config,
            transport: Transport {
                fetch,
                timeout,
                retry: options.retry.map(RetryOptions::policy).unwrap_or_default(),
            },
        })
    }

    /// Calls `operation` with parameters that are already JSON text.
    async fn call(&self, operation: &Operation, params: String) -> Result<JsValue, JsValue> {
        let built = operation
            .build(&self.config, &params)
            .map_err(|error| from_build_error(&error))?;
        let response = self
            .transport
            .execute(&built.request, built.idempotent)
            .await?;
        let (parts, body) = response.into_parts();
        operation
            .parse(&http::Response::from_parts(parts, body.as_slice()))
            .map(|answer| parse_js(&answer))
            .map_err(|error| api_error(&error))
    }

    /// [`call`](Self::call) as a Promise. The parameters are read at once, so
    /// changing the object afterwards does not change the request; any error
    /// rejects the Promise rather than throwing.
    fn call_promise(self: &Rc<Self>, operation: &'static str, params: &JsValue) -> Promise {
        let client = Rc::clone(self);
        let params = json_text("the parameters", params);
        future_to_promise(async move {
            let operation = find(operation).map_err(|error| from_build_error(&error))?;
            client.call(operation, params?).await
        })
    }
}

/// Builds a page request with the client's config, whatever its token kind:
/// what a [`Pages`] walk needs from the client that started it.
pub(crate) trait BuildPage {
    fn build(&self, operation: &Operation, params: &str) -> Result<BuiltRequest, BuildError>;
    fn transport(&self) -> &Transport;
}

impl<K: TokenKind> BuildPage for Client<K> {
    fn build(&self, operation: &Operation, params: &str) -> Result<BuiltRequest, BuildError> {
        operation.build(&self.config, params)
    }

    fn transport(&self) -> &Transport {
        &self.transport
    }
}

/// A client for server-token operations: sending, webhooks, the current server.
///
/// `new ServerClient(token, {baseUrl?, fetch?, timeoutMs?, retry?, userAgent?})`
#[wasm_bindgen]
#[derive(Debug)]
pub struct ServerClient {
    inner: Rc<Client<Server>>,
}

/// A client for account-token operations: servers, domains, sender signatures.
///
/// `new AccountClient(token, {baseUrl?, fetch?, timeoutMs?, retry?, userAgent?})`
#[wasm_bindgen]
#[derive(Debug)]
pub struct AccountClient {
    inner: Rc<Client<Account>>,
}

/// The constructor, `raw`, and what every client has; `$class` holds a
/// `Client<$kind>`.
macro_rules! client_class {
    ($class:ident) => {
        #[wasm_bindgen]
        impl $class {
            /// A client with `token`; see the options on the type.
            #[wasm_bindgen(constructor)]
            pub fn new(token: &str, options: JsValue) -> Result<$class, JsValue> {
                Ok($class {
                    inner: Rc::new(Client::new(token, &options)?),
                })
            }

            /// Any request, `{method, path, query?, body?}`, with this client's
            /// token, retries and error decoding; resolves to the JSON answer.
            pub fn raw(&self, request: JsValue) -> Promise {
                self.inner.call_promise("raw", &request)
            }
        }
    };
}

client_class!(ServerClient);
client_class!(AccountClient);

/// One method per row of the table, named by its `jsName`; for paged rows
/// also `<jsName>All`, an async iterator over every item.
macro_rules! operation_methods {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        operation_methods!(@class ServerClient $($s, $sj, $sm $sr;)*);
        operation_methods!(@class AccountClient $($a, $aj, $am $ar;)*);
        $(operation_methods!(@all ServerClient, $s, $sj, $sp);)*
        $(operation_methods!(@all AccountClient, $a, $aj, $ap);)*
    };
    (@class $class:ident $($name:ident, $js:ident, $method:ident $path:literal;)*) => {
        #[wasm_bindgen]
        impl $class {
            $(
                #[doc = concat!("`", stringify!($method), " ", $path, "`")]
                #[wasm_bindgen(js_name = $js)]
                pub fn $name(&self, params: JsValue) -> Promise {
                    self.inner.call_promise(stringify!($name), &params)
                }
            )*
        }
    };
    (@all $class:ident, $name:ident, $js:ident, single) => {};
    (@all $class:ident, $name:ident, $js:ident, paged) => {
        pastey::paste! {
            #[wasm_bindgen]
            impl $class {
                #[doc = concat!("Every item of `", stringify!($js), "`, a page at a time: ")]
                #[doc = "`{limit?, cursor?}` stops after `limit` items or resumes a saved cursor."]
                #[wasm_bindgen(js_name = [<$js All>])]
                pub fn [<$name _all>](&self, params: JsValue, options: JsValue) -> Result<Pages, JsValue> {
                    let options = PageOptions::read(&options)?;
                    let params = json_text("the parameters", &params)?;
                    Pages::start(self.inner.clone(), stringify!($name), &params, options)
                }
            }
        }
    };
}

postmark_kit::for_each_operation!(operation_methods);
