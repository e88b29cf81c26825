#!/usr/bin/env bash
# `make test-k8s`: starts the local cluster, runs every live check in order and
# always stops the cluster again (no kubelet or containerd is left running).
# Ends with "N passed, N failed" like the other suites. CHECKS="smoke pdb" picks some;
# "app" needs the API and storefront built (npm run build) and builds the images.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
trap '"$HERE/down.sh"' EXIT
"$HERE/up.sh" || exit 1
passed=0 failed=0
for c in ${CHECKS:-smoke policy pdb replace app}; do
  echo "=== check: $c"
  if [[ "$c" == app ]] && ! "$HERE/images/build-app-images.sh"; then
    failed=$((failed + 1)); echo "=== check app FAILED (images)"; continue
  fi
  if "$HERE/checks/$c.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "=== check $c FAILED"; fi
done
echo "$passed passed, $failed failed"
((failed == 0))
