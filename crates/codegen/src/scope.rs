//! The README's scope table: every endpoint of Postmark's catalog, and which
//! of them the operation table covers.
//!
//! The catalog (`crates/codegen/endpoints.tsv`) has a header line, then one
//! tab-separated row per endpoint: group, operation name, method, path, token
//! (`server` or `account`), query parameters (`*` = required, `-` = none),
//! body and response model names (`-` = none, `[]` = a JSON array of them),
//! and paginated (`no`, `yes (offset)` or `yes (cursor)`). Endpoints Postmark
//! has removed are in the group `legacy`.

use postmark_kit::Paging;
use postmark_kit::ops::{Operation, operation, operations};

const START: &str = "<!-- scope:start -->";
const END: &str = "<!-- scope:end -->";

/// One endpoint of the catalog (`endpoints.tsv`).
struct CatalogRow<'a> {
    group: &'a str,
    name: &'a str,
    method: &'a str,
    path: &'a str,
    token: &'a str,
    /// How the list pages: `offset`, `cursor`, or `None` when it does not.
    paging: Option<&'static str>,
}

fn parse_catalog(tsv: &str) -> Result<Vec<CatalogRow<'_>>, String> {
    tsv.lines()
        .skip(1)
        .filter(|line| !line.trim().is_empty())
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            match cols[..] {
                [group, name, method, path, token, _, _, _, paginated, ..] => Ok(CatalogRow {
                    group,
                    name,
                    method,
                    path,
                    token,
                    paging: paging(paginated)
                        .ok_or_else(|| format!("`{name}`: unknown pagination `{paginated}`"))?,
                }),
                _ => Err(format!("malformed catalog line: {line}")),
            }
        })
        .filter(|row| {
            !matches!(
                row,
                Ok(CatalogRow {
                    group: "legacy",
                    ..
                })
            )
        })
        .collect()
}

/// The catalog's `paginated` column: `no`, `yes (offset)`, or `yes (cursor:
/// …)`. `None` for anything else, which the catalog must not have.
fn paging(paginated: &str) -> Option<Option<&'static str>> {
    match paginated {
        "no" => Some(None),
        "yes (offset)" => Some(Some("offset")),
        cursor if cursor.starts_with("yes (cursor") => Some(Some("cursor")),
        _ => None,
    }
}

/// Postmark's paths name their parameters (`{webhook_id}`); ours as the
/// request's fields (`{id}`, `{stream_id}`).
fn same_route(ours: &Operation, row: &CatalogRow<'_>) -> bool {
    fn shape(path: &str) -> String {
        path.split('/')
            .map(|seg| if seg.starts_with('{') { "{}" } else { seg })
            .collect::<Vec<_>>()
            .join("/")
            .to_ascii_lowercase()
    }
    ours.method == row.method && shape(ours.path) == shape(row.path) && ours.token == row.token
}

fn table(catalog: &[CatalogRow<'_>]) -> Result<String, String> {
    for op in operations() {
        let row = catalog
            .iter()
            .find(|row| row.name == op.name)
            .ok_or_else(|| format!("`{}` is not in Postmark's catalog", op.name))?;
        if !same_route(op, row) {
            return Err(format!(
                "`{}` is {} {} ({}) in the catalog but {} {} ({}) here",
                op.name, row.method, row.path, row.token, op.method, op.path, op.token
            ));
        }
        // A list the catalog pages must be paged here, the same way.
        let ours = op.paging().map(|paging| match paging {
            Paging::Offset => "offset",
            Paging::Key => "cursor",
        });
        if ours != row.paging {
            return Err(format!(
                "`{}` pages by {} in the catalog but by {} here",
                op.name,
                row.paging.unwrap_or("nothing"),
                ours.unwrap_or("nothing")
            ));
        }
    }
    let covered = catalog
        .iter()
        .filter(|r| operation(r.name).is_some())
        .count();
    let mut out = format!(
        "{covered} of Postmark's {} endpoints are covered; every covered one is a typed method \
         in Rust and goes through the same operation table as the bindings. The raw request \
         (`raw`) reaches the others meanwhile.\n\n\
         | Group | Operation | Request | Token | Paged | Covered |\n\
         |---|---|---|---|---|---|\n",
        catalog.len()
    );
    for row in catalog {
        let ours = operation(row.name);
        out.push_str(&format!(
            "| {} | `{}` | `{} {}` | {} | {} | {} |\n",
            row.group,
            row.name,
            row.method,
            row.path,
            row.token,
            row.paging.unwrap_or(""),
            if ours.is_some() { "✓" } else { "–" },
        ));
    }
    Ok(out)
}

/// README.md with the text between the scope markers regenerated.
pub(crate) fn update_readme(readme: &str, catalog: &str) -> Result<String, String> {
    let catalog = parse_catalog(catalog)?;
    let start = readme
        .find(START)
        .ok_or("README.md has no scope:start marker")?
        + START.len();
    let end = readme
        .find(END)
        .ok_or("README.md has no scope:end marker")?;
    if end < start {
        return Err("README.md's scope markers are out of order".into());
    }
    Ok(format!(
        "{}\n{}{}",
        &readme[..start],
        table(&catalog)?,
        &readme[end..]
    ))
}
