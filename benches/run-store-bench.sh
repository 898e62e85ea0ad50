#!/usr/bin/env bash
# The encrypted-store benchmark (part of `make bench`): builds the main bench binary and the
# SQLCipher peer (a separate cargo workspace with its own target directory) in release mode, then
# runs all three stores interleaved and writes target/bench/store.json.
#
#   benches/run-store-bench.sh            # 7 rounds
#   ROUNDS=5 benches/run-store-bench.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
rounds="${ROUNDS:-7}"
peer_target="$root/target/sqlcipher-peer"

cargo build --release -p mobank-store-bench
# OpenSSL is vendored and compiled here once (a few minutes on first run), only for this peer.
cargo build --release --manifest-path benches/sqlcipher-peer/Cargo.toml --target-dir "$peer_target"

target="${CARGO_TARGET_DIR:-$root/target}"
exec "$target/release/store-bench" \
    --rounds "$rounds" \
    --peer "$peer_target/release/sqlcipher-peer" \
    --out "$root/target/bench/store.json" \
    --work "$root/target/bench/store-work"
