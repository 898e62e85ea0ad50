#!/usr/bin/env bash
# Installs what `make test` needs on a Debian machine, and only what is missing: a JDK and Maven
# for the Kotlin tests, debootstrap and the Swift chroot for the Swift tests. Rust comes from
# rustup and is expected to be there. Maven fetches its artifacts into ~/.m2 on first use.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v javac >/dev/null || missing+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || missing+=(maven)
command -v python3 >/dev/null || missing+=(python3)
command -v unshare >/dev/null || missing+=(util-linux)
command -v debootstrap >/dev/null || missing+=(debootstrap)

if [ ${#missing[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { echo "deps: missing ${missing[*]}; run as root or install them" >&2; exit 1; }
  echo "deps: installing ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

command -v cargo >/dev/null || { echo "deps: cargo not found (install Rust with rustup)" >&2; exit 1; }

scripts/swift-chroot.sh ensure
