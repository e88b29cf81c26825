#!/usr/bin/env bash
# `make test-k8s`: starts the local cluster, runs every live check in order and
# always stops the cluster again (no kubelet or containerd is left running).
# Ends with "N passed, N failed" like the other suites. CHECKS="smoke pdb" picks some;
# "app" and "restore-test" need the API and storefront built (npm run build): the
# images are built once, before the first check that runs them.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
trap '"$HERE/down.sh"' EXIT
"$HERE/up.sh" || exit 1
passed=0 failed=0 images=""
for c in ${CHECKS:-smoke policy pdb replace app restore-test}; do
  echo "=== check: $c"
  if [[ "$c" == app || "$c" == restore-test ]]; then
    [[ -n "$images" ]] || { "$HERE/images/build-app-images.sh" && images=built || images=failed; }
    if [[ "$images" == failed ]]; then failed=$((failed + 1)); echo "=== check $c FAILED (images)"; continue; fi
  fi
  if "$HERE/checks/$c.sh"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "=== check $c FAILED"; fi
done
echo "$passed passed, $failed failed"
((failed == 0))
