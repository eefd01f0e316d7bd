#!/usr/bin/env bash
# Runs the official Postmark clients against the postmark-mock binary:
# postmark.js (npm `postmark`) and postmarker (PyPI), sending email, a batch, templated
# sends, server and webhook calls, error mapping, injected faults and parallel calls.
#
#   crates/mock/tests/official_clients.sh
#
# Pinned client versions are installed once into $OFFICIAL_CLIENTS_WORK (default:
# <repo>/target/official-clients, git-ignored). Needs node >= 18, npm, python3, cargo.
set -euo pipefail

POSTMARK_JS=5.1.0
POSTMARKER=1.0

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../../.." && pwd)
work=${OFFICIAL_CLIENTS_WORK:-$repo/target/official-clients}
target=${CARGO_TARGET_DIR:-$repo/target}
mkdir -p "$work"

installed_js=$(node -p "require('$work/node_modules/postmark/package.json').version" 2>/dev/null || true)
if [ "$installed_js" != "$POSTMARK_JS" ]; then
  npm install --prefix "$work" --no-audit --no-fund --loglevel=error "postmark@$POSTMARK_JS"
fi
if ! "$work/venv/bin/python" -c "import postmarker, sys; sys.exit(postmarker.__version__ != '$POSTMARKER')" 2>/dev/null; then
  python3 -m venv "$work/venv"
  "$work/venv/bin/pip" install --quiet --disable-pip-version-check "postmarker==$POSTMARKER"
fi

(cd "$repo" && CARGO_TARGET_DIR=$target cargo build --quiet -p postmark-kit-mock --bin postmark-mock)
"$target/debug/postmark-mock" > "$work/mock.out" &
mock_pid=$!
trap 'kill $mock_pid 2>/dev/null' EXIT
for _ in $(seq 50); do
  [ "$(grep -c = "$work/mock.out" 2>/dev/null)" = 3 ] && break
  sleep 0.1
done
export MOCK_URL=$(sed -n 's/^url=//p' "$work/mock.out")
export MOCK_SERVER_TOKEN=$(sed -n 's/^server_token=//p' "$work/mock.out")
export MOCK_ACCOUNT_TOKEN=$(sed -n 's/^account_token=//p' "$work/mock.out")
[ -n "$MOCK_URL" ] || { echo "postmark-mock did not start" >&2; exit 1; }

NODE_PATH="$work/node_modules" node "$here/official_clients/check.js"
"$work/venv/bin/python" "$here/official_clients/check.py"
echo "official clients: all checks passed against $MOCK_URL"
