//! `Engine` and `PageWalk`: the clients without a transport, for the asyncio
//! clients (`postmark_kit.aio`) and any other event loop. The engine builds
//! each request, decides each retry by the core's policy, and a walk takes
//! the pages of a paged list as they come; the caller only moves bytes.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use postmark_kit::api::email::SendEmailResponse;
use postmark_kit::http::{HeaderValue, StatusCode};
use postmark_kit::ops::{BuiltRequest, Operation, find};
use postmark_kit::windows::{Plan, SearchWindows, Window};
use postmark_kit::{
    Account, BuildError, Config, Decision, ErrorCode, Outcome, Page, RetryPolicy, Server,
    TokenKind, batching, parse_retry_after,
};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple};

use crate::client::{ConfigSource, RetrySettings, configuration_error, params_of, saved_walk};
use crate::convert::to_json;
use crate::errors::{api_error, build_error, not_json};
use crate::pages::{Walk, lock_walk};
use crate::sansio::response_of;

/// A config of either kind of token.
#[derive(Clone)]
enum AnyConfig {
    Server(Config<Server>),
    Account(Config<Account>),
}

impl AnyConfig {
    fn build(&self, op: &Operation, params: &str) -> Result<BuiltRequest, BuildError> {
        match self {
            AnyConfig::Server(config) => op.build(config, params),
            AnyConfig::Account(config) => op.build(config, params),
        }
    }

    fn base_url(&self) -> &str {
        match self {
            AnyConfig::Server(config) => config.base_url(),
            AnyConfig::Account(config) => config.base_url(),
        }
    }

    fn kind(&self) -> &'static str {
        match self {
            AnyConfig::Server(_) => Server::NAME,
            AnyConfig::Account(_) => Account::NAME,
        }
    }
}

/// `(method, url, headers, body, idempotent)` of a built request: the
/// headers as `(name, value)` pairs, the body as bytes or `None`.
fn request_tuple<'py>(py: Python<'py>, built: BuiltRequest) -> PyResult<Bound<'py, PyTuple>> {
    let request = &built.request;
    let headers = PyList::empty(py);
    for (name, value) in request.headers() {
        let value = String::from_utf8_lossy(value.as_bytes());
        headers.append((name.as_str(), value))?;
    }
    let body = match request.body().as_slice() {
        [] => None,
        body => Some(PyBytes::new(py, body)),
    };
    let url = PyString::new(py, &request.uri().to_string());
    (
        request.method().as_str(),
        url,
        headers,
        body,
        built.idempotent,
    )
        .into_pyobject(py)
}

/// The core without a transport, for one token: builds requests, decides
/// retries by the core's policy and starts walks over paged lists. Made by
/// the asyncio clients; usable from any event loop.
#[pyclass(frozen, module = "postmark_kit")]
pub(crate) struct Engine {
    config: AnyConfig,
    retry: RetryPolicy,
    /// xorshift state for retry jitter, as the blocking clients keep it.
    jitter: AtomicU64,
}

