//! `ServerClient` and `AccountClient`: one method per row of the core's
//! operation table, returning a Promise, or a [`PagedList`] for a paged list.

use std::pin::Pin;
use std::rc::Rc;

use js_sys::Promise;
use js_sys::futures::future_to_promise;
use postmark_kit::ops::{BuiltRequest, Operation, find};
use postmark_kit::{Account, BuildError, Config, Server, TokenKind};
use wasm_bindgen::prelude::*;

use crate::errors::{api_error, from_build_error};
use crate::json::{json_text, parse_js};
use crate::options::{CallOptions, ClientOptions};
use crate::paged::PagedList;
use crate::transport::{AbortSignal, Transport};

/// What a call needs from the client that makes it, whatever its kind of
/// token: a request built with the client's config, and its transport.
pub(crate) trait Caller {
    fn build(&self, operation: &Operation, params: &str) -> Result<BuiltRequest, BuildError>;
    fn transport(&self) -> &Transport;
}

/// The config of one kind of token, and the transport.
#[derive(Debug)]
struct Client<K: TokenKind> {
    config: Config<K>,
    transport: Transport,
}

impl<K: TokenKind> Caller for Client<K> {
    fn build(&self, operation: &Operation, params: &str) -> Result<BuiltRequest, BuildError> {
        operation.build(&self.config, params)
    }

    fn transport(&self) -> &Transport {
        &self.transport
    }
}

/// A client with `token` and the constructor's options.
fn client<K: TokenKind>(token: &str, options: &JsValue) -> Result<Rc<dyn Caller>, JsValue> {
    let (options, transport) = ClientOptions::read(options)?;
    let config = Config::<K>::from_settings(
        token,
        options.base_url.as_deref(),
        options.user_agent.as_deref(),
    )
    .map_err(from_build_error)?;
    Ok(Rc::new(Client { config, transport }))
}

/// Builds the request of `operation` from `params` (JSON text) and sends it,
/// retrying by the policy: the last response, for the core to read.
pub(crate) async fn send(
    client: &dyn Caller,
    operation: &Operation,
    params: &str,
    signal: Option<&AbortSignal>,
) -> Result<http::Response<Vec<u8>>, JsValue> {
    let built = client.build(operation, params).map_err(from_build_error)?;
    client
        .transport()
        .execute(&built.request, built.idempotent, signal)
        .await
}

/// [`send`], and the answer read by the core.
pub(crate) async fn call(
    client: &dyn Caller,
    operation: &Operation,
    params: &str,
    signal: Option<&AbortSignal>,
) -> Result<JsValue, JsValue> {
    let (parts, body) = send(client, operation, params, signal).await?.into_parts();
    operation
        .parse(&http::Response::from_parts(parts, body.as_slice()))
        .map(|answer| parse_js(&answer))
        .map_err(api_error)
}

/// `future` as a Promise. Boxed, so that js-sys's machinery for running a
/// future is compiled once for every kind of call rather than once each.
pub(crate) fn promise(future: impl Future<Output = Result<JsValue, JsValue>> + 'static) -> Promise {
    let future: Pin<Box<dyn Future<Output = Result<JsValue, JsValue>>>> = Box::pin(future);
    future_to_promise(future)
}

/// A method's call as a Promise. The parameters and options are read at
/// once, so changing the objects afterwards does not change the request;
/// any error rejects the Promise rather than throwing.
fn call_promise(
    client: &Rc<dyn Caller>,
    operation: &'static str,
    params: &JsValue,
    options: &JsValue,
) -> Promise {
    let client = Rc::clone(client);
    let ready = find(operation)
        .map_err(from_build_error)
        .and_then(|operation| {
            let params = json_text(operation, params)?;
            Ok((operation, params, CallOptions::read(options, false)?))
        });
    promise(async move {
        let (operation, params, options) = ready?;
        call(&*client, operation, &params, options.signal.as_ref()).await
    })
}

/// A client for server-token operations: sending, bounces, messages, webhooks, the current server.
///
/// `new ServerClient(token, {baseUrl?, fetch?, timeoutMs?, retry?, userAgent?})`
#[wasm_bindgen]
pub struct ServerClient {
    inner: Rc<dyn Caller>,
}

/// A client for account-token operations: the account's servers.
///
/// `new AccountClient(token, {baseUrl?, fetch?, timeoutMs?, retry?, userAgent?})`
#[wasm_bindgen]
pub struct AccountClient {
    inner: Rc<dyn Caller>,
}

/// The constructor, `raw`, and what every client has; `$kind` is the token
/// kind of `$class`.
macro_rules! client_class {
    ($class:ident, $kind:ty) => {
        impl std::fmt::Debug for $class {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_struct(stringify!($class)).finish_non_exhaustive()
            }
        }

        #[wasm_bindgen]
        impl $class {
            /// A client with `token`; see the options on the type.
            #[wasm_bindgen(constructor)]
            pub fn new(token: &str, options: JsValue) -> Result<$class, JsValue> {
                Ok($class {
                    inner: client::<$kind>(token, &options)?,
                })
            }

            /// Any request, `{method, path, query?, body?}`, with this client's
            /// token, retries and error decoding; resolves to the JSON answer.
            pub fn raw(&self, request: JsValue, options: JsValue) -> Promise {
                call_promise(&self.inner, "raw", &request, &options)
            }
        }
    };
}

client_class!(ServerClient, Server);
client_class!(AccountClient, Account);

/// One method per row of the table, named by its `jsName`, each in an impl
/// block of its own: a paged row's method returns a [`PagedList`], any other
/// a Promise.
macro_rules! operation_methods {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        $(operation_methods!(@method ServerClient, $s, $sj, $sp, $sm $sr);)*
        $(operation_methods!(@method AccountClient, $a, $aj, $ap, $am $ar);)*
    };
    (@method $class:ident, $name:ident, $js:ident, single, $method:ident $path:literal) => {
        #[wasm_bindgen]
        impl $class {
            #[doc = concat!("`", stringify!($method), " ", $path, "`")]
            #[wasm_bindgen(js_name = $js)]
            pub fn $name(&self, params: JsValue, options: JsValue) -> Promise {
                call_promise(&self.inner, stringify!($name), &params, &options)
            }
        }
    };
    (@method $class:ident, $name:ident, $js:ident, paged, $method:ident $path:literal) => {
        #[wasm_bindgen]
        impl $class {
            #[doc = concat!("`", stringify!($method), " ", $path, "`: awaited, one page; iterated, every item.")]
            #[wasm_bindgen(js_name = $js)]
            pub fn $name(&self, params: JsValue, options: JsValue) -> PagedList {
                PagedList::new(&self.inner, stringify!($name), &params, &options)
            }
        }
    };
}

postmark_kit::for_each_operation!(operation_methods);
