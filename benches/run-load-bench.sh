#!/usr/bin/env bash
# The load benchmark (part of `make bench`): builds the load bench in release mode, then runs
# PHONES simulated phones against an in-process sandbox bank over loopback HTTPS for SECONDS,
# after a saturation sweep, audits the bank's books and writes target/bench/load.json.
#
#   benches/run-load-bench.sh                          # 200 phones for 60 s, sweep 10,50,100
#   PHONES=20 DURATION=10 SWEEP=5,10 SWEEP_SECONDS=5 benches/run-load-bench.sh
# (DURATION, not SECONDS: bash keeps its own SECONDS.)
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

cargo build --release -p mobank-load-bench

exec "${CARGO_TARGET_DIR:-$root/target}/release/load-bench" \
    --phones "${PHONES:-200}" \
    --seconds "${DURATION:-60}" \
    --sweep "${SWEEP:-10,50,100}" \
    --sweep-seconds "${SWEEP_SECONDS:-15}" \
    --out "$root/target/bench/load.json" \
    --work "$root/target/bench/load-work"
