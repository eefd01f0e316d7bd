//! Property tests of where the parameters reader says a mistake is. The oracle is the
//! mistake itself: each case takes the parameters of a conformance case that builds,
//! puts one mistake at a place it picks (a value of the wrong type, a key the operation
//! does not have), and the refusal must name that place, in the reader's notation
//! (`Attachments[0].Name`). A place that takes any value (a template model, metadata)
//! may accept the change instead; no mistake may be reported anywhere else.

use postmark_kit::ops::find;
use std::sync::OnceLock;

use postmark_kit::BuildError;
use proptest::prelude::*;
use serde_json::{Map, Value};

const REQUESTS: &str = include_str!("../../../tests/conformance/requests.json");

/// The dynamic interface's name for the server token.
const SERVER: &str = "server";

/// The server-token cases whose parameters build, as (operation, parameters); read once.
fn valid_cases() -> &'static [(String, Value)] {
    static CASES: OnceLock<Vec<(String, Value)>> = OnceLock::new();
    CASES.get_or_init(read_valid_cases)
}

fn read_valid_cases() -> Vec<(String, Value)> {
    let cases: Vec<Map<String, Value>> = serde_json::from_str(REQUESTS).unwrap();
    cases
        .into_iter()
        .filter(|case| case.get("token").and_then(Value::as_str) == Some("server"))
        .filter_map(|case| {
            let name = case["operation"].as_str()?.to_owned();
            let params = case.get("params")?.clone();
            let builds = find(&name).ok()?.parts(SERVER, &params.to_string()).is_ok();
            (builds && params.is_object()).then_some((name, params))
        })
        .collect()
}

/// Every place in `value` with its path in the reader's notation, the root excluded.
fn places(value: &Value, path: &str, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                let here = if path.is_empty() {
                    key.clone()
                } else {
                    format!("{path}.{key}")
                };
                out.push(here.clone());
                places(child, &here, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let here = format!("{path}[{i}]");
                out.push(here.clone());
                places(child, &here, out);
            }
        }
        _ => {}
    }
}

/// The value at `path`, for changing it.
fn at<'v>(value: &'v mut Value, path: &str) -> &'v mut Value {
    let mut current = value;
    for part in path.split('.') {
        let (key, indexes) = match part.find('[') {
            Some(i) => (&part[..i], &part[i..]),
            None => (part, ""),
        };
        if !key.is_empty() {
            current = current.get_mut(key).unwrap();
        }
        for index in indexes.split(['[', ']']).filter(|s| !s.is_empty()) {
            current = current.get_mut(index.parse::<usize>().unwrap()).unwrap();
        }
    }
    current
}

/// The path a refusal names, when it is about the parameters' shape.
fn refused_at(operation: &str, params: &Value) -> Option<Result<String, String>> {
    match find(operation).unwrap().parts(SERVER, &params.to_string()) {
        Ok(_) => None,
        Err(BuildError::InvalidParams { path, .. }) => Some(Ok(path)),
        Err(other) => Some(Err(other.to_string())),
    }
}

/// A value of another JSON type than `value`'s.
fn other_type(value: &Value, pick: u8) -> Value {
    let candidates = [
        Value::Bool(true),
        Value::from(7),
        Value::from("text"),
        Value::Array(vec![Value::from(1)]),
        Value::Object(Map::from_iter([("x".to_owned(), Value::from(1))])),
    ];
    let differs = |candidate: &&Value| {
        std::mem::discriminant(*candidate) != std::mem::discriminant(value)
            && !(value.is_number() && candidate.is_number())
    };
    let others: Vec<&Value> = candidates.iter().filter(differs).collect();
    others[usize::from(pick) % others.len()].clone()
}

#[test]
fn the_cases_are_there_and_a_misspelt_key_is_refused() {
    // The properties below draw from these: dozens of operations, and a mistake that
    // each of them refuses where it is.
    assert!(valid_cases().len() > 50, "{}", valid_cases().len());
    let mut accepted = Vec::new();
    for (operation, params) in valid_cases() {
        let mut params = params.clone();
        params
            .as_object_mut()
            .unwrap()
            .insert("Zzmisspelt".into(), Value::from(1));
        let refusal = refused_at(operation, &params);
        if refusal != Some(Ok("Zzmisspelt".to_owned())) {
            accepted.push(format!("{operation} {params}: {refusal:?}"));
        }
    }
    assert!(accepted.is_empty(), "{accepted:#?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_value_of_the_wrong_type_is_reported_where_it_is(case in any::<prop::sample::Index>(), place in any::<prop::sample::Index>(), pick in any::<u8>()) {
        let (operation, mut params) = case.get(valid_cases()).clone();
        let mut all = Vec::new();
        places(&params, "", &mut all);
        prop_assume!(!all.is_empty());
        let path = place.get(&all).clone();
        let slot = at(&mut params, &path);
        *slot = other_type(slot, pick);
        match refused_at(&operation, &params) {
            // Accepted: the place takes any value, or this type too.
            None => {}
            // Refused for its shape: at the place changed, or inside the value put there.
            Some(Ok(reported)) => prop_assert!(
                reported == path || reported.starts_with(&format!("{path}.")) || reported.starts_with(&format!("{path}[")),
                "{}: changed `{}`, reported `{}`: {}", operation, path, reported, params
            ),
            // Refused by a rule of the endpoint (a required value now missing, a limit):
            // not a shape mistake, so no path to compare.
            Some(Err(_)) => {}
        }
    }

    #[test]
    fn a_key_the_operation_does_not_have_is_reported_where_it_is(case in any::<prop::sample::Index>(), place in any::<prop::sample::Index>()) {
        let (operation, mut params) = case.get(valid_cases()).clone();
        // The objects of the parameters, the root included, by path ("" for the root).
        let mut all = vec![String::new()];
        places(&params, "", &mut all);
        let objects: Vec<String> = all
            .into_iter()
            .filter(|path| if path.is_empty() { params.is_object() } else { at(&mut params.clone(), path).is_object() })
            .collect();
        let path = place.get(&objects).clone();
        let key = "Zzmisspelt";
        let object = if path.is_empty() { &mut params } else { at(&mut params, &path) };
        object.as_object_mut().unwrap().insert(key.to_owned(), Value::from(1));
        let expected = if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
        match refused_at(&operation, &params) {
            None => {}
            Some(Ok(reported)) => prop_assert_eq!(reported, expected, "{}: {}", operation, params),
            Some(Err(other)) => prop_assert!(false, "{}: refused for another reason: {}", operation, other),
        }
    }
}
