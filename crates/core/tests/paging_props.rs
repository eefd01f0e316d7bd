//! Property tests of the pagination state machine against a simulated Postmark.

use http::Method;
use postmark_kit::{
    BuildError, Config, Cursor, Endpoint, Page, Paged, Paginator, Parts, Query, Server, StopReason,
    Token, validate_page,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

const MAX_COUNT: u32 = 500;
const CAP: u32 = 10_000;
/// No walk here may take more steps than this; reaching it means a loop.
const STEP_LIMIT: usize = 200_000;

/// How the simulated server misbehaves on one request.
#[derive(Debug, Clone, Copy)]
enum Quirk {
    Normal,
    /// At most this many items, even if more are there.
    Fewer(u32),
    /// Nothing, whatever TotalCount says.
    Empty,
    /// The list changes size before this request is answered.
    Resize(u64),
    /// Up to this many items more than asked for.
    Excess(u32),
    /// A stale duplicate of the previous response arrives first.
    Replay,
}

fn quirk() -> impl Strategy<Value = Quirk> {
    prop_oneof![
        20 => Just(Quirk::Normal),
        2 => (0u32..500).prop_map(Quirk::Fewer),
        1 => Just(Quirk::Empty),
        2 => (0u64..50_000).prop_map(Quirk::Resize),
        2 => (1u32..50).prop_map(Quirk::Excess),
        2 => Just(Quirk::Replay),
    ]
}

/// A paged list of `total` items. Every answer is self-consistent: it never
/// holds more items than its own TotalCount leaves after the offset.
#[derive(Debug, Clone)]
struct Sim {
    total: u64,
    quirks: Vec<Quirk>,
    step: usize,
}

impl Sim {
    fn well_behaved(total: u64) -> Sim {
        Sim {
            total,
            quirks: vec![Quirk::Normal],
            step: 0,
        }
    }

    fn quirk(&self) -> Quirk {
        self.quirks[self.step % self.quirks.len()]
    }

    /// Items in the response to `page`, and TotalCount.
    fn answer(&mut self, page: Page) -> (usize, u64) {
        let quirk = self.quirk();
        self.step += 1;
        if let Quirk::Resize(total) = quirk {
            self.total = total;
        }
        let there = self.total.saturating_sub(u64::from(page.offset));
        let asked = match quirk {
            Quirk::Fewer(n) => page.count.min(n),
            Quirk::Empty => 0,
            Quirk::Excess(n) => page.count + n,
            _ => page.count,
        };
        (there.min(u64::from(asked)) as usize, self.total)
    }
}

/// One finished walk.
#[derive(Debug)]
struct Walk {
    pages: Vec<Page>,
    received: Vec<usize>,
    handed: Vec<usize>,
    cursor: Cursor,
    /// The cursor as JSON and the server as they were before request `at`.
    snapshot: Option<(String, Sim)>,
    last_total: Option<u64>,
    most_total: Option<u64>,
}

fn run(mut cursor: Cursor, mut sim: Sim, snapshot_at: usize) -> Result<Walk, TestCaseError> {
    let mut walk = Walk {
        pages: Vec::new(),
        received: Vec::new(),
        handed: Vec::new(),
        cursor: cursor.clone(),
        snapshot: None,
        last_total: None,
        most_total: None,
    };
    while let Some(page) = cursor.next_page() {
        prop_assert!(walk.pages.len() < STEP_LIMIT, "the walk does not end");
        if walk.pages.len() == snapshot_at {
            walk.snapshot = Some((serde_json::to_string(&cursor).unwrap(), sim.clone()));
        }
        if let (Quirk::Replay, Some(&stale)) = (sim.quirk(), walk.pages.last()) {
            let before = cursor.clone();
            prop_assert_eq!(cursor.advance(stale, stale.count as usize, sim.total), 0);
            prop_assert_eq!(&cursor, &before, "a stale page moved the cursor");
        }
        let (received, total) = sim.answer(page);
        let handed = cursor.advance(page, received, total);
        walk.pages.push(page);
        walk.received.push(received);
        walk.handed.push(handed);
        walk.last_total = Some(total);
        walk.most_total = walk.most_total.max(Some(total));
    }
    walk.cursor = cursor;
    Ok(walk)
}

/// What every walk must satisfy, however the server behaves.
fn check_invariants(
    walk: &Walk,
    page_size: u32,
    start: u32,
    cap: Option<u32>,
    limit: Option<u64>,
) -> Result<(), TestCaseError> {
    let depth = u64::from(cap.unwrap_or(u32::MAX));
    let mut expected_offset = start;
    for (i, page) in walk.pages.iter().enumerate() {
        prop_assert_eq!(page.offset, expected_offset, "pages must be contiguous");
        prop_assert!(page.count >= 1 && page.count <= page_size, "{page:?}");
        prop_assert_eq!(validate_page(*page, MAX_COUNT, cap), Ok(()));
        prop_assert!(u64::from(page.offset) + u64::from(page.count) <= depth);
        prop_assert_eq!(walk.handed[i], walk.received[i].min(page.count as usize));
        let is_last = i + 1 == walk.pages.len();
        prop_assert!(
            is_last || walk.handed[i] > 0,
            "only the last page may be empty"
        );
        expected_offset += walk.handed[i] as u32;
    }
    for pair in walk.pages.windows(2) {
        prop_assert!(pair[0].offset < pair[1].offset, "a page was fetched twice");
    }
    let yielded: u64 = walk.handed.iter().map(|&n| n as u64).sum();
    let cursor = &walk.cursor;
    prop_assert_eq!(cursor.yielded(), yielded);
    prop_assert!(cursor.is_done());
    prop_assert_eq!(cursor.next_page(), None);
    prop_assert_eq!(cursor.total(), walk.last_total);
    prop_assert!(walk.pages.len() as u64 <= yielded + 1);
    if let Some(limit) = limit {
        prop_assert!(yielded <= limit);
    }
    // Items already handed out cannot be taken back when the list shrinks,
    // so the bound is the largest TotalCount seen.
    if let Some(most) = walk.most_total {
        prop_assert!(yielded <= most);
    }
    let end = u64::from(start) + yielded;
    let reason = cursor.stop_reason().unwrap();
    let reached_total = walk.last_total.is_some_and(|t| end >= t);
    prop_assert_eq!(
        reason == StopReason::Exhausted,
        reached_total,
        "{:?}",
        reason
    );
    match reason {
        StopReason::Exhausted => {}
        StopReason::EmptyPage => prop_assert_eq!(walk.handed.last(), Some(&0)),
        StopReason::Limit => prop_assert_eq!(Some(yielded), limit),
        StopReason::Cap => prop_assert_eq!(end, depth),
    }
    Ok(())
}

/// Resumes from the walk's snapshot and checks that the rest is the same.
fn check_resume(walk: &Walk, snapshot_at: usize) -> Result<(), TestCaseError> {
    let Some((json, sim)) = &walk.snapshot else {
        return Ok(());
    };
    let resumed: Cursor = serde_json::from_str(json).unwrap();
    prop_assert_eq!(serde_json::to_string(&resumed).unwrap(), json.as_str());
    let rest = run(resumed, sim.clone(), usize::MAX)?;
    prop_assert_eq!(&rest.pages[..], &walk.pages[snapshot_at..]);
    prop_assert_eq!(&rest.cursor, &walk.cursor);
    Ok(())
}

fn cursor_or_refusal(
    page_size: u32,
    cap: Option<u32>,
    start: u32,
    limit: Option<u64>,
) -> Result<Option<Cursor>, TestCaseError> {
    let cursor = Cursor::new(page_size, MAX_COUNT, cap, start, limit);
    if cap.is_some_and(|cap| start >= cap) {
        prop_assert_eq!(
            cursor,
            Err(BuildError::PagedTooDeep {
                end: u64::from(start) + u64::from(page_size),
                cap: CAP
            })
        );
        return Ok(None);
    }
    Ok(Some(cursor.unwrap()))
}

fn cap() -> impl Strategy<Value = Option<u32>> {
    prop_oneof![Just(None), Just(Some(CAP))]
}

/// Totals anywhere, and often right around the cap.
fn total() -> impl Strategy<Value = u64> {
    prop_oneof![0u64..50_000, 9_990u64..10_010]
}

/// How the caller's limit is chosen: none, anywhere, or within a few items of
/// where the list or the cap ends, where the stop reasons compete.
#[derive(Debug, Clone, Copy)]
enum LimitAt {
    None,
    Anywhere(u64),
    NearTotal(i64),
    NearCap(i64),
}

fn limit_at() -> impl Strategy<Value = LimitAt> {
    prop_oneof![
        Just(LimitAt::None),
        (0u64..60_000).prop_map(LimitAt::Anywhere),
        (-2i64..=2).prop_map(LimitAt::NearTotal),
        (-2i64..=2).prop_map(LimitAt::NearCap),
    ]
}

impl LimitAt {
    fn resolve(self, total: u64, start: u32) -> Option<u64> {
        let near = |end: u64, delta: i64| {
            end.saturating_sub(u64::from(start))
                .saturating_add_signed(delta)
        };
        match self {
            LimitAt::None => None,
            LimitAt::Anywhere(limit) => Some(limit),
            LimitAt::NearTotal(delta) => Some(near(total, delta)),
            LimitAt::NearCap(delta) => Some(near(u64::from(CAP), delta)),
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn well_behaved_server(
        total in total(),
        page_size in 1u32..=MAX_COUNT,
        start in 0u32..20_000,
        cap in cap(),
        limit_at in limit_at(),
        snapshot_at in 0usize..120,
    ) {
        let limit = limit_at.resolve(total, start);
        let Some(cursor) = cursor_or_refusal(page_size, cap, start, limit)? else {
            return Ok(());
        };
        let walk = run(cursor, Sim::well_behaved(total), snapshot_at)?;
        check_invariants(&walk, page_size, start, cap, limit)?;
        check_resume(&walk, snapshot_at)?;

        let left = total.saturating_sub(u64::from(start));
        let mut expected = left;
        if let Some(limit) = limit {
            expected = expected.min(limit);
        }
        if let Some(cap) = cap {
            expected = expected.min(u64::from(cap - start));
        }
        prop_assert_eq!(walk.cursor.yielded(), expected);
        let reason = if limit == Some(0) {
            StopReason::Limit
        } else if expected == left {
            StopReason::Exhausted
        } else if limit == Some(expected) {
            StopReason::Limit
        } else {
            StopReason::Cap
        };
        prop_assert_eq!(walk.cursor.stop_reason(), Some(reason));
        let requests = if limit == Some(0) {
            0
        } else {
            expected.div_ceil(u64::from(page_size)).max(1)
        };
        prop_assert_eq!(walk.pages.len() as u64, requests);
    }

    #[test]
    fn misbehaving_server(
        total in total(),
        page_size in 1u32..=MAX_COUNT,
        start in 0u32..12_000,
        cap in cap(),
        limit_at in limit_at(),
        quirks in vec(quirk(), 1..64),
        snapshot_at in 0usize..120,
    ) {
        let limit = limit_at.resolve(total, start);
        let Some(cursor) = cursor_or_refusal(page_size, cap, start, limit)? else {
            return Ok(());
        };
        let sim = Sim { total, quirks, step: 0 };
        let walk = run(cursor, sim, snapshot_at)?;
        check_invariants(&walk, page_size, start, cap, limit)?;
        check_resume(&walk, snapshot_at)?;
    }

    #[test]
    fn page_validation(count in 0u32..1_000, offset in any::<u32>(), cap in cap()) {
        let end = u64::from(count) + u64::from(offset);
        let expected = if count == 0 {
            Err(BuildError::MissingField { field: "count".into() })
        } else if count > MAX_COUNT {
            Err(BuildError::CountTooLarge { count, max: MAX_COUNT })
        } else if cap.is_some_and(|cap| end > u64::from(cap)) {
            Err(BuildError::PagedTooDeep { end, cap: CAP })
        } else {
            Ok(())
        };
        prop_assert_eq!(validate_page(Page { count, offset }, MAX_COUNT, cap), expected);
    }
}

/// A list endpoint over the items `0..` with Postmark's paging limits.
#[derive(Debug, Clone)]
struct ListThings {
    count: u32,
    offset: u32,
}

#[derive(Debug, serde::Deserialize)]
struct ThingList {
    #[serde(rename = "TotalCount")]
    total: u64,
    #[serde(rename = "Things")]
    things: Vec<u64>,
}

impl Endpoint for ListThings {
    type Token = Server;
    type Response = ThingList;
    const OPERATION: &'static str = "list_things";

    fn parts(&self) -> Result<Parts<'static>, BuildError> {
        validate_page(self.page(), Self::MAX_COUNT, Self::DEPTH_CAP)?;
        let mut query = Query::default();
        query.push("count", self.count).push("offset", self.offset);
        Ok(Parts {
            method: Method::GET,
            path_and_query: format!("/things?{query}"),
            body: None,
            idempotent: true,
        })
    }
}

impl Paged for ListThings {
    type Item = u64;
    const DEPTH_CAP: Option<u32> = Some(CAP);

    fn page(&self) -> Page {
        Page {
            count: self.count,
            offset: self.offset,
        }
    }

    fn with_page(&self, page: Page) -> Self {
        ListThings {
            count: page.count,
            offset: page.offset,
        }
    }

    fn into_items(response: ThingList) -> (u64, Vec<u64>) {
        (response.total, response.things)
    }
}

/// Answers a built request the way Postmark would, reading count and offset
/// from the request's own query string.
fn serve(total: u64, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    let query = request.uri().query().unwrap();
    let param = |key: &str| -> u64 {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.parse().unwrap())
            .unwrap()
    };
    let (count, offset) = (param("count"), param("offset"));
    let things: Vec<u64> = (offset..total.min(offset + count)).collect();
    let body = serde_json::json!({ "TotalCount": total, "Things": things });
    http::Response::new(serde_json::to_vec(&body).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn paginator_hands_out_every_item_once_in_order(
        total in 0u64..12_000,
        page_size in 1u32..=MAX_COUNT,
        start in 0u32..CAP,
        limit in option::of(0u64..12_000),
        resume_after in 0usize..30,
    ) {
        let config = Config::<Server>::new(Token::new("t").unwrap());
        let endpoint = ListThings { count: page_size, offset: start };
        let mut pages = Paginator::new(endpoint.clone(), limit).unwrap();
        let mut items = Vec::new();
        let mut requests = 0;
        while let Some(next) = pages.next_request(&config) {
            prop_assert!(requests < STEP_LIMIT);
            let (page, built) = next.unwrap();
            items.extend(pages.on_response(page, serve(total, &built.request)).unwrap());
            requests += 1;
            if requests == resume_after {
                let json = serde_json::to_string(pages.cursor()).unwrap();
                pages = Paginator::resume(endpoint.clone(), serde_json::from_str(&json).unwrap());
            }
        }
        let mut end = total.min(u64::from(CAP));
        if let Some(limit) = limit {
            end = end.min(u64::from(start) + limit);
        }
        let expected: Vec<u64> = (u64::from(start)..end).collect();
        prop_assert_eq!(items, expected);
    }
}

fn page(count: u32, offset: u32) -> Page {
    Page { count, offset }
}

fn things(total: u64, items: impl IntoIterator<Item = u64>) -> http::Response<Vec<u8>> {
    let items: Vec<u64> = items.into_iter().collect();
    let body = serde_json::json!({ "TotalCount": total, "Things": items });
    http::Response::new(serde_json::to_vec(&body).unwrap())
}

#[test]
fn paginator_walks_a_capped_list() {
    let config = Config::<Server>::new(Token::new("t").unwrap());
    let mut pages = Paginator::new(
        ListThings {
            count: 500,
            offset: 9_000,
        },
        None,
    )
    .unwrap();
    let mut seen = Vec::new();
    while let Some(next) = pages.next_request(&config) {
        let (page, built) = next.unwrap();
        let query = format!("count={}&offset={}", page.count, page.offset);
        assert_eq!(built.request.uri().query(), Some(query.as_str()));
        seen.extend(
            pages
                .on_response(
                    page,
                    things(
                        20_000,
                        u64::from(page.offset)..u64::from(page.offset + page.count),
                    ),
                )
                .unwrap(),
        );
    }
    assert_eq!(seen, (9_000..10_000).collect::<Vec<_>>());
    assert_eq!(pages.cursor().stop_reason(), Some(StopReason::Cap));
}

#[test]
fn error_responses_leave_the_cursor_alone() {
    let mut pages = Paginator::new(
        ListThings {
            count: 10,
            offset: 0,
        },
        None,
    )
    .unwrap();
    let before = pages.cursor().clone();
    let response = http::Response::builder()
        .status(503)
        .body(br#"{"ErrorCode":100,"Message":"Maintenance"}"#.to_vec())
        .unwrap();
    assert!(pages.on_response(page(10, 0), response).is_err());
    assert_eq!(pages.cursor(), &before);
    assert_eq!(
        pages.on_response(page(10, 0), things(3, 0..3)).unwrap(),
        [0, 1, 2]
    );
}

#[test]
fn resume_tightens_a_foreign_cursor() {
    let foreign = Cursor::new(1_000, 1_000, None, 9_990, None).unwrap();
    let pages = Paginator::resume(
        ListThings {
            count: 1,
            offset: 0,
        },
        foreign,
    );
    assert_eq!(pages.cursor().next_page(), Some(page(10, 9_990)));
    let past = Cursor::new(10, 500, None, 10_000, None).unwrap();
    let pages = Paginator::resume(
        ListThings {
            count: 1,
            offset: 0,
        },
        past,
    );
    assert_eq!(pages.cursor().stop_reason(), Some(StopReason::Cap));
    let config = Config::<Server>::new(Token::new("t").unwrap());
    assert!(pages.next_request(&config).is_none());
}

#[test]
fn a_list_by_offset_has_no_keys() {
    use postmark_kit::api::bounces::{BounceList, ListBounces};
    let request = ListBounces {
        count: 10,
        offset: 20,
        ..ListBounces::default()
    };
    assert_eq!(request.key(), None);
    let answer = BounceList {
        total_count: 30,
        ..BounceList::default()
    };
    assert_eq!(ListBounces::next_key(&answer), None);
}
