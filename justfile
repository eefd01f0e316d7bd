# Every task a developer runs. `just ci` is what CI runs.

set shell := ["bash", "-euo", "pipefail", "-c"]

default:
    @just --list

# Everything CI checks, in the order that fails fastest.
ci: setup setup-python setup-mcp-client setup-wasm setup-npm setup-chromium fmt-check codegen-check clippy test test-mcp wasm-check doc quickstart examples official-clients test-python test-js soak-ci fuzz-ci package-check

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

# The automation scenarios, offline against an in-process mock server (on a real
# account when POSTMARK_ACCOUNT_TOKEN is set).
examples:
    cargo run -q --example provision_server -- staging
    cargo run -q --example confirm_sender -- billing@example.com --resend
    cargo run -q --example audit_webhooks -- --delete https://old.example.com/hook

# The Python venv (.venv) with what building and testing the wheel needs (zig, from the
# ziglang package, links the wheel against an old glibc), the asyncio clients' transports
# (aiohttp, the `async` extra, and httpx2 passed as `http_client=`) and the web frameworks
# of the webhook examples; skips what is there.
setup-python:
    test -x .venv/bin/python || python3 -m venv .venv
    test -x .venv/bin/maturin -a -x .venv/bin/pytest -a -x .venv/bin/mypy -a -x .venv/bin/python-zig || \
        .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        "maturin>=1.9,<2" "pytest>=8" "mypy>=1.11" "ziglang>=0.17,<0.18"
    .venv/bin/python -c 'import aiohttp, httpx2, fastapi, flask' 2>/dev/null || \
        .venv/bin/python -m pip install --quiet --disable-pip-version-check \
        "aiohttp>=3.10,<4" "httpx2>=2.17,<3" "fastapi>=0.160,<1" "flask>=3.1,<4"

# The Python wheel: built by maturin for manylinux2014 (glibc 2.17 on, linked by zig),
# installed into .venv, tested by pytest against the mock server (which the tests start),
# examples and `mypy --strict` included.
test-python: setup-python
    cargo build -q -p postmark-kit-mock
    rm -f target/wheels/postmark_kit-*.whl
    # maturin runs zig through the `python3` on PATH: the venv's, which has ziglang.
    PATH="$PWD/.venv/bin:$PATH" .venv/bin/maturin build --quiet --release --zig \
        --compatibility manylinux2014 -m bindings/python/Cargo.toml -o target/wheels
    .venv/bin/python -m pip install --quiet --disable-pip-version-check --force-reinstall \
        target/wheels/postmark_kit-*.whl
    cd bindings/python && ../../.venv/bin/python -m pytest -q -p no:cacheprovider tests

# Skipped when a 2.x SDK is there.
# The MCP server's test client: the official MCP Python SDK, with pytest, in .venv.
setup-mcp-client:
    test -x .venv/bin/python || python3 -m venv .venv
    .venv/bin/python -c 'import importlib.metadata as m, pytest; assert m.version("mcp").startswith("2.")' 2>/dev/null || \
        .venv/bin/python -m pip install --quiet --disable-pip-version-check "mcp>=2.3,<3" "pytest>=8"

# Tool lists for each flag combination, sends, a paged search, dry runs, refusals,
# errors, cancelled calls and clients that leave mid-call, with every byte the server
# prints scanned for the tokens.
# The MCP server (crates/mcp) over stdio through the SDK's client, against the mock.
test-mcp: setup-mcp-client
    cargo build -q -p postmark-kit-mcp -p postmark-kit-mock --bins
    .venv/bin/python -m pytest -q -p no:cacheprovider crates/mcp/tests

# The npm package's build tools: the wasm32 target, and wasm-bindgen-cli at exactly the
# version of the wasm-bindgen crate in Cargo.lock (the CLI refuses any other).
setup-wasm:
    rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
    version=$(cargo pkgid -p wasm-bindgen | sed 's/.*@//'); \
        [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $version" ] || cargo install wasm-bindgen-cli --version "$version"

# The npm packages of bindings/wasm (wasm-opt, miniflare) and examples/js (tsc), from
# their package-lock.json; skipped while the lock files are unchanged.
setup-npm:
    for dir in bindings/wasm examples/js; do \
        stamp=$(cat "$dir/package.json" "$dir/package-lock.json" | sha256sum | cut -d' ' -f1); \
        [ "$(cat "$dir/node_modules/.setup-stamp" 2>/dev/null)" = "$stamp" ] || \
            { (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error) && echo "$stamp" > "$dir/node_modules/.setup-stamp"; }; \
    done

# Debian's Chromium and its WebDriver, for the npm package's browser test.
setup-chromium:
    command -v chromium >/dev/null && command -v chromedriver >/dev/null || \
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium chromium-driver; }

