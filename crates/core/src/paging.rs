//! Pagination as a pure state machine.
//!
//! Postmark pages most of its lists with `count` (at most 500) and `offset`,
//! and caps some of them (bounces, message searches) at `count + offset ≤
//! 10,000`. One list, the bulk requests, it pages by key instead: each answer
//! holds the key of the next page (`PaginationKey`), none on the last one
//! ([`Paging`]). A [`Cursor`] decides which [`Page`] to ask for next and when
//! to stop, whichever way the list pages; a [`Paginator`] wraps it around one
//! [`Paged`] endpoint, building the requests and parsing the responses. The
//! caller's transport sits between the two calls, so the same walk runs over
//! ureq, `fetch` or Python.
//!
//! ```
//! use postmark_kit::{Cursor, Page, StopReason};
//!
//! // Pages of 100 over a list capped at 10,000 deep, starting at offset 9,950.
//! let mut cursor = Cursor::new(100, 500, Some(10_000), 9_950, None)?;
//! let page = cursor.next_page().unwrap();
//! assert_eq!(page, Page { count: 50, offset: 9_950 }); // shrunk to stay under the cap
//! // Postmark answers with 50 items and TotalCount 12,000.
//! assert_eq!(cursor.advance(page, 50, 12_000), 50);
//! assert_eq!(cursor.next_page(), None);
//! assert_eq!(cursor.stop_reason(), Some(StopReason::Cap)); // 2,000 items are out of reach
//! # Ok::<(), postmark_kit::BuildError>(())
//! ```
//!
//! A walk by key asks for the same [`Page`]s, `offset` counting the items of
//! the walk before the page, and sends [`Cursor::key`] with each:
//!
//! ```
//! use postmark_kit::{Cursor, Page, StopReason};
//!
//! let mut cursor = Cursor::keyed(100, 500, None, None)?;
//! assert_eq!((cursor.next_page(), cursor.key()), (Some(Page { count: 100, offset: 0 }), None));
//! // The first page holds 100 items and the key of the next one.
//! assert_eq!(cursor.advance_key(Page { count: 100, offset: 0 }, 100, Some("k2")), 0..100);
//! assert_eq!((cursor.next_page(), cursor.key()), (Some(Page { count: 100, offset: 100 }), Some("k2")));
//! // The last page has no key.
//! assert_eq!(cursor.advance_key(Page { count: 100, offset: 100 }, 30, None), 0..30);
//! assert_eq!(cursor.stop_reason(), Some(StopReason::Exhausted));
//! # Ok::<(), postmark_kit::BuildError>(())
//! ```

use std::ops::Range;

use http::Response;
use serde::{Deserialize, Serialize};

use crate::ops::BuiltRequest;
use crate::{BuildError, Config, Endpoint, Error, parse};

/// One page request: `count` items from `offset`.
///
/// For a list paged by key, `offset` is not sent: it counts the items of the
/// walk before the page, so that a response can be matched to its request,
/// and the cursor's [`key`](Cursor::key) names the page to Postmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Page {
    /// How many items to ask for.
    pub count: u32,
    /// How many items to skip.
    pub offset: u32,
}

/// How Postmark pages a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Paging {
    /// `count` and `offset` in the request, `TotalCount` in the answer.
    Offset,
    /// `count` and [`KEY_PARAM`] in the request; the answer holds the key of
    /// the next page in [`KEY_FIELD`], absent on the last page.
    Key,
}

/// The query parameter that names the page of a list paged by key.
pub const KEY_PARAM: &str = "paginationKey";
/// The field of a page's answer that holds the key of the next page.
pub const KEY_FIELD: &str = "PaginationKey";

/// Why a walk over a paged list stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StopReason {
    /// Every item up to the last `TotalCount` was handed out.
    Exhausted,
    /// A page came back empty before `TotalCount` was reached: the list
    /// shrank while it was being walked.
    EmptyPage,
    /// The caller's limit was reached.
    Limit,
    /// Items remain, but Postmark does not page this list that deep: the walk
    /// is truncated. Narrow the query (a date window) to reach the rest.
    Cap,
}

impl StopReason {
    /// Every reason, for the bindings' type declarations.
    pub const ALL: [StopReason; 4] = [
        StopReason::Exhausted,
        StopReason::EmptyPage,
        StopReason::Limit,
        StopReason::Cap,
    ];

    /// The reason's stable snake_case name (`"empty_page"`), as it
    /// serializes.
    pub const fn as_str(self) -> &'static str {
        match self {
            StopReason::Exhausted => "exhausted",
            StopReason::EmptyPage => "empty_page",
            StopReason::Limit => "limit",
            StopReason::Cap => "cap",
        }
    }
}

