#!/usr/bin/env bash
# Population benchmark: samlet-rules vs OpenFisca on the same 1,000,000-household CSV.
# Usage: bench/run.sh [households=1000000] [seed=42] [period=2024-09]
# Needs a Python with openfisca-core (and optionally pandas): set PYTHON, default `python3`.
set -euo pipefail
cd "$(dirname "$0")/.."
H=${1:-1000000}; SEED=${2:-42}; PERIOD=${3:-2024-09}
PYTHON=${PYTHON:-python3}
CSV=target/bench/population-$H-$SEED.csv
OUT=target/bench/rust-$H-$SEED-$PERIOD.csv
export CARGO_BUILD_JOBS=${CARGO_BUILD_JOBS:-1}
cargo build --release --example bench_population
/usr/bin/time -v ./target/release/examples/bench_population "$H" "$SEED" "$CSV" "$PERIOD" "$OUT" 2> target/bench/rust-time.txt | tee target/bench/rust-bench.txt
grep -E "Maximum resident" target/bench/rust-time.txt || true
TOTAL=$(awk '/^  total/ {print $2}' target/bench/rust-bench.txt)
COMPUTE=$(awk '/^  compute/ {print $2}' target/bench/rust-bench.txt)
"$PYTHON" bench/openfisca/child_benefit_openfisca.py "$CSV" "$PERIOD" "$OUT" "$TOTAL" "$COMPUTE"
