#!/usr/bin/env bash
# Creates (once) and caches a Debian trixie chroot with Swift 6, then runs a command in it.
# Usage: scripts/swift-chroot.sh ensure            -- only create the chroot
#        scripts/swift-chroot.sh run DIR CMD...    -- bind-mount the repo and run CMD in DIR
# The chroot lives outside the repo ($MOBANK_SWIFT_ROOT, default /var/cache/mobank/swift-trixie)
# because it is 3 GB of toolchain, not source.
set -euo pipefail
ROOT="${MOBANK_SWIFT_ROOT:-/var/cache/mobank/swift-trixie}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
STAMP="$ROOT/.mobank-ready"

need_root() { [ "$(id -u)" = 0 ] || { echo "swift-chroot: must run as root (debootstrap, chroot)" >&2; exit 1; }; }

ensure() {
  [ -f "$STAMP" ] && return 0
  need_root
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  echo "swift-chroot: creating Debian trixie chroot in $ROOT (once; about 2 minutes)" >&2
  rm -rf "$ROOT.partial"
  mkdir -p "$(dirname "$ROOT")"
  debootstrap --variant=minbase trixie "$ROOT.partial" http://deb.debian.org/debian >/dev/null
  mount_proc "$ROOT.partial"
  chroot "$ROOT.partial" /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends swiftlang libc6-dev libstdc++-14-dev >/dev/null'
  umount "$ROOT.partial/proc" || true
  rm -rf "$ROOT"
  mv "$ROOT.partial" "$ROOT"
  touch "$STAMP"
}

mount_proc() {
  mountpoint -q "$1/proc" || mount -t proc proc "$1/proc"
}

run() {
  local dir="$1"; shift
  ensure
  mkdir -p "$ROOT/mobank"
  mountpoint -q "$ROOT/mobank" || mount --bind "$REPO" "$ROOT/mobank"
  mount_proc "$ROOT"
  local rc=0
  chroot "$ROOT" /usr/bin/env -i HOME=/tmp/swift-home PATH=/usr/libexec/swift/bin:/usr/bin:/bin \
    LD_LIBRARY_PATH="/mobank/target/debug" /bin/sh -c "mkdir -p /tmp/swift-home && cd /mobank/$dir && $*" || rc=$?
  umount "$ROOT/mobank" || true
  umount "$ROOT/proc" || true
  return $rc
}

case "${1:-}" in
  ensure) ensure ;;
  run) shift; run "$@" ;;
  *) echo "usage: $0 ensure | run DIR CMD..." >&2; exit 2 ;;
esac
