//! `ServerClient` and `AccountClient`: one method per row of the core's
//! operation table, each a call by name through the ureq client with the GIL
//! released while it runs.

use std::sync::Arc;
use std::time::Duration;

use postmark_kit::ops::{DynPager, Operation, find};
use postmark_kit::windows::{FROM_PARAM, Plan, SearchWindows, TO_PARAM, Window};
use postmark_kit::{Account, BuildError, Config, Cursor, RetryPolicy, Server, TokenKind, batching};
use postmark_kit_ureq::{Client, ClientError};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyString};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::convert::{from_json, to_json};
use crate::errors::{build_error, client_error, exception, settings_error};
use crate::pages::{AnyClient, Pages};

/// The settings every client takes besides its token; `None` keeps the
/// ureq client's default.
struct Settings {
    base_url: Option<String>,
    allow_insecure_http: bool,
    timeout: Option<f64>,
    connect_timeout: Option<f64>,
    retry: RetrySettings,
    user_agent: Option<String>,
}

pub(crate) fn configuration_error(py: Python<'_>, message: String) -> PyErr {
    exception(py, "ConfigurationError", message, json!({}))
}

/// Where a config comes from: what the caller gave, and for what it did not
/// give, the kind's token variable and `POSTMARK_API_URL`, as the ureq client
/// reads them.
pub(crate) struct ConfigSource<'a> {
    pub(crate) token: Option<&'a str>,
    pub(crate) base_url: Option<&'a str>,
    pub(crate) user_agent: Option<&'a str>,
    pub(crate) allow_insecure_http: bool,
}

impl ConfigSource<'_> {
    pub(crate) fn config<K: TokenKind>(&self, py: Python<'_>) -> PyResult<Config<K>> {
        let env = |name: &str| std::env::var(name).ok();
        let (token, base_url, agent) = (self.token, self.base_url, self.user_agent);
        Config::<K>::from_env(token, base_url, agent, self.allow_insecure_http, env)
            .ok_or_else(|| {
                let (kind, variable) = (K::NAME, K::ENV_VARIABLE);
                configuration_error(
                    py,
                    format!("no {kind} token: pass `token` or set {variable}"),
                )
            })?
            .map_err(|error| settings_error(py, &error))
    }
}

fn seconds(py: Python<'_>, name: &str, value: f64) -> PyResult<Duration> {
    Duration::try_from_secs_f64(value).map_err(|_| {
        configuration_error(
            py,
            format!("`{name}` must be a non-negative number of seconds, not {value}"),
        )
    })
}

/// A client from an explicit token or the kind's environment variable, and
/// an explicit base URL or `POSTMARK_API_URL`, as the ureq client reads them.
fn new_client<K: TokenKind>(
    py: Python<'_>,
    token: Option<String>,
    settings: Settings,
) -> PyResult<Client<K>> {
    let config = ConfigSource {
        token: token.as_deref(),
        base_url: settings.base_url.as_deref(),
        user_agent: settings.user_agent.as_deref(),
        allow_insecure_http: settings.allow_insecure_http,
    }
    .config::<K>(py)?;
    let mut builder = Client::builder_with_config(config);
    if let Some(timeout) = settings.timeout {
        builder = builder.timeout(seconds(py, "timeout", timeout)?);
    }
    if let Some(timeout) = settings.connect_timeout {
        builder = builder.connect_timeout(seconds(py, "connect_timeout", timeout)?);
    }
    Ok(builder.retry(settings.retry.policy(py)?).build())
}

/// The retry settings every client takes; `None` keeps the core's default.
pub(crate) struct RetrySettings {
    pub(crate) max_attempts: Option<u32>,
    pub(crate) base_delay: Option<f64>,
    pub(crate) max_delay: Option<f64>,
    pub(crate) max_retry_after: Option<f64>,
    pub(crate) non_idempotent: Option<bool>,
}

