//! Every operation of the table through the async client, against the mock: each
//! conformance case of `tests/conformance/requests.json` (plus one case for each
//! operation the cases leave out) is sent through the typed method and through `call`
//! by name, and the mock's request log must show exactly the request the case expects.

use postmark_kit::ops::{find, operations};
use postmark_kit_mock::{MockServer, TokenKind};
use postmark_kit_reqwest::{AccountClient, ClientError, RetryPolicy, ServerClient};
use serde::Deserialize;
use serde_json::value::RawValue;
use std::collections::BTreeSet;
use std::time::Duration;

use crate::support::server_client_with;

mod support;

const REQUESTS: &str = include_str!("../../../tests/conformance/requests.json");

#[derive(Deserialize)]
struct Case {
    name: String,
    operation: String,
    token: Option<String>,
    params: Box<RawValue>,
    expect: Option<Expect>,
}

#[derive(Deserialize)]
struct Expect {
    method: String,
    path: String,
    query: String,
}

impl Expect {
    fn line(&self) -> String {
        match self.query.as_str() {
            "" => format!("{} {}", self.method, self.path),
            query => format!("{} {}?{query}", self.method, self.path),
        }
    }
}

/// How a call's query is compared with the case's.
#[derive(Clone, Copy)]
enum Query {
    /// Parameters by name keep the order they are given in.
    AsGiven,
    /// A typed request lists them in its fields' order: the same pairs, in any order.
    AnyOrder,
}

impl Query {
    fn normalize(self, line: &str) -> String {
        match (self, line.split_once('?')) {
            (Query::AnyOrder, Some((head, query))) => {
                let mut pairs: Vec<&str> = query.split('&').collect();
                pairs.sort_unstable();
                format!("{head}?{}", pairs.join("&"))
            }
            _ => line.to_owned(),
        }
    }
}

/// Operations no conformance case builds: one request each.
const EXTRA: &str = r#"[
    {"name": "search clicks", "operation": "search_message_clicks", "token": "server",
     "params": {"count": 10, "offset": 0},
     "expect": {"method": "GET", "path": "/messages/outbound/clicks", "query": "count=10&offset=0"}},
    {"name": "get a webhook", "operation": "get_webhook", "token": "server",
     "params": {"id": 7},
     "expect": {"method": "GET", "path": "/webhooks/7", "query": ""}},
    {"name": "delete a webhook", "operation": "delete_webhook", "token": "server",
     "params": {"id": 7},
     "expect": {"method": "DELETE", "path": "/webhooks/7", "query": ""}}
]"#;

/// `call_typed(server, account, name, params)`: the typed method of the table row
/// `name`, with the request read from `params` (the request type's serde form).
macro_rules! typed_calls {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        async fn call_typed(
            server: &ServerClient,
            account: &AccountClient,
            name: &str,
            params: &str,
        ) -> Result<Result<(), ClientError>, String> {
            let unreadable = |error: serde_json::Error| format!("parameters: {error}");
            match name {
                $(stringify!($s) => {
                    let request: $sty = serde_json::from_str(params).map_err(unreadable)?;
                    Ok(server.$s(&request).await.map(drop))
                })*
                $(stringify!($a) => {
                    let request: $aty = serde_json::from_str(params).map_err(unreadable)?;
                    Ok(account.$a(&request).await.map(drop))
                })*
                other => Err(format!("{other} has no typed method")),
            }
        }
    };
}

postmark_kit::for_each_operation!(typed_calls);

/// What went wrong with one call, if anything: a transport failure, or a log that is
/// not the one expected request with the expected token.
fn check(
    mock: &MockServer,
    result: Result<(), ClientError>,
    expect: &Expect,
    query: Query,
    token: TokenKind,
) -> Option<String> {
    // An API error is the mock's answer to a request it received (an unknown ID, say):
    // the request is what is checked here.
    if let Err(error @ (ClientError::Transport { .. } | ClientError::Build(_))) = result {
        return Some(format!("failed: {error}"));
    }
    let log = mock.requests();
    mock.clear_requests();
    let lines = support::seen_in(&log);
    let same = |line: &String| query.normalize(line) == query.normalize(&expect.line());
    if lines.len() != 1 || !same(&lines[0]) {
        return Some(format!("the mock saw {lines:?}, not {}", expect.line()));
    }
    (log[0].token != token).then(|| format!("sent with {:?}", log[0].token))
}

#[tokio::test]
async fn every_operation_reaches_the_mock_typed_and_by_name() {
    let mock = MockServer::start().unwrap();
    // One attempt per call, so that each call is one line of the log.
    let server = server_client_with(&mock, RetryPolicy::never(), Duration::from_secs(5));
    let account = AccountClient::builder(mock.account_token())
        .unwrap()
        .base_url(&mock.url())
        .unwrap()
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let mut cases: Vec<Case> = serde_json::from_str(REQUESTS).unwrap();
    cases.extend(serde_json::from_str::<Vec<Case>>(EXTRA).unwrap());

    let mut failures = Vec::new();
    let mut typed = BTreeSet::new();
    let mut by_name = BTreeSet::new();
    for case in &cases {
        let Some(expect) = &case.expect else {
            continue;
        };
        let token = match case.token.as_deref() {
            Some("account") => TokenKind::Account,
            _ => TokenKind::Server,
        };
        let params = case.params.get();
        let mut fail = |how: &str, what: String| {
            failures.push(format!("{} ({how}): {what}", case.name));
        };

        if case.operation != "raw" {
            match call_typed(&server, &account, &case.operation, params).await {
                Ok(result) => match check(&mock, result, expect, Query::AnyOrder, token) {
                    Some(failure) => fail("typed", failure),
                    None => {
                        typed.insert(case.operation.clone());
                    }
                },
                Err(failure) => fail("typed", failure),
            }
        }

        let operation = find(&case.operation).unwrap();
        let result = match token {
            TokenKind::Account => account.call(operation, params).await,
            _ => server.call(operation, params).await,
        };
        match check(&mock, result.map(drop), expect, Query::AsGiven, token) {
            Some(failure) => fail("by name", failure),
            None => {
                by_name.insert(case.operation.clone());
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let table: BTreeSet<String> = operations().map(|op| op.name.to_owned()).collect();
    assert_eq!(table.len(), 88);
    assert_eq!(typed, table, "operations called through their typed method");
    assert!(by_name.is_superset(&table), "operations called by name");
}
