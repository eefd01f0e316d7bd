//! Iterating over every item of a paged list.

use std::collections::VecDeque;

use postmark_kit::{Cursor, Paged, Paginator};

use crate::{Client, ClientError};

/// Every item of a paged list, fetched a page at a time as the iteration
/// reaches it. After an error the iteration ends; [`Items::cursor`] tells
/// where, to resume with [`Client::resume`].
#[derive(Debug)]
pub struct Items<'c, E: Paged> {
    client: &'c Client<E::Token>,
    pager: Paginator<E>,
    buffer: VecDeque<E::Item>,
    failed: bool,
}

impl<'c, E: Paged> Items<'c, E> {
    pub(crate) fn new(client: &'c Client<E::Token>, pager: Paginator<E>) -> Self {
        Items {
            client,
            pager,
            buffer: VecDeque::new(),
            failed: false,
        }
    }

    /// Where the walk stands, to resume later with [`Client::resume`]: at
    /// the first item not yet handed out, so items fetched but not iterated
    /// over are fetched again, not skipped.
    pub fn cursor(&self) -> Cursor {
        self.pager.cursor().unconsumed(self.buffer.len() as u64)
    }

    fn fetch(&mut self) -> Result<bool, ClientError> {
        let Some(next) = self.pager.next_request(self.client.config()) else {
            return Ok(false);
        };
        let (page, built) = next?;
        let response = self
            .client
            .transport()
            .execute(built.request, built.idempotent)?;
        self.buffer.extend(self.pager.on_response(page, response)?);
        Ok(true)
    }
}

impl<E: Paged> Iterator for Items<'_, E> {
    type Item = Result<E::Item, ClientError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(item) = self.buffer.pop_front() {
                return Some(Ok(item));
            }
            if self.failed {
                return None;
            }
            match self.fetch() {
                Ok(true) => continue,
                Ok(false) => return None,
                Err(error) => {
                    self.failed = true;
                    return Some(Err(error));
                }
            }
        }
    }
}
