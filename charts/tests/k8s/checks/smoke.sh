#!/usr/bin/env bash
# Proof of life for the cluster up.sh started: the node is Ready, a pod is
# scheduled and runs from an imported image, cluster DNS resolves
# kubernetes.default, and a pod reaches the API through the kubernetes Service
# (kube-proxy's DNAT). Exits non-zero on the first failure.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
kubectl() { "$K8S_BIN/kubectl" "$@"; }
fail() { echo "smoke: FAIL: $*" >&2; exit 1; }

ready="$(kubectl get node "$K8S_NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}')"
[[ "$ready" == True ]] || fail "node $K8S_NODE_NAME Ready=$ready"
echo "smoke: node $K8S_NODE_NAME Ready ($(kubectl get node "$K8S_NODE_NAME" -o jsonpath='{.status.nodeInfo.kubeletVersion} {.status.nodeInfo.containerRuntimeVersion}'))"

kubectl delete pod smoke --ignore-not-found --wait=true >/dev/null
kubectl run smoke --image="$K8S_TOOLBOX_IMAGE" --image-pull-policy=Never --restart=Never --command -- sleep 300 >/dev/null
kubectl wait --for=condition=Ready pod/smoke --timeout=60s >/dev/null || { kubectl describe pod smoke >&2; fail "pod smoke not Ready"; }
echo "smoke: pod smoke Running on $(kubectl get pod smoke -o jsonpath='{.status.podIP}')"

out="$(kubectl exec smoke -- nslookup kubernetes.default.svc.cluster.local "$K8S_DNS_IP" 2>&1)" || fail "nslookup: $out"
grep -q "Address: $K8S_API_SERVICE_IP" <<<"$out" || fail "kubernetes.default did not resolve to $K8S_API_SERVICE_IP: $out"
echo "smoke: DNS kubernetes.default -> $K8S_API_SERVICE_IP"
# kubelet's resolv.conf for the pod: clusterDNS plus the search path. (busybox
# nslookup ignores the search path; the wget below resolves the short name
# through the libc resolver, like an app does.)
out="$(kubectl exec smoke -- cat /etc/resolv.conf)"
if ! grep -q "nameserver $K8S_DNS_IP" <<<"$out" || ! grep -q "search default.svc.cluster.local" <<<"$out"; then
  fail "pod resolv.conf: $out"
fi

# A TCP connection to the short name proves the search path resolves through
# the libc resolver (as an app's would) and that pod -> Service ClusterIP ->
# kube-proxy DNAT -> apiserver on the node address works. (busybox's https
# client crashes in this static build, so no TLS here.)
out="$(kubectl exec smoke -- nc -w 5 kubernetes.default 443 </dev/null 2>&1)" || fail "pod -> kubernetes.default:443: $out"
echo "smoke: pod -> kubernetes.default:443 (search path, $K8S_API_SERVICE_IP, DNAT to $K8S_NODE_IP:$K8S_API_PORT) connected"
kubectl delete pod smoke --wait=false >/dev/null
echo "smoke: PASS"
