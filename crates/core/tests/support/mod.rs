//! Helpers shared by the integration tests.

// Each test file includes this module and uses the helpers it needs.
#![allow(dead_code)]

use serde_json::Value;

/// Every copy of `value` with exactly one object member set to `null`, with
/// the path of that member: Postmark writes "no value" as `null` as often as
/// it leaves a field out, anywhere in a body.
pub(crate) fn each_member_nulled(value: &Value) -> Vec<(String, Value)> {
    let mut paths = Vec::new();
    member_paths(value, &mut Vec::new(), &mut paths);
    paths
        .into_iter()
        .map(|path| {
            let mut nulled = value.clone();
            *at_path(&mut nulled, &path) = Value::Null;
            (path.join("/"), nulled)
        })
        .collect()
}

/// The paths of every object member of `value`, depth first, each step a
/// key or an array index.
fn member_paths(value: &Value, at: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match value {
        Value::Object(map) => map.iter().for_each(|(key, value)| {
            at.push(key.clone());
            out.push(at.clone());
            member_paths(value, at, out);
            at.pop();
        }),
        Value::Array(items) => items.iter().enumerate().for_each(|(i, value)| {
            at.push(i.to_string());
            member_paths(value, at, out);
            at.pop();
        }),
        _ => {}
    }
}

fn at_path<'v>(value: &'v mut Value, path: &[String]) -> &'v mut Value {
    path.iter().fold(value, |value, step| match value {
        Value::Array(items) => &mut items[step.parse::<usize>().expect("an index")],
        other => &mut other[step.as_str()],
    })
}

/// The answer of the typed model of operation `name` to `response`, as its
/// serde form: the reference the dynamic interface is held to.
pub(crate) fn typed_answer(
    name: &str,
    response: http::Response<&[u8]>,
) -> Result<Value, postmark_kit::Error> {
    macro_rules! typed {
        (server { $($server:tt)* } account { $($account:tt)* }) => {
            typed!(@rows name, response; $($server)* $($account)*)
        };
        (@rows $name:ident, $response:ident; $($op:ident, $js:ident, $paging:ident, $method:ident $path:literal [$($param:ident),*], $ty:path => $answer:ty;)*) => {
            match $name {
                $(stringify!($op) => postmark_kit::parse::<$ty>($response)
                    .map(|answer| serde_json::to_value(answer).expect("models serialize")),)*
                "raw" => postmark_kit::parse::<postmark_kit::api::raw::Raw<postmark_kit::Server>>($response),
                other => panic!("no operation `{other}`"),
            }
        };
    }
    postmark_kit::for_each_operation!(typed)
}

/// Checks that `dynamic`, what the dynamic interface answered for `body`,
/// is `typed`, the model's serde form, plus members the model does not
/// know, each as received. Numbers compare by value: a model writes `1.0`
/// where Postmark sent `1`.
pub(crate) fn same_answer(typed: &Value, dynamic: &Value, body: &Value) -> Result<(), String> {
    fn walk(typed: &Value, dynamic: &Value, body: &Value, path: &mut String) -> Result<(), String> {
        let differ = |path: &str| Err(format!("at `{path}`: model {typed}, dynamic {dynamic}"));
        match (typed, dynamic) {
            (Value::Object(typed), Value::Object(dynamic)) => {
                for (key, value) in typed {
                    let Some(other) = dynamic.get(key) else {
                        return Err(format!("at `{path}`: `{key}` is missing"));
                    };
                    let len = path.len();
                    path.push_str(&format!(".{key}"));
                    walk(value, other, body.get(key).unwrap_or(&Value::Null), path)?;
                    path.truncate(len);
                }
                for (key, value) in dynamic.iter().filter(|(key, _)| !typed.contains_key(*key)) {
                    if body.get(key) != Some(value) {
                        return Err(format!("at `{path}`: `{key}` is {value}, not as received"));
                    }
                }
                Ok(())
            }
            (Value::Array(typed), Value::Array(dynamic)) if typed.len() == dynamic.len() => {
                for (index, (typed, dynamic)) in typed.iter().zip(dynamic).enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{index}]"));
                    walk(
                        typed,
                        dynamic,
                        body.get(index).unwrap_or(&Value::Null),
                        path,
                    )?;
                    path.truncate(len);
                }
                Ok(())
            }
            (Value::Number(a), Value::Number(b)) if a.as_f64() == b.as_f64() => Ok(()),
            _ if typed == dynamic => Ok(()),
            _ => differ(path),
        }
    }
    walk(typed, dynamic, body, &mut String::new())
}

/// Reads `body` with status 200 through operation `name` both ways, and
/// checks that they agree: the same answer (see [`same_answer`]), or both
/// a failure at the same path.
pub(crate) fn check_both_ways(name: &str, body: &str) -> Result<(), String> {
    let response = || {
        http::Response::builder()
            .status(200)
            .body(body.as_bytes())
            .unwrap()
    };
    let op = postmark_kit::ops::find(name).unwrap();
    match (typed_answer(name, response()), op.parse(&response())) {
        (Ok(typed), Ok(dynamic)) => {
            let dynamic: Value = serde_json::from_str(&dynamic).map_err(|e| e.to_string())?;
            let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            same_answer(&typed, &dynamic, &body)
        }
        (Err(typed), Err(dynamic)) => match (&typed, &dynamic) {
            (
                postmark_kit::Error::Decode { path: a, .. },
                postmark_kit::Error::Decode { path: b, .. },
            ) if a != b => Err(format!("the model fails at `{a}`, the shape at `{b}`")),
            _ => Ok(()),
        },
        (typed, dynamic) => Err(format!("model {typed:?}, dynamic {dynamic:?}")),
    }
}

/// Reads a webhook body both ways, [`parse_webhook`](postmark_kit::webhook::parse_webhook)
/// and [`read_webhook`](postmark_kit::webhook::read_webhook), and checks
/// that they agree as [`check_both_ways`] does.
pub(crate) fn check_webhook_both_ways(body: &str) -> Result<(), String> {
    use postmark_kit::webhook::{parse_webhook, read_webhook};
    match (
        parse_webhook(body.as_bytes()),
        read_webhook(body.as_bytes()),
    ) {
        (Ok(typed), Ok(dynamic)) => {
            let typed = serde_json::to_value(typed).expect("events serialize");
            let dynamic: Value = serde_json::from_str(&dynamic).map_err(|e| e.to_string())?;
            let body: Value = serde_json::from_str(body).unwrap_or(Value::Null);
            same_answer(&typed, &dynamic, &body)
        }
        (Err(typed), Err(dynamic))
            if typed.kind() == dynamic.kind() && typed.path() == dynamic.path() =>
        {
            Ok(())
        }
        (typed, dynamic) => Err(format!("model {typed:?}, dynamic {dynamic:?}")),
    }
}
