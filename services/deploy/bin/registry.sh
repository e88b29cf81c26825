#!/usr/bin/env bash
# registry.sh up|down|addr: a local OCI registry (github.com/distribution/distribution/v3, built
# by build-tools.sh) standing in for GHCR: `make images` pushes to it and the local Kubernetes
# pulls from it by digest. REGISTRY=host:port (127.0.0.1:5000; the k8s checks use the host's
# address on the cluster bridge, 10.250.0.1:5000, which the nodes reach). Data and pid under
# .cache/deploy/registry. Plain HTTP: loopback or the cluster's private bridge only.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=pins.sh
source "$(dirname "${BASH_SOURCE[0]}")/pins.sh"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dir="$REPO/.cache/deploy/registry"
addr="${REGISTRY:-127.0.0.1:5000}"
case ${1:-} in
  up)
    if [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then
      [[ $(cat "$dir/addr") == "$addr" ]] && { echo "registry already up on $addr"; exit 0; }
      echo "registry is up on $(cat "$dir/addr"), not $addr: run registry.sh down first" >&2; exit 1
    fi
    [[ $addr =~ ^(127\.|10\.250\.0\.1:) ]] || { echo "registry.sh: $addr is neither loopback nor the local cluster's bridge" >&2; exit 1; }
    bindir=$(bash "$(dirname "${BASH_SOURCE[0]}")/build-tools.sh" registry)
    mkdir -p "$dir/data"
    cat >"$dir/config.yml" <<YAML
version: 0.1
log: {level: warn, accesslog: {disabled: true}}
storage:
  filesystem: {rootdirectory: $dir/data}
  delete: {enabled: true}
http:
  addr: $addr
YAML
    setsid "$bindir/registry" serve "$dir/config.yml" >"$dir/registry.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"; echo "$addr" >"$dir/addr"
    for _ in $(seq 50); do curl -sf "http://$addr/v2/" >/dev/null && { echo "registry $REGISTRY_VERSION up on $addr (data: ${dir#"$REPO"/}/data)"; exit 0; }; sleep 0.1; done
    echo "registry did not start: $(tail -5 "$dir/registry.log")" >&2; exit 1 ;;
  down)
    if [[ -f $dir/pid ]]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; rm -f "$dir/pid"; echo "registry stopped"; fi ;;
  addr)
    [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null && cat "$dir/addr" ;;
  *) echo "usage: registry.sh up|down|addr" >&2; exit 2 ;;
esac