/// Refuses a page Postmark would refuse: a `count` of zero or over
/// `max_count`, or `count + offset` over `cap`. Every paged list of the
/// operation table is checked with it before anything is sent, so that the
/// mistake costs no round trip.
///
/// A zero count is reported as [`BuildError::MissingField`]: Postmark
/// requires a count of at least one, and asking for nothing is the same
/// mistake as not asking at all.
pub fn validate_page(page: Page, max_count: u32, cap: Option<u32>) -> Result<(), BuildError> {
    if page.count == 0 {
        return Err(BuildError::MissingField {
            field: "count".into(),
        });
    }
    if page.count > max_count {
        return Err(BuildError::CountTooLarge {
            count: page.count,
            max: max_count,
        });
    }
    let end = u64::from(page.count) + u64::from(page.offset);
    match cap {
        Some(cap) if end > u64::from(cap) => Err(BuildError::PagedTooDeep { end, cap }),
        _ => Ok(()),
    }
}

/// Where a walk over a paged list stands.
///
/// It walks a list by offset ([`Cursor::new`]) or by key
/// ([`Cursor::keyed`]), and serializes (serde), so the bindings can hand it
/// to users to store and resume later with [`Paginator::resume`]. Treat the
/// serialized form as opaque; deserializing checks it, so a tampered cursor
/// cannot ask for an empty page. A cursor by offset serializes as it did
/// before lists by key were walked, so saved ones still resume.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "CursorFields")]
pub struct Cursor {
    page_size: u32,
    cap: Option<u32>,
    /// By offset: the offset of the next item. By key: how many items of the
    /// walk come before it.
    offset: u32,
    limit: Option<u64>,
    yielded: u64,
    total: Option<u64>,
    stop: Option<StopReason>,
    /// Where a walk by key stands; `None` for a walk by offset.
    #[serde(skip_serializing_if = "Option::is_none")]
    key: Option<KeyPosition>,
}

/// Where a walk by key stands: the page that holds the next item, and how
/// far into it the walk is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct KeyPosition {
    /// The key of that page; `None` for the list's first page.
    page: Option<String>,
    /// How many of its items were handed out already: a page is only ever
    /// asked for from its start, so a walk that stopped inside it (at its
    /// limit, or with items handed back by [`Cursor::unconsumed`]) skips
    /// these when it asks again.
    skip: u32,
    /// The page answered last, for [`Cursor::unconsumed`]: a key names no
    /// page before its own, so items can be handed back within it only.
    last: Option<LastPage>,
}

/// The page a walk by key was answered last.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct LastPage {
    /// Its key.
    page: Option<String>,
    /// Its items skipped then.
    skip: u32,
    /// Its items handed out then.
    taken: u32,
}

/// What an answer says of the rest of the list.
#[derive(Debug, Clone, Copy)]
enum Rest<'k> {
    /// A list by offset: its `TotalCount`.
    Total(u64),
    /// A list by key: the key of the next page, `None` on the last one.
    Key(Option<&'k str>),
}

/// Refuses a page size Postmark would refuse, as [`validate_page`] does.
fn check_page_size(page_size: u32, max_count: u32) -> Result<(), BuildError> {
    if page_size == 0 {
        return Err(BuildError::MissingField {
            field: "count".into(),
        });
    }
    if page_size > max_count {
        return Err(BuildError::CountTooLarge {
            count: page_size,
            max: max_count,
        });
    }
    Ok(())
}

impl Cursor {
    /// Starts a walk at `start_offset` with pages of `page_size` items, handing
    /// out at most `limit` items and never paging deeper than `cap`
    /// (`count + offset ≤ cap`).
    ///
    /// Refused: a `page_size` of zero ([`BuildError::MissingField`], as in
    /// [`validate_page`]) or over `max_count` ([`BuildError::CountTooLarge`]),
    /// and a start at or past the cap, where no item can be reached
    /// ([`BuildError::PagedTooDeep`]). A start closer to the cap than one page
    /// is fine: the pages shrink.
    pub fn new(
        page_size: u32,
        max_count: u32,
        cap: Option<u32>,
        start_offset: u32,
        limit: Option<u64>,
    ) -> Result<Cursor, BuildError> {
        check_page_size(page_size, max_count)?;
        let mut cursor = Cursor {
            page_size,
            cap,
            offset: start_offset,
            limit,
            yielded: 0,
            total: None,
            stop: None,
            key: None,
        };
        if start_offset >= cursor.depth() {
            return Err(BuildError::PagedTooDeep {
                end: u64::from(start_offset) + u64::from(page_size),
                cap: cursor.depth(),
            });
        }
        cursor.settle(false);
        Ok(cursor)
    }

    /// Starts a walk over a list paged by key at the page `start_key` names
    /// (`None`: the first page), with pages of `page_size` items, handing out
    /// at most `limit` items. Refused as [`new`](Self::new) refuses a page
    /// size; such a list has no depth cap.
    pub fn keyed(
        page_size: u32,
        max_count: u32,
        start_key: Option<String>,
        limit: Option<u64>,
    ) -> Result<Cursor, BuildError> {
        check_page_size(page_size, max_count)?;
        let mut cursor = Cursor {
            page_size,
            cap: None,
            offset: 0,
            limit,
            yielded: 0,
            total: None,
            stop: None,
            key: Some(KeyPosition {
                page: start_key,
                skip: 0,
                last: None,
            }),
        };
        cursor.settle(false);
        Ok(cursor)
    }

