//! What a paged list's method returns: awaitable for one page, and an async
//! iterator over every item.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Object, Promise};
use postmark_kit::ops::{DynPager, Operation, find};
use wasm_bindgen::prelude::*;

use crate::client::{Caller, promise, send};
use crate::errors::{api_error, from_build_error};
use crate::json::{json_text, parse_js, set, to_js};
use crate::options::CallOptions;
use crate::transport::AbortSignal;

#[wasm_bindgen]
extern "C" {
    /// A Promise whose `then` and `finally` take any JavaScript values as
    /// handlers (js-sys's take Rust closures): the caller's are passed on.
    #[wasm_bindgen(js_name = Promise)]
    type Handled;
    #[wasm_bindgen(method)]
    fn then(this: &Handled, on_fulfilled: &JsValue, on_rejected: &JsValue) -> Promise;
    #[wasm_bindgen(method)]
    fn finally(this: &Handled, on_finally: &JsValue) -> Promise;
}

/// A call of a paged list. `await list` is the one page its parameters
/// name, fetched when first awaited (once); `for await (const item of
/// list)` is every item from that page on, fetched a page at a time as the
/// iteration reaches it. After an error the iteration ends; `cursor` tells
/// where, to resume later.
#[wasm_bindgen]
pub struct PagedList {
    list: Rc<List>,
}

/// What a `PagedList` and the iterators it hands to `for await` share.
struct List {
    client: Rc<dyn Caller>,
    /// The call, or why it was refused: then every use rejects with that.
    call: Result<Call, JsValue>,
    /// The page `await` asks for, once it has been.
    page: RefCell<Option<Promise>>,
}

struct Call {
    operation: &'static Operation,
    /// The parameters as JSON text.
    params: String,
    signal: Option<AbortSignal>,
    walk: RefCell<Walk>,
}

/// Where the iteration stands.
struct Walk {
    pager: DynPager,
    /// Items of the last page not handed out yet.
    buffer: VecDeque<JsValue>,
    /// A page failed, or the caller called `return()`: the iteration is over.
    over: bool,
}

impl std::fmt::Debug for PagedList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PagedList").finish_non_exhaustive()
    }
}

impl Call {
    /// Reads the parameters and options, and starts the walk: from the page
    /// the parameters name, or where `options.cursor` stood.
    fn read(operation: &str, params: &JsValue, options: &JsValue) -> Result<Call, JsValue> {
        let operation = find(operation).map_err(from_build_error)?;
        let params = json_text(operation, params)?;
        let options = CallOptions::read(options, true)?;
        let pager = match options.cursor {
            Some(cursor) => operation.resume(&params, cursor),
            None => operation.pages(&params, options.limit),
        }
        .map_err(from_build_error)?;
        Ok(Call {
            operation,
            params,
            signal: options.signal,
            walk: RefCell::new(Walk {
                pager,
                buffer: VecDeque::new(),
                over: false,
            }),
        })
    }
}

impl PagedList {
    pub(crate) fn new(
        client: &Rc<dyn Caller>,
        operation: &str,
        params: &JsValue,
        options: &JsValue,
    ) -> PagedList {
        PagedList {
            list: Rc::new(List {
                client: Rc::clone(client),
                call: Call::read(operation, params, options),
                page: RefCell::new(None),
            }),
        }
    }

    /// `read` of the walk, or `null` for a refused call.
    fn walk(&self, read: impl FnOnce(&Walk) -> JsValue) -> JsValue {
        match &self.list.call {
            Ok(call) => read(&call.walk.borrow()),
            Err(_) => JsValue::NULL,
        }
    }

    /// The one page, fetched the first time it is asked for.
    fn page(&self) -> Handled {
        let mut page = self.list.page.borrow_mut();
        page.get_or_insert_with(|| {
            let list = Rc::clone(&self.list);
            promise(async move {
                let call = list.call.as_ref().map_err(Clone::clone)?;
                crate::client::call(
                    &*list.client,
                    call.operation,
                    &call.params,
                    call.signal.as_ref(),
                )
                .await
            })
        })
        .clone()
        .unchecked_into()
    }
}