# The npm package in bindings/wasm/pkg, made afresh: the crate for wasm32 (size-optimised profile),
# its JS glue for `--target web` and the package's modules (js/) without their
# comments (what the entry points load: the tests run what ships), then wasm-opt -Oz (smaller
# gzipped than -Os or -O3 here), which also drops the custom sections nothing loads;
# prints the sizes and writes them into the package README. wasm-bindgen's output
# stays in target/wasm-bindgen, function names included, for
# bindings/wasm/scripts/wasm-profile.mjs.
wasm-build: setup-wasm setup-npm
    cargo build -p postmark-kit-wasm --target wasm32-unknown-unknown --profile wasm-release
    target="${CARGO_TARGET_DIR:-target}"; \
        wasm-bindgen --target web --no-typescript --out-dir "$target/wasm-bindgen" \
            "$target/wasm32-unknown-unknown/wasm-release/postmark_kit_wasm.wasm" && \
        rm -rf bindings/wasm/pkg && mkdir -p bindings/wasm/pkg && \
        cp "$target/wasm-bindgen/postmark_kit_wasm.js" bindings/wasm/pkg/ && \
        node bindings/wasm/scripts/strip-docs.mjs bindings/wasm/pkg/postmark_kit_wasm.js && \
        for module in bindings/wasm/js/*.js; do \
            node bindings/wasm/scripts/strip-docs.mjs "$module" "bindings/wasm/pkg/$(basename "$module")" || exit 1; \
        done && \
        bindings/wasm/node_modules/.bin/wasm-opt -Oz --strip-producers --strip-target-features \
            "$target/wasm-bindgen/postmark_kit_wasm_bg.wasm" -o bindings/wasm/pkg/postmark_kit_wasm_bg.wasm
    node bindings/wasm/scripts/size.mjs

# The npm package against the mock server in Node, in workerd (miniflare) and in headless
# Chromium; then its declarations' type tests and the JS/TS examples under `tsc --strict`,
# and the quickstart run.
test-js: wasm-build setup-chromium
    cargo build -q -p postmark-kit-mock --bin postmark-mock
    cd bindings/wasm && node --test test/node/*.test.js
    cd bindings/wasm && node --test test/workerd/*.test.js
    cd bindings/wasm && node --test test/browser/*.test.js
    bindings/wasm/node_modules/.bin/tsc -p bindings/wasm/test/types
    examples/js/node_modules/.bin/tsc -p examples/js
    node examples/js/quickstart.mjs

# `cargo package` of the crates.io crates (postmark-kit, -ureq, -reqwest, -mock: what each .crate
# holds, and that each library builds from its .crate alone), `npm pack` of bindings/wasm
# installed into an empty project and imported in Node, `maturin sdist` of bindings/python
# pip-installed (compiled) into a fresh venv and imported; all built into target/. About
# 20 s warm; up to 3 minutes cold (the sdist compiles its Rust in release).
# The packages as they would be published: built, installed and imported.
package-check: wasm-build setup-python
    #!/usr/bin/env bash
    set -euo pipefail
    out="$PWD/target/package-check"
    rm -rf "$out" && mkdir -p "$out/npm-project"
    # Publishing wants the crates committed; with uncommitted changes the check still runs.
    dirty=$(git status --porcelain -- crates Cargo.toml Cargo.lock README.md LICENSE-* 2>/dev/null || true)
    [ -z "$dirty" ] || echo "package-check: packaging uncommitted changes (--allow-dirty)" >&2
    # cargo verifies each crate from an unpacking under $CARGO_HOME/registry/src, and reuses one
    # left there by an earlier run from the same path even when the sources have changed since:
    # drop ours (never published, so nothing else can own these names) before packaging.
    version=$(cargo pkgid -p postmark-kit | sed 's/.*[@#]//')
    for crate in postmark-kit postmark-kit-ureq postmark-kit-reqwest postmark-kit-mock; do
        rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/"$crate-$version"
    done
    cargo package ${dirty:+--allow-dirty} -p postmark-kit -p postmark-kit-ureq -p postmark-kit-reqwest -p postmark-kit-mock
    (cd bindings/wasm && npm pack --silent --pack-destination "$out" >/dev/null)
    cd "$out/npm-project"
    npm init -y >/dev/null
    npm install --no-audit --no-fund --loglevel=error "$out"/postmark-kit-*.tgz
    node --input-type=module -e 'import { buildRequest } from "postmark-kit";
        const built = buildRequest("sendEmail", { From: "a@example.com", To: "b@example.com",
            Subject: "s", TextBody: "t" }, { token: "t" });
        if (built.method !== "POST") throw new Error(`unexpected request ${built.method}`);
        console.log("npm package: installed and imported");'
    cd - >/dev/null
    .venv/bin/maturin sdist -m bindings/python/Cargo.toml -o "$out"
    python3 -m venv "$out/venv"
    # The sdist compiles the extension; its Rust build stays in target/ between runs,
    # but not the fingerprints of our own crates: the sdist's files all carry maturin's
    # fixed date, older than any build, so cargo would take the last run's build as
    # current. Nor pip's cache: a wheel it kept must not stand in for this build.
    rm -rf target/package-check-cargo/*/.fingerprint/postmark-kit-*
    CARGO_TARGET_DIR="$PWD/target/package-check-cargo" "$out/venv/bin/python" -m pip install \
        --quiet --disable-pip-version-check --no-cache-dir "$out"/postmark_kit-*.tar.gz
    cd "$out" && venv/bin/python -c 'import postmark_kit
    assert postmark_kit.error_code_description(406)
    print("Python sdist: installed and imported")'