    /// How the list this cursor walks pages.
    pub fn paging(&self) -> Paging {
        match self.key {
            None => Paging::Offset,
            Some(_) => Paging::Key,
        }
    }

    /// For a walk by key: the key to send with [`next_page`](Self::next_page)
    /// as [`KEY_PARAM`]; `None` for the list's first page, and for a walk
    /// by offset.
    pub fn key(&self) -> Option<&str> {
        self.key.as_ref()?.page.as_deref()
    }

    /// The next page to request, or `None` when the walk is over. Near the
    /// cap or the limit the count shrinks, so that `count + offset` never
    /// passes the cap and no more items are requested than the limit allows.
    /// A walk by key that stopped inside a page asks for that page again
    /// from its start, with as many items more as it skips.
    pub fn next_page(&self) -> Option<Page> {
        if self.stop.is_some() {
            return None;
        }
        let left = match self.limit {
            Some(limit) => u32::try_from(limit.saturating_sub(self.yielded)).unwrap_or(u32::MAX),
            None => u32::MAX,
        };
        Some(match &self.key {
            None => Page {
                count: self
                    .page_size
                    .min(self.depth().saturating_sub(self.offset))
                    .min(left),
                offset: self.offset,
            },
            Some(at) => Page {
                count: self.page_size.min(at.skip.saturating_add(left)),
                offset: self.offset.saturating_sub(at.skip),
            },
        })
    }

    /// Records Postmark's answer to `page` of a walk by offset: `received`
    /// items and its `TotalCount`. Returns how many of the page's first
    /// items to hand to the caller.
    ///
    /// The next page starts right after the last item received, so a short
    /// page skips nothing. More items than `page.count` are not handed out:
    /// they belong to the next page.
    ///
    /// A response to any page other than [`next_page`](Self::next_page) (a
    /// stale or duplicated response: a retry race, two concurrent `next()`
    /// calls on a binding's async iterator) is ignored: nothing is handed
    /// out and the cursor does not move. Ending the walk instead would lose
    /// the rest of the list over a harmless duplicate, and advancing would
    /// hand items out twice. So is an answer to a walk by key: it takes
    /// [`advance_key`](Self::advance_key).
    pub fn advance(&mut self, page: Page, received: usize, total: u64) -> usize {
        self.record(page, received, Rest::Total(total)).len()
    }

    /// Records Postmark's answer to `page` of a walk by key: `received`
    /// items and the key of the next page (`None` on the last page).
    /// Returns the items of the page to hand to the caller: those after the
    /// ones it handed out already, as far as the limit allows.
    ///
    /// An answer to another page, or to a walk by offset, is ignored as in
    /// [`advance`](Self::advance). A page that hands out nothing ends the
    /// walk, as an empty page does by offset.
    pub fn advance_key(
        &mut self,
        page: Page,
        received: usize,
        next_key: Option<&str>,
    ) -> Range<usize> {
        self.record(page, received, Rest::Key(next_key))
    }

    /// [`advance`](Self::advance) and [`advance_key`](Self::advance_key).
    fn record(&mut self, page: Page, received: usize, rest: Rest<'_>) -> Range<usize> {
        if self.next_page() != Some(page) {
            return 0..0;
        }
        let taken = match (rest, &mut self.key) {
            (Rest::Total(total), None) => {
                let taken = received.min(page.count as usize);
                self.total = Some(total);
                // `taken ≤ page.count ≤ depth - offset`, so the offset stays in range.
                self.offset += taken as u32;
                0..taken
            }
            (Rest::Key(next), Some(at)) => {
                let skip = at.skip as usize;
                let left = self.limit.map_or(usize::MAX, |limit| {
                    usize::try_from(limit.saturating_sub(self.yielded)).unwrap_or(usize::MAX)
                });
                // Every new item of the page is handed out, even past the
                // count: the next key follows the last item received.
                let taken = received.saturating_sub(skip).min(left);
                // One page's items, so a u32; saturating against a server
                // that sends billions.
                let taken32 = u32::try_from(taken).unwrap_or(u32::MAX);
                at.last = Some(LastPage {
                    page: at.page.clone(),
                    skip: at.skip,
                    taken: taken32,
                });
                if skip + taken < received {
                    // The limit left items of this page: a resumed walk goes on inside it.
                    at.skip += taken32;
                } else {
                    at.page = next.map(str::to_owned);
                    at.skip = 0;
                    if next.is_none() {
                        self.stop = Some(StopReason::Exhausted);
                    }
                }
                self.offset = self.offset.saturating_add(taken32);
                skip..skip + taken
            }
            _ => return 0..0,
        };
        // A deserialized cursor may claim any count already handed out.
        self.yielded = self.yielded.saturating_add(taken.len() as u64);
        self.settle(taken.is_empty());
        taken
    }

