//! Property tests of walks over a list paged by key (the bulk requests)
//! against a simulated Postmark: the cursor alone, the typed `Paginator`, and
//! the dynamic `DynPager`, each resumed from a saved cursor.

use postmark_kit::api::bulk::ListBulkEmails;
use postmark_kit::{
    Config, Cursor, Page, Paged, Paginator, Paging, Server, StopReason, Token, ops,
};
use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

const MAX_COUNT: u32 = 500;
/// No walk here may take more steps than this; reaching it means a loop.
const STEP_LIMIT: usize = 100_000;

/// How the simulated server misbehaves on one request.
#[derive(Debug, Clone, Copy)]
enum Quirk {
    Normal,
    /// At most this many items, and the key after them.
    Fewer(u32),
    /// Up to this many items more than asked for, and the key after them.
    Excess(u32),
    /// Nothing, and the key of the same page.
    Empty,
    /// The list changes length before this request is answered.
    Resize(u64),
    /// A stale duplicate of the previous answer arrives first.
    Replay,
}

fn quirk() -> impl Strategy<Value = Quirk> {
    prop_oneof![
        20 => Just(Quirk::Normal),
        2 => (0u32..200).prop_map(Quirk::Fewer),
        2 => (1u32..50).prop_map(Quirk::Excess),
        1 => Just(Quirk::Empty),
        2 => (0u64..3_000).prop_map(Quirk::Resize),
        2 => Just(Quirk::Replay),
    ]
}

/// A list of the items `0..total`, newest first as far as the walk can
/// tell; a key names the item a page starts at.
#[derive(Debug, Clone)]
struct Sim {
    total: u64,
    quirks: Vec<Quirk>,
    step: usize,
}

fn key_of(index: u64) -> String {
    format!("k{index}")
}

fn index_of(key: Option<&str>) -> u64 {
    key.map_or(0, |key| key[1..].parse().unwrap())
}

impl Sim {
    fn new(total: u64, quirks: Vec<Quirk>) -> Sim {
        Sim {
            total,
            quirks,
            step: 0,
        }
    }

    fn quirk(&self) -> Quirk {
        self.quirks[self.step % self.quirks.len()]
    }

    /// The items of the page `key` names, and the key of the next page.
    fn answer(&mut self, count: u32, key: Option<&str>) -> (Vec<u64>, Option<String>) {
        let quirk = self.quirk();
        self.step += 1;
        if let Quirk::Resize(total) = quirk {
            self.total = total;
        }
        let start = index_of(key);
        let asked = match quirk {
            Quirk::Fewer(n) => count.min(n),
            Quirk::Excess(n) => count + n,
            Quirk::Empty => 0,
            _ => count,
        };
        let end = self.total.min(start + u64::from(asked));
        let items: Vec<u64> = (start..end.max(start)).collect();
        let next = match quirk {
            Quirk::Empty if start < self.total => Some(key_of(start)),
            _ => (end < self.total).then(|| key_of(end)),
        };
        (items, next)
    }
}

/// One finished walk.
#[derive(Debug)]
struct Walk {
    pages: Vec<Page>,
    /// Items handed out before each page.
    before: Vec<usize>,
    handed: Vec<u64>,
    last_handed: usize,
    last_had_key: bool,
    cursor: Cursor,
    snapshot: Option<(String, Sim, usize)>,
}

fn run(mut cursor: Cursor, mut sim: Sim, snapshot_at: usize) -> Result<Walk, TestCaseError> {
    let mut walk = Walk {
        pages: Vec::new(),
        before: Vec::new(),
        handed: Vec::new(),
        last_handed: 0,
        last_had_key: false,
        cursor: cursor.clone(),
        snapshot: None,
    };
    let mut previous: Option<(Page, usize, Option<String>)> = None;
    while let Some(page) = cursor.next_page() {
        prop_assert!(walk.pages.len() < STEP_LIMIT, "the walk does not end");
        if walk.pages.len() == snapshot_at {
            walk.snapshot = Some((
                serde_json::to_string(&cursor).unwrap(),
                sim.clone(),
                walk.handed.len(),
            ));
        }
        if let (Quirk::Replay, Some((stale, received, next))) = (sim.quirk(), &previous) {
            let before = cursor.clone();
            prop_assert_eq!(cursor.advance_key(*stale, *received, next.as_deref()), 0..0);
            prop_assert_eq!(&cursor, &before, "a stale answer moved the cursor");
        }
        walk.before.push(walk.handed.len());
        let (items, next) = sim.answer(page.count, cursor.key());
        let range = cursor.advance_key(page, items.len(), next.as_deref());
        prop_assert!(range.end <= items.len());
        walk.handed.extend(&items[range.clone()]);
        walk.pages.push(page);
        walk.last_handed = range.len();
        walk.last_had_key = next.is_some();
        previous = Some((page, items.len(), next));
    }
    walk.cursor = cursor;
    Ok(walk)
}

