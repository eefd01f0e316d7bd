//! Every ErrorCode of Postmark's documentation, current and legacy, is a
//! named constant with a description (the documented codes are listed in
//! `tests/fixtures/error_codes.tsv`).

use postmark_kit::ErrorCode;

const ERRORS: &str = include_str!("../../../tests/fixtures/error_codes.tsv");

/// `(code, constant name)` of every row of the table.
fn documented_codes() -> Vec<(u32, &'static str)> {
    ERRORS
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .skip(1)
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            match cols[..] {
                [code, _http, _documented, constant] => (
                    code.parse().unwrap_or_else(|_| panic!("bad code: {line}")),
                    constant,
                ),
                _ => panic!("malformed line: {line}"),
            }
        })
        .collect()
}

#[test]
fn every_documented_code_is_named() {
    let codes = documented_codes();
    assert!(codes.len() > 140, "{} codes found", codes.len());
    for (code, constant) in codes {
        let code = ErrorCode::from(code);
        assert_eq!(code.name(), Some(constant), "{code}");
        assert!(code.description().is_some_and(|d| !d.is_empty()), "{code}");
    }
}
