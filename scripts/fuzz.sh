#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for FUZZ_SECONDS each (default 60), seeded from
# protocol/vectors/*.json. Usage: scripts/fuzz.sh [TARGET...]   (default: all targets)
#
# Needs cargo-fuzz (installed on first use, about 3 minutes) and a C++ compiler for libFuzzer.
# Only the stable toolchain is expected: RUSTC_BOOTSTRAP=1 lets it take the nightly flags
# cargo-fuzz passes (sanitizer coverage). A crash leaves its input in fuzz/artifacts/<target>/;
# replay it with `RUSTC_BOOTSTRAP=1 cargo fuzz run <target> fuzz/artifacts/<target>/<file>`.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${FUZZ_SECONDS:-60}"
export RUSTC_BOOTSTRAP=1

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz (once)" >&2
  cargo install --locked cargo-fuzz
fi

# The tests first (genuine inputs must reach the oracles and every wire type must be checked, or
# a quiet run proves nothing), then the seeds, rewritten on every run so they follow the
# committed vectors; inputs the fuzzer found earlier stay in fuzz/corpus/<target>/ and are reused.
(cd fuzz && cargo test -q && cargo run -q --example seed_corpus -- corpus)

if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cd fuzz && cargo fuzz list)
fi

failed=()
summary='^(==[0-9]+== ERROR|SUMMARY|Done [0-9]+ runs|stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|thread .* panicked)'
mkdir -p fuzz/target
for target in "${targets[@]}"; do
  echo "fuzz: $target for ${seconds}s"
  log="fuzz/target/fuzz-$target.log"
  status=0
  (cd fuzz && cargo fuzz run "$target" -- -max_total_time="$seconds" -print_final_stats=1) \
    >"$log" 2>&1 || status=$?
  # libFuzzer's verdict and throughput; the whole output stays in the log.
  grep -E "$summary" "$log" || true
  if [ "$status" -ne 0 ]; then
    failed+=("$target")
    echo "fuzz: $target FAILED (exit $status, full log: $log)" >&2
  fi
done

if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in ${failed[*]}; inputs in fuzz/artifacts/" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran ${seconds}s each without a failure"
