#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ for SECONDS each (default 60), one after another, on
# the stable toolchain. The targets are built as `cargo fuzz build -s none -a` builds them
# (libFuzzer's coverage instrumentation, no sanitizer, debug assertions and overflow
# checks on), which needs no nightly, with cargo alone: nothing to install. Each
# run starts from the seeds (the published examples and conformance cases, written by
# fuzz/examples/seeds.rs) and the inputs that once broke a target (fuzz/regressions/),
# and prints the executions done. A crash leaves its input in fuzz/artifacts/<target>/.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# With RUNS=N each target stops after N executions instead (SECONDS is then its limit).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"

seconds=${1:-60}
shift || true
# SEEDS=0 skips writing the seeds (CI's short runs, where the build is the cost).
[ "${SEEDS:-1}" = 0 ] || cargo run -q --release --example seeds >/dev/null
host=$(rustc -vV | sed -n 's/^host: //p')
# The flags of cargo-fuzz; a target directory of their own, since they differ from the
# seeds example's. Built once, then run directly.
RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4 \
-Cllvm-args=-sanitizer-coverage-inline-8bit-counters -Cllvm-args=-sanitizer-coverage-pc-table \
-Cllvm-args=-sanitizer-coverage-trace-compares -Cllvm-args=-sanitizer-coverage-stack-depth \
--cfg fuzzing -Cdebug-assertions" \
    cargo build -q --release --bins --target "$host" --target-dir target/fuzz
bin="target/fuzz/$host/release"
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=($(ls fuzz_targets | sed 's/\.rs$//'))

mkdir -p logs
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target" "regressions/$target" "artifacts/$target"
    # -timeout: one input taking this long is a hang; -rss_limit_mb: the process's
    # memory, on top of the per-input check of the harness's counting allocator.
    if ! "$bin/$target" -artifact_prefix="artifacts/$target/" \
        -max_total_time="$seconds" ${RUNS:+-runs="$RUNS"} -timeout=5 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 "corpus/$target" "regressions/$target" \
        >"logs/$target.log" 2>&1; then
        tail -n 40 "logs/$target.log" >&2
        echo "fuzz: $target failed; its input is in fuzz/artifacts/$target/" >&2
        exit 1
    fi
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "logs/$target.log" | tail -n 1)
    peak=$(sed -n 's/^stat::peak_rss_mb: *//p' "logs/$target.log" | tail -n 1)
    took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "logs/$target.log" | tail -n 1)
    printf '%-16s %12s executions in %ss, peak RSS %s MB\n' "$target" "$runs" "${took:-$seconds}" "$peak"
done