    /// Why the walk stopped, or `None` while it goes on.
    pub fn stop_reason(&self) -> Option<StopReason> {
        self.stop
    }

    /// Whether the walk is over.
    pub fn is_done(&self) -> bool {
        self.stop.is_some()
    }

    /// How many items were handed out so far.
    pub fn yielded(&self) -> u64 {
        self.yielded
    }

    /// The last `TotalCount` Postmark reported, once a page came back.
    pub fn total(&self) -> Option<u64> {
        self.total
    }

    /// This cursor with its last `unconsumed` items handed back: for a caller
    /// that buffers a page's items and stops part-way through it, so that a
    /// walk resumed from the result starts at the first item not consumed
    /// instead of skipping the rest of the page.
    ///
    /// At most the items handed out so far are taken back, and by key at
    /// most those of the last page (a key names no page before its own). The
    /// walk goes on again if those items were what ended it (the total or
    /// the limit reached, or the last page).
    pub fn unconsumed(&self, unconsumed: u64) -> Cursor {
        let within = match &self.key {
            None => u64::from(self.offset),
            Some(at) => at.last.as_ref().map_or(0, |last| u64::from(last.taken)),
        };
        let back = unconsumed.min(self.yielded).min(within);
        if back == 0 {
            return self.clone();
        }
        // `back ≤ offset` (by key, `back ≤ taken ≤ offset`), a u32.
        let mut cursor = Cursor {
            offset: self.offset - back as u32,
            yielded: self.yielded - back,
            stop: None,
            ..self.clone()
        };
        if let Some(at) = &mut cursor.key
            && let Some(last) = &mut at.last
        {
            last.taken -= back as u32;
            at.page = last.page.clone();
            at.skip = last.skip.saturating_add(last.taken);
        }
        cursor.settle(false);
        cursor
    }

    /// Offsets are `u32`, so an uncapped list still ends at `u32::MAX`.
    fn depth(&self) -> u32 {
        self.cap.unwrap_or(u32::MAX)
    }

    /// Tightens a cursor that may come from elsewhere to an endpoint's limits,
    /// so resuming cannot produce a request the endpoint refuses. A list by
    /// key has no depth cap.
    pub(crate) fn restrict(&mut self, max_count: u32, cap: Option<u32>) {
        self.page_size = self.page_size.min(max_count);
        if let (Some(cap), None) = (cap, &self.key) {
            self.cap = Some(self.cap.map_or(cap, |own| own.min(cap)));
        }
        self.settle(false);
    }

    /// Decides whether the walk is over. When several reasons hold, the most
    /// informative wins: nothing left beats an early stop, and the caller's
    /// limit beats the cap because the caller got everything it asked for.
    fn settle(&mut self, empty_page: bool) {
        if self.stop.is_some() {
            return;
        }
        // A walk by key has no total and no cap: its last page ends it
        // (`record`).
        let by_offset = self.key.is_none();
        self.stop = if by_offset && self.total.is_some_and(|t| u64::from(self.offset) >= t) {
            Some(StopReason::Exhausted)
        } else if empty_page {
            Some(StopReason::EmptyPage)
        } else if self.limit.is_some_and(|l| self.yielded >= l) {
            Some(StopReason::Limit)
        } else if by_offset && self.offset >= self.depth() {
            Some(StopReason::Cap)
        } else {
            None
        };
    }
}

impl Cursor {
    /// The cursor as JSON text, as serde writes it: what a binding hands its
    /// caller to store, and [`Cursor::from_json`] reads back.
    pub fn to_json(&self) -> String {
        crate::json::to_string(self)
    }

    /// Reads a cursor's JSON text, checked as serde reads it; the error says
    /// what is wrong with it.
    pub fn from_json(text: &str) -> Result<Cursor, String> {
        use crate::shape::read::{self, Failure, Value};
        use crate::shape::table;
        let doc =
            read::params(text.as_bytes(), &table::CURSOR, &[]).map_err(
                |failure| match failure {
                    Failure::Invalid { path, message, .. } => format!("at `{path}`: {message}"),
                    Failure::Refused(error) => error.to_string(),
                },
            )?;
        let root = doc.root();
        let number = |name: &str| {
            root.get(name)
                .and_then(Value::number)
                .and_then(|n| n.parse::<u64>().ok())
        };
        let small = |name: &str| number(name).and_then(|n| u32::try_from(n).ok());
        let stop = match root.get("stop").and_then(Value::str) {
            None => None,
            Some(stop) => Some(
                StopReason::ALL
                    .into_iter()
                    .find(|reason| reason.as_str() == stop)
                    .ok_or_else(|| format!("at `stop`: `{stop}` is not a stop reason"))?,
            ),
        };
        let small_of = |value: Value<'_>, name: &str| {
            value
                .get(name)
                .and_then(Value::int)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or_default()
        };
        let page_of = |value: Value<'_>| value.get("page").and_then(Value::str).map(Into::into);
        let key = root.get("key").map(|key| KeyPosition {
            page: page_of(key),
            skip: small_of(key, "skip"),
            last: key.get("last").map(|last| LastPage {
                page: page_of(last),
                skip: small_of(last, "skip"),
                taken: small_of(last, "taken"),
            }),
        });
        let fields = CursorFields {
            page_size: small("page_size").unwrap_or_default(),
            cap: small("cap"),
            offset: small("offset").unwrap_or_default(),
            limit: number("limit"),
            yielded: number("yielded").unwrap_or_default(),
            total: number("total"),
            stop,
            key,
        };
        Cursor::try_from(fields).map_err(str::to_owned)
    }
}