# The npm package's own figures: CPU time of build+parse in wasm for send_email and a
# 500-message batch, beside the same work in native Rust (the criterion group `dynamic`,
# run first), and the cold start of the module in Node and in workerd.
bench-wasm: wasm-build
    cargo bench -p postmark-kit --bench build_parse -- dynamic
    node bindings/wasm/bench/build-parse.mjs
    node bindings/wasm/bench/cold-start.mjs

# The npm package against postmark.js on the shared peers benchmark.
bench-js: wasm-build
    PEERS=raw-floor,node-floor,postmark-js,postmark-kit-js {{ just_executable() }} bench-peers

# postmark.js and postmarker, unchanged, against the mock server.
official-clients:
    crates/mock/tests/official_clients.sh

# Benchmarks: core build+parse (criterion) and client overhead against the mock.
bench:
    cargo bench -p postmark-kit --bench build_parse
    cargo bench -p postmark-kit-ureq --bench overhead

# Where the shared peers benchmark lives, and the peers `bench-peers` runs by default.
bench_harness := env("BENCH_HARNESS", justfile_directory() / "../shared/bench")
bench_peers := env("PEERS", "raw-floor,postmark-rs,postmark-kit-rs,postmark-kit-reqwest")

# The shared peers benchmark (../shared/bench, nginx mock) with every driver of
# bench/peers added to it, run from a copy in target/bench-harness. Pick peers
# with PEERS=a,b; the harness's other knobs (REPS, QUICK, WORKLOADS...) pass through.
bench-peers:
    #!/usr/bin/env bash
    set -euo pipefail
    harness=target/bench-harness
    command -v rsync >/dev/null || { apt-get update -qq && apt-get install -y -qq rsync; }
    mkdir -p "$harness"
    # One run at a time: a second one would rewrite the copy and find the mock's port taken.
    exec 9>"$harness.lock"
    flock -n 9 || { echo "waiting for another bench-peers run to finish" >&2; flock 9; }
    # The shared copy is read-only; the harness writes results and installs into its own folder.
    rsync -a --delete --chmod=u+w --exclude /.work/ --exclude /results/ \
        --exclude node_modules/ "{{ bench_harness }}/" "$harness/"
    for peer in bench/peers/*/; do
        rsync -a --delete --chmod=u+w --exclude target/ --exclude node_modules/ \
            --exclude Cargo.lock "$peer" "$harness/peers/$(basename "$peer")/"
    done
    # Drivers build from this repository, wherever the harness runs their copy.
    export POSTMARK_KIT_ROOT="$PWD"
    day=$(date -u +%Y-%m-%d)
    PEERS="{{ bench_peers }}" BENCH_WORK="$PWD/$harness/.work" "$harness/run-peers.sh"
    # The harness names its report by day; a copy named by the minute survives the next run.
    stamp=$(date -u +%Y-%m-%dT%H%M)
    for ext in md jsonl; do
        cp "$harness/results/peers-$day.$ext" "$harness/results/peers-$stamp.$ext"
    done
    echo "results: $harness/results/peers-$stamp.md"

# The Python package (blocking and asyncio) against postmarker and postmark-python (async
# and sync) on the shared peers benchmark, beside the Python floor (py-floor).
bench-py:
    PEERS=raw-floor,py-floor,postmarker,postmark-python,postmark-python-sync,postmark-kit-py,postmark-kit-py-async {{ just_executable() }} bench-peers

# Every fuzz target of fuzz/ for SECONDS each, on stable Rust (see scripts/fuzz.sh); with
# RUNS=N each stops after N executions instead. Crashes land in fuzz/artifacts/.
fuzz seconds="300":
    nice -n 10 scripts/fuzz.sh {{ seconds }}

# Each fuzz target for three seconds from the inputs that once broke it, so that none
# rots: about two minutes cold, most of it the build.
fuzz-ci:
    SEEDS=0 scripts/fuzz.sh 3

# cargo-mutants over the core (or the files given, `--file crates/core/src/ops.rs`), in a
# copy of the committed tree (git archive, so neither the build directory nor fuzz
# corpora are copied); .cargo/mutants.toml says what it runs and which survivors are
# equivalent. Long on two cores: a build and a test run per mutant, about 2,000 of
# them. `--iterate` resumes, skipping the mutants the last run caught.
[positional-arguments]
mutants *args:
    command -v cargo-mutants >/dev/null || cargo install cargo-mutants --locked
    command -v cargo-nextest >/dev/null || cargo install cargo-nextest --locked
    rm -rf target/mutants-src && mkdir -p target/mutants-src
    # The files are dated now (`-m`), not at the commit: the build directory is kept
    # outside the copy, so that a second run starts warm, and it holds the last run's
    # last mutant, built after the commit; dated at the commit, the copy would look
    # older than that build, and cargo would test the mutant as the unmutated tree.
    git archive HEAD | tar -x -m -C target/mutants-src
    cd target/mutants-src && CARGO_TARGET_DIR=../mutants-build nice -n 10 cargo mutants \
        -p postmark-kit --in-place --no-shuffle -o ../mutants "$@"
    @echo "results: target/mutants/mutants.out (caught.txt, missed.txt)"

# The fault soak: 100,000 calls of each client (ureq, the Python wheel, the npm package
# in Node) against the mock faulting a tenth of the requests, then the blocking client
# again with sends opted into retries, where duplicates are expected and counted. Needs
# `just test-python` and `just wasm-build` first.
soak calls="100000":
    cargo build -q --release -p postmark-kit-soak
    for client in ureq python node; do target/release/postmark-kit-soak --client "$client" --calls {{ calls }}; done
    target/release/postmark-kit-soak --client ureq --calls 20000 --retry-sends

# CLIENTS keep-alive clients for SECONDS while hostile connections keep arriving, first
# against the mock, then against hyper-floor (the mock's HTTP limits on hyper's server);
# each prints requests per second, peak memory and threads, and fails when a hostile
# request is not refused or a good one not served.
# The mock under load and bad input, beside hyper's HTTP server.
mock-load clients="300" seconds="10":
    cargo build -q --release -p postmark-kit-mock -p postmark-kit-soak --bins
    for server in postmark-mock hyper-floor; do \
        target/release/mock-load --mock target/release/$server --clients {{ clients }} --seconds {{ seconds }}; \
    done

# A short soak, 3,000 calls per client, for CI (after test-python and test-js built them).
soak-ci:
    cargo build -q -p postmark-kit-soak
    for client in ureq python node; do target/debug/postmark-kit-soak --client "$client" --calls 3000; done
