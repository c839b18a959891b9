#!/usr/bin/env bash
# The API contract test: schemathesis (pinned in requirements.txt) runs every
# check it has against the OpenAPI document the real server serves, with an
# agency's bearer token and a citizen's session cookie, and fails on any
# failure. Runs target/debug/samlet (or $SAMLET_BIN) as `samlet demo`.
# Build first:  cargo build -p samlet-cli
# Usage:        tests/contract/run.sh [extra schemathesis run args]
# Examples per operation: $SAMLET_CONTRACT_EXAMPLES (default 25).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"
TARGET="${CARGO_TARGET_DIR:-$ROOT/target}"
case "$TARGET" in /*) ;; *) TARGET="$ROOT/$TARGET" ;; esac

SAMLET_BIN="${SAMLET_BIN:-$TARGET/debug/samlet}"
case "$SAMLET_BIN" in /*) ;; *) SAMLET_BIN="$ROOT/$SAMLET_BIN" ;; esac
if [[ ! -x "$SAMLET_BIN" ]]; then
  echo "contract test: $SAMLET_BIN not found; run: cargo build -p samlet-cli" >&2
  exit 2
fi

# schemathesis in a virtualenv of its own, reinstalled when the pin changes.
VENV="${SAMLET_CONTRACT_VENV:-$TARGET/contract-venv}"
if ! cmp -s "$HERE/requirements.txt" "$VENV/requirements.txt" 2>/dev/null; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$HERE/requirements.txt"
  cp "$HERE/requirements.txt" "$VENV/requirements.txt"
fi

DATA="$(mktemp -d "${TMPDIR:-/tmp}/samlet-contract-XXXXXX")"
SERVER_PID=""
cleanup() {
  if [[ -n "$SERVER_PID" ]]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT

# Port 0: the server binds once and prints the port it got.
"$SAMLET_BIN" demo --listen 127.0.0.1:0 --data-dir "$DATA" >"$DATA/server.log" 2>&1 &
SERVER_PID=$!
PORT=""
for _ in $(seq 1 600); do
  kill -0 "$SERVER_PID" 2>/dev/null || break
  [[ -n "$PORT" ]] || PORT="$(grep -oE 'Open https?://[^ /:]+:[0-9]+/' "$DATA/server.log" | grep -oE '[0-9]+/$' | tr -d / || true)"
  if [[ -n "$PORT" ]] && curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1 \
     && grep -qE '^\s+\S.*\s{2,}[0-9]{11}\s*$' "$DATA/server.log"; then
    break
  fi
  sleep 0.1
done
if [[ -z "$PORT" ]] || ! curl -fsS "http://127.0.0.1:$PORT/health" >/dev/null 2>&1; then
  echo "contract test: samlet demo did not start" >&2; cat "$DATA/server.log" >&2; exit 1
fi
export SAMLET_URL="http://127.0.0.1:$PORT"

# The agency: NAV's dev token (the demo writes them to dev-tokens.json); NAV
# holds the most roles, so the most operations get past their scope checks.
SAMLET_AGENCY_TOKEN="$(python3 -c 'import json, sys
tokens = json.load(open(sys.argv[1]))
print(next(v for k, v in tokens.items() if k.endswith(" NAV")))' "$DATA/dev-tokens.json")"
export SAMLET_AGENCY_TOKEN

# The citizen: the first demo person, logged in with the dev login.
PID="$(grep -oE '^\s+\S.*\s{2,}[0-9]{11}\s*$' "$DATA/server.log" | head -n1 | grep -oE '[0-9]{11}')"
SAMLET_SESSION="$(curl -fsS -o /dev/null -c - --data "pid=$PID" "$SAMLET_URL/auth/dev/login" \
  | awk '$6 == "samlet_session" { print $7 }')"
[[ -n "$SAMLET_SESSION" ]] || { echo "contract test: dev login gave no session cookie" >&2; exit 1; }
export SAMLET_SESSION

# One worker: the generator's threads trip over CPython 3.11's parser
# (hypothesis describing a filter: "AST constructor recursion depth
# mismatch"), an error of the tool, not of the server.
start=$(date +%s)
status=0
PYTHONPATH="$HERE" SCHEMATHESIS_HOOKS=contract_hooks \
"$VENV/bin/schemathesis" --config-file "$HERE/schemathesis.toml" run \
  --checks all \
  --max-examples "${SAMLET_CONTRACT_EXAMPLES:-25}" \
  --seed "${SAMLET_CONTRACT_SEED:-1}" \
  --workers 1 \
  --report junit --report-dir "$TARGET/contract-report" \
  "$@" "$SAMLET_URL/api/openapi.json" || status=$?
echo "contract test: $(( $(date +%s) - start ))s, report in $TARGET/contract-report/"
if [[ $status -ne 0 ]]; then
  echo "--- server log (last 40 lines) ---" >&2
  tail -n 40 "$DATA/server.log" >&2
fi
exit "$status"
