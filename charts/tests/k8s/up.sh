#!/usr/bin/env bash
# Starts the local cluster: K8S_NODES (default 3) nodes, each what a K3s server
# is in the lab (etcd member, kube-apiserver, leader-elected controller-manager
# and scheduler, containerd + runc, kubelet, kube-proxy, kube-router for
# NetworkPolicy), each an isolated unit (node.sh: own network, mount, PID and
# UTS namespaces and cgroup), pods routed between nodes; then CoreDNS (2
# replicas, one per node). HAProxy on the host bridge is the API's stable
# address, as kube-vip's VIP is in the lab. Binaries come from build.sh; images
# are built here from our own static programs (no registry is reachable).
#
# State: .cache/k8s/run (wiped on every start; containerd's images per node are
# kept in .cache/k8s/containerd). Stop with down.sh; if start-up fails, down.sh
# runs by itself. Needs root. Prints the start-up time; proof of life is
# checks/smoke.sh. One node: K8S_NODES=1.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

START=$(date +%s)
[[ $EUID -eq 0 ]] || { echo "up.sh: needs root" >&2; exit 1; }
[[ "$K8S_NODES" =~ ^[1-9]$ ]] || { echo "up.sh: K8S_NODES must be 1..9" >&2; exit 1; }
for b in pause etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl containerd containerd-shim-runc-v2 ctr coredns kube-router; do
  [[ -x "$K8S_BIN/$b" ]] || { echo "up.sh: $K8S_BIN/$b missing: run charts/tests/k8s/build.sh (make k8s-build)" >&2; exit 1; }
done
for t in runc iptables-restore conntrack ipset haproxy unshare nsenter /usr/lib/cni/bridge /usr/lib/cni/host-local /usr/lib/cni/portmap /usr/lib/cni/loopback /bin/busybox openssl; do
  command -v "$t" >/dev/null || [[ -x "$t" ]] || { echo "up.sh: $t missing: make k8s-build installs it" >&2; exit 1; }
done
if compgen -G "$K8S_RUN/pids/*.pid" >/dev/null; then
  echo "up.sh: a cluster seems to be running (pid files in $K8S_RUN/pids): run down.sh first" >&2; exit 1
fi

trap 'echo "up.sh: start-up failed; logs in ${K8S_RUN#"$K8S_ROOT"/}/nodes/*/logs and logs/; stopping" >&2; "$K8S_HERE/down.sh" --keep-logs' ERR

rm -rf "$K8S_RUN"
mkdir -p "$K8S_RUN"/{pki,logs,pids,images,nodes}
echo "$K8S_NODES" >"$K8S_RUN/nodes.count"
PKI="$K8S_PKI"

# A node whose PID 1 exited (node.sh failed) fails the start-up at once.
nodes_alive() {
  local n
  [[ -f "$K8S_RUN/pids/node-n1.pid" ]] || return 0
  for n in $(k8s_nodes); do
    k8s_node_alive "$n" || { echo "up.sh: node $n died; see ${K8S_RUN#"$K8S_ROOT"/}/nodes/n$n/logs/node.log" >&2; tail -5 "$(k8s_node_dir "$n")/logs/node.log" >&2; return 1; }
  done
}
# wait_for <what> <seconds> <command...>
wait_for() {
  local what="$1" secs="$2" i; shift 2
  for ((i = 0; i < secs * 2; i++)); do
    if "$@" >/dev/null 2>&1; then k8s_log "$what ready after $(($(date +%s) - START)) s"; return 0; fi
    nodes_alive || return 1
    sleep 0.5
  done
  echo "up.sh: $what not ready after $secs s" >&2
  return 1
}

# --- host side of the node network ------------------------------------------------
ip link add "$K8S_BRIDGE" type bridge 2>/dev/null || true
ip addr replace "$K8S_HOST_IP/${K8S_NODE_NET#*/}" dev "$K8S_BRIDGE"
ip link set "$K8S_BRIDGE" up
# The host forwards nothing for the cluster (nodes switch on the bridge), but a
# host with bridge-nf-call-iptables=1 would send bridged frames through its own
# FORWARD chain: leave that to the host and only save/restore ip_forward, which
# the routes to the pod networks below need for replies from the host.
[[ -f "$K8S_OUT/sysctl.saved" ]] || cat /proc/sys/net/ipv4/ip_forward >"$K8S_OUT/sysctl.saved"

