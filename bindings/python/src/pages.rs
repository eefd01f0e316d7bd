//! `Pages`: the items of a paged list, fetched lazily, with a cursor to resume.

use std::collections::VecDeque;
use std::sync::Arc;

use postmark_kit::ops::DynPager;
use postmark_kit::{Account, Cursor, Server};
use postmark_kit_ureq::{Client, ClientError};
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
#[pyclass(module = "postmark_kit")]
pub(crate) struct Pages {
    client: AnyClient,
    pager: DynPager,
    /// The parameters the walk started with, for the saved cursor.
    params: Value,
    /// Items of the last page not handed out yet.
    buffer: VecDeque<Py<PyAny>>,
}

impl Pages {
    pub(crate) fn new(client: AnyClient, pager: DynPager, params: Value) -> Pages {
        Pages {
            client,
            pager,
            params,
            buffer: VecDeque::new(),
        }
    }

    /// Where the caller stands: the items still buffered count as not handed out.
    fn position(&self) -> Cursor {
        self.pager.cursor().unconsumed(self.buffer.len() as u64)
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

    fn __next__(&mut self, py: Python<'_>) -> PyResult<Option<Py<PyAny>>> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Ok(Some(item));
            }
            let (client, pager) = (&self.client, &mut self.pager);
            match py.detach(|| client.next_page(pager)) {
                Ok(Some(items)) => {
                    let items = from_json(py, &items)?;
                    for item in items.try_iter()? {
                        self.buffer.push_back(item?.unbind());
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
        self.pager.operation().name
    }

    /// Where the walk stands, as an opaque string (JSON) to store and pass to
    /// `client.resume()`: the walk goes on with the first item not yet
    /// handed out.
    #[getter]
    fn cursor(&self) -> String {
        let saved = SavedCursor {
            operation: self.pager.operation().name.to_owned(),
            params: self.params.clone(),
            cursor: self.position(),
        };
        serde_json::to_string(&saved).expect("cursors always serialize")
    }

    /// How many items were handed out so far.
    #[getter]
    fn yielded(&self) -> u64 {
        self.position().yielded()
    }

    /// The last `TotalCount` Postmark reported, once a page came back.
    #[getter]
    fn total(&self) -> Option<u64> {
        self.pager.cursor().total()
    }

    /// Why the walk ended (`"exhausted"`, `"empty_page"`, `"limit"` or
    /// `"cap"`), or `None` while items remain.
    #[getter]
    fn stop_reason(&self) -> Option<String> {
        // The core's serialized names.
        let reason = serde_json::to_value(self.position().stop_reason());
        reason.ok()?.as_str().map(str::to_owned)
    }

    fn __repr__(&self) -> String {
        format!(
            "Pages(operation={:?}, yielded={}, total={})",
            self.pager.operation().name,
            self.yielded(),
            self.total()
                .map_or_else(|| "None".to_owned(), |t| t.to_string())
        )
    }
}
