#!/usr/bin/env bash
# A PodDisruptionBudget refuses a voluntary eviction that would break it (HTTP
# 429 from the Eviction API, what kubectl drain uses), and allows it again once
# enough pods are spare.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NS=pdb-check
fresh_namespace "$NS"
toolbox_deployment "$NS" guarded 2 "" "exec sleep 600"
kubectl -n "$NS" rollout status deploy/guarded --timeout=90s >/dev/null
kubectl -n "$NS" create poddisruptionbudget guarded --selector app=guarded --min-available 2 >/dev/null
for _ in $(seq 1 30); do
  [[ "$(kubectl -n "$NS" get pdb guarded -o jsonpath='{.status.currentHealthy}')" == 2 ]] && break; sleep 1
done
evict() { # <pod>: prints the API's answer
  kubectl create --raw "/api/v1/namespaces/$NS/pods/$1/eviction" -f - 2>&1 <<EOF2 || true
{"apiVersion": "policy/v1", "kind": "Eviction", "metadata": {"name": "$1", "namespace": "$NS"}}
EOF2
}
pod="$(kubectl -n "$NS" get pods -l app=guarded -o jsonpath='{.items[0].metadata.name}')"
out="$(evict "$pod")"
grep -q "disruption budget" <<<"$out" || fail "eviction of $pod was not refused by the PDB: $out"
kubectl -n "$NS" get pod "$pod" >/dev/null 2>&1 || fail "$pod is gone although the eviction was refused"
say "eviction refused: $(grep -o 'Cannot evict[^"]*' <<<"$out" | head -1)"
kubectl -n "$NS" patch pdb guarded --type merge -p '{"spec":{"minAvailable":1}}' >/dev/null
for _ in $(seq 1 30); do
  [[ "$(kubectl -n "$NS" get pdb guarded -o jsonpath='{.status.disruptionsAllowed}')" == 1 ]] && break; sleep 1
done
out="$(evict "$pod")"
grep -qi "disruption budget" <<<"$out" && fail "eviction still refused with minAvailable 1: $out"
say "with minAvailable 1 the same eviction is accepted"
say PASS
