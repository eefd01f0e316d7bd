//! Async iteration over every item of a paged list.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::futures::future_to_promise;
use js_sys::{Object, Promise};
use postmark_kit::Cursor;
use postmark_kit::ops::{DynPager, Operation, find};
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::client::BuildPage;
use crate::errors::{api_error, build_error, from_build_error};
use crate::json::{from_js, parse_js, set, to_js};

/// The second argument of `<list>All`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct PageOptions {
    /// Hand out at most this many items.
    limit: Option<u64>,
    /// Resume where a walk stood (its `cursor`); `limit` is then the cursor's.
    cursor: Option<Cursor>,
}

impl PageOptions {
    pub(crate) fn read(options: &JsValue) -> Result<PageOptions, JsValue> {
        match from_js("the page options", options)? {
            Value::Null => Ok(PageOptions::default()),
            options => PageOptions::deserialize(options).map_err(|error| {
                build_error(
                    "invalid_options",
                    &format!("invalid page options: {error}"),
                    serde_json::json!({}),
                )
            }),
        }
    }
}

/// Where a walk stands, shared by the `Pages` object and the iterators it
/// hands to `for await`.
#[derive(Debug)]
struct Walk {
    pager: DynPager,
    /// Items of the last page not handed out yet.
    buffer: VecDeque<JsValue>,
    /// A page failed: the iteration is over (resume from the cursor).
    failed: bool,
}

/// Every item of a paged list, fetched a page at a time as the iteration
/// reaches it: `for await (const item of pages)`. After an error the
/// iteration ends; `cursor` tells where, to resume later.
#[wasm_bindgen]
pub struct Pages {
    client: Rc<dyn BuildPage>,
    walk: Rc<RefCell<Walk>>,
}

impl std::fmt::Debug for Pages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pages").field("walk", &self.walk).finish()
    }
}

impl Pages {
    pub(crate) fn start(
        client: Rc<dyn BuildPage>,
        operation: &str,
        params: &str,
        options: PageOptions,
    ) -> Result<Pages, JsValue> {
        let pager = find(operation)
            .and_then(|operation| match options.cursor {
                Some(cursor) => operation.resume(params, cursor),
                None => operation.pages(params, options.limit),
            })
            .map_err(|error| from_build_error(&error))?;
        Ok(Pages {
            client,
            walk: Rc::new(RefCell::new(Walk {
                pager,
                buffer: VecDeque::new(),
                failed: false,
            })),
        })
    }
}

#[wasm_bindgen]
impl Pages {
    /// The async iterator protocol: `{value, done}` for the next item,
    /// fetching the next page when the last one is used up.
    pub fn next(&self) -> Promise {
        let client = Rc::clone(&self.client);
        let walk = Rc::clone(&self.walk);
        future_to_promise(async move {
            loop {
                let next = {
                    let mut walk = walk.borrow_mut();
                    if let Some(item) = walk.buffer.pop_front() {
                        return Ok(step(Some(item)));
                    }
                    if walk.failed {
                        return Ok(step(None));
                    }
                    walk.pager.next_params()
                };
                let Some((page, params)) = next else {
                    return Ok(step(None));
                };
                let operation = walk.borrow().pager.operation();
                // The borrow is not held across the await: a second `next()`
                // may run meanwhile, and the core ignores its duplicate page.
                let fetched = fetch_page(&*client, operation, &params).await;
                let mut walk = walk.borrow_mut();
                let response = match fetched {
                    Ok(response) => response,
                    Err(error) => {
                        walk.failed = true;
                        return Err(error);
                    }
                };
                let (parts, body) = response.into_parts();
                let response = http::Response::from_parts(parts, body.as_slice());
                match walk.pager.advance(page, &response) {
                    Ok(items) => {
                        let items: js_sys::Array = parse_js(&items).unchecked_into();
                        walk.buffer.extend(items.iter());
                    }
                    Err(error) => {
                        walk.failed = true;
                        return Err(api_error(&error));
                    }
                }
            }
        })
    }

    /// `for await` asks for an iterator: one sharing this walk.
    #[wasm_bindgen(js_name = "[Symbol.asyncIterator]")]
    pub fn iterator(&self) -> Pages {
        Pages {
            client: Rc::clone(&self.client),
            walk: Rc::clone(&self.walk),
        }
    }

    /// Where the walk stands, as plain JSON: pass it as `{cursor}` to the
    /// same `<list>All` method with the same parameters to resume from the
    /// first item not handed out yet.
    #[wasm_bindgen(getter)]
    pub fn cursor(&self) -> JsValue {
        let walk = self.walk.borrow();
        // Items fetched but not handed out yet are handed out again on resume.
        to_js(&walk.pager.cursor().unconsumed(walk.buffer.len() as u64))
    }

    /// Why the walk stopped (`exhausted`, `empty_page`, `limit`, or `cap`
    /// when Postmark pages no deeper and items remain), or `null` while it
    /// goes on.
    #[wasm_bindgen(getter, js_name = stopReason)]
    pub fn stop_reason(&self) -> JsValue {
        to_js(&self.walk.borrow().pager.cursor().stop_reason())
    }
}

async fn fetch_page(
    client: &dyn BuildPage,
    operation: &Operation,
    params: &str,
) -> Result<http::Response<Vec<u8>>, JsValue> {
    let built = client
        .build(operation, params)
        .map_err(|error| from_build_error(&error))?;
    // Reading a page has no side effect, so every failure may be retried.
    client.transport().execute(&built.request, true).await
}

/// An iterator result: `{value, done: false}`, or `{value: undefined, done: true}`.
fn step(item: Option<JsValue>) -> JsValue {
    let result = Object::new();
    let done = item.is_none();
    set(&result, "value", &item.unwrap_or(JsValue::UNDEFINED));
    set(&result, "done", &done.into());
    result.into()
}
