#!/usr/bin/env bash
# The platform platform.sh installed, live: every controller on the failover
# path runs twice on different nodes (CloudNativePG operator, Traefik, CoreDNS,
# metrics-server; issue #12 items 4, 5, 7) except the Barman Cloud plugin, which
# cannot (docs/decisions/0300-node-failure.md) and runs once, leaving a dead
# node after 5 s; the
# metrics API serves every node, local-path provisions a volume, Traefik answers
# on the ingress address, and the backup store answers over TLS from the lab CA.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
backup_store_up
count="$(k8s_nodes | wc -l)"
want=2; ((count > 1)) || want=1
for d in cnpg-system/cnpg-controller-manager kube-system/traefik kube-system/coredns kube-system/metrics-server; do
  ns="${d%/*}" name="${d#*/}"
  sel="$(kubectl -n "$ns" get deploy "$name" -o jsonpath='{.spec.selector.matchLabels}' | python3 -c 'import json,sys; print(",".join(f"{k}={v}" for k,v in json.load(sys.stdin).items()))')"
  nodes="$(kubectl -n "$ns" get pods -l "$sel" --field-selector status.phase=Running -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort -u | grep -c . || true)"
  ready="$(kubectl -n "$ns" get deploy "$name" -o jsonpath='{.status.readyReplicas}')"
  [[ "$ready" -ge "$want" && "$nodes" -ge "$want" ]] || fail "$d: $ready ready on $nodes node(s), want $want on $want"
  say "$d: $ready ready, on $nodes nodes"
done
[[ "$(kubectl -n cnpg-system get deploy barman-cloud -o jsonpath='{.status.readyReplicas}')" == 1 ]] || fail "the Barman Cloud plugin is not ready"
say "cnpg-system/barman-cloud: 1 ready (one replica by design), leaves a dead node after $(kubectl -n cnpg-system get deploy barman-cloud -o jsonpath='{.spec.template.spec.tolerations[0].tolerationSeconds}') s"
leader="$(kubectl -n cnpg-system get lease db9c8771.cnpg.io -o jsonpath='{.spec.holderIdentity}' 2>/dev/null || true)"
say "CloudNativePG operator leader: ${leader:-?}"
top="$(kubectl top nodes --no-headers 2>&1)" || fail "kubectl top nodes: $top"
[[ "$(grep -c . <<<"$top")" == "$count" ]] || fail "metrics for $(grep -c . <<<"$top") of $count nodes: $top"
say "metrics API: $(awk '{printf "%s %s %s; ", $1, $2, $4}' <<<"$top")"
code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$K8S_PKI/lab-ca.crt" "https://$K8S_BACKUP_IP/dhakacart-backups")" || fail "backup store over TLS"
[[ "$code" == 403 ]] || fail "backup store answered $code (want Garage's 403 without credentials)"
say "backup store: Garage $GARAGE_VERSION answers at https://$K8S_BACKUP_IP, certificate verified with the lab CA"
code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$K8S_PKI/lab-ca.crt" --resolve "nothing.dhakacart.lab:443:$K8S_INGRESS_IP" -k https://nothing.dhakacart.lab/)"
[[ "$code" == 404 ]] || fail "Traefik at $K8S_INGRESS_IP answered $code for an unknown host (want 404)"
say "ingress: Traefik answers at $K8S_INGRESS_IP:443 (404 for an unknown host)"
say PASS