impl RetrySettings {
    /// The core's policy with these settings.
    pub(crate) fn policy(&self, py: Python<'_>) -> PyResult<RetryPolicy> {
        let mut retry = RetryPolicy::default();
        if let Some(attempts) = self.max_attempts {
            retry.max_attempts = attempts;
        }
        if let Some(delay) = self.base_delay {
            retry.base_delay = seconds(py, "retry_base_delay", delay)?;
        }
        if let Some(delay) = self.max_delay {
            retry.max_delay = seconds(py, "retry_max_delay", delay)?;
        }
        if let Some(wait) = self.max_retry_after {
            retry.max_retry_after = seconds(py, "max_retry_after", wait)?;
        }
        if let Some(resend) = self.non_idempotent {
            retry.retry_non_idempotent = resend;
        }
        Ok(retry)
    }
}

/// The JSON parameters of a call: one positional object, or the keyword
/// arguments, not both.
pub(crate) fn params_of(
    py: Python<'_>,
    operation: &str,
    params: Option<&Bound<'_, PyAny>>,
    kwargs: Option<&Bound<'_, PyDict>>,
) -> PyResult<String> {
    let kwargs = kwargs.filter(|kwargs| !kwargs.is_empty());
    let given = match (params.filter(|p| !p.is_none()), kwargs) {
        (Some(_), Some(_)) => {
            return Err(PyTypeError::new_err(format!(
                "{operation}() takes its parameters as one dict or as keyword arguments, not both"
            )));
        }
        (Some(params), None) => params,
        (None, Some(kwargs)) => kwargs.as_any(),
        (None, None) => return Ok(String::new()),
    };
    to_json(given).map_err(|error| crate::errors::not_json(py, operation, error))
}

/// Calls the operation `name` with the GIL released while the request runs.
fn call<K: TokenKind>(
    py: Python<'_>,
    client: &Client<K>,
    name: &str,
    params: String,
) -> PyResult<Py<PyAny>> {
    let operation = find(name).map_err(|e| build_error(py, &e))?;
    match py.detach(|| client.call(operation, &params)) {
        Ok(answer) => Ok(from_json(py, answer.as_bytes())?.unbind()),
        Err(error) => Err(client_error(py, error)),
    }
}

/// Sends `messages` as the batches of the batch send `name` the core cuts
/// and checks, one call each; a failure carries the results until then.
fn send_batches(
    py: Python<'_>,
    client: &Client<Server>,
    name: &str,
    messages: &Bound<'_, PyAny>,
) -> PyResult<Py<PyAny>> {
    let op = find(name).map_err(|e| build_error(py, &e))?;
    let text = to_json(messages).map_err(|error| crate::errors::not_json(py, name, error))?;
    let batches = py
        .detach(|| batching::batch_params(op, Server::NAME, &text))
        .map_err(|error| build_error(py, &error))?;
    let sent = PyList::empty(py);
    for params in batches {
        match py.detach(|| client.call(op, &params)) {
            Ok(answer) => {
                for result in from_json(py, answer.as_bytes())?.try_iter()? {
                    sent.append(result?)?;
                }
            }
            Err(error) => {
                let error = client_error(py, error);
                error.value(py).setattr("sent", sent)?;
                return Err(error);
            }
        }
    }
    Ok(sent.into_any().unbind())
}

/// The pages (JSON arrays) of the windows of a capped search, as
/// [`SearchWindows`] plans them, and the windows truncated at the cap.
fn walk_windows(
    client: &Client<Server>,
    op: &'static Operation,
    params: &str,
    from: &str,
    to: &str,
) -> Result<(Vec<String>, Vec<Window>), ClientError> {
    let mut windows = SearchWindows::for_operation(op.name, from, to)?;
    let filters = match params {
        "" => Map::new(),
        text => match serde_json::from_str(text) {
            Ok(Value::Object(filters)) => filters,
            _ => {
                return Err(BuildError::InvalidParams {
                    operation: op.name,
                    path: ".".into(),
                    message: "the search's parameters must be an object".into(),
                }
                .into());
            }
        },
    };
    let (mut pages, mut truncated) = (Vec::new(), Vec::new());
    while let Some(window) = windows.next_window() {
        let mut search = filters.clone();
        search.insert("offset".into(), 0.into());
        search.insert(FROM_PARAM.into(), window.from.clone().into());
        search.insert(TO_PARAM.into(), window.to.clone().into());
        let mut pager = op.pages(&Value::Object(search).to_string(), None)?;
        let first = client.next_page(&mut pager)?;
        match windows.plan(&window, pager.cursor().total().unwrap_or_default()) {
            Plan::Split => continue,
            Plan::Truncated => truncated.push(window.clone()),
            Plan::Walk => {}
        }
        pages.extend(first);
        while let Some(page) = client.next_page(&mut pager)? {
            pages.push(page);
        }
        windows.walked(&window);
    }
    Ok((pages, truncated))
}