/// The serialized form of a [`Cursor`], checked before it becomes one.
#[derive(Deserialize)]
struct CursorFields {
    page_size: u32,
    cap: Option<u32>,
    offset: u32,
    limit: Option<u64>,
    yielded: u64,
    total: Option<u64>,
    stop: Option<StopReason>,
    /// Absent from cursors by offset, as they were saved before.
    #[serde(default)]
    key: Option<KeyPosition>,
}

impl TryFrom<CursorFields> for Cursor {
    type Error = &'static str;

    fn try_from(fields: CursorFields) -> Result<Self, Self::Error> {
        if fields.page_size == 0 {
            return Err("a cursor's page_size must be at least 1");
        }
        let mut cursor = Cursor {
            page_size: fields.page_size,
            cap: fields.cap,
            offset: fields.offset,
            limit: fields.limit,
            yielded: fields.yielded,
            // A walk by key never knows a total.
            total: fields.total.filter(|_| fields.key.is_none()),
            stop: fields.stop,
            key: fields.key,
        };
        cursor.settle(false);
        Ok(cursor)
    }
}

/// A list endpoint Postmark pages: with `count` and `offset`, or with
/// `count` and a key ([`Paging`]).
pub trait Paged: Endpoint {
    /// One item of the list.
    type Item;

    /// The largest `count` Postmark accepts (500 everywhere today).
    const MAX_COUNT: u32 = 500;

    /// How deep (`count + offset`) Postmark lets this list be paged, if it
    /// caps it (10,000 for bounces and message searches).
    const DEPTH_CAP: Option<u32> = None;

    /// How Postmark pages this list: by offset, unless the endpoint says by
    /// key, and then it gives [`key`](Self::key), [`with_key`](Self::with_key)
    /// and [`next_key`](Self::next_key) too.
    const PAGING: Paging = Paging::Offset;

    /// The page the caller asked for (by key: its count, at offset 0).
    fn page(&self) -> Page;

    /// The same request for another page.
    fn with_page(&self, page: Page) -> Self;

    /// `TotalCount` and the items of one response (a list by key has no
    /// total: its walk does not read it).
    fn into_items(response: Self::Response) -> (u64, Vec<Self::Item>);

    /// By key: the key of the page the caller asked for (`None`: the first).
    fn key(&self) -> Option<&str> {
        None
    }

    /// By key: the same request for `page.count` items of the page `key`
    /// names. A list by offset has no key and asks for `page`.
    fn with_key(&self, page: Page, key: Option<&str>) -> Self
    where
        Self: Sized,
    {
        let _ = key;
        self.with_page(page)
    }

    /// By key: the key of the page after this response's, `None` on the
    /// last page (and for a list by offset).
    fn next_key(response: &Self::Response) -> Option<String> {
        let _ = response;
        None
    }
}

/// Walks the items of a paged list: hands out requests and takes their
/// responses. The caller's transport does the I/O in between.
///
/// ```
/// # use postmark_kit::{BuildError, Config, Endpoint, Page, Paged, Paginator, Parts, Query, Server, Token};
/// # #[derive(Debug, Clone)]
/// # struct ListThings { count: u32, offset: u32 }
/// # #[derive(Debug, serde::Deserialize)]
/// # struct ThingList { #[serde(rename = "TotalCount")] total: u64, #[serde(rename = "Things")] things: Vec<u32> }
/// # impl Endpoint for ListThings {
/// #     type Token = Server;
/// #     type Response = ThingList;
/// #     const OPERATION: &'static str = "list_things";
/// #     fn parts(&self) -> Result<Parts<'static>, BuildError> {
/// #         let mut query = Query::default();
/// #         query.push("count", self.count).push("offset", self.offset);
/// #         Ok(Parts { method: http::Method::GET, path_and_query: format!("/things?{query}"), body: None, idempotent: true })
/// #     }
/// # }
/// # impl Paged for ListThings {
/// #     type Item = u32;
/// #     fn page(&self) -> Page { Page { count: self.count, offset: self.offset } }
/// #     fn with_page(&self, p: Page) -> Self { ListThings { count: p.count, offset: p.offset } }
/// #     fn into_items(r: ThingList) -> (u64, Vec<u32>) { (r.total, r.things) }
/// # }
/// # fn send(_: http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
/// #     http::Response::new(br#"{"TotalCount":3,"Things":[1,2,3]}"#.to_vec())
/// # }
/// let config = Config::<Server>::new(Token::new("server-token")?);
/// let mut pages = Paginator::new(ListThings { count: 100, offset: 0 }, None)?;
/// let mut items = Vec::new();
/// while let Some(next) = pages.next_request(&config) {
///     let (page, built) = next?;
///     items.extend(pages.on_response(page, send(built.request))?);
/// }
/// assert_eq!(items, [1, 2, 3]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Paginator<E: Paged> {
    endpoint: E,
    cursor: Cursor,
}

