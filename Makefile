# Mobank: one entry point for people and CI.
#
#   make demo         the terminal demo: a sandbox bank, a phone, binding, login, accounts
#   make test         everything CI runs: Rust, Kotlin (JVM) and Swift (Linux) test suites, the
#                     API fuzz run against the sandbox (schemathesis), the fuzz oracles on their
#                     seeds, and a compile check of the Android-only adapters
#   make bindings     host library + generated Kotlin and Swift into build/bindings
#   make lint         rustfmt check + clippy with warnings as errors
#   make bench        benchmarks (not tests)
#   make fuzz         fuzz targets for a bounded time (FUZZ_SECONDS, FUZZ_RUNS)
#   make test-api     schemathesis against the running sandbox (API_FUZZ_EXAMPLES, API_FUZZ_SEED)
#   make openapi      regenerate docs/openapi.json from the sandbox's code
#
# `make test` installs what it needs on a fresh Debian machine (packages, the Swift chroot, Maven
# artifacts) and reuses them when present.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CARGO ?= cargo
MVN ?= mvn
REPO := $(abspath .)
DEBUG_DIR := $(REPO)/target/debug
LIB := $(DEBUG_DIR)/libmobank.so
SANDBOX_BIN := $(DEBUG_DIR)/mobank-sandbox
BINDINGS_DIR := $(REPO)/build/bindings
BINDGEN := $(CARGO) run -q -p mobank-bindings --bin uniffi-bindgen --

.PHONY: help test deps openapi test-api bindings test-rust fuzz-smoke test-kotlin check-android test-swift demo bench fuzz lint sandbox clean-bindings

help:
	@sed -n '3,12p' Makefile | sed 's/^# //'

test: deps test-rust test-api fuzz-smoke test-kotlin check-android test-swift
	@echo "make test: Rust, Kotlin and Swift suites passed"

deps:
	scripts/deps.sh

# ---- bindings ----------------------------------------------------------------------------------

# Two generated parts per language: core's values and error (namespace mobank_core) and the
# client with its hooks (namespace mobank), both served by the one libmobank. Kotlin gets two
# packages; Swift gets two source files compiled into the one module "Mobank" and two headers in
# the one clang module "MobankFFI", whose modulemap is written here.
bindings:
	$(CARGO) build -q -p mobank-bindings
	rm -rf $(BINDINGS_DIR)/kotlin $(BINDINGS_DIR)/swift
	$(BINDGEN) generate --no-format --library $(LIB) --language kotlin --out-dir $(BINDINGS_DIR)/kotlin
	$(BINDGEN) generate --no-format --library $(LIB) --language swift --out-dir $(BINDINGS_DIR)/swift
	@# The Swift package's generated parts (gitignored): the C module and the Swift API.
	rm -rf ios/Sources/MobankFFI/*.h ios/Sources/Mobank/Generated
	mkdir -p ios/Sources/MobankFFI ios/Sources/Mobank/Generated
	cp $(BINDINGS_DIR)/swift/MobankFFI.h $(BINDINGS_DIR)/swift/MobankCoreFFI.h ios/Sources/MobankFFI/
	printf 'module MobankFFI {\n    header "MobankCoreFFI.h"\n    header "MobankFFI.h"\n    export *\n}\n' \
	  > ios/Sources/MobankFFI/module.modulemap
	cp $(BINDINGS_DIR)/swift/MobankCore.swift $(BINDINGS_DIR)/swift/Mobank.swift ios/Sources/Mobank/Generated/

clean-bindings:
	rm -rf $(BINDINGS_DIR) ios/Sources/MobankFFI/*.h ios/Sources/MobankFFI/module.modulemap ios/Sources/Mobank/Generated

sandbox:
	$(CARGO) build -q -p mobank-sandbox

# The sandbox's OpenAPI document, generated from its code; `cargo test -p mobank-sandbox` fails
# while the committed copy differs.
openapi:
	$(CARGO) run -q -p mobank-sandbox -- --openapi > docs/openapi.json

# ---- tests -------------------------------------------------------------------------------------

# Every test phone keeps its files and the phone side's log under $(PHONE_FILES); the canary
# scan then reads all of them for secrets and personal texts in clear.
PHONE_FILES := $(CURDIR)/target/phone-files

test-rust:
	rm -rf $(PHONE_FILES)
	MOBANK_KEEP_PHONE_FILES=$(PHONE_FILES) $(CARGO) test --workspace --no-fail-fast
	$(CARGO) run -q -p mobank-e2e --bin canary-scan -- $(PHONE_FILES)

# schemathesis (pinned, in a venv cached under /var/cache/mobank) against docs/openapi.json and a
# running sandbox binary: no 5xx, every status, content type and body as documented.
test-api:
	scripts/api-fuzz.sh

# Builds the bindings and the sandbox binary first; the JUnit tests start the sandbox and load
# libmobank.so through JNA (jna.library.path = target/debug).
test-kotlin: bindings sandbox
	rm -rf android/target/surefire-reports
	cd android && $(MVN) -B -q -Dstyle.color=never \
	  -Dmobank.bindings.dir=$(BINDINGS_DIR)/kotlin -Dmobank.lib.dir=$(DEBUG_DIR) -Dmobank.sandbox=$(SANDBOX_BIN) \
	  test
	scripts/test-summary.sh kotlin android/target/surefire-reports

# The Android-only adapters (Keystore, BiometricPrompt) cannot run here; this type-checks them
# against the Android framework classes from Maven Central (org.robolectric:android-all).
check-android: bindings
	cd android && $(MVN) -B -q -Dstyle.color=never -f android-adapters.pom.xml \
	  -Dmobank.bindings.dir=$(BINDINGS_DIR)/kotlin compile
	@echo "check-android: the Android adapters compile against android-all"

# Swift 6 runs in a Debian trixie chroot (scripts/swift-chroot.sh); the repo is at /mobank there.
# The tests are XCTest; Swift Testing is off so the closing line is XCTest's count.
test-swift: bindings sandbox
	scripts/swift-chroot.sh run ios "swift test --disable-swift-testing -Xlinker -L/mobank/target/debug"

# ---- people ------------------------------------------------------------------------------------

demo:
	$(CARGO) run -q -p mobank-cli -- demo

bench:
	scripts/bench.sh

fuzz:
	scripts/fuzz.sh

# The fuzz workspace's tests on stable, without libFuzzer: every target's seeds go through its
# oracle, so a broken oracle or a parser that stopped accepting its seeds fails `make test`.
fuzz-smoke:
	cd fuzz && env -u CARGO_TARGET_DIR $(CARGO) test -q

# The workspace build turns core's `uniffi` feature on (through the bindings); core is also
# checked alone, as a crate with no FFI code.
lint:
	$(CARGO) fmt --all -- --check
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) clippy -p mobank-core --all-targets -- -D warnings
