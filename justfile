# Every task a developer runs. `just ci` is what CI runs.

set shell := ["bash", "-euo", "pipefail", "-c"]

default:
    @just --list

# Everything CI checks, in the order that fails fastest.
ci: setup fmt-check codegen-check clippy test wasm-check doc quickstart official-clients

# Installs what the checks need; skips what is already there.
setup:
    rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
    rustup component list --installed | grep -q '^clippy' || rustup component add clippy
    rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt

fmt:
    cargo fmt --all

fmt-check:
    cargo fmt --all -- --check

clippy:
    cargo clippy --workspace --all-targets -- -D warnings

test:
    cargo test --workspace

# The core has no I/O and must build for the browser and edge runtimes.
wasm-check:
    cargo build -p postmark-kit --target wasm32-unknown-unknown

doc:
    RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps

# Regenerates the files derived from the operation table.
codegen:
    cargo run -q -p postmark-kit-codegen

codegen-check:
    cargo run -q -p postmark-kit-codegen -- --check

# The main job: sends through an in-process mock server.
quickstart:
    cargo run -q --example quickstart

# postmark.js and postmarker, unchanged, against the mock server.
official-clients:
    crates/mock/tests/official_clients.sh

# Benchmarks: core build+parse (criterion) and client overhead against the mock.
bench:
    cargo bench -p postmark-kit
    cargo bench -p postmark-kit-ureq