/// What a saved cursor holds: enough to resume the walk with any client of
/// the right kind.
#[derive(Serialize, Deserialize)]
pub(crate) struct SavedCursor {
    pub(crate) operation: String,
    /// The parameters as the core read them (`DynPager::params`); cursors
    /// saved by earlier versions may hold the caller's own, or `null`.
    pub(crate) params: Value,
    pub(crate) cursor: Cursor,
}

fn start_pages(
    py: Python<'_>,
    client: AnyClient,
    operation: &str,
    params: String,
    limit: Option<u64>,
) -> PyResult<Pages> {
    let pager = find(operation)
        .and_then(|op| op.pages(&params, limit))
        .map_err(|e| build_error(py, &e))?;
    Ok(Pages::new(client, pager))
}

fn resume_pages<K: TokenKind>(py: Python<'_>, client: AnyClient, cursor: &str) -> PyResult<Pages> {
    Ok(Pages::new(client, saved_walk(py, K::NAME, cursor)?))
}

/// The walk a saved cursor describes, for a client whose token is of `kind`.
pub(crate) fn saved_walk(py: Python<'_>, kind: &str, cursor: &str) -> PyResult<DynPager> {
    let invalid = |message: String| {
        let description = format!("invalid cursor: {message}");
        exception(
            py,
            "InvalidParameterError",
            description,
            json!({"kind": "invalid_cursor"}),
        )
    };
    let saved: SavedCursor = serde_json::from_str(cursor).map_err(|e| invalid(e.to_string()))?;
    let operation: &'static Operation = find(&saved.operation)
        .map_err(|_| invalid(format!("unknown operation `{}`", saved.operation)))?;
    if operation.token != kind {
        let owner = if operation.token == Server::NAME {
            "ServerClient"
        } else {
            "AccountClient"
        };
        return Err(invalid(format!(
            "`{}` is an operation of {owner}",
            saved.operation
        )));
    }
    operation
        .resume(&saved.params.to_string(), saved.cursor)
        .map_err(|e| build_error(py, &e))
}

