//! The cross-language conformance cases of `tests/conformance/` (see its
//! README), run through the core's dynamic interface. The npm and Python
//! packages run the same cases through theirs.

use postmark_kit::ops::find;
use postmark_kit::{Account, BuildError, Config, Error, Server, Token, TokenKind};
use serde_json::{Map, Value};

mod support;

const REQUESTS: &str = include_str!("../../../tests/conformance/requests.json");
const RESPONSES: &str = include_str!("../../../tests/conformance/responses.json");
const TOKEN: &str = "conformance-token";

fn cases(text: &str) -> Vec<Map<String, Value>> {
    serde_json::from_str(text).expect("the cases are JSON")
}

fn config<K: TokenKind>() -> Config<K> {
    Config::new(Token::new(TOKEN).unwrap())
}

/// The keys of `expected` that `actual` lacks or holds another value for.
fn subset_failures(expected: &Map<String, Value>, actual: &Map<String, Value>) -> Vec<String> {
    expected
        .iter()
        .filter(|(key, value)| actual.get(*key) != Some(value))
        .map(|(key, value)| format!("{key}: expected {value}, got {:?}", actual.get(key)))
        .collect()
}

/// Fails with every case that failed, not only the first.
fn report(failures: Vec<String>) {
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The parameters of every request case as written, keys in their order:
/// the query lists them in the order given.
fn params_as_written() -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Case {
        params: Box<serde_json::value::RawValue>,
    }
    let cases: Vec<Case> = serde_json::from_str(REQUESTS).expect("the cases are JSON");
    cases
        .into_iter()
        .map(|case| case.params.get().to_owned())
        .collect()
}

fn build(
    case: &Map<String, Value>,
    params: &str,
) -> Result<postmark_kit::ops::BuiltRequest, BuildError> {
    let op = find(case["operation"].as_str().unwrap())?;
    match case["token"].as_str() {
        Some("account") => op.build(&config::<Account>(), params),
        _ => op.build(&config::<Server>(), params),
    }
}

#[test]
fn requests() {
    let cases = cases(REQUESTS);
    assert!(cases.len() >= 40);
    let mut failures = Vec::new();
    for (case, params) in cases.iter().zip(params_as_written()) {
        let name = case["name"].as_str().unwrap();
        let mut fail = |what: String| failures.push(format!("{name}: {what}"));
        match (build(case, &params), case.get("expect"), case.get("error")) {
            (Ok(built), Some(expect), None) => {
                let request = built.request;
                let header = match case["token"].as_str() {
                    Some("account") => Account::HEADER,
                    _ => Server::HEADER,
                };
                let body = match request.body().as_slice() {
                    [] => Value::Null,
                    body => serde_json::from_slice(body).unwrap(),
                };
                let checks = [
                    (
                        "method",
                        Value::from(request.method().as_str()),
                        &expect["method"],
                    ),
                    ("path", request.uri().path().into(), &expect["path"]),
                    (
                        "query",
                        request.uri().query().unwrap_or("").into(),
                        &expect["query"],
                    ),
                    ("idempotent", built.idempotent.into(), &expect["idempotent"]),
                    ("body", body.clone(), &expect["body"]),
                ];
                for (what, actual, expected) in checks {
                    if &actual != expected {
                        fail(format!("{what}: expected {expected}, got {actual}"));
                    }
                }
                let headers = request.headers();
                let sound = request.uri().host() == Some("api.postmarkapp.com")
                    && headers[header] == TOKEN
                    && headers["accept"] == "application/json"
                    && headers.get("content-type").is_some() != body.is_null();
                if !sound {
                    fail(format!("host or headers: {request:?}"));
                }
            }
            (Err(error), None, Some(Value::Object(expected))) => {
                subset_failures(expected, &error.details())
                    .into_iter()
                    .for_each(&mut fail);
            }
            (result, _, _) => fail(format!("{result:?}")),
        }
    }
    report(failures);
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
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap();
        let mut fail = |what: String| failures.push(format!("{name}: {what}"));
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
                if &answer != expect {
                    fail(format!("expected {expect}, got {answer}"));
                }
                if let Err(difference) = support::check_both_ways(op.name, body) {
                    fail(format!("the shape and the model differ: {difference}"));
                }
            }
            (Err(error), None, Some(Value::Object(expected))) => {
                subset_failures(expected, &error_fields(&error))
                    .into_iter()
                    .for_each(&mut fail);
            }
            (result, _, _) => fail(format!("{result:?}")),
        }
    }
    report(failures);
}

/// Each member of `value` (read against `schema`, in `definitions`) that the
/// schema requires, however deep: the JSON Pointer of the object holding it
/// (from `at`, the pointer of `value`), and its key.
#[cfg(feature = "schema")]
fn required_members(
    definitions: &Value,
    schema: &Value,
    value: &Value,
    at: &str,
    out: &mut Vec<(String, String)>,
) {
    // A reference, or an optional one (`anyOf` with `null`), read through.
    let schema = match (&schema["$ref"], &schema["anyOf"]) {
        (Value::String(reference), _) => &definitions[reference.rsplit('/').next().unwrap()],
        (_, Value::Array(variants)) => match variants.iter().find(|v| v["$ref"].is_string()) {
            Some(variant) => return required_members(definitions, variant, value, at, out),
            None => return,
        },
        _ => schema,
    };
    match value {
        Value::Object(members) => {
            for key in schema["required"].as_array().into_iter().flatten() {
                let key = key.as_str().unwrap();
                if members.contains_key(key) {
                    out.push((at.to_owned(), key.to_owned()));
                }
            }
            for (key, member) in members {
                let within = format!("{at}/{}", key.replace('~', "~0").replace('/', "~1"));
                required_members(
                    definitions,
                    &schema["properties"][key],
                    member,
                    &within,
                    out,
                );
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let within = format!("{at}/{index}");
                required_members(definitions, &schema["items"], item, &within, out);
            }
        }
        _ => {}
    }
}

/// Every member the models' schemas require, left out of a call that is
/// valid with it, is refused as missing: what the reader checks agrees with
/// the models, member by member, nested ones included.
#[cfg(feature = "schema")]
#[test]
fn a_required_member_left_out_is_missing() {
    let document = postmark_kit::ops::schema_document();
    let definitions = &document["definitions"];
    let rows = document["operations"].as_array().unwrap();
    let mut failures = Vec::new();
    let mut checked = 0;
    for case in cases(REQUESTS)
        .iter()
        .filter(|case| case.contains_key("expect"))
    {
        let operation = case["operation"].as_str().unwrap();
        let Some(row) = rows.iter().find(|row| row["name"] == operation) else {
            continue;
        };
        let mut members = Vec::new();
        required_members(
            definitions,
            &row["params"],
            &case["params"],
            "",
            &mut members,
        );
        for (holder, key) in members {
            let mut params = case["params"].clone();
            params
                .pointer_mut(&holder)
                .and_then(Value::as_object_mut)
                .unwrap()
                .remove(&key);
            // In a batch too, the refusal's kind and field are the message's.
            let missing = build(case, &params.to_string()).map_err(|error| error.details());
            match missing {
                Err(details)
                    if details["kind"] == "missing_field"
                        && details["field"].as_str().is_some_and(|f| f.ends_with(&key)) =>
                {
                    checked += 1;
                }
                result => failures.push(format!(
                    "{} without {holder}/{key}: {:?}",
                    case["name"],
                    result.map(|built| built.request)
                )),
            }
        }
    }
    report(failures);
    assert!(
        checked >= 80,
        "only {checked} required members were left out"
    );
}