#[pymethods]
impl Engine {
    #[new]
    #[pyo3(signature = (
        token_kind, token=None, *, base_url=None, max_attempts=None, retry_base_delay=None,
        retry_max_delay=None, max_retry_after=None, retry_non_idempotent=None, user_agent=None,
        allow_insecure_http=false,
    ))]
    #[expect(
        clippy::too_many_arguments,
        reason = "Python keyword arguments, gathered at once"
    )]
    fn new(
        py: Python<'_>,
        token_kind: &str,
        token: Option<String>,
        base_url: Option<String>,
        max_attempts: Option<u32>,
        retry_base_delay: Option<f64>,
        retry_max_delay: Option<f64>,
        max_retry_after: Option<f64>,
        retry_non_idempotent: Option<bool>,
        user_agent: Option<String>,
        allow_insecure_http: bool,
    ) -> PyResult<Self> {
        let source = ConfigSource {
            token: token.as_deref(),
            base_url: base_url.as_deref(),
            user_agent: user_agent.as_deref(),
            allow_insecure_http,
        };
        let config = match token_kind {
            Server::NAME => AnyConfig::Server(source.config(py)?),
            Account::NAME => AnyConfig::Account(source.config(py)?),
            kind => {
                return Err(configuration_error(
                    py,
                    format!("token_kind is `{kind}`; it must be `server` or `account`"),
                ));
            }
        };
        let retry = RetrySettings {
            max_attempts,
            base_delay: retry_base_delay,
            max_delay: retry_max_delay,
            max_retry_after,
            non_idempotent: retry_non_idempotent,
        }
        .policy(py)?;
        let seed = RandomState::new().build_hasher().finish() | 1;
        Ok(Engine {
            config,
            retry,
            jitter: AtomicU64::new(seed),
        })
    }

    /// The base URL requests go to.
    #[getter]
    fn base_url(&self) -> &str {
        self.config.base_url()
    }

    /// `"server"` or `"account"`.
    #[getter]
    fn token_kind(&self) -> &'static str {
        self.config.kind()
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        let url = PyString::new(py, self.config.base_url()).repr()?;
        Ok(format!(
            "Engine(token_kind='{}', base_url={url})",
            self.config.kind()
        ))
    }

    /// The request for `operation` with its parameters (one object, or the
    /// keyword arguments as a dict), checked as the clients check it:
    /// `(method, url, headers, body, idempotent)`.
    #[pyo3(signature = (operation, params=None, kwargs=None))]
    fn build<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        params: Option<&Bound<'py, PyAny>>,
        kwargs: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyTuple>> {
        let op = find(operation).map_err(|error| build_error(py, &error))?;
        let params = params_of(py, operation, params, kwargs)?;
        let built = py
            .detach(|| self.config.build(op, &params))
            .map_err(|error| build_error(py, &error))?;
        request_tuple(py, built)
    }

    /// The requests of the batch send `operation` sending `messages`, as the
    /// core cuts them (500 messages and 50 MB each): every one checked
    /// before any is sent.
    fn batches<'py>(
        &self,
        py: Python<'py>,
        operation: &str,
        messages: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let op = find(operation).map_err(|error| build_error(py, &error))?;
        let text = to_json(messages).map_err(|error| not_json(py, operation, error))?;
        let built = py
            .detach(|| {
                batching::batch_params(op, self.config.kind(), &text)?
                    .iter()
                    .map(|params| self.config.build(op, params))
                    .collect::<Result<Vec<_>, BuildError>>()
            })
            .map_err(|error| build_error(py, &error))?;
        let requests = PyList::empty(py);
        for request in built {
            requests.append(request_tuple(py, request)?)?;
        }
        Ok(requests)
    }

    /// How long to wait before attempt `attempt + 1`, in seconds, or `None`
    /// to give up. `status` is the answer's status, `None` when none came:
    /// then `sent` tells whether the request may have reached Postmark.
    #[pyo3(signature = (attempt, idempotent, status, retry_after=None, sent=true))]
    fn retry_delay(
        &self,
        attempt: u32,
        idempotent: bool,
        status: Option<u16>,
        retry_after: Option<&str>,
        sent: bool,
    ) -> Option<f64> {
        let outcome = match status.and_then(|status| StatusCode::from_u16(status).ok()) {
            Some(status) => Outcome::Status {
                status,
                retry_after: retry_after
                    .and_then(|value| HeaderValue::from_str(value).ok())
                    .and_then(|value| parse_retry_after(&value, unix_now())),
            },
            None if sent => Outcome::NoResponse,
            None => Outcome::NotSent,
        };
        match self
            .retry
            .decide(attempt, idempotent, &outcome, self.next_jitter())
        {
            Decision::Retry(wait) => Some(wait.as_secs_f64()),
            Decision::GiveUp => None,
        }
    }

    /// A walk over every item of the paged list `operation`, from the page
    /// its `count` and `offset` name; at most `limit` items.
    #[pyo3(signature = (operation, params=None, kwargs=None, limit=None))]
    fn pages(
        &self,
        py: Python<'_>,
        operation: &str,
        params: Option<&Bound<'_, PyAny>>,
        kwargs: Option<&Bound<'_, PyDict>>,
        limit: Option<u64>,
    ) -> PyResult<PageWalk> {
        let params = params_of(py, operation, params, kwargs)?;
        let pager = find(operation)
            .and_then(|op| op.pages(&params, limit))
            .map_err(|e| build_error(py, &e))?;
        Ok(PageWalk::new(self.config.clone(), Walk::new(pager)))
    }

    /// Resumes a walk from a saved cursor (`Pages.cursor` or `AsyncPages.cursor`).
    fn resume(&self, py: Python<'_>, cursor: &str) -> PyResult<PageWalk> {
        let pager = saved_walk(py, self.config.kind(), cursor)?;
        Ok(PageWalk::new(self.config.clone(), Walk::new(pager)))
    }
}

