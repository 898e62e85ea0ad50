#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/, seeded from the committed vectors and seeds, and writes
# target/fuzz/summary.json: per target the executions, the seconds and the result ("ok", or
# "crash" with the input that failed). Usage: scripts/fuzz.sh [TARGET...]  (default: all targets)
#
#   FUZZ_SECONDS=N   stop each target after N seconds (default 60 when FUZZ_RUNS is unset)
#   FUZZ_RUNS=N      stop each target after N executions, e.g. FUZZ_RUNS=10000000; with both
#                    set, whichever comes first
#
# Needs cargo-fuzz (installed on first use, about 3 minutes) and a C++ compiler for libFuzzer.
# Only the stable toolchain is expected: RUSTC_BOOTSTRAP=1 lets it take the nightly flags
# cargo-fuzz passes (sanitizer coverage). The targets are safe Rust, so they are built without
# AddressSanitizer (`-s none`): a panic is the failure looked for, and the build is a quarter of
# the size. A crash leaves its input in fuzz/artifacts/<target>/; replay it with
# `RUSTC_BOOTSTRAP=1 cargo fuzz run -s none <target> fuzz/artifacts/<target>/<file>`.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"
export RUSTC_BOOTSTRAP=1
# The fuzz workspace has its own target directory (fuzz/target): its builds use other flags.
unset CARGO_TARGET_DIR

limits=()
if [ -n "${FUZZ_RUNS:-}" ]; then
  limits+=("-runs=$FUZZ_RUNS")
  [ -n "${FUZZ_SECONDS:-}" ] && limits+=("-max_total_time=$FUZZ_SECONDS")
else
  limits+=("-max_total_time=${FUZZ_SECONDS:-60}")
fi

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

summary_dir="$repo/target/fuzz"
mkdir -p "$summary_dir" fuzz/target
summary="$summary_dir/summary.json"
# One build of every target first, so the seconds below are fuzzing, not compiling.
(cd fuzz && cargo fuzz build -s none)

failed=()
entries=()
lines='^(==[0-9]+== ERROR|SUMMARY|Done [0-9]+ runs|stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb)|thread .* panicked)'
for target in "${targets[@]}"; do
  echo "fuzz: $target (${limits[*]})"
  log="fuzz/target/fuzz-$target.log"
  status=0
  start=$(date +%s.%N)
  (cd fuzz && cargo fuzz run -s none "$target" -- "${limits[@]}" -print_final_stats=1) \
    >"$log" 2>&1 || status=$?
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  # libFuzzer's verdict and throughput; the whole output stays in the log.
  grep -E "$lines" "$log" || true
  executions=$(grep -oE '^stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1 || true)
  artifact=$(grep -oE 'Test unit written to [^ ]+' "$log" | tail -1 | sed 's/^Test unit written to //' || true)
  if [ "$status" -eq 0 ]; then
    result='"result": "ok"'
  else
    failed+=("$target")
    echo "fuzz: $target FAILED (exit $status, full log: $log)" >&2
    if [ -n "$artifact" ]; then
      result="\"result\": \"crash\", \"artifact\": \"${artifact#"$repo"/}\""
    else
      result="\"result\": \"error\", \"log\": \"$log\""
    fi
  fi
  entries+=("    \"$target\": {\"executions\": ${executions:-0}, \"seconds\": $(printf '%.1f' "$seconds"), $result}")
  # Written after every target, so an interrupted pass keeps what it measured.
  { echo "{"; (IFS=$'\n'; echo "${entries[*]}" | sed '$!s/$/,/'); echo "}"; } >"$summary"
done

echo "fuzz: summary in target/fuzz/summary.json"
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz: failures in ${failed[*]}; inputs in fuzz/artifacts/" >&2
  exit 1
fi
echo "fuzz: ${#targets[@]} targets ran (${limits[*]}) without a failure"
