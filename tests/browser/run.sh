#!/usr/bin/env bash
# Run Samlet's browser tests: every tests/browser/*.test.mjs, with node's
# built-in test runner, against target/debug/samlet (or $SAMLET_BIN).
# Build first:  cargo build -p samlet-cli
# Usage:        tests/browser/run.sh [extra node --test args, e.g. --test-name-pattern=axe]
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

CHROMIUM_BIN="${CHROMIUM_BIN:-/usr/bin/chromium}"
export CHROMIUM_BIN
if [[ ! -x "$CHROMIUM_BIN" ]]; then
  echo "browser tests: Chromium not found at $CHROMIUM_BIN." >&2
  echo "  Install it with: sudo apt-get install -y chromium chromium-driver  (or set CHROMIUM_BIN)" >&2
  exit 2
fi

SAMLET_BIN="${SAMLET_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/samlet}"
case "$SAMLET_BIN" in /*) ;; *) SAMLET_BIN="$ROOT/$SAMLET_BIN" ;; esac
export SAMLET_BIN
if [[ ! -x "$SAMLET_BIN" ]]; then
  echo "browser tests: $SAMLET_BIN not found; run: cargo build -p samlet-cli" >&2
  exit 2
fi

if ! command -v node >/dev/null; then
  echo "browser tests: node (>= 20) is required" >&2
  exit 2
fi

# Install the pinned npm dependencies when missing or out of date.
if [[ ! -d "$HERE/node_modules/playwright-core" || ! -d "$HERE/node_modules/axe-core" \
      || "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]]; then
  (cd "$HERE" && npm ci --no-audit --no-fund)
fi

shopt -s nullglob
tests=("$HERE"/*.test.mjs)
if [[ ${#tests[@]} -eq 0 ]]; then
  echo "browser tests: no *.test.mjs files in $HERE" >&2
  exit 2
fi

# One file at a time: each starts its own server and browser.
start=$(date +%s)
status=0
node --test --test-concurrency=1 --test-reporter=spec "$@" "${tests[@]}" || status=$?
echo "browser tests: $(( $(date +%s) - start ))s, screenshots in $HERE/screenshots/"
exit "$status"
