#!/usr/bin/env bash
# Tools for ansible/tests/run.sh, installed once; a second run takes seconds.
#  - apt: debootstrap (test target), shellcheck, vagrant (+ruby) to validate
#    the Vagrantfile, openssl.
#  - a Debian 12 root built by debootstrap, cached in .cache/ansible-test.
# Needs root (apt, debootstrap). Mirror: DC_DEBIAN_MIRROR.
set -euo pipefail
cd "$(dirname "$0")/../.."
cache=.cache/ansible-test
base=$cache/bookworm-base
mirror=${DC_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

missing=()
for p in debootstrap shellcheck vagrant ruby openssl nftables iproute2; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if [[ ! -f $base/.complete ]]; then
  echo "setup: debootstrap Debian 12 into $base (about 90 s)"
  $SUDO rm -rf "$base"
  mkdir -p "$cache"
  $SUDO debootstrap --variant=minbase --include=python3,systemd,openssh-server,netbase \
    bookworm "$base" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log"; exit 1; }
  # Same mirror inside the target, so the roles' apt tasks work in the chroot.
  echo "deb $mirror bookworm main" | $SUDO tee "$base/etc/apt/sources.list" >/dev/null
  $SUDO touch "$base/.complete"
fi
echo "setup: ansible test tools ready"
