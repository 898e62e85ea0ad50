#!/usr/bin/env bash
# Runs every benchmark script in benches/ (run-*.sh), each writing its JSON under target/bench/.
# Benchmarks are measurements, not tests: they are never part of `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
shopt -s nullglob
scripts=(benches/run-*.sh)
if [ ${#scripts[@]} -eq 0 ]; then
  echo "bench: no benchmarks yet (benches/run-*.sh)"
  exit 0
fi
mkdir -p target/bench
for script in "${scripts[@]}"; do
  echo "bench: $script"
  bash "$script"
done
