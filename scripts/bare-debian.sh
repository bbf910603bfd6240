#!/usr/bin/env bash
# Proves the README's first command on a bare machine: makes a clean Debian 12 root filesystem with
# only python3 (mmdebstrap, or debootstrap), puts a clean clone of this repository in it, leaves a
# half-made .venv there as a failed `python3 -m venv` does on such a machine, runs the README's first
# command with chroot and checks that site/ was built; then `python3 build.py check` in a new shell,
# and the first command once more (it must find everything set up).
# Needs root and the package mirror; takes a few minutes. Not part of CI.
# Usage: sudo bash scripts/bare-debian.sh [--keep]   (--keep: leave the root filesystem for a look)
set -euo pipefail
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
keep=${1:-}
[ "$(id -u)" = 0 ] || { echo "bare-debian: needs root (debootstrap, mount, chroot)" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/townsite-bare.XXXXXX")
rootfs=$work/rootfs
started=$(date +%s)

say() { echo "bare-debian [$(($(date +%s) - started)) s]: $*"; }

cleanup() {
  local pid
  for pid in /proc/[0-9]*; do   # nothing started in the chroot outlives this script
    [ "$(readlink "$pid/root" 2>/dev/null)" = "$rootfs" ] && kill -KILL "${pid#/proc/}" 2>/dev/null
  done
  for mount in dev/pts dev proc; do
    mountpoint -q "$rootfs/$mount" 2>/dev/null && { umount "$rootfs/$mount" || umount -l "$rootfs/$mount"; }
  done
  if [ "$keep" = --keep ]; then say "kept $rootfs"; else rm -rf --one-file-system "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say "making a Debian 12 root filesystem with only python3 in $rootfs"
if command -v mmdebstrap >/dev/null; then
  mmdebstrap --variant=minbase --include=python3 bookworm "$rootfs"
else
  debootstrap --variant=minbase --include=python3 bookworm "$rootfs"
fi
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
# Where this host reaches the package index through a TLS-inspecting proxy, pip in the chroot needs
# the host's certificate authorities (a machine on the open network does not).
pip_cert=
if [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  cp /etc/ssl/certs/ca-certificates.crt "$rootfs/root/host-ca-certificates.crt"
  pip_cert=PIP_CERT=/root/host-ca-certificates.crt
fi
mount -t proc proc "$rootfs/proc"
mount --bind /dev "$rootfs/dev"
mount --bind /dev/pts "$rootfs/dev/pts"

say "a clean clone of $(git -C "$repo" rev-parse --short HEAD) into /root/townsite"
git clone --quiet "$repo" "$rootfs/root/townsite"
first=$(sed -n '/^```bash$/{n;p;q}' "$repo/README.md")
say "the README's first command: $first"

in_chroot() {
  chroot "$rootfs" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb $pip_cert \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    bash -c "cd /root/townsite && $1"
}

say "python3 -m venv .venv, as a first try on such a machine does (it fails half-way)"
in_chroot "python3 -m venv .venv" || true
in_chroot "$first"
in_chroot "test -f site/index.html && test -f site/404.html && test -d site/search"
pages=$(find "$rootfs/root/townsite/site" -name '*.html' | wc -l)
say "site/ built: $pages HTML files"
say "a new shell: python3 build.py check"
in_chroot "python3 build.py check"
say "the README's first command again: nothing to install, nothing to rebuild"
again=$(in_chroot "$first" 2>&1) || { echo "$again"; exit 1; }
echo "$again"
if grep -q "^setup:" <<<"$again"; then echo "bare-debian: the second run set up again" >&2; exit 1; fi
say "done in $(($(date +%s) - started)) s"
