#!/usr/bin/env bash
# The transfer benchmark (part of `make bench`): builds the transfer bench in release mode, then
# times full transfers (draft, confirmation, signature, outbox, submit, verified receipt) over
# loopback HTTPS against an in-process sandbox bank next to the floor of their parts, and writes
# target/bench/transfer.json.
#
#   benches/run-transfer-bench.sh                 # 500 transfers after 20 warm-up
#   ITERATIONS=100 benches/run-transfer-bench.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

cargo build --release -p mobank-transfer-bench

target="${CARGO_TARGET_DIR:-$root/target}"
exec "$target/release/transfer-bench" \
    --iterations "${ITERATIONS:-500}" \
    --warmup "${WARMUP:-20}" \
    --out "$root/target/bench/transfer.json" \
    --work "$root/target/bench/transfer-work"
