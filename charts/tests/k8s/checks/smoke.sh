#!/usr/bin/env bash
# Proof of life for the cluster up.sh started: every node Ready, etcd has one
# started member per node and every member is healthy, the controller-manager
# and scheduler hold their leader leases, a pod runs on every node from an
# imported image, pods on different nodes reach each other, cluster DNS
# resolves kubernetes.default from every node, and a pod reaches the API
# through the kubernetes Service. Exits non-zero on the first failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NS=smoke-check
mapfile -t nodes < <(k8s_nodes)
count=${#nodes[@]}

for n in "${nodes[@]}"; do
  name="$(k8s_node_name "$n")"
  ready="$(kubectl get node "$name" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
  [[ "$ready" == True ]] || fail "node $name Ready=$ready"
done
say "$count node(s) Ready: $(kubectl get nodes -o jsonpath='{range .items[*]}{.metadata.name} {.status.nodeInfo.kubeletVersion} {.status.nodeInfo.containerRuntimeVersion}; {end}')"

# etcd: the member list through its gRPC gateway (the host is on the node
# network), then each member's own /health.
members="$(curl -fsS -m 5 -X POST "http://$(k8s_node_ip 1):2379/v3/cluster/member/list" -d '{}' \
  | python3 -c 'import json,sys; print(" ".join(sorted(m.get("name") or "unstarted" for m in json.load(sys.stdin)["members"])))')" \
  || fail "etcd member list"
[[ "$(wc -w <<<"$members")" == "$count" && "$members" != *unstarted* ]] || fail "etcd members: $members (want $count started)"
for n in "${nodes[@]}"; do
  h="$(curl -fsS -m 5 "http://$(k8s_node_ip "$n"):2379/health" 2>&1)" || fail "etcd on node $n: $h"
  grep -q '"health":"true"' <<<"$h" || fail "etcd on node $n: $h"
done
say "etcd: $count members started and healthy ($members)"
for l in kube-controller-manager kube-scheduler; do
  holder="$(kubectl -n kube-system get lease "$l" -o jsonpath='{.spec.holderIdentity}')"
  [[ -n "$holder" ]] || fail "no leader for $l"
  say "$l leader: ${holder%%_*}"
done

# One pod per node (a DaemonSet would do; pinned pods name the node in the output).
fresh_namespace "$NS"
for n in "${nodes[@]}"; do
  kubectl -n "$NS" apply -f - >/dev/null <<EOF2
apiVersion: v1
kind: Pod
metadata: {name: p$n, labels: {app: smoke}}
spec:
  nodeName: $(k8s_node_name "$n")
  terminationGracePeriodSeconds: 1
  containers:
    - name: main
      image: $K8S_TOOLBOX_IMAGE
      imagePullPolicy: Never
      command: ["sh", "-c", "$HELLO_SERVER"]
EOF2
done
kubectl -n "$NS" wait --for=condition=Ready pod -l app=smoke --timeout=90s >/dev/null || { kubectl -n "$NS" describe pods >&2; fail "smoke pods not Ready"; }
for n in "${nodes[@]}"; do
  ip="$(kubectl -n "$NS" get pod "p$n" -o jsonpath='{.status.podIP}')"
  [[ "$ip" == 10.244.$n.* ]] || fail "pod p$n on node $n has IP $ip, outside $(k8s_node_pod_cidr "$n")"
done
say "a pod runs on every node, each in its node's pod network"

# Every pod reaches every other pod (across nodes: static routes between the nodes' pod networks).
for a in "${nodes[@]}"; do
  for b in "${nodes[@]}"; do
    [[ "$a" == "$b" ]] && continue
    ip="$(kubectl -n "$NS" get pod "p$b" -o jsonpath='{.status.podIP}')"
    body="$(kubectl -n "$NS" exec "p$a" -- sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 3 $ip 8080" 2>/dev/null | tail -n 1)"
    [[ "$body" == hello ]] || fail "pod on node $a cannot reach pod on node $b ($ip)"
  done
done
say "pod-to-pod across nodes: every pair answers"

for n in "${nodes[@]}"; do
  out="$(kubectl -n "$NS" exec "p$n" -- nslookup kubernetes.default.svc.cluster.local "$K8S_DNS_IP" 2>&1)" || fail "nslookup on node $n: $out"
  grep -q "Address: $K8S_API_SERVICE_IP" <<<"$out" || fail "kubernetes.default did not resolve to $K8S_API_SERVICE_IP on node $n: $out"
done
say "DNS from every node: kubernetes.default -> $K8S_API_SERVICE_IP"
out="$(kubectl -n "$NS" exec p1 -- cat /etc/resolv.conf)"
if ! grep -q "nameserver $K8S_DNS_IP" <<<"$out" || ! grep -q "search $NS.svc.cluster.local" <<<"$out"; then
  fail "pod resolv.conf: $out"
fi
# Short name through the libc resolver's search path -> ClusterIP -> kube-proxy
# DNAT -> one of the API servers (busybox's TLS client crashes here: TCP only).
out="$(kubectl -n "$NS" exec p1 -- nc -w 5 kubernetes.default 443 </dev/null 2>&1)" || fail "pod -> kubernetes.default:443: $out"
eps="$(kubectl get endpointslice -n default -l kubernetes.io/service-name=kubernetes -o jsonpath='{.items[*].endpoints[*].addresses[*]}')"
say "pod -> kubernetes.default:443 connected (endpoints: $eps)"
say PASS
