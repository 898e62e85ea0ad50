#!/usr/bin/env bash
# Fuzzes the sandbox bank's two HTTP APIs with schemathesis against docs/openapi.json: starts the
# sandbox binary on a fresh data directory, binds a software test device to the demo customer and
# logs it in (sandbox/examples/fuzz_session.rs) so the session routes are reached behind a real
# session, runs `st run` on the customer API (HTTPS) and then on the developer API (HTTP), checks
# the ledger still balances, and stops the sandbox. Fails on any 5xx, on a status code, content
# type or body the document does not allow, and on an unbalanced ledger.
#
#   API_FUZZ_EXAMPLES=N   test cases per operation and phase (default 20)
#   API_FUZZ_SEED=N       schemathesis's seed (default: a new one each run, printed)
#
# schemathesis is installed once, pinned, into a venv under /var/cache/mobank (the cache the Swift
# chroot uses too; $MOBANK_SCHEMATHESIS_VENV overrides it), and reused after.
set -euo pipefail
cd "$(dirname "$0")/.."
repo="$PWD"

SCHEMATHESIS_VERSION=4.32.5
venv="${MOBANK_SCHEMATHESIS_VENV:-/var/cache/mobank/schemathesis-$SCHEMATHESIS_VERSION}"
examples="${API_FUZZ_EXAMPLES:-20}"
target="${CARGO_TARGET_DIR:-$repo/target}"

ensure_schemathesis() {
  [ -f "$venv/.mobank-ready" ] && return 0
  if ! python3 -c 'import ensurepip, venv' 2>/dev/null; then
    [ "$(id -u)" = 0 ] || { echo "api-fuzz: python3-venv is missing; run as root or install it" >&2; exit 1; }
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv >/dev/null
  fi
  echo "api-fuzz: installing schemathesis $SCHEMATHESIS_VERSION into $venv (once)" >&2
  # A venv cannot be moved after creation, so a half-made one is removed and made again.
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
  touch "$venv/.mobank-ready"
}

ensure_schemathesis
cargo build -q -p mobank-sandbox --bin mobank-sandbox --example fuzz_session

work="$(mktemp -d)"
sandbox_pid=""
stop_sandbox() {
  local status=$?
  if [ "$status" != 0 ] && [ -s "$work/sandbox.log" ]; then
    echo "api-fuzz: the sandbox's log, last lines:" >&2
    tail -n 30 "$work/sandbox.log" >&2
  fi
  if [ -n "$sandbox_pid" ]; then
    kill "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap stop_sandbox EXIT

"$target/debug/mobank-sandbox" --data-dir "$work/bank" >"$work/announcement.json" 2>"$work/sandbox.log" &
sandbox_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/announcement.json" ] && break
  kill -0 "$sandbox_pid" 2>/dev/null || { cat "$work/sandbox.log" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/announcement.json" ] || { echo "api-fuzz: the sandbox did not start" >&2; exit 1; }
field() { python3 -c "import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])" "$work/announcement.json" "$1"; }
base_url="$(field base_url)"
dev_url="$(field dev_url)"

# The token stays in this shell's memory and in the header schemathesis sends; its output masks
# Authorization headers.
token="$("$target/debug/examples/fuzz_session" "$work/announcement.json" "$work/bank")"

seed="${API_FUZZ_SEED:-$(( (RANDOM << 15) | RANDOM ))}"
echo "api-fuzz: schemathesis $SCHEMATHESIS_VERSION, $examples examples per operation and phase, seed $seed"
checks=not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance
# One retry of a request that met a closed connection: the sandbox closes a keep-alive
# connection idle for 10 s (its header read timeout), and a request sent on it just then fails as
# a network error that says nothing about the API. A handler that panics still shows: it fails
# again on the retry, and the sandbox's log is checked below.
reports="$target/api-fuzz"
rm -rf "$reports"
mkdir -p "$reports"
# Run from the scratch directory: schemathesis keeps a cache in its working directory.
run() {
  local name="$1"
  shift
  (cd "$work" && "$venv/bin/st" run "$repo/docs/openapi.json" \
    --request-retries 1 \
    --report har --report-har-path "$reports/$name.har" \
    --checks "$checks" \
    --max-examples "$examples" \
    --seed "$seed" \
    --workers 2 \
    --request-timeout 30 \
    --suppress-health-check all \
    --warnings off \
    "$@")
}

started=$SECONDS
run customer --url "$base_url" --tls-verify false \
  --include-path-regex '^/(v1/|openapi\.json$)' \
  -H "Authorization: Bearer $token"
# The developer API last: it suspends customers and moves clocks, which would end the session.
run developer --url "$dev_url" --include-path-regex '^/dev/'

python3 - "$dev_url/dev/ledger/check" <<'CHECK' || { echo "api-fuzz: the ledger does not balance after the fuzz run" >&2; exit 1; }
import json, sys, urllib.request
check = json.load(urllib.request.urlopen(sys.argv[1]))
print("api-fuzz: ledger check:", json.dumps(check))
sys.exit(0 if check["balanced"] else 1)
CHECK
if grep -q "panicked" "$work/sandbox.log"; then
  grep -B2 -A5 "panicked" "$work/sandbox.log" >&2
  echo "api-fuzz: the sandbox panicked" >&2
  exit 1
fi
# What the requests met, per API: proof that the session routes were reached past the 401.
python3 - "$reports" <<'SUMMARY'
import collections, json, pathlib, sys
for har in sorted(pathlib.Path(sys.argv[1]).glob("*.har")):
    entries = json.loads(har.read_text())["log"]["entries"]
    statuses = collections.Counter(entry["response"]["status"] for entry in entries)
    print(f"api-fuzz: {har.stem} API: {len(entries)} requests; by status:",
          ", ".join(f"{status}: {count}" for status, count in sorted(statuses.items())))
SUMMARY
echo "api-fuzz: both APIs fuzzed in $((SECONDS - started)) s; no 5xx, every answer conforms, the ledger balances"
