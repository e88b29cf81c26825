#!/usr/bin/env bash
# buildkit.sh up|down|sock: buildkitd (BuildKit, built by build-tools.sh) as root with its OCI
# worker (Debian's runc, overlayfs snapshots, host network so RUN npm ci reaches the npm
# registry), state under .cache/deploy/buildkit; pushes to the local registry over plain HTTP.
# The same daemon docker/build-push-action runs in GitHub Actions (setup-buildx-action).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=pins.sh
source "$(dirname "${BASH_SOURCE[0]}")/pins.sh"
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
dir="$REPO/.cache/deploy/buildkit"
sock="unix://$dir/buildkitd.sock"
case ${1:-} in
  up)
    if [[ -f $dir/pid ]] && kill -0 "$(cat "$dir/pid")" 2>/dev/null; then echo "$sock"; exit 0; fi
    [[ $EUID -eq 0 ]] || { echo "buildkit.sh: buildkitd needs root here (namespaces, overlayfs mounts)" >&2; exit 1; }
    bindir=$(bash "$(dirname "${BASH_SOURCE[0]}")/build-tools.sh" buildkit)
    mkdir -p "$dir/root"
    cat >"$dir/buildkitd.toml" <<TOML
root = "$dir/root"
[grpc]
  address = ["$sock"]
[worker.oci]
  enabled = true
  snapshotter = "overlayfs"
  binary = "$(command -v runc)"
  gc = true
  # This machine shares one disk with the local cluster, whose kubelets evict at 2 % free.
  gckeepstorage = "3GB"
[worker.containerd]
  enabled = false
[registry."127.0.0.1:5000"]
  http = true
[registry."10.250.0.1:5000"]
  http = true
TOML
    PATH="$bindir:$PATH" setsid "$bindir/buildkitd" --config "$dir/buildkitd.toml" --oci-worker-net host \
      >"$dir/buildkitd.log" 2>&1 </dev/null &
    echo $! >"$dir/pid"
    for _ in $(seq 100); do "$bindir/buildctl" --addr "$sock" debug workers >/dev/null 2>&1 && { echo "$sock"; exit 0; }; sleep 0.2; done
    echo "buildkitd did not start: $(tail -5 "$dir/buildkitd.log")" >&2; exit 1 ;;
  down)
    if [[ -f $dir/pid ]]; then kill "$(cat "$dir/pid")" 2>/dev/null || true; rm -f "$dir/pid"; echo "buildkitd stopped"; fi ;;
  *) echo "usage: buildkit.sh up|down" >&2; exit 2 ;;
esac
