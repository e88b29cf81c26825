#!/usr/bin/env bash
# `make test-k8s`: starts the local cluster (three nodes and the platform),
# runs every live check in order and always stops the cluster again (no
# kubelet, containerd or node is left running). One PASS/FAIL line per check,
# then "N passed, N failed" like the other suites. CHECKS="smoke pdb" picks some.
# The shop's checks need the API and storefront built (npm run build): their
# images are built once, before the first check that needs them. The checks
# from "data" on build on each other (data tier, then the shop, then drills).
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$HERE/env.sh"
START=$(date +%s)
# The EXIT trap only once this run's cluster is up: when up.sh refuses because another run's
# cluster is running, that cluster is not ours to stop (up.sh cleans up its own failed start).
"$HERE/up.sh" || { echo "FAIL: up"; echo "0 passed, 1 failed"; exit 1; }
trap '"$HERE/down.sh"' EXIT
# The cluster's memory peak is its cgroup's (every node, pod and container is in it).
peak() { awk '{printf "%.1f", $1 / 1073741824}' "/sys/fs/cgroup/memory$(k8s_cgroup_base)/memory.max_usage_in_bytes" 2>/dev/null; }
passed=0 failed=0 images="" results=()
all="smoke policy pdb replace platform data app deploy restore-test hpa drain node-off-standby node-off-primary"
for c in ${CHECKS:-$all}; do
  echo "=== check: $c"
  t0=$(date +%s)
  if [[ "$c" =~ ^(data|app|restore-test|hpa|drain|node-off-.*)$ ]]; then
    [[ -n "$images" ]] || { "$HERE/images/build-app-images.sh" && images=built || images=failed; }
    if [[ "$images" == failed ]]; then failed=$((failed + 1)); results+=("FAIL: $c (app images)"); continue; fi
  fi
  case "$c" in
    node-off-*) cmd=("$HERE/checks/node-off.sh" "${c#node-off-}") ;;
    # Issue #15: images from the Dockerfiles (BuildKit, local registry), deploy/rollback live.
    deploy) cmd=("$K8S_ROOT/services/deploy/k8s/deploy-checks.sh") ;;
    *) cmd=("$HERE/checks/$c.sh") ;;
  esac
  if "${cmd[@]}"; then passed=$((passed + 1)); results+=("PASS: $c ($(($(date +%s) - t0)) s)")
  else failed=$((failed + 1)); results+=("FAIL: $c ($(($(date +%s) - t0)) s)"); fi
  echo "${results[-1]}"
done
echo "=== summary ($(($(date +%s) - START)) s, cluster memory peak $(peak) GiB)"
printf '%s\n' "${results[@]}"
echo "$passed passed, $failed failed"
((failed == 0))
