#!/usr/bin/env bash
# Builds libmobank for Android and the Kotlin bindings for the Gradle module in android/.
#
# NOT RUN on the project's Linux CI: it needs the Android NDK (ANDROID_NDK_HOME, r26 or newer),
# cargo-ndk and the rustup Android targets, which that machine does not have. App teams run it
# on their build machines; then `gradle :mobank:assembleRelease` (android/build.gradle.kts)
# packs build/bindings/kotlin + build/android/jniLibs into an AAR.
#
# Order matters: the bindings are generated from the UNSTRIPPED library (uniffi reads its
# metadata from the library), and only then are the copies that ship stripped.
set -euo pipefail
cd "$(dirname "$0")/.."

: "${ANDROID_NDK_HOME:?set ANDROID_NDK_HOME to the Android NDK}"
declare -A TRIPLE=([arm64-v8a]=aarch64-linux-android [armeabi-v7a]=armv7-linux-androideabi [x86_64]=x86_64-linux-android)
ABIS=(arm64-v8a armeabi-v7a x86_64)
API_LEVEL="${ANDROID_API_LEVEL:-28}"

rustup target add "${TRIPLE[@]}"
command -v cargo-ndk >/dev/null || cargo install --locked cargo-ndk

# Release build, panic = "unwind" (root Cargo.toml) so uniffi turns a panic into an exception.
# The test-only software key store export is compiled out for Android targets.
targets=(); for abi in "${ABIS[@]}"; do targets+=(-t "$abi"); done
cargo ndk --platform "$API_LEVEL" "${targets[@]}" build --release -p mobank-bindings --lib

rm -rf build/bindings/kotlin build/android/jniLibs
cargo run -q -p mobank-bindings --bin uniffi-bindgen -- generate --no-format \
  --library "target/${TRIPLE[arm64-v8a]}/release/libmobank.so" --language kotlin --out-dir build/bindings/kotlin

STRIP="$(echo "$ANDROID_NDK_HOME"/toolchains/llvm/prebuilt/*/bin/llvm-strip)"
for abi in "${ABIS[@]}"; do
  mkdir -p "build/android/jniLibs/$abi"
  "$STRIP" --strip-unneeded -o "build/android/jniLibs/$abi/libmobank.so" "target/${TRIPLE[$abi]}/release/libmobank.so"
done
echo "build-android: bindings in build/bindings/kotlin, libraries in build/android/jniLibs; now build android/ with Gradle"
