//! Every item of a paged list, as a stream.

use std::collections::VecDeque;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use futures_core::Stream;
use postmark_kit::{Cursor, Page, Paged, Paginator};

use crate::{Client, ClientError};

type Fetch = Pin<Box<dyn Future<Output = Result<http::Response<Vec<u8>>, ClientError>> + Send>>;

/// Every item of a paged list, fetched a page at a time as the stream
/// reaches it. After an error the stream ends; [`Items::cursor`] tells
/// where, to resume with [`Client::resume`].
///
/// It owns a handle on its client (a clone shares the connection pool), so
/// it is `'static` and can be moved into a task or handed to a web
/// framework as a response body.
pub struct Items<E: Paged> {
    client: Client<E::Token>,
    pager: Paginator<E>,
    buffer: VecDeque<E::Item>,
    /// The page being fetched: the walk's cursor moves only once its
    /// response is in, so dropping the stream mid-fetch loses nothing.
    fetching: Option<(Page, Fetch)>,
    failed: bool,
}

// Nothing in `Items` is pinned in place: the fetch is boxed.
impl<E: Paged> Unpin for Items<E> {}

impl<E: Paged + fmt::Debug> fmt::Debug for Items<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items")
            .field("pager", &self.pager)
            .field("buffered", &self.buffer.len())
            .field("fetching", &self.fetching.as_ref().map(|(page, _)| page))
            .field("failed", &self.failed)
            .finish_non_exhaustive()
    }
}

impl<E: Paged> Items<E> {
    pub(crate) fn new(client: Client<E::Token>, pager: Paginator<E>) -> Self {
        Items {
            client,
            pager,
            buffer: VecDeque::new(),
            fetching: None,
            failed: false,
        }
    }

    /// Where the walk stands, to resume later with [`Client::resume`]: at
    /// the first item not yet handed out, so items fetched but not taken
    /// from the stream are fetched again, not skipped.
    pub fn cursor(&self) -> Cursor {
        self.pager.cursor().unconsumed(self.buffer.len() as u64)
    }

    /// Starts fetching the next page; `false` when the walk is over.
    fn start_fetch(&mut self) -> Result<bool, ClientError> {
        let Some(next) = self.pager.next_request(self.client.config()) else {
            return Ok(false);
        };
        let (page, built) = next?;
        let client = self.client.clone();
        let fetch = async move {
            client
                .transport()
                .execute(built.request, built.idempotent)
                .await
        };
        self.fetching = Some((page, Box::pin(fetch)));
        Ok(true)
    }
}

impl<E: Paged> Stream for Items<E> {
    type Item = Result<E::Item, ClientError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if let Some(item) = this.buffer.pop_front() {
                return Poll::Ready(Some(Ok(item)));
            }
            if this.failed {
                return Poll::Ready(None);
            }
            let Some((page, fetch)) = &mut this.fetching else {
                match this.start_fetch() {
                    Ok(true) => continue,
                    Ok(false) => return Poll::Ready(None),
                    Err(error) => {
                        this.failed = true;
                        return Poll::Ready(Some(Err(error)));
                    }
                }
            };
            let response = ready!(fetch.as_mut().poll(cx));
            let page = *page;
            this.fetching = None;
            let items = response.and_then(|response| Ok(this.pager.on_response(page, response)?));
            match items {
                Ok(items) => this.buffer.extend(items),
                Err(error) => {
                    this.failed = true;
                    return Poll::Ready(Some(Err(error)));
                }
            }
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.buffer.len(), None)
    }
}
