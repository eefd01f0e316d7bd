//! `Pages`: the items of a paged list, fetched lazily, with a cursor to resume.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard, TryLockError};

use postmark_kit::ops::DynPager;
use postmark_kit::{Account, Cursor, Server, StopReason};
use postmark_kit_ureq::{Client, ClientError};
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use serde_json::Value;

use crate::client::SavedCursor;
use crate::convert::from_json;
use crate::errors::client_error;

/// The client a walk fetches its pages with.
#[derive(Debug)]
pub(crate) enum AnyClient {
    Server(Arc<Client<Server>>),
    Account(Arc<Client<Account>>),
}

impl AnyClient {
    fn next_page(&self, pager: &mut DynPager) -> Result<Option<String>, ClientError> {
        match self {
            AnyClient::Server(client) => client.next_page(pager),
            AnyClient::Account(client) => client.next_page(pager),
        }
    }
}

/// Every item of a paged list, as dicts. A page is fetched (with the GIL
/// released) when the iteration reaches it. After an error the walk stays
/// where it was: iterating again retries the same page, and `cursor` resumes
/// it later with `client.resume(cursor)`.
///
/// One thread at a time: the walk is locked while a page is fetched, and
/// another thread using it meanwhile gets a `RuntimeError` instead of
/// waiting with the GIL held.
#[pyclass(frozen, module = "postmark_kit")]
pub(crate) struct Pages {
    /// The operation walked, readable while the walk is locked.
    operation: &'static str,
    walk: Mutex<(AnyClient, Walk)>,
}

/// Where a walk stands, whoever fetches its pages: the pager and the items
/// of the last page not handed out yet.
pub(crate) struct Walk {
    pager: DynPager,
    buffer: VecDeque<Py<PyAny>>,
}

impl Walk {
    pub(crate) fn new(pager: DynPager) -> Walk {
        Walk {
            pager,
            buffer: VecDeque::new(),
        }
    }

    pub(crate) fn operation(&self) -> &'static str {
        self.pager.operation().name
    }

    pub(crate) fn pager(&mut self) -> &mut DynPager {
        &mut self.pager
    }

    /// The next item not handed out yet, if a page holds one.
    pub(crate) fn pop(&mut self) -> Option<Py<PyAny>> {
        self.buffer.pop_front()
    }

    /// Takes a page's items (a JSON array) as the next ones to hand out.
    pub(crate) fn take(&mut self, py: Python<'_>, items: &[u8]) -> PyResult<()> {
        for item in from_json(py, items)?.try_iter()? {
            self.buffer.push_back(item?.unbind());
        }
        Ok(())
    }

    /// Where the caller stands: the items still buffered count as not handed out.
    fn position(&self) -> Cursor {
        self.pager.cursor().unconsumed(self.buffer.len() as u64)
    }

    /// The walk's position as a saved cursor (JSON) for `client.resume()`.
    pub(crate) fn cursor(&self) -> String {
        let saved = SavedCursor {
            operation: self.pager.operation().name.to_owned(),
            params: Value::Object(self.pager.params().clone()),
            cursor: self.position(),
        };
        serde_json::to_string(&saved).expect("cursors always serialize")
    }

    pub(crate) fn yielded(&self) -> u64 {
        self.position().yielded()
    }

    pub(crate) fn total(&self) -> Option<u64> {
        self.pager.cursor().total()
    }

    pub(crate) fn stop_reason(&self) -> Option<&'static str> {
        self.position().stop_reason().map(StopReason::as_str)
    }

    /// `repr()` of the class `class` holding this walk.
    pub(crate) fn repr(&self, class: &str) -> String {
        format!(
            "{class}(operation={:?}, yielded={}, total={})",
            self.pager.operation().name,
            self.yielded(),
            self.total()
                .map_or_else(|| "None".to_owned(), |t| t.to_string())
        )
    }
}

/// `walk` locked for one caller at a time: another one gets a
/// `RuntimeError` instead of waiting (with the GIL held) for a page.
pub(crate) fn lock_walk<'a, T>(walk: &'a Mutex<T>, class: &str) -> PyResult<MutexGuard<'a, T>> {
    match walk.try_lock() {
        Ok(walk) => Ok(walk),
        Err(TryLockError::WouldBlock) => Err(PyRuntimeError::new_err(format!(
            "this {class} is fetching a page elsewhere: a walk is used by one thread or \
             task at a time (give each its own, or share it behind a lock)"
        ))),
        // A panic is raised to Python as it unwinds; the walk's own state
        // only changes once a page is in, so it is still consistent.
        Err(TryLockError::Poisoned(poisoned)) => Ok(poisoned.into_inner()),
    }
}

impl Pages {
    pub(crate) fn new(client: AnyClient, pager: DynPager) -> Pages {
        Pages {
            operation: pager.operation().name,
            walk: Mutex::new((client, Walk::new(pager))),
        }
    }

    fn lock(&self) -> PyResult<MutexGuard<'_, (AnyClient, Walk)>> {
        lock_walk(&self.walk, "Pages")
    }
}

#[pymethods]
impl Pages {
    /// `Pages[Server]` in annotations evaluated at run time.
    #[classmethod]
    fn __class_getitem__<'py>(
        cls: &Bound<'py, PyType>,
        item: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = cls.py();
        static GENERIC_ALIAS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        GENERIC_ALIAS
            .import(py, "types", "GenericAlias")?
            .call1((cls, item))
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        let mut guard = self.lock()?;
        let (client, walk) = &mut *guard;
        loop {
            if let Some(item) = walk.pop() {
                return Ok(Some(item));
            }
            let pager = walk.pager();
            match py.detach(|| client.next_page(pager)) {
                Ok(Some(items)) => walk.take(py, items.as_bytes())?,
                Ok(None) => return Ok(None),
                Err(error) => return Err(client_error(py, error)),
            }
        }
    }

    /// The operation being walked.
    #[getter]
    fn operation(&self) -> &'static str {
        self.operation
    }

    /// Where the walk stands, as an opaque string (JSON) to store and pass to
    /// `client.resume()`: the walk goes on with the first item not yet
    /// handed out.
    #[getter]
    fn cursor(&self) -> PyResult<String> {
        Ok(self.lock()?.1.cursor())
    }

    /// How many items were handed out so far.
    #[getter]
    fn yielded(&self) -> PyResult<u64> {
        Ok(self.lock()?.1.yielded())
    }

    /// The last `TotalCount` Postmark reported, once a page came back.
    #[getter]
    fn total(&self) -> PyResult<Option<u64>> {
        Ok(self.lock()?.1.total())
    }

    /// Why the walk ended (`"exhausted"`, `"empty_page"`, `"limit"` or
    /// `"cap"`), or `None` while items remain.
    #[getter]
    fn stop_reason(&self) -> PyResult<Option<&'static str>> {
        Ok(self.lock()?.1.stop_reason())
    }

    fn __repr__(&self) -> String {
        // repr() does not raise: a debugger or a log line may call it from any thread.
        match self.lock() {
            Ok(guard) => guard.1.repr("Pages"),
            Err(_) => format!("Pages(operation={:?}, fetching)", self.operation),
        }
    }
}
