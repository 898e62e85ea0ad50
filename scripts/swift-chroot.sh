#!/usr/bin/env bash
# Swift 6 on a Debian bookworm host: creates (once) and caches a Debian trixie chroot with
# Debian's swiftlang package, then runs commands in it against this repository.
#
# Usage: scripts/swift-chroot.sh ensure            -- only create the chroot (idempotent)
#        scripts/swift-chroot.sh run DIR CMD...    -- run CMD in /mobank/DIR inside the chroot
#
# The chroot lives outside the repo ($MOBANK_SWIFT_ROOT, default /var/cache/mobank/swift-trixie)
# because it is 3 GB of toolchain, not source. Inside it the repository is at /mobank and
# LD_LIBRARY_PATH points at /mobank/target/debug, where the host-built libmobank.so is.
#
# Every mount (the repo, /proc) is made in a private mount namespace (unshare -m), so it vanishes
# with the command: no stale mounts after a crash, and two checkouts can run side by side.
set -euo pipefail
ROOT="${MOBANK_SWIFT_ROOT:-/var/cache/mobank/swift-trixie}"
REPO="$(cd "$(dirname "$0")/.." && pwd)"
STAMP="$ROOT/.mobank-ready"
MIRROR="${MOBANK_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
PACKAGES="swiftlang libc6-dev libstdc++-14-dev"

need_root() { [ "$(id -u)" = 0 ] || { echo "swift-chroot: must run as root (debootstrap, chroot)" >&2; exit 1; }; }

ensure() {
  [ -f "$STAMP" ] && return 0
  need_root
  if ! command -v debootstrap >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
  fi
  echo "swift-chroot: creating a Debian trixie chroot with Swift in $ROOT (once; a few minutes, about 3 GB)" >&2
  local partial="$ROOT.partial"
  rm -rf "$partial"
  mkdir -p "$(dirname "$ROOT")"
  debootstrap --variant=minbase trixie "$partial" "$MIRROR" >/dev/null
  unshare -m --propagation private /bin/sh -c "
    mount -t proc proc '$partial/proc' &&
    chroot '$partial' /bin/sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $PACKAGES >/dev/null && apt-get clean'"
  rm -rf "$ROOT"
  mv "$partial" "$ROOT"
  touch "$STAMP"
}

run() {
  local dir="$1"; shift
  ensure
  need_root
  mkdir -p "$ROOT/mobank"
  # The command string is passed as one argument and evaluated by the chroot's shell.
  unshare -m --propagation private /bin/sh -c '
    set -e
    root="$1"; repo="$2"; dir="$3"; cmd="$4"
    mount --bind "$repo" "$root/mobank"
    mount -t proc proc "$root/proc"
    exec chroot "$root" /usr/bin/env -i HOME=/tmp/swift-home PATH=/usr/libexec/swift/bin:/usr/bin:/bin \
      LANG=C.UTF-8 LD_LIBRARY_PATH=/mobank/target/debug \
      /bin/sh -c "mkdir -p /tmp/swift-home && cd \"/mobank/$dir\" && $cmd"
  ' sh "$ROOT" "$REPO" "$dir" "$*"
}

case "${1:-}" in
  ensure) ensure ;;
  run) shift; [ $# -ge 2 ] || { echo "usage: $0 run DIR CMD..." >&2; exit 2; }; run "$@" ;;
  *) echo "usage: $0 ensure | run DIR CMD..." >&2; exit 2 ;;
esac
