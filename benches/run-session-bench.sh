#!/usr/bin/env bash
# The session benchmark (part of `make bench`): builds the session bench in release mode, then
# times full logins over loopback HTTPS against an in-process sandbox bank next to the floor of
# their parts, and writes target/bench/session.json.
#
#   benches/run-session-bench.sh                 # 500 logins of each kind after 20 warm-up
#   ITERATIONS=100 benches/run-session-bench.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"

cargo build --release -p mobank-session-bench

target="${CARGO_TARGET_DIR:-$root/target}"
exec "$target/release/session-bench" \
    --iterations "${ITERATIONS:-500}" \
    --warmup "${WARMUP:-20}" \
    --out "$root/target/bench/session.json" \
    --work "$root/target/bench/session-work"
