//! The README's async quickstart is `examples/readme.rs`, which `cargo test` compiles.
//! The README marks it `ignore` because the blocking client's crate compiles the README's
//! other Rust blocks as its doctests, without this crate; this test keeps the two the same.

#[test]
fn the_readme_shows_the_compiled_example() {
    let readme = include_str!("../../../README.md");
    // The file opens with the lint allowance every example needs, which the README
    // leaves out.
    let example = include_str!("../examples/readme.rs");
    let (allowance, shown) = example.split_once("\n\n").unwrap();
    assert!(allowance.starts_with("#![allow(clippy::print_stdout"));
    let block = format!("```rust,ignore\n{shown}```");
    assert!(
        readme.contains(&block),
        "README.md's async quickstart differs from crates/reqwest/examples/readme.rs"
    );
}