# --- certificates ----------------------------------------------------------------
k8s_log "certificates"
openssl_quiet() { openssl "$@" 2>/dev/null; }
openssl_quiet req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=dhakacart-local-k8s-ca" \
  -keyout "$PKI/ca.key" -out "$PKI/ca.crt"
# cert <name> <subject> [subjectAltName]
cert() {
  local name="$1" subj="$2" san="${3:-}" ext="$PKI/$1.ext"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth,clientAuth\n' >"$ext"
  [[ -z "$san" ]] || echo "subjectAltName=$san" >>"$ext"
  openssl_quiet req -newkey rsa:2048 -nodes -subj "$subj" -keyout "$PKI/$name.key" -out "$PKI/$name.csr"
  openssl_quiet x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial \
    -days 3650 -extfile "$ext" -out "$PKI/$name.crt"
}
api_sans="DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$K8S_API_VIP,IP:$K8S_API_SERVICE_IP"
for n in $(k8s_nodes); do api_sans+=",IP:$(k8s_node_ip "$n")"; done
cert apiserver "/CN=kube-apiserver" "$api_sans"
cert admin "/O=system:masters/CN=kubernetes-admin"
cert controller-manager "/CN=system:kube-controller-manager"
cert scheduler "/CN=system:kube-scheduler"
cert kube-proxy "/CN=system:kube-proxy"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
# metrics-server scrapes the kubelets with a client certificate of its own.
cert metrics-server-kubelet-client "/CN=metrics-server"
# The API servers' client identity towards aggregated APIs (metrics-server).
cert front-proxy-client "/CN=front-proxy-client"
for n in $(k8s_nodes); do
  name="$(k8s_node_name "$n")" ip="$(k8s_node_ip "$n")"
  cert "kubelet-n$n" "/O=system:nodes/CN=system:node:$name"
  cert "kubelet-serving-n$n" "/CN=$name" "DNS:$name,IP:$ip"
done
openssl_quiet genrsa -out "$PKI/sa.key" 2048
openssl_quiet rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"

kubeconfig() { # <file> <cert> <server>
  "$K8S_BIN/kubectl" config --kubeconfig="$PKI/$1.kubeconfig" set-cluster local --server="$3" \
    --certificate-authority="$PKI/ca.crt" --embed-certs >/dev/null
  "$K8S_BIN/kubectl" config --kubeconfig="$PKI/$1.kubeconfig" set-credentials "$2" \
    --client-certificate="$PKI/$2.crt" --client-key="$PKI/$2.key" --embed-certs >/dev/null
  "$K8S_BIN/kubectl" config --kubeconfig="$PKI/$1.kubeconfig" set-context local --cluster=local --user="$2" >/dev/null
  "$K8S_BIN/kubectl" config --kubeconfig="$PKI/$1.kubeconfig" use-context local >/dev/null
}
# The host's kubectl and helm go through the VIP; each node's components talk to
# their own node's API server, as K3s servers do.
kubeconfig admin admin "https://$K8S_API_VIP:$K8S_API_PORT"
for n in $(k8s_nodes); do
  local_api="https://$(k8s_node_ip "$n"):$K8S_API_PORT"
  for c in controller-manager scheduler kube-proxy admin; do kubeconfig "$c-n$n" "$c" "$local_api"; done
  kubeconfig "kubelet-n$n" "kubelet-n$n" "$local_api"
done

# --- images every node imports: pause, CoreDNS, a busybox toolbox ---------------------
k8s_log "images"
IMG="$K8S_RUN/images"
mkdir -p "$K8S_IMAGES" "$IMG/pause-root" "$IMG/coredns-root" "$IMG/toolbox-root/bin" "$IMG/toolbox-root/tmp"
cp "$K8S_BIN/pause" "$IMG/pause-root/pause"
python3 "$K8S_HERE/images/oci_image.py" --name "$K8S_PAUSE_IMAGE" --root "$IMG/pause-root" --out "$K8S_IMAGES/pause.tar" \
  --entrypoint '["/pause"]' --user 65535:65535 >/dev/null