impl<E: Paged> Paginator<E> {
    /// Starts at the endpoint's own offset (or key) with pages of the
    /// endpoint's own count, handing out at most `limit` items. Refused as
    /// [`Cursor::new`] refuses.
    pub fn new(endpoint: E, limit: Option<u64>) -> Result<Self, BuildError> {
        let start = endpoint.page();
        let cursor = match E::PAGING {
            Paging::Offset => {
                Cursor::new(start.count, E::MAX_COUNT, E::DEPTH_CAP, start.offset, limit)?
            }
            Paging::Key => Cursor::keyed(
                start.count,
                E::MAX_COUNT,
                endpoint.key().map(str::to_owned),
                limit,
            )?,
        };
        Ok(Paginator { endpoint, cursor })
    }

    /// Resumes a walk from a saved cursor; the endpoint's own count and
    /// offset (or key) are ignored. A cursor made for a looser list is
    /// tightened to this endpoint's `MAX_COUNT` and `DEPTH_CAP`. A cursor
    /// of the other [`Paging`] cannot say where this list stands: its walk
    /// hands out nothing, ending as on an empty page.
    pub fn resume(endpoint: E, mut cursor: Cursor) -> Self {
        cursor.restrict(E::MAX_COUNT, E::DEPTH_CAP);
        if cursor.paging() != E::PAGING && cursor.stop.is_none() {
            cursor.stop = Some(StopReason::EmptyPage);
        }
        Paginator { endpoint, cursor }
    }

    /// The next request to send, with the page it asks for, or `None` when
    /// the walk is over.
    pub fn next_request(
        &self,
        config: &Config<E::Token>,
    ) -> Option<Result<(Page, BuiltRequest), BuildError>> {
        let page = self.cursor.next_page()?;
        let endpoint = match E::PAGING {
            Paging::Offset => self.endpoint.with_page(page),
            Paging::Key => self.endpoint.with_key(page, self.cursor.key()),
        };
        let request = endpoint.parts().and_then(|parts| {
            let idempotent = parts.idempotent;
            Ok(BuiltRequest {
                request: parts.into_request(config)?,
                idempotent,
            })
        });
        Some(request.map(|request| (page, request)))
    }

    /// Parses the response to `page` and returns the items to hand out.
    ///
    /// An error response leaves the cursor where it was, so the same page can
    /// be asked for again; a response to a page other than the next one
    /// yields nothing (see [`Cursor::advance`]).
    pub fn on_response<B: AsRef<[u8]>>(
        &mut self,
        page: Page,
        response: Response<B>,
    ) -> Result<Vec<E::Item>, Error> {
        let response = parse::<E>(response)?;
        let next_key = E::next_key(&response);
        let (total, mut items) = E::into_items(response);
        let taken = match E::PAGING {
            Paging::Offset => 0..self.cursor.advance(page, items.len(), total),
            Paging::Key => self
                .cursor
                .advance_key(page, items.len(), next_key.as_deref()),
        };
        items.truncate(taken.end);
        items.drain(..taken.start);
        Ok(items)
    }

    /// Where the walk stands: save it to resume later.
    pub fn cursor(&self) -> &Cursor {
        &self.cursor
    }