#[wasm_bindgen]
impl PagedList {
    /// `await list`: the page the parameters name.
    pub fn then(&self, on_fulfilled: JsValue, on_rejected: JsValue) -> Promise {
        self.page().then(&on_fulfilled, &on_rejected)
    }

    /// As a Promise's `catch`, on the page.
    #[wasm_bindgen(js_name = "catch")]
    pub fn catch_rejection(&self, on_rejected: JsValue) -> Promise {
        self.page().then(&JsValue::UNDEFINED, &on_rejected)
    }

    /// As a Promise's `finally`, on the page.
    pub fn finally(&self, on_finally: JsValue) -> Promise {
        self.page().finally(&on_finally)
    }

    /// The async iterator protocol: `{value, done}` for the next item,
    /// fetching the next page when the last one is used up.
    pub fn next(&self) -> Promise {
        let list = Rc::clone(&self.list);
        promise(async move {
            let call = list.call.as_ref().map_err(Clone::clone)?;
            loop {
                let (page, params) = {
                    let mut walk = call.walk.borrow_mut();
                    if walk.over {
                        return Ok(step(None));
                    }
                    if let Some(item) = walk.buffer.pop_front() {
                        return Ok(step(Some(item)));
                    }
                    match walk.pager.next_params() {
                        Some(next) => next,
                        None => return Ok(step(None)),
                    }
                };
                // The walk is not borrowed across the await: a second `next()`
                // may run meanwhile, and the core ignores its duplicate page.
                let fetched =
                    send(&*list.client, call.operation, &params, call.signal.as_ref()).await;
                let mut walk = call.walk.borrow_mut();
                let items = fetched.and_then(|response| {
                    let (parts, body) = response.into_parts();
                    let response = http::Response::from_parts(parts, body.as_slice());
                    walk.pager.advance(page, &response).map_err(api_error)
                });
                match items {
                    Ok(items) => walk.buffer.extend(Array::from(&parse_js(&items)).iter()),
                    Err(error) => {
                        walk.over = true;
                        return Err(error);
                    }
                }
            }
        })
    }

    /// Ends the iteration, as `break` out of `for await` does; the cursor
    /// still resumes it from the first item not handed out.
    #[wasm_bindgen(js_name = "return")]
    pub fn end(&self) -> Promise {
        if let Ok(call) = &self.list.call {
            call.walk.borrow_mut().over = true;
        }
        Promise::resolve(&step(None))
    }

    /// `for await` asks for an iterator: one sharing this walk.
    #[wasm_bindgen(js_name = "[Symbol.asyncIterator]")]
    pub fn iterator(&self) -> PagedList {
        PagedList {
            list: Rc::clone(&self.list),
        }
    }

    /// Where the walk stands, as plain JSON: pass it as `{cursor}` to the
    /// same method with the same parameters to resume from the first item
    /// not handed out yet; `null` for a refused call.
    #[wasm_bindgen(getter)]
    pub fn cursor(&self) -> JsValue {
        self.walk(|walk| {
            // Items fetched but not handed out yet are handed out again on resume.
            to_js(&walk.pager.cursor().unconsumed(walk.buffer.len() as u64))
        })
    }

    /// Why the walk stopped (`exhausted`, `empty_page`, `limit`, or `cap`
    /// when Postmark pages no deeper and items remain), or `null` while it
    /// goes on.
    #[wasm_bindgen(getter, js_name = stopReason)]
    pub fn stop_reason(&self) -> JsValue {
        self.walk(|walk| {
            walk.pager
                .cursor()
                .stop_reason()
                .map_or(JsValue::NULL, |reason| reason.as_str().into())
        })
    }
}

/// An iterator result: `{value, done: false}`, or `{value: undefined, done: true}`.
fn step(item: Option<JsValue>) -> JsValue {
    let result = Object::new();
    let done = item.is_none();
    set(&result, "value", &item.unwrap_or(JsValue::UNDEFINED));
    set(&result, "done", &done.into());
    result.into()
}
