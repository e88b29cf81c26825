#!/usr/bin/env bash
# A deleted pod of a Deployment is replaced by a new Ready pod (controller
# manager + scheduler + kubelet + CNI end to end), and the Service keeps
# answering while it happens because the other replica stays in the endpoints.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NS=replace-check
fresh_namespace "$NS"
toolbox_deployment "$NS" server 2 "" "$HELLO_SERVER"
toolbox_deployment "$NS" client 1 "" "exec sleep 600"
kubectl -n "$NS" expose deployment server --port 80 --target-port 8080 >/dev/null
kubectl -n "$NS" rollout status deploy/server deploy/client --timeout=90s >/dev/null
victim="$(kubectl -n "$NS" get pods -l app=server -o jsonpath='{.items[0].metadata.name}')"
start=$(date +%s)
kubectl -n "$NS" delete pod "$victim" --wait=false >/dev/null
fails=0 ok=0
for _ in $(seq 1 40); do
  if [[ "$(http_body "$NS" client server 80)" == hello ]]; then ok=$((ok + 1)); else fails=$((fails + 1)); fi
  ready="$(kubectl -n "$NS" get deploy server -o jsonpath='{.status.readyReplicas}')"
  if [[ "$ready" == 2 ]] && ! kubectl -n "$NS" get pod "$victim" >/dev/null 2>&1; then break; fi
done
[[ "$ready" == 2 ]] || fail "deployment did not get back to 2 ready pods"
new="$(kubectl -n "$NS" get pods -l app=server -o jsonpath='{.items[*].metadata.name}')"
grep -qw "$victim" <<<"$new" && fail "$victim still listed"
say "pod $victim deleted; replaced and 2/2 Ready after $(($(date +%s) - start)) s (pods now: $new)"
say "requests through the Service meanwhile: $ok ok, $fails failed"
((fails == 0)) || fail "$fails requests failed while the pod was replaced"
say PASS