    /// The request being walked (its `count` and `offset`, or key, those it
    /// started with).
    pub fn endpoint(&self) -> &E {
        &self.endpoint
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(count: u32, offset: u32) -> Page {
        Page { count, offset }
    }

    #[test]
    fn a_list_by_offset_has_no_key() {
        use crate::api::bounces::{BounceList, ListBounces};
        let list = ListBounces::default();
        assert_eq!(list.key(), None);
        let response = BounceList {
            total_count: 1000,
            ..BounceList::default()
        };
        assert_eq!(ListBounces::next_key(&response), None);
        assert_eq!(list.with_key(page(10, 20), Some("k")).page(), page(10, 20));
    }

    #[test]
    fn bad_starts_are_refused() {
        assert_eq!(
            Cursor::new(0, 500, None, 0, None),
            Err(BuildError::MissingField {
                field: "count".into()
            })
        );
        assert_eq!(
            Cursor::new(501, 500, None, 0, None),
            Err(BuildError::CountTooLarge {
                count: 501,
                max: 500
            })
        );
        assert_eq!(
            Cursor::new(100, 500, Some(10_000), 10_000, None),
            Err(BuildError::PagedTooDeep {
                end: 10_100,
                cap: 10_000
            })
        );
        assert!(Cursor::new(100, 500, Some(10_000), 9_999, None).is_ok());
    }

    #[test]
    fn validate_page_checks_count_and_depth() {
        assert_eq!(validate_page(page(500, 9_500), 500, Some(10_000)), Ok(()));
        assert_eq!(
            validate_page(page(0, 0), 500, None),
            Err(BuildError::MissingField {
                field: "count".into()
            })
        );
        assert_eq!(
            validate_page(page(501, 0), 500, None),
            Err(BuildError::CountTooLarge {
                count: 501,
                max: 500
            })
        );
        assert_eq!(
            validate_page(page(500, 9_501), 500, Some(10_000)),
            Err(BuildError::PagedTooDeep {
                end: 10_001,
                cap: 10_000
            })
        );
        assert_eq!(validate_page(page(500, u32::MAX), 500, None), Ok(()));
    }

    #[test]
    fn walks_to_the_total() {
        let mut cursor = Cursor::new(2, 500, None, 0, None).unwrap();
        assert_eq!(cursor.advance(page(2, 0), 2, 5), 2);
        assert_eq!(cursor.advance(page(2, 2), 2, 5), 2);
        assert_eq!(cursor.next_page(), Some(page(2, 4)));
        assert_eq!(cursor.advance(page(2, 4), 1, 5), 1);
        assert_eq!(cursor.stop_reason(), Some(StopReason::Exhausted));
        assert_eq!((cursor.yielded(), cursor.total()), (5, Some(5)));
        assert_eq!(cursor.next_page(), None);
    }

    #[test]
    fn the_limit_shrinks_the_last_page() {
        let mut cursor = Cursor::new(100, 500, None, 0, Some(150)).unwrap();
        assert_eq!(cursor.advance(page(100, 0), 100, 1_000), 100);
        assert_eq!(cursor.next_page(), Some(page(50, 100)));
        // A server that answers with more than asked for hands out only the count.
        assert_eq!(cursor.advance(page(50, 100), 80, 1_000), 50);
        assert_eq!(cursor.stop_reason(), Some(StopReason::Limit));
        assert_eq!(cursor.yielded(), 150);
    }

    #[test]
    fn a_zero_limit_requests_nothing() {
        let cursor = Cursor::new(100, 500, None, 0, Some(0)).unwrap();
        assert_eq!(cursor.next_page(), None);
        assert_eq!(cursor.stop_reason(), Some(StopReason::Limit));
    }

    #[test]
    fn short_pages_skip_nothing_and_empty_pages_stop() {
        let mut cursor = Cursor::new(10, 500, None, 0, None).unwrap();
        assert_eq!(cursor.advance(page(10, 0), 4, 30), 4);
        assert_eq!(cursor.next_page(), Some(page(10, 4)));
        assert_eq!(cursor.advance(page(10, 4), 0, 30), 0);
        assert_eq!(cursor.stop_reason(), Some(StopReason::EmptyPage));
    }

    #[test]
    fn a_start_past_the_total_is_exhausted() {
        let mut cursor = Cursor::new(10, 500, None, 50, None).unwrap();
        assert_eq!(cursor.advance(page(10, 50), 0, 20), 0);
        assert_eq!(cursor.stop_reason(), Some(StopReason::Exhausted));
    }

    #[test]
    fn wrong_pages_are_ignored() {
        let mut cursor = Cursor::new(10, 500, None, 0, None).unwrap();
        cursor.advance(page(10, 0), 10, 100);
        let before = cursor.clone();
        assert_eq!(cursor.advance(page(10, 0), 10, 100), 0, "a duplicate");
        assert_eq!(cursor.advance(page(5, 10), 5, 100), 0, "another count");
        assert_eq!(cursor.advance(page(10, 20), 10, 100), 0, "a page ahead");
        assert_eq!(cursor, before);
        let mut done = Cursor::new(10, 500, None, 0, Some(0)).unwrap();
        assert_eq!(done.advance(page(10, 0), 10, 100), 0);
        assert_eq!(done.yielded(), 0);
    }

    #[test]
    fn the_limit_beats_the_cap_and_the_total_beats_both() {
        let mut cursor = Cursor::new(100, 500, Some(200), 0, Some(200)).unwrap();
        cursor.advance(page(100, 0), 100, 1_000);
        cursor.advance(page(100, 100), 100, 1_000);
        assert_eq!(cursor.stop_reason(), Some(StopReason::Limit));
        let mut cursor = Cursor::new(100, 500, Some(200), 0, Some(200)).unwrap();
        cursor.advance(page(100, 0), 100, 200);
        cursor.advance(page(100, 100), 100, 200);
        assert_eq!(cursor.stop_reason(), Some(StopReason::Exhausted));
    }

    #[test]
    fn deserializing_checks_and_settles_the_cursor() {
        let json = r#"{"page_size":0,"cap":null,"offset":0,"limit":null,"yielded":0,"total":null,"stop":null}"#;
        assert!(serde_json::from_str::<Cursor>(json).is_err());
        let json = r#"{"page_size":10,"cap":100,"offset":100,"limit":null,"yielded":0,"total":500,"stop":null}"#;
        let cursor: Cursor = serde_json::from_str(json).unwrap();
        assert_eq!(cursor.stop_reason(), Some(StopReason::Cap));
        assert_eq!(cursor.next_page(), None);
        let json = r#"{"page_size":10,"cap":null,"offset":0,"limit":null,"yielded":18446744073709551615,"total":null,"stop":null}"#;
        let mut cursor: Cursor = serde_json::from_str(json).unwrap();
        assert_eq!(cursor.advance(page(10, 0), 10, 100), 10);
        assert_eq!(cursor.yielded(), u64::MAX);
    }

    #[test]
    fn unconsumed_items_are_handed_out_again() {
        let mut cursor = Cursor::new(10, 500, None, 0, Some(15)).unwrap();
        assert_eq!(cursor.advance(page(10, 0), 10, 12), 10);
        assert_eq!(cursor.advance(page(5, 10), 2, 12), 2);
        assert_eq!(cursor.stop_reason(), Some(StopReason::Exhausted));
        // The caller consumed 9 of the 12 items.
        let resumed = cursor.unconsumed(3);
        assert_eq!(resumed.next_page(), Some(page(6, 9)));
        assert_eq!(resumed.yielded(), 9);
        assert_eq!(resumed.total(), Some(12));
        // More than was handed out is clamped; none changes nothing.
        assert_eq!(cursor.unconsumed(100).next_page(), Some(page(10, 0)));
        assert_eq!(cursor.unconsumed(0), cursor);
    }

    #[test]
    fn a_walk_by_key_stopped_inside_a_page_resumes_there() {
        let mut cursor = Cursor::keyed(100, 500, None, Some(30)).unwrap();
        assert!(!cursor.is_done());
        assert_eq!(cursor.next_page(), Some(page(30, 0)));
        // The server answers with more items than asked for; the limit keeps 30.
        assert_eq!(cursor.advance_key(page(30, 0), 100, Some("k2")), 0..30);
        assert!(cursor.is_done());
        // Saved, and resumed with a larger limit: the rest of that first page
        // comes before the page "k2" names.
        let mut saved: serde_json::Value = serde_json::from_str(&cursor.to_json()).unwrap();
        saved["limit"] = 200.into();
        saved["stop"] = serde_json::Value::Null;
        let mut resumed = Cursor::from_json(&saved.to_string()).unwrap();
        assert!(!resumed.is_done());
        assert_eq!(
            (resumed.next_page(), resumed.key()),
            (Some(page(100, 0)), None)
        );
        assert_eq!(resumed.advance_key(page(100, 0), 100, Some("k2")), 30..100);
        assert_eq!(
            (resumed.next_page(), resumed.key()),
            (Some(page(100, 100)), Some("k2"))
        );
    }

    #[test]
    fn stop_reasons_are_listed_and_named_as_they_serialize() {
        let number = |reason: StopReason| match reason {
            StopReason::Exhausted => 0,
            StopReason::EmptyPage => 1,
            StopReason::Limit => 2,
            StopReason::Cap => 3,
        };
        assert_eq!(StopReason::ALL.map(number), [0, 1, 2, 3]);
        for reason in StopReason::ALL {
            assert_eq!(
                serde_json::to_value(reason).unwrap(),
                reason.as_str(),
                "{reason:?}"
            );
        }
    }

    #[test]
    fn serialized_stop_reasons_are_snake_case() {
        assert_eq!(
            serde_json::to_string(&StopReason::EmptyPage).unwrap(),
            r#""empty_page""#
        );
    }
}

#[cfg(test)]
mod json_tests {
    use super::*;

    #[test]
    fn cursors_round_trip_as_json_and_bad_ones_are_refused() {
        let mut cursor = Cursor::new(100, 500, Some(10_000), 200, Some(1_000)).unwrap();
        cursor.advance(
            Page {
                count: 100,
                offset: 200,
            },
            100,
            250,
        );
        let text = cursor.to_json();
        assert_eq!(text, serde_json::to_string(&cursor).unwrap());
        assert_eq!(Cursor::from_json(&text), Ok(cursor.clone()));
        assert_eq!(serde_json::from_str::<Cursor>(&text).unwrap(), cursor);
        for bad in [
            "",
            "{}",
            r#"{"page_size":0,"offset":0,"yielded":0}"#,
            r#"{"page_size":1,"offset":-1,"yielded":0}"#,
            r#"{"page_size":1,"offset":0,"yielded":0,"stop":"later"}"#,
        ] {
            assert!(Cursor::from_json(bad).is_err(), "{bad}");
        }
    }
}