/// What every walk must satisfy, however the server behaves.
fn check_invariants(
    walk: &Walk,
    start: u64,
    page_size: u32,
    limit: Option<u64>,
) -> Result<(), TestCaseError> {
    let expected: Vec<u64> = (start..start + walk.handed.len() as u64).collect();
    prop_assert_eq!(&walk.handed, &expected, "every item once, in order");
    // A page's offset is where it starts in the walk: at the items handed
    // out before it, or before them when it is asked for again to skip some.
    for (page, &before) in walk.pages.iter().zip(&walk.before) {
        prop_assert!(page.count >= 1 && page.count <= page_size, "{page:?}");
        prop_assert!(page.offset as usize <= before, "{page:?} after {before}");
    }
    let cursor = &walk.cursor;
    let yielded = walk.handed.len() as u64;
    prop_assert_eq!(cursor.yielded(), yielded);
    prop_assert!(cursor.is_done());
    prop_assert_eq!(cursor.next_page(), None);
    prop_assert_eq!(cursor.total(), None);
    prop_assert_eq!(cursor.paging(), Paging::Key);
    prop_assert!(walk.pages.len() as u64 <= yielded + 1);
    if let Some(limit) = limit {
        prop_assert!(yielded <= limit);
    }
    match cursor.stop_reason().unwrap() {
        StopReason::Exhausted => prop_assert!(!walk.last_had_key),
        StopReason::EmptyPage => prop_assert_eq!(walk.last_handed, 0),
        StopReason::Limit => prop_assert_eq!(Some(yielded), limit),
        StopReason::Cap => prop_assert!(false, "a list by key has no cap"),
    }
    Ok(())
}

/// Resumes from the walk's snapshot and checks that the rest is the same.
fn check_resume(walk: &Walk, snapshot_at: usize) -> Result<(), TestCaseError> {
    let Some((json, sim, handed)) = &walk.snapshot else {
        return Ok(());
    };
    let resumed: Cursor = serde_json::from_str(json).unwrap();
    prop_assert_eq!(serde_json::to_string(&resumed).unwrap(), json.as_str());
    let rest = run(resumed, sim.clone(), usize::MAX)?;
    prop_assert_eq!(&rest.pages[..], &walk.pages[snapshot_at..]);
    prop_assert_eq!(&rest.handed[..], &walk.handed[*handed..]);
    prop_assert_eq!(&rest.cursor, &walk.cursor);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn well_behaved_server(
        total in 0u64..3_000,
        page_size in 1u32..=MAX_COUNT,
        start in 0u64..3_500,
        limit in option::of(0u64..4_000),
        snapshot_at in 0usize..40,
    ) {
        let start_key = (start > 0).then(|| key_of(start));
        let cursor = Cursor::keyed(page_size, MAX_COUNT, start_key, limit).unwrap();
        let walk = run(cursor, Sim::new(total, vec![Quirk::Normal]), snapshot_at)?;
        check_invariants(&walk, start, page_size, limit)?;
        check_resume(&walk, snapshot_at)?;

        let left = total.saturating_sub(start);
        let expected = limit.map_or(left, |limit| left.min(limit));
        prop_assert_eq!(walk.cursor.yielded(), expected);
        let reason = match limit {
            Some(0) => StopReason::Limit,
            Some(limit) if limit < left => StopReason::Limit,
            _ => StopReason::Exhausted,
        };
        prop_assert_eq!(walk.cursor.stop_reason(), Some(reason));
        let requests = match limit {
            Some(0) => 0,
            _ => expected.div_ceil(u64::from(page_size)).max(1),
        };
        prop_assert_eq!(walk.pages.len() as u64, requests);
    }

    #[test]
    fn misbehaving_server(
        total in 0u64..3_000,
        page_size in 1u32..=MAX_COUNT,
        limit in option::of(0u64..4_000),
        quirks in vec(quirk(), 1..32),
        snapshot_at in 0usize..60,
    ) {
        let cursor = Cursor::keyed(page_size, MAX_COUNT, None, limit).unwrap();
        let walk = run(cursor, Sim::new(total, quirks), snapshot_at)?;
        check_invariants(&walk, 0, page_size, limit)?;
        check_resume(&walk, snapshot_at)?;
    }

    /// A caller that buffers a page and stops part-way through it resumes at
    /// the first item it did not consume, even past a limit or the end.
    #[test]
    fn unconsumed_items_are_handed_out_again(
        total in 1u64..2_000,
        page_size in 1u32..=MAX_COUNT,
        limit in option::of(1u64..2_500),
        pages_before in 1usize..10,
        consumed_share in 0.0f64..1.0,
    ) {
        let mut cursor = Cursor::keyed(page_size, MAX_COUNT, None, limit).unwrap();
        let mut sim = Sim::new(total, vec![Quirk::Normal]);
        let mut handed: Vec<u64> = Vec::new();
        let mut last_page: Vec<u64> = Vec::new();
        for _ in 0..pages_before {
            let Some(page) = cursor.next_page() else { break };
            let (items, next) = sim.answer(page.count, cursor.key());
            last_page = items[cursor.advance_key(page, items.len(), next.as_deref())].to_vec();
            handed.extend(&last_page);
        }
        let consumed = (last_page.len() as f64 * consumed_share) as usize;
        let back = (last_page.len() - consumed) as u64;
        handed.truncate(handed.len() - back as usize);
        let json = serde_json::to_string(&cursor.unconsumed(back)).unwrap();
        let mut resumed: Cursor = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(resumed.yielded(), handed.len() as u64);
        while let Some(page) = resumed.next_page() {
            prop_assert!(handed.len() < STEP_LIMIT);
            let (items, next) = sim.answer(page.count, resumed.key());
            handed.extend(&items[resumed.advance_key(page, items.len(), next.as_deref())]);
        }
        let end = limit.map_or(total, |limit| total.min(limit));
        prop_assert_eq!(handed, (0..end).collect::<Vec<_>>());
    }
}

