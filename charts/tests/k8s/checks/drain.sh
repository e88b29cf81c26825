#!/usr/bin/env bash
# A node drained for maintenance under shopper load (kubectl drain: cordon, then
# evictions that respect every PodDisruptionBudget), as upgrade.yml does in the
# lab, then uncordoned. The node drained is one without the CloudNativePG
# primary (its standby waits on the node's local volume until the uncordon).
# Goal (issue #13): 0 failed requests. Needs checks/app.sh before it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NS=dhakacart
OUT="$K8S_RUN/checks"; mkdir -p "$OUT"
kubectl -n "$NS" get deploy -l app.kubernetes.io/component=api -o name | grep -q . || fail "the shop is not installed: run checks/app.sh first"
pnode="$(kubectl -n "$NS" get pod "$(cnpg_primary)" -o jsonpath='{.spec.nodeName}')"
node=""
for n in $(k8s_nodes); do [[ "$(k8s_node_name "$n")" != "$pnode" ]] && { node="$(k8s_node_name "$n")"; break; }; done
[[ -n "$node" ]] || fail "no node without the primary"
trap 'kubectl uncordon "$node" >/dev/null 2>&1 || true' EXIT

shopper 100 "$OUT/drain.json" >"$OUT/drain.log" 2>&1 &
load=$!
sleep 15
start=$(date +%s)
kubectl drain "$node" --ignore-daemonsets --delete-emptydir-data --timeout=240s >"$OUT/drain-kubectl.log" 2>&1 \
  || { tail -20 "$OUT/drain-kubectl.log" >&2; fail "kubectl drain $node"; }
say "node $node drained in $(($(date +%s) - start)) s ($(grep -c 'evicted' "$OUT/drain-kubectl.log") pods evicted)"
sleep 20
kubectl uncordon "$node" >/dev/null
say "node $node uncordoned"
wait "$load" || { cat "$OUT/drain.log" >&2; fail "shopper load failed"; }
say "shoppers during the drain: $(cat "$OUT/drain.log")"
for _ in $(seq 1 180); do
  [[ "$(kubectl -n "$NS" get cluster dhakacart-db -o jsonpath='{.status.readyInstances}')" == 3 ]] && break
  sleep 1
done
[[ "$(kubectl -n "$NS" get cluster dhakacart-db -o jsonpath='{.status.readyInstances}')" == 3 ]] || fail "the Cluster did not get its 3 instances back after the uncordon"
no_failures "$OUT/drain.json" || fail "requests failed during the drain"
say PASS
