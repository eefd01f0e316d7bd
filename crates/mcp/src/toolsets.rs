//! Toolsets: the groups of Postmark's endpoint catalog (`crates/codegen/endpoints.tsv`,
//! the same file the README's scope table is checked against), so that each
//! operation's toolset is Postmark's own grouping and no list here can drift
//! from the operation table.

/// The catalog: a header line, then `group\tname\t...` per endpoint.
const CATALOG: &str = include_str!("../../codegen/endpoints.tsv");

/// The toolsets served when `--toolsets` is not given: sending, templates,
/// message search, bounces, suppressions and the server's settings, what
/// agents ask of Postmark most. With a server token that is 18 tools
/// read-only, 31 with every `--allow-*` flag (32 with an account token too):
/// well under the point where agents start to pick the wrong tool.
pub(crate) const DEFAULT: &[&str] = &[
    "email",
    "templates",
    "messages",
    "bounces",
    "suppressions",
    "server",
];

/// The group of endpoints Postmark has removed, which the table does not serve.
const LEGACY: &str = "legacy";

/// Every toolset, in catalog order.
pub(crate) fn all() -> Vec<&'static str> {
    let mut groups: Vec<&'static str> = Vec::new();
    for (group, _) in rows() {
        if group != LEGACY && !groups.contains(&group) {
            groups.push(group);
        }
    }
    groups
}

/// The toolset of an operation, by its table name.
pub(crate) fn of(operation: &str) -> Option<&'static str> {
    rows()
        .find(|(_, name)| *name == operation)
        .map(|(group, _)| group)
}

/// `(group, operation name)` of every catalog row.
fn rows() -> impl Iterator<Item = (&'static str, &'static str)> {
    CATALOG.lines().skip(1).filter_map(|line| {
        let mut columns = line.split('\t');
        Some((columns.next()?, columns.next()?))
    })
}

/// The toolsets `--toolsets` names: a comma-separated list of catalog groups,
/// or `all`. Refused: a name that is no group, with the list of those there are.
pub(crate) fn parse(list: &str) -> Result<Vec<&'static str>, String> {
    let known = all();
    let mut chosen = Vec::new();
    for name in list.split(',').map(str::trim).filter(|n| !n.is_empty()) {
        if name == "all" {
            return Ok(known);
        }
        match known.iter().find(|group| **group == name) {
            Some(group) if !chosen.contains(group) => chosen.push(*group),
            Some(_) => {}
            None => {
                return Err(format!(
                    "unknown toolset `{name}`; the toolsets are: all, {}",
                    known.join(", ")
                ));
            }
        }
    }
    match chosen.is_empty() {
        true => Err("--toolsets names no toolset".into()),
        false => Ok(chosen),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_operation_has_a_toolset_and_every_toolset_an_operation() {
        for op in postmark_kit::ops::operations() {
            let group = of(op.name).unwrap_or_else(|| panic!("{} is not in the catalog", op.name));
            assert_ne!(group, LEGACY, "{}", op.name);
        }
        for group in all() {
            assert!(
                postmark_kit::ops::operations().any(|op| of(op.name) == Some(group)),
                "{group} has no operation"
            );
        }
        assert_eq!(of("send_email"), Some("email"));
        assert_eq!(of("delete_suppressions"), Some("suppressions"));
        assert_eq!(of("list_tag_triggers"), Some(LEGACY));
        assert_eq!(of("nope"), None);
    }

    #[test]
    fn the_default_toolsets_exist() {
        let known = all();
        assert!(DEFAULT.iter().all(|group| known.contains(group)));
        assert_eq!(known.len(), 15);
        assert!(!known.contains(&LEGACY));
    }

    #[test]
    fn toolsets_parse_from_a_list() {
        assert_eq!(
            parse("templates, email,templates").unwrap(),
            ["templates", "email"]
        );
        assert_eq!(parse("email,all").unwrap(), all());
        let error = parse("email,sms").unwrap_err();
        assert!(
            error.starts_with("unknown toolset `sms`; the toolsets are: all, email, bulk,"),
            "{error}"
        );
        assert_eq!(parse(" , ").unwrap_err(), "--toolsets names no toolset");
        assert!(parse("legacy").is_err());
    }
}