impl Engine {
    /// A value in [0, 1) from the engine's xorshift64 generator.
    fn next_jitter(&self) -> f64 {
        let mut x = self.jitter.load(Ordering::Relaxed);
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.jitter.store(x, Ordering::Relaxed);
        (x >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// The time since the Unix epoch, for `Retry-After` dates.
fn unix_now() -> Option<Duration> {
    SystemTime::now().duration_since(UNIX_EPOCH).ok()
}

/// A walk over a paged list without a transport: `next_request()` gives the
/// next page's request, `advance()` takes its answer, `pop()` hands out the
/// items one at a time. A page asked for but not answered (a cancelled
/// fetch) counts for nothing: the next `next_request()` asks for it again.
#[pyclass(frozen, module = "postmark_kit")]
pub(crate) struct PageWalk {
    config: AnyConfig,
    /// The page asked for and not answered yet, and the walk.
    walk: Mutex<(Option<Page>, Walk)>,
}

impl PageWalk {
    fn new(config: AnyConfig, walk: Walk) -> PageWalk {
        PageWalk {
            config,
            walk: Mutex::new((None, walk)),
        }
    }
}

#[pymethods]
impl PageWalk {
    /// The request for the next page, as `Engine.build` gives it, or `None`
    /// when the walk is over.
    fn next_request<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyTuple>>> {
        let mut guard = lock_walk(&self.walk, "PageWalk")?;
        let (pending, walk) = &mut *guard;
        let Some((page, params)) = walk.pager().next_params() else {
            *pending = None;
            return Ok(None);
        };
        let op = walk.pager().operation();
        let built = self
            .config
            .build(op, &params)
            .map_err(|error| build_error(py, &error))?;
        *pending = Some(page);
        Ok(Some(request_tuple(py, built)?))
    }

    /// Takes the answer to the page `next_request()` gave; raises the
    /// client's exception for an error answer, and the walk stays where it was.
    #[pyo3(signature = (status, body, headers=None))]
    fn advance(
        &self,
        py: Python<'_>,
        status: i64,
        body: Option<&Bound<'_, PyAny>>,
        headers: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let mut guard = lock_walk(&self.walk, "PageWalk")?;
        let (pending, walk) = &mut *guard;
        let page = pending.ok_or_else(|| {
            pyo3::exceptions::PyRuntimeError::new_err("advance() without a page asked for")
        })?;
        let items = response_of(status, headers, body, |response| {
            py.detach(|| walk.pager().advance(page, response))
        })?;
        match items {
            Ok(items) => {
                *pending = None;
                walk.take(py, items.as_bytes())
            }
            Err(error) => Err(api_error(py, &error)),
        }
    }

    /// The next item of a page already in, or `None`.
    fn pop(&self) -> PyResult<Option<Py<PyAny>>> {
        Ok(lock_walk(&self.walk, "PageWalk")?.1.pop())
    }

    /// The operation being walked.
    #[getter]
    fn operation(&self) -> PyResult<&'static str> {
        Ok(lock_walk(&self.walk, "PageWalk")?.1.operation())
    }

    /// Where the walk stands, as a cursor for `resume()`.
    #[getter]
    fn cursor(&self) -> PyResult<String> {
        Ok(lock_walk(&self.walk, "PageWalk")?.1.cursor())
    }

    /// How many items were handed out so far.
    #[getter]
    fn yielded(&self) -> PyResult<u64> {
        Ok(lock_walk(&self.walk, "PageWalk")?.1.yielded())
    }

    /// The last `TotalCount` Postmark reported, once a page came back.
    #[getter]
    fn total(&self) -> PyResult<Option<u64>> {
        Ok(lock_walk(&self.walk, "PageWalk")?.1.total())
    }

    /// Why the walk ended, or `None` while items remain.
    #[getter]
    fn stop_reason(&self) -> PyResult<Option<&'static str>> {
        Ok(lock_walk(&self.walk, "PageWalk")?.1.stop_reason())
    }

    fn __repr__(&self) -> String {
        match lock_walk(&self.walk, "PageWalk") {
            Ok(guard) => guard.1.repr("PageWalk"),
            Err(_) => "PageWalk(fetching)".to_owned(),
        }
    }
}

/// The date windows of a search past Postmark's paging cap, for a transport
/// of its own (the asyncio client's `walk_windows`): `next_window()` names
/// the window to search, `plan()` takes its first page's `TotalCount` and
/// answers `"walk"`, `"split"` (drop that page, ask again) or
/// `"truncated"`, and `walked()` moves on.
#[pyclass(module = "postmark_kit")]
pub(crate) struct DateWindows {
    windows: SearchWindows,
}

#[pymethods]
impl DateWindows {
    /// The windows of `operation` (`list_bounces`, `search_outbound_messages`,
    /// `search_inbound_messages`) from `from_` to `to`, bounds included.
    #[new]
    fn new(py: Python<'_>, operation: &str, from_: &str, to: &str) -> PyResult<Self> {
        SearchWindows::for_operation(operation, from_, to)
            .map(|windows| DateWindows { windows })
            .map_err(|error| build_error(py, &error))
    }

    /// `(from, to)` of the window to search next, or `None` when every one was walked.
    fn next_window(&self) -> Option<(String, String)> {
        self.windows
            .next_window()
            .map(|window| (window.from, window.to))
    }

    /// What to do with the window `from_`-`to`, given its first page's `TotalCount`.
    fn plan(&mut self, from_: String, to: String, total: u64) -> &'static str {
        match self.windows.plan(&Window { from: from_, to }, total) {
            Plan::Walk => "walk",
            Plan::Split => "split",
            Plan::Truncated => "truncated",
        }
    }

    /// Records that the window `from_`-`to` was walked.
    fn walked(&mut self, from_: String, to: String) {
        self.windows.walked(&Window { from: from_, to });
    }
}

/// The recipients Postmark will not deliver to as inactive, named in the
/// answer to one message: its `ErrorCode` (0 when accepted, 406 when every
/// recipient was inactive) and its `Message`.
#[pyfunction]
pub(crate) fn inactive_recipients_of(error_code: u32, message: String) -> Vec<String> {
    SendEmailResponse {
        error_code: ErrorCode::from(error_code),
        message,
        ..SendEmailResponse::default()
    }
    .inactive_recipients()
}
