#!/usr/bin/env bash
# Runs every test from a fresh clone: installs `just` when it is missing, then
# runs `just ci`, whose `setup` recipe installs the rest idempotently.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v just >/dev/null 2>&1; then
    python3 -m pip install --quiet --disable-pip-version-check rust-just
fi
exec just ci
