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
    walk: Mutex<Walk>,
}

struct Walk {
    client: AnyClient,
    pager: DynPager,
    /// Items of the last page not handed out yet.
    buffer: VecDeque<Py<PyAny>>,
}

impl Walk {
    /// Where the caller stands: the items still buffered count as not handed out.
    fn position(&self) -> Cursor {
        self.pager.cursor().unconsumed(self.buffer.len() as u64)
    }
}

impl Pages {
    pub(crate) fn new(client: AnyClient, pager: DynPager) -> Pages {
        let operation = pager.operation().name;
        let walk = Walk {
            client,
            pager,
            buffer: VecDeque::new(),
        };
        Pages {
            operation,
            walk: Mutex::new(walk),
        }
    }

    fn lock(&self) -> PyResult<MutexGuard<'_, Walk>> {
        match self.walk.try_lock() {
            Ok(walk) => Ok(walk),
            Err(TryLockError::WouldBlock) => Err(PyRuntimeError::new_err(
                "this Pages is fetching a page in another thread: a walk is used by one \
                 thread at a time (give each thread its own, or share it behind a lock)",
            )),
            // A panic is raised to Python as it unwinds; the walk's own state
            // only changes once a page is in, so it is still consistent.
            Err(TryLockError::Poisoned(poisoned)) => Ok(poisoned.into_inner()),
        }
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
        let mut walk = self.lock()?;
        let walk = &mut *walk;
        loop {
            if let Some(item) = walk.buffer.pop_front() {
                return Ok(Some(item));
            }
            let (client, pager) = (&walk.client, &mut walk.pager);
            match py.detach(|| client.next_page(pager)) {
                Ok(Some(items)) => {
                    let items = from_json(py, &items)?;
                    for item in items.try_iter()? {
                        walk.buffer.push_back(item?.unbind());
                    }
                }
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
        let walk = self.lock()?;
        let saved = SavedCursor {
            operation: self.operation.to_owned(),
            params: Value::Object(walk.pager.params().clone()),
            cursor: walk.position(),
        };
        Ok(serde_json::to_string(&saved).expect("cursors always serialize"))
    }

    /// How many items were handed out so far.
    #[getter]
    fn yielded(&self) -> PyResult<u64> {
        Ok(self.lock()?.position().yielded())
    }

    /// The last `TotalCount` Postmark reported, once a page came back.
    #[getter]
    fn total(&self) -> PyResult<Option<u64>> {
        Ok(self.lock()?.pager.cursor().total())
    }

    /// Why the walk ended (`"exhausted"`, `"empty_page"`, `"limit"` or
    /// `"cap"`), or `None` while items remain.
    #[getter]
    fn stop_reason(&self) -> PyResult<Option<&'static str>> {
        Ok(self
            .lock()?
            .position()
            .stop_reason()
            .map(StopReason::as_str))
    }

    fn __repr__(&self) -> String {
        // repr() does not raise: a debugger or a log line may call it from any thread.
        let Ok(walk) = self.lock() else {
            return format!("Pages(operation={:?}, fetching)", self.operation);
        };
        let total = walk.pager.cursor().total();
        format!(
            "Pages(operation={:?}, yielded={}, total={})",
            self.operation,
            walk.position().yielded(),
            total.map_or_else(|| "None".to_owned(), |t| t.to_string())
        )
    }
}