/// Answers a built request to `GET /email/bulk` the way Postmark would, from
/// its own query string: bulk requests `0..total`, a key naming the first of
/// a page.
fn serve(total: u64, request: &http::Request<Vec<u8>>) -> http::Response<Vec<u8>> {
    let query = request.uri().query().unwrap_or_default();
    let param = |key: &str| {
        form_urlencoded::parse(query.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    };
    let count: u64 = param("count").unwrap().parse().unwrap();
    let start = index_of(param("paginationKey").as_deref());
    let end = total.min(start + count);
    let requests: Vec<_> = (start..end.max(start))
        .map(
            |i| serde_json::json!({"Id": i.to_string(), "TotalMessages": 1, "Status": "Completed"}),
        )
        .collect();
    let mut body = serde_json::json!({ "Requests": requests });
    if end < total {
        body["PaginationKey"] = key_of(end).into();
    }
    http::Response::new(serde_json::to_vec(&body).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn paginator_hands_out_every_bulk_request_once_in_order(
        total in 0u64..2_000,
        page_size in option::of(1u32..=MAX_COUNT),
        limit in option::of(0u64..2_500),
        resume_after in 0usize..20,
    ) {
        let config = Config::<Server>::new(Token::new("t").unwrap());
        let endpoint = ListBulkEmails { count: page_size, pagination_key: None };
        let mut pages = Paginator::new(endpoint.clone(), limit).unwrap();
        let mut ids = Vec::new();
        let mut requests = 0;
        while let Some(next) = pages.next_request(&config) {
            prop_assert!(requests < STEP_LIMIT);
            let (page, built) = next.unwrap();
            prop_assert_eq!(page.count, page_size.unwrap_or(MAX_COUNT).min(limit.map_or(u32::MAX, |l| (l - ids.len() as u64) as u32)));
            let items = pages.on_response(page, serve(total, &built.request)).unwrap();
            ids.extend(items.into_iter().map(|item| item.id.parse::<u64>().unwrap()));
            requests += 1;
            if requests == resume_after {
                let json = serde_json::to_string(pages.cursor()).unwrap();
                pages = Paginator::resume(endpoint.clone(), serde_json::from_str(&json).unwrap());
            }
        }
        let end = limit.map_or(total, |limit| total.min(limit));
        prop_assert_eq!(ids, (0..end).collect::<Vec<_>>());
    }

    #[test]
    fn dyn_pager_hands_out_every_bulk_request_once_in_order(
        total in 0u64..2_000,
        page_size in 1u32..=MAX_COUNT,
        limit in option::of(0u64..2_500),
        resume_after in 0usize..20,
    ) {
        let config = Config::<Server>::new(Token::new("t").unwrap());
        let op = ops::find("list_bulk_emails").unwrap();
        let params = format!(r#"{{"count": {page_size}}}"#);
        let mut pager = op.pages(&params, limit).unwrap();
        let mut ids = Vec::new();
        let mut requests = 0;
        while let Some((page, params)) = pager.next_params() {
            prop_assert!(requests < STEP_LIMIT);
            let built = op.build(&config, &params).unwrap();
            let response = serve(total, &built.request);
            let (parts, body) = response.into_parts();
            let items = pager
                .advance(page, &http::Response::from_parts(parts, body.as_slice()))
                .unwrap();
            let items: Vec<serde_json::Value> = serde_json::from_str(&items).unwrap();
            ids.extend(items.iter().map(|item| item["Id"].as_str().unwrap().parse::<u64>().unwrap()));
            requests += 1;
            if requests == resume_after {
                let saved = serde_json::to_string(pager.cursor()).unwrap();
                let params = serde_json::to_string(pager.params()).unwrap();
                pager = op.resume(&params, serde_json::from_str(&saved).unwrap()).unwrap();
            }
        }
        let end = limit.map_or(total, |limit| total.min(limit));
        prop_assert_eq!(ids, (0..end).collect::<Vec<_>>());
    }
}

#[test]
fn a_walk_by_key_sends_the_key_and_no_offset() {
    let config = Config::<Server>::new(Token::new("t").unwrap());
    let op = ops::find("list_bulk_emails").unwrap();
    assert_eq!(op.paging(), Some(Paging::Key));
    assert_eq!(
        ops::find("list_bounces").unwrap().paging(),
        Some(Paging::Offset)
    );
    assert_eq!(ops::find("send_email").unwrap().paging(), None);
    let mut pager = op.pages(r#"{"paginationKey": "k7"}"#, None).unwrap();
    let (page, params) = pager.next_params().unwrap();
    assert_eq!(
        page,
        Page {
            count: MAX_COUNT,
            offset: 0
        }
    );
    let built = op.build(&config, &params).unwrap();
    assert_eq!(
        built.request.uri().query(),
        Some("count=500&paginationKey=k7")
    );
    let body = br#"{"Requests": [{"Id": "7", "PercentageCompleted": 1, "TotalMessages": 2},
                    {"Id": "8", "PercentageCompleted": 1, "TotalMessages": 2}],
                    "PaginationKey": "k\u0039"}"#;
    let items = pager
        .advance(page, &http::Response::new(&body[..]))
        .unwrap();
    assert_eq!(
        items,
        r#"[{"Id": "7", "PercentageCompleted": 1, "TotalMessages": 2},{"Id": "8", "PercentageCompleted": 1, "TotalMessages": 2}]"#
    );
    // The key is read unescaped.
    assert_eq!(pager.cursor().key(), Some("k9"));
    let (_, params) = pager.next_params().unwrap();
    let params: serde_json::Value = serde_json::from_str(&params).unwrap();
    assert_eq!(
        params,
        serde_json::json!({"paginationKey": "k9", "count": 500})
    );
}

#[test]
fn a_typed_walk_by_key_starts_at_the_requests_own_key() {
    let config = Config::<Server>::new(Token::new("t").unwrap());
    let request = ListBulkEmails {
        count: Some(20),
        pagination_key: Some("k7".into()),
    };
    assert_eq!(request.key(), Some("k7"));
    // Another page of the same request keeps its key.
    assert_eq!(
        request.with_page(Page {
            count: 5,
            offset: 0
        }),
        ListBulkEmails {
            count: Some(5),
            pagination_key: Some("k7".into()),
        }
    );
    let walk = Paginator::new(request, None).unwrap();
    assert_eq!(walk.cursor().key(), Some("k7"));
    let (page, built) = walk.next_request(&config).unwrap().unwrap();
    assert_eq!(page.count, 20);
    assert_eq!(
        built.request.uri().query(),
        Some("count=20&paginationKey=k7")
    );
}

#[test]
fn cursors_of_the_other_paging_are_refused_or_end_the_walk() {
    let by_offset = Cursor::new(10, 500, None, 0, None).unwrap();
    let by_key = Cursor::keyed(10, 500, None, None).unwrap();
    let bulk = ops::find("list_bulk_emails").unwrap();
    let bounces = ops::find("list_bounces").unwrap();
    assert!(bulk.resume("{}", by_offset.clone()).is_err());
    assert!(bounces.resume("{}", by_key.clone()).is_err());
    assert!(bulk.resume("{}", by_key.clone()).is_ok());
    let walk = Paginator::resume(ListBulkEmails::default(), by_offset);
    assert_eq!(walk.cursor().stop_reason(), Some(StopReason::EmptyPage));
    assert_eq!(walk.cursor().next_page(), None);
    // An answer of the other kind is ignored, like one to another page.
    let mut cursor = by_key;
    let page = cursor.next_page().unwrap();
    assert_eq!(cursor.advance(page, 10, 100), 0);
    assert_eq!(cursor.yielded(), 0);
}
