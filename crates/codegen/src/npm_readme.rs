//! The generated parts of the npm package's README (`bindings/wasm/README.md`):
//! the clients' methods, from the operation table, and the Worker example,
//! which is `examples/js/worker.ts` (type-checked by `tsc` with the other
//! examples) word for word. Each goes between its pair of markers; the rest
//! of the README, the size figures `just wasm-build` writes included, is
//! kept.

use std::fmt::Write as _;

use crate::schema::Document;
use crate::ts::{CLIENTS, ts_type};

pub(crate) const PATH: &str = "bindings/wasm/README.md";
pub(crate) const WORKER: &str = "examples/js/worker.ts";

/// The README with its generated sections written anew.
pub(crate) fn update(readme: &str, worker: &str) -> Result<String, String> {
    let document = Document::load()?;
    let readme = replace_section(readme, "worker", &format!("```ts\n{worker}```\n"))?;
    replace_section(&readme, "methods", &methods(&document)?)
}

/// A table per client: each method, its request, and its types.
fn methods(document: &Document) -> Result<String, String> {
    let mut out = String::new();
    for client in &CLIENTS {
        writeln!(
            out,
            "\n`{}` ({}):\n\n| method | request | parameters → result |\n|---|---|---|",
            client.class, client.what
        )
        .unwrap();
        for op in document.ops.iter().filter(|op| op.token == client.token) {
            let types = format!("`{}` → `{}`", ts_type(&op.params)?, ts_type(&op.response)?);
            let types = match &op.item {
                Some(item) => format!("{types}; iterated, each `{}`", ts_type(item)?),
                None => types,
            };
            writeln!(
                out,
                "| `{}` | `{} {}` | {types} |",
                op.js_name, op.method, op.path
            )
            .unwrap();
        }
    }
    Ok(out)
}

/// `text` with what lies between `<!-- {name}:start -->` and
/// `<!-- {name}:end -->` replaced by `contents`.
fn replace_section(text: &str, name: &str, contents: &str) -> Result<String, String> {
    let start_marker = format!("<!-- {name}:start -->");
    let end_marker = format!("<!-- {name}:end -->");
    let missing = || format!("{PATH} has no {start_marker} … {end_marker} section");
    let start = text.find(&start_marker).ok_or_else(missing)? + start_marker.len();
    let end = start + text[start..].find(&end_marker).ok_or_else(missing)?;
    Ok(format!("{}\n{contents}{}", &text[..start], &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_are_replaced_and_the_rest_kept() {
        let readme = "intro\n<!-- worker:start -->\nold\n<!-- worker:end -->\noutro\n";
        assert_eq!(
            replace_section(readme, "worker", "new\n").unwrap(),
            "intro\n<!-- worker:start -->\nnew\n<!-- worker:end -->\noutro\n"
        );
        assert!(replace_section("no markers", "worker", "").is_err());
    }

    #[test]
    fn every_operation_is_listed_once() {
        let text = methods(&Document::load().unwrap()).unwrap();
        for op in postmark_kit::ops::operations() {
            assert_eq!(
                text.matches(&format!("| `{}` |", op.js_name)).count(),
                1,
                "{}",
                op.js_name
            );
        }
    }
}
