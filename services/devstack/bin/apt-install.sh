#!/usr/bin/env bash
# Installs the Debian packages given that are missing, quietly (the full log goes
# to .cache/apt.log and its tail is shown only on failure), and stops the system
# services those packages enable: the shop runs its own PostgreSQL, Redis and
# Prometheus on its own ports, and Debian's prometheus would take :9090.
# Services of packages that were already installed are left alone (they are the
# machine owner's). Usage: apt-install.sh PACKAGE...
set -euo pipefail
cd "$(dirname "$0")/../../.."
log=.cache/apt.log
mkdir -p .cache

missing=()
for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
((${#missing[@]})) || exit 0

SUDO=$([ "$(id -u)" = 0 ] || echo sudo)
echo "installing Debian packages: ${missing[*]} (log: $log)"
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  tail -30 "$log"
  echo "apt-get failed; the whole log is in $log" >&2
  exit 1
fi

# Units these packages start on install, which the project never uses.
declare -A units=(
  [postgresql]=postgresql [redis-server]=redis-server [prometheus]=prometheus
  [prometheus-alertmanager]=prometheus-alertmanager [prometheus-node-exporter]=prometheus-node-exporter [haproxy]=haproxy
)
if [[ -d /run/systemd/system ]]; then
  for p in "${missing[@]}"; do
    unit=${units[$p]:-}
    [[ -n $unit ]] || continue
    if $SUDO systemctl disable --now "$unit" >>"$log" 2>&1; then
      echo "  stopped and disabled the system service $unit (not used by the shop; 'systemctl enable --now $unit' brings it back)"
    fi
  done
fi
