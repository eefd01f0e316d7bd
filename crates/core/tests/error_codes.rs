//! Every ErrorCode of Postmark's documentation, current and legacy, is a
//! named constant with a description (read from the spec folder next to the
//! repository).

use postmark_kit::ErrorCode;

const ERRORS: &str = include_str!("../../../../shared/postmark-api/errors.md");

/// The codes of the tables of sections 3 (current) and 4 (legacy).
fn documented_codes() -> Vec<u32> {
    let start = ERRORS.find("## 3.").expect("section 3");
    let end = ERRORS.find("## 5.").expect("section 5");
    ERRORS[start..end]
        .lines()
        .filter_map(|line| {
            line.strip_prefix('|')?
                .split('|')
                .next()?
                .trim()
                .parse()
                .ok()
        })
        .collect()
}

#[test]
fn every_documented_code_is_named() {
    let codes = documented_codes();
    assert!(codes.len() > 140, "{} codes found", codes.len());
    for code in codes {
        let code = ErrorCode::from(code);
        assert!(code.name().is_some(), "{code} has no constant");
        assert!(code.description().is_some_and(|d| !d.is_empty()), "{code}");
    }
}
