#!/usr/bin/env bash
# Samlet against independent implementations: every tests/interop/*.test.mjs
# with node's test runner, against target/debug/samlet (or $SAMLET_BIN).
#   oidc.test.mjs        citizen login through a real OpenID Connect provider
#                        (npm oidc-provider, provider.mjs)
#   jwt-bearer.test.mjs  agency assertions signed by npm jose (RS256, ES256)
# Build first:  cargo build -p samlet-cli
# Needs node (>= 20) and npm; the pinned packages are installed with npm ci.
# These tests never skip: a missing tool is an error.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
cd "$ROOT"

SAMLET_BIN="${SAMLET_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/debug/samlet}"
case "$SAMLET_BIN" in /*) ;; *) SAMLET_BIN="$ROOT/$SAMLET_BIN" ;; esac
export SAMLET_BIN
if [[ ! -x "$SAMLET_BIN" ]]; then
  echo "interop tests: $SAMLET_BIN not found; run: cargo build -p samlet-cli" >&2
  exit 2
fi
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  echo "interop tests: node (>= 20) and npm are required (CI=${CI:-unset})" >&2
  exit 2
fi

if [[ ! -d "$HERE/node_modules/oidc-provider" || ! -d "$HERE/node_modules/jose" \
      || "$HERE/package-lock.json" -nt "$HERE/node_modules/.package-lock.json" ]]; then
  (cd "$HERE" && npm ci --no-audit --no-fund)
fi

start=$(date +%s)
status=0
node --test --test-concurrency=1 --test-reporter=spec "$@" "$HERE"/*.test.mjs || status=$?
echo "interop tests: $(( $(date +%s) - start ))s"
exit "$status"
