#!/usr/bin/env bash
# Builds Mobank.xcframework (device + simulators) and the Swift bindings for the Swift package in
# ios/.
#
# NOT RUN on the project's Linux CI: it needs macOS with Xcode (xcodebuild, lipo, strip) and the
# rustup iOS targets. App teams run it on a Mac; the result is build/ios/Mobank.xcframework plus
# ios/Sources (generated Swift and C module), usable as a binary target of a Swift package.
#
# Order matters: the bindings are generated from the UNSTRIPPED library, then the static
# libraries that ship are stripped of debug symbols (not of their global symbols).
set -euo pipefail
cd "$(dirname "$0")/.."
[ "$(uname -s)" = Darwin ] || { echo "build-ios: needs macOS with Xcode" >&2; exit 1; }

DEVICE=aarch64-apple-ios
SIMULATORS=(aarch64-apple-ios-sim x86_64-apple-ios)
rustup target add "$DEVICE" "${SIMULATORS[@]}"

# Static library (staticlib crate type), release; the test-only software key store export is
# compiled out for iOS targets.
for target in "$DEVICE" "${SIMULATORS[@]}"; do
  cargo build --release -p mobank-bindings --lib --target "$target"
done

rm -rf build/bindings/swift build/ios
cargo run -q -p mobank-bindings --bin uniffi-bindgen -- generate --no-format \
  --library "target/$DEVICE/release/libmobank.a" --language swift --out-dir build/bindings/swift

mkdir -p build/ios/headers build/ios/sim
cp build/bindings/swift/MobankFFI.h build/ios/headers/
cp build/bindings/swift/MobankFFI.modulemap build/ios/headers/module.modulemap

# One fat simulator library (Apple silicon + Intel Macs), then strip debug symbols only (-S).
lipo -create "target/aarch64-apple-ios-sim/release/libmobank.a" "target/x86_64-apple-ios/release/libmobank.a" \
  -output build/ios/sim/libmobank.a
cp "target/$DEVICE/release/libmobank.a" build/ios/libmobank.a
strip -S build/ios/libmobank.a build/ios/sim/libmobank.a

xcodebuild -create-xcframework \
  -library build/ios/libmobank.a -headers build/ios/headers \
  -library build/ios/sim/libmobank.a -headers build/ios/headers \
  -output build/ios/Mobank.xcframework

# The Swift package's generated sources, as `make bindings` lays them out.
mkdir -p ios/Sources/MobankFFI ios/Sources/Mobank/Generated
cp build/bindings/swift/MobankFFI.h ios/Sources/MobankFFI/
cp build/bindings/swift/MobankFFI.modulemap ios/Sources/MobankFFI/module.modulemap
cp build/bindings/swift/Mobank.swift ios/Sources/Mobank/Generated/
echo "build-ios: build/ios/Mobank.xcframework and ios/Sources/Mobank/Generated/Mobank.swift are ready"