/// Declares both classes from the operation table: the shared constructor
/// and helpers, then one method per operation, plus `<name>_all` for paged
/// lists. `#[pymethods]` must see every method in one block, so the rows are
/// collected first (`@munch`) and the block is written last.
macro_rules! client_classes {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        client_classes!(@munch ServerClient, Server, "a server token"
            [
                /// The server's webhooks (every stream) that post to `url`;
                /// scheme and host compare without case, a trailing slash
                /// does not count.
                fn webhooks_pointing_at(&self, py: Python<'_>, url: &str) -> PyResult<Py<PyAny>> {
                    let found = py.detach(|| self.client.webhooks_pointing_at(url));
                    let found = found.map_err(|error| client_error(py, error))?;
                    let found = serde_json::to_string(&found).expect("webhooks always serialize");
                    Ok(from_json(py, found.as_bytes())?.unbind())
                }

                /// Deletes every webhook of the server that posts to `url`
                /// and returns their IDs; one deleted meanwhile by someone
                /// else counts as deleted. On the first other failure it
                /// raises, with the IDs deleted until then in the
                /// exception's `deleted`.
                fn delete_webhooks_pointing_at(&self, py: Python<'_>, url: &str) -> PyResult<Vec<i64>> {
                    py.detach(|| self.client.delete_webhooks_pointing_at(url))
                        .map_err(|stopped| {
                            let error = client_error(py, stopped.error);
                            // The class is the failure's own; what was done goes with it.
                            let _ = error.value(py).setattr("deleted", stopped.deleted);
                            error
                        })
                }

                /// Sends any number of messages as batches Postmark takes
                /// (500 messages and 50 MB each) and returns one result per
                /// message, in their order. Every batch is checked before the
                /// first is sent; a failure after that raises with the
                /// results answered until then in the exception's `sent`.
                fn send_email_batches(&self, py: Python<'_>, messages: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                    send_batches(py, &self.client, "send_email_batch", messages)
                }

                /// `send_email_batches` of template sends, through
                /// `POST /email/batchWithTemplates`.
                fn send_email_batches_with_templates(&self, py: Python<'_>, messages: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
                    send_batches(py, &self.client, "send_email_batch_with_templates", messages)
                }

                /// Every item of a capped search (`list_bounces`,
                /// `search_outbound_messages`, `search_inbound_messages`)
                /// from `from_` to `to`, past the 10,000 items Postmark
                /// pages, in date windows the core splits: a dict of
                /// `items` and `truncated`.
                #[pyo3(signature = (operation, from_, to, params=None, /, **kwargs))]
                fn walk_windows(
                    &self,
                    py: Python<'_>,
                    operation: &str,
                    from_: &str,
                    to: &str,
                    params: Option<&Bound<'_, PyAny>>,
                    kwargs: Option<&Bound<'_, PyDict>>,
                ) -> PyResult<Py<PyAny>> {
                    let params = params_of(py, operation, params, kwargs)?;
                    let op = find(operation).map_err(|e| build_error(py, &e))?;
                    let (pages, truncated) = py
                        .detach(|| walk_windows(&self.client, op, &params, from_, to))
                        .map_err(|error| client_error(py, error))?;
                    let items = PyList::empty(py);
                    for page in pages {
                        for item in from_json(py, page.as_bytes())?.try_iter()? {
                            items.append(item?)?;
                        }
                    }
                    let truncated = serde_json::to_string(&truncated).expect("windows always serialize");
                    let walked = PyDict::new(py);
                    walked.set_item("items", items)?;
                    walked.set_item("truncated", from_json(py, truncated.as_bytes())?)?;
                    Ok(walked.into_any().unbind())
                }
            ]
            $($sp $s $sm $sr)*);
        client_classes!(@munch AccountClient, Account, "an account token" [] $($ap $a $am $ar)*);
    };
    (@munch $class:ident, $kind:ident, $what:literal [$($methods:tt)*]
     single $name:ident $method:ident $path:literal $($rest:tt)*) => {
        client_classes!(@munch $class, $kind, $what [$($methods)*]
            call $name ["`" $method " " $path "`. Takes the parameters as keyword arguments \
                         with Postmark's wire names, or as one dict; returns the response as a dict."]
            $($rest)*);
    };
    (@munch $class:ident, $kind:ident, $what:literal [$($methods:tt)*]
     paged $name:ident $method:ident $path:literal $($rest:tt)*) => {
        client_classes!(@munch $class, $kind, $what [
            $($methods)*
            #[doc = "Every item of `" $method " " $path "`, fetched a page at a time as the \
                     iteration reaches it, from the page `count` and `offset` name; at most \
                     `limit` items."]
            #[pyo3(signature = (params=None, /, *, limit=None, **kwargs))]
            fn [<$name _all>](
                &self,
                py: Python<'_>,
                params: Option<&Bound<'_, PyAny>>,
                limit: Option<u64>,
                kwargs: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<Pages> {
                let params = params_of(py, stringify!($name), params, kwargs)?;
                start_pages(py, AnyClient::$kind(Arc::clone(&self.client)), stringify!($name), params, limit)
            }
        ]
            call $name ["`" $method " " $path "`: one page. Takes the parameters as keyword \
                         arguments, or as one dict; returns the page as a dict."]
            $($rest)*);
    };
    // The method that makes one call, single or one page, with its doc.
    (@munch $class:ident, $kind:ident, $what:literal [$($methods:tt)*]
     call $name:ident [$($doc:tt)*] $($rest:tt)*) => {
        client_classes!(@munch $class, $kind, $what [
            $($methods)*
            #[doc = $($doc)*]
            #[pyo3(signature = (params=None, /, **kwargs))]
            fn $name(
                &self,
                py: Python<'_>,
                params: Option<&Bound<'_, PyAny>>,
                kwargs: Option<&Bound<'_, PyDict>>,
            ) -> PyResult<Py<PyAny>> {
                let params = params_of(py, stringify!($name), params, kwargs)?;
                call(py, &self.client, stringify!($name), params)
            }
        ] $($rest)*);
    };
    (@munch $class:ident, $kind:ident, $what:literal [$($methods:tt)*]) => {
        pastey::paste! {
            #[doc = "A Postmark client holding " $what ": one method per operation that \
                     takes one. Safe to share between threads; connections are pooled."]
            #[pyclass(frozen, module = "postmark_kit")]
            pub(crate) struct $class {
                client: Arc<Client<$kind>>,
            }

            #[pymethods]
            impl $class {
                #[new]
                #[pyo3(signature = (
                    token=None, *, base_url=None, timeout=None, connect_timeout=None,
                    max_attempts=None, retry_base_delay=None, retry_max_delay=None,
                    max_retry_after=None, retry_non_idempotent=None, user_agent=None,
                    allow_insecure_http=false,
                ))]
                #[expect(
                    clippy::too_many_arguments,
                    reason = "Python keyword arguments, gathered into Settings at once"
                )]
                fn new(
                    py: Python<'_>,
                    token: Option<String>,
                    base_url: Option<String>,
                    timeout: Option<f64>,
                    connect_timeout: Option<f64>,
                    max_attempts: Option<u32>,
                    retry_base_delay: Option<f64>,
                    retry_max_delay: Option<f64>,
                    max_retry_after: Option<f64>,
                    retry_non_idempotent: Option<bool>,
                    user_agent: Option<String>,
                    allow_insecure_http: bool,
                ) -> PyResult<Self> {
                    let settings = Settings {
                        base_url,
                        allow_insecure_http,
                        timeout,
                        connect_timeout,
                        retry: RetrySettings {
                            max_attempts,
                            base_delay: retry_base_delay,
                            max_delay: retry_max_delay,
                            max_retry_after,
                            non_idempotent: retry_non_idempotent,
                        },
                        user_agent,
                    };
                    let client = new_client::<$kind>(py, token, settings)?;
                    Ok($class { client: Arc::new(client) })
                }

                /// The base URL requests go to.
                #[getter]
                fn base_url(&self) -> &str {
                    self.client.config().base_url()
                }

                fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
                    let url = PyString::new(py, self.client.config().base_url()).repr()?;
                    Ok(format!("{}(base_url={url})", stringify!($class)))
                }

                /// Any request (method, path, query, JSON body) with this
                /// client's token, retries and error decoding; the answer as
                /// JSON (`None` for an empty body).
                #[pyo3(signature = (method, path, *, query=None, body=None))]
                fn raw(
                    &self,
                    py: Python<'_>,
                    method: &str,
                    path: &str,
                    query: Option<&Bound<'_, PyAny>>,
                    body: Option<&Bound<'_, PyAny>>,
                ) -> PyResult<Py<PyAny>> {
                    let request = PyDict::new(py);
                    request.set_item("method", method)?;
                    request.set_item("path", path)?;
                    for (key, value) in [("query", query), ("body", body)] {
                        if let Some(value) = value.filter(|v| !v.is_none()) {
                            request.set_item(key, value)?;
                        }
                    }
                    let params = params_of(py, "raw", Some(request.as_any()), None)?;
                    call(py, &self.client, "raw", params)
                }

                /// Resumes a walk over a paged list from a `Pages.cursor`.
                fn resume(&self, py: Python<'_>, cursor: &str) -> PyResult<Pages> {
                    resume_pages::<$kind>(py, AnyClient::$kind(Arc::clone(&self.client)), cursor)
                }

                $($methods)*
            }
        }
    };
}

postmark_kit::for_each_operation!(client_classes);