cp "$K8S_BIN/coredns" "$IMG/coredns-root/coredns"
python3 "$K8S_HERE/images/oci_image.py" --name "$K8S_COREDNS_IMAGE" --root "$IMG/coredns-root" --out "$K8S_IMAGES/coredns.tar" \
  --entrypoint '["/coredns"]' >/dev/null
cp /bin/busybox "$IMG/toolbox-root/bin/busybox"
for a in $(/bin/busybox --list); do [[ "$a" == busybox ]] || ln -sf busybox "$IMG/toolbox-root/bin/$a"; done
chmod 1777 "$IMG/toolbox-root/tmp"
python3 "$K8S_HERE/images/oci_image.py" --name "$K8S_TOOLBOX_IMAGE" --root "$IMG/toolbox-root" --out "$K8S_IMAGES/toolbox.tar" \
  --cmd '["sh"]' >/dev/null
rm -rf "$IMG"

# --- the API's VIP: HAProxy on the host bridge ----------------------------------------
{
  printf 'global\n  log stderr format short local0 warning\n  pidfile %s\n' "$K8S_RUN/api-lb.haproxy.pid"
  printf 'defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 1h\n  timeout server 1h\n'
  printf 'frontend api\n  bind %s:%s\n  default_backend servers\n' "$K8S_API_VIP" "$K8S_API_PORT"
  # A server leaves the pool after two failed connects a second apart.
  printf 'backend servers\n  option tcp-check\n  default-server inter 1s fall 2 rise 2\n'
  for n in $(k8s_nodes); do printf '  server n%s %s:%s check\n' "$n" "$(k8s_node_ip "$n")" "$K8S_API_PORT"; done
} >"$K8S_RUN/api-lb.cfg"
setsid haproxy -W -db -f "$K8S_RUN/api-lb.cfg" >"$K8S_RUN/logs/api-lb.log" 2>&1 </dev/null &
echo $! >"$K8S_RUN/pids/api-lb.pid"

# --- the nodes ------------------------------------------------------------------------
# All boot at once: etcd needs a quorum of its initial members to start.
for n in $(k8s_nodes); do "$K8S_HERE/node-ctl.sh" on "$n" --no-wait; done
wait_for "etcd quorum and the API (through the VIP)" 180 "$K8S_BIN/kubectl" get --raw /readyz
for n in $(k8s_nodes); do
  wait_for "node $(k8s_node_name "$n") Ready" 180 bash -c "'$K8S_BIN/kubectl' get node '$(k8s_node_name "$n")' -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"
done

# --- CoreDNS: two replicas on different nodes (one is a single point of failure) --------
k8s_log "CoreDNS $COREDNS_VERSION"
sed -e "s|@COREDNS_IMAGE@|$K8S_COREDNS_IMAGE|g" -e "s|@DNS_IP@|$K8S_DNS_IP|g" "$K8S_HERE/manifests/coredns.yaml" \
  | "$K8S_BIN/kubectl" apply -f - >/dev/null
# One node cannot hold two replicas on different nodes.
((K8S_NODES > 1)) || "$K8S_BIN/kubectl" -n kube-system scale deploy/coredns --replicas=1 >/dev/null
wait_for CoreDNS 120 "$K8S_BIN/kubectl" -n kube-system rollout status deploy/coredns --timeout=2s

# A node that died after starting must fail the start-up.
nodes_alive

# The platform, as the lab's Ansible installs it (K8S_PLATFORM=0: the bare cluster).
if [[ "${K8S_PLATFORM:-1}" != 0 ]]; then "$K8S_HERE/platform.sh"; fi

ELAPSED=$(($(date +%s) - START))
echo "$(date -u +%FT%TZ)	up	${ELAPSED}s	$K8S_VERSION	${K8S_NODES} nodes" >>"$K8S_OUT/startup-times.txt"
trap - ERR
k8s_log "cluster up in $ELAPSED s ($K8S_NODES nodes); KUBECONFIG=${KUBECONFIG#"$K8S_ROOT"/}"
"$K8S_BIN/kubectl" get nodes -o wide
