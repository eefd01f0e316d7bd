//! The cross-language conformance cases of `tests/conformance/` (see its
//! README), run through the core's dynamic interface. The npm and Python
//! packages run the same cases through theirs.

use postmark_kit::ops::find;
use postmark_kit::{Account, BuildError, Config, Error, Server, Token, TokenKind};
use serde_json::{Map, Value};

const REQUESTS: &str = include_str!("../../../tests/conformance/requests.json");
const RESPONSES: &str = include_str!("../../../tests/conformance/responses.json");
const TOKEN: &str = "conformance-token";

fn cases(text: &str) -> Vec<Map<String, Value>> {
    serde_json::from_str(text).expect("the cases are JSON")
}

fn config<K: TokenKind>() -> Config<K> {
    Config::new(Token::new(TOKEN).unwrap())
}

/// Every key of `expected` is in `actual` with the same value.
fn assert_subset(name: &str, expected: &Map<String, Value>, actual: &Map<String, Value>) {
    for (key, value) in expected {
        assert_eq!(actual.get(key), Some(value), "{name}: {key} in {actual:?}");
    }
}

fn build(case: &Map<String, Value>) -> Result<postmark_kit::ops::BuiltRequest, BuildError> {
    let params = case["params"].to_string();
    let op = find(case["operation"].as_str().unwrap())?;
    match case["token"].as_str() {
        Some("account") => op.build(&config::<Account>(), &params),
        _ => op.build(&config::<Server>(), &params),
    }
}

#[test]
fn requests() {
    let cases = cases(REQUESTS);
    assert!(cases.len() >= 40);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        match (build(case), case.get("expect"), case.get("error")) {
            (Ok(built), Some(expect), None) => {
                let request = built.request;
                assert_eq!(request.method().as_str(), expect["method"], "{name}");
                assert_eq!(request.uri().host(), Some("api.postmarkapp.com"), "{name}");
                assert_eq!(request.uri().path(), expect["path"], "{name}");
                assert_eq!(
                    request.uri().query().unwrap_or(""),
                    expect["query"],
                    "{name}"
                );
                assert_eq!(built.idempotent, expect["idempotent"], "{name}");
                let header = match case["token"].as_str() {
                    Some("account") => Account::HEADER,
                    _ => Server::HEADER,
                };
                assert_eq!(request.headers()[header], TOKEN, "{name}");
                assert_eq!(request.headers()["accept"], "application/json", "{name}");
                let body = match request.body().as_slice() {
                    [] => Value::Null,
                    body => serde_json::from_slice(body).unwrap(),
                };
                assert_eq!(body, expect["body"], "{name}");
                assert_eq!(
                    request.headers().get("content-type").is_some(),
                    !body.is_null(),
                    "{name}"
                );
            }
            (Err(error), None, Some(Value::Object(expected))) => {
                assert_subset(name, expected, &error.details());
            }
            (result, _, _) => panic!("{name}: {result:?}"),
        }
    }
}

fn error_fields(error: &Error) -> Map<String, Value> {
    let mut fields = Map::new();
    fields.insert("kind".into(), error.kind().as_str().into());
    fields.insert("status".into(), error.status().as_u16().into());
    if let Some(code) = error.code() {
        fields.insert("code".into(), code.as_u32().into());
        fields.insert("code_name".into(), code.name().into());
    }
    if let Some(seconds) = error.retry_after() {
        fields.insert("retry_after".into(), seconds.into());
    }
    if let Error::Decode { path, .. } = error {
        fields.insert("path".into(), path.as_str().into());
    }
    fields
}

#[test]
fn responses() {
    let cases = cases(RESPONSES);
    assert!(cases.len() >= 20);
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let mut response =
            http::Response::builder().status(case["status"].as_u64().unwrap() as u16);
        for (header, value) in case["headers"].as_object().unwrap() {
            response = response.header(header, value.as_str().unwrap());
        }
        let body = case["body"].as_str().unwrap();
        let response = response.body(body.as_bytes()).unwrap();
        let op = find(case["operation"].as_str().unwrap()).unwrap();
        match (op.parse(&response), case.get("expect"), case.get("error")) {
            (Ok(answer), Some(expect), None) => {
                let answer: Value = serde_json::from_str(&answer).unwrap();
                assert_eq!(&answer, expect, "{name}");
            }
            (Err(error), None, Some(Value::Object(expected))) => {
                assert_subset(name, expected, &error_fields(&error));
            }
            (result, _, _) => panic!("{name}: {result:?}"),
        }
    }
}
