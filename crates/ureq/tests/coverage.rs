//! Every operation of the README's scope table is tested by every suite: a
//! golden request, a parse of Postmark's published example (where
//! `tests/fixtures/postmark` has one), a round trip through this client
//! against the mock, a cross-language conformance case, and a call against
//! the mock in the npm package's Node tests and in the Python package's
//! pytest cases.
//!
//! The table is read from the README as generated, so a new row fails this
//! test until each suite covers it. Each suite is a set of source files and
//! the spellings by which they name an operation.

use std::path::{Path, PathBuf};

/// The workspace root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// One operation as the suites may name it.
struct Op {
    /// `send_email`.
    name: String,
    /// The request type's name, `SendEmail`.
    type_name: &'static str,
}

/// A suite of tests, and how its files name an operation they exercise.
struct Suite {
    name: &'static str,
    /// Files, relative to the root: a file, or a folder of files ending so.
    files: &'static [(&'static str, &'static str)],
    /// The spellings any of which shows the operation is exercised.
    names: fn(&Op) -> Vec<String>,
    /// Whether the operation must be covered by this suite.
    applies: fn(&Op) -> bool,
}

fn always(_: &Op) -> bool {
    true
}

/// Whether Postmark published an example of the operation's request or answer.
fn has_published_example(op: &Op) -> bool {
    ["request", "response"].iter().any(|kind| {
        root()
            .join(format!("tests/fixtures/postmark/{}.{kind}.json", op.name))
            .exists()
    })
}

const SUITES: &[Suite] = &[
    Suite {
        name: "golden request (crates/core/tests/golden.rs)",
        files: &[("crates/core/tests/golden.rs", "")],
        names: |op| vec![op.type_name.to_owned()],
        applies: always,
    },
    Suite {
        name: "parse of the published example (crates/core/tests/parse_examples.rs)",
        files: &[("crates/core/tests/parse_examples.rs", "")],
        names: |op| vec![format!("\"{}\"", op.name), format!("{}.", op.name)],
        applies: has_published_example,
    },
    Suite {
        name: "ureq round trip against the mock (crates/ureq/tests)",
        files: &[("crates/ureq/tests", ".rs")],
        names: |op| vec![format!(".{}(", op.name), format!("{} {{", op.type_name)],
        applies: always,
    },
    Suite {
        name: "conformance case (tests/conformance)",
        files: &[("tests/conformance", ".json")],
        names: |op| vec![format!("\"operation\": \"{}\"", op.name)],
        applies: always,
    },
    Suite {
        name: "Node test against the mock (bindings/wasm/test/node/operations)",
        files: &[("bindings/wasm/test/node/operations", ".js")],
        names: |op| vec![format!(".{}(", js_name(&op.name))],
        applies: always,
    },
    Suite {
        name: "pytest case against the mock (bindings/python/tests/operation_cases.py)",
        files: &[("bindings/python/tests/operation_cases.py", "")],
        names: |op| vec![format!("\"{}\"", op.name)],
        applies: always,
    },
];

/// The npm package's name of an operation (`sendEmail`).
fn js_name(name: &str) -> &'static str {
    postmark_kit::ops::find(name).map_or("", |op| op.js_name)
}

/// The operations of the README's scope table that are covered.
fn scope_table() -> Vec<String> {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let start = readme.find("<!-- scope:start -->").unwrap();
    let end = readme.find("<!-- scope:end -->").unwrap();
    readme[start..end]
        .lines()
        .filter(|line| line.starts_with("| ") && line.ends_with("| ✓ |"))
        .map(|line| {
            line.split('|')
                .nth(2)
                .unwrap()
                .trim()
                .trim_matches('`')
                .to_owned()
        })
        .collect()
}

/// The request type's path of every operation of the table, by name.
macro_rules! type_names {
    (server { $($s:ident, $sj:ident, $sp:ident, $sm:ident $sr:literal [$($sa:ident),*], $sty:path => $sre:ty;)* }
     account { $($a:ident, $aj:ident, $ap:ident, $am:ident $ar:literal [$($aa:ident),*], $aty:path => $are:ty;)* }) => {
        &[$((stringify!($s), stringify!($sty)),)* $((stringify!($a), stringify!($aty)),)*]
    };
}

/// `SendEmail` of `$crate :: api :: email :: SendEmail`.
fn last_segment(path: &'static str) -> &'static str {
    path.rsplit([' ', ':']).next().unwrap_or(path)
}

const TYPE_NAMES: &[(&str, &str)] = postmark_kit::for_each_operation!(type_names);

fn sources(files: &[(&str, &str)]) -> String {
    let mut text = String::new();
    for (path, ending) in files {
        let path = root().join(path);
        if path.is_file() {
            text.push_str(&std::fs::read_to_string(&path).unwrap());
            continue;
        }
        for entry in std::fs::read_dir(&path).unwrap() {
            let file = entry.unwrap().path();
            if file.to_string_lossy().ends_with(ending) {
                text.push_str(&std::fs::read_to_string(&file).unwrap());
            }
        }
    }
    text
}

#[test]
fn every_row_of_the_scope_table_is_tested_by_every_suite() {
    let table = scope_table();
    assert_eq!(
        table.len(),
        TYPE_NAMES.len(),
        "the table covers every operation"
    );
    let ops: Vec<Op> = table
        .into_iter()
        .map(|name| {
            let type_name = TYPE_NAMES
                .iter()
                .find(|(op, _)| *op == name)
                .map(|(_, path)| last_segment(path))
                .unwrap_or_else(|| panic!("`{name}` is in the table but not an operation"));
            Op { name, type_name }
        })
        .collect();
    let mut missing = Vec::new();
    for suite in SUITES {
        let text = sources(suite.files);
        for op in ops.iter().filter(|op| (suite.applies)(op)) {
            if !(suite.names)(op)
                .iter()
                .any(|name| text.contains(name.as_str()))
            {
                missing.push(format!("{}: no {}", op.name, suite.name));
            }
        }
    }
    assert!(missing.is_empty(), "untested:\n{}", missing.join("\n"));
}

#[test]
fn the_check_reads_what_it_checks() {
    assert_eq!(
        last_segment("$crate :: api :: email :: SendEmail"),
        "SendEmail"
    );
    let bulk = TYPE_NAMES
        .iter()
        .find(|(name, _)| *name == "list_bulk_emails");
    assert_eq!(
        bulk.map(|(_, path)| last_segment(path)),
        Some("ListBulkEmails")
    );
    // Published examples exist for some operations, and the check sees them.
    let op = Op {
        name: "send_email".into(),
        type_name: "SendEmail",
    };
    assert!(has_published_example(&op));
}
