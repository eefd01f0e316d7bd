//! Helpers shared by the integration tests.

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
