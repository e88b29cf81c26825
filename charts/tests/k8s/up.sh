#!/usr/bin/env bash
# Starts a real single-node Kubernetes as local processes, the way upstream's
# hack/local-up-cluster.sh does: etcd, kube-apiserver, kube-controller-manager,
# kube-scheduler, containerd + runc, kubelet, kube-proxy (iptables), CNI bridge,
# and CoreDNS as a pod. Binaries come from build.sh; images are built here from
# our own static programs (no registry is reachable).
#
# State: .cache/k8s/run (wiped on every start). Stop with down.sh; if start-up
# fails, down.sh runs by itself. Needs root (namespaces, mounts, iptables).
# Prints the start-up time; proof of life is checked by checks/smoke.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"

START=$(date +%s)
[[ $EUID -eq 0 ]] || { echo "up.sh: needs root" >&2; exit 1; }
for b in pause etcd kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl containerd containerd-shim-runc-v2 ctr coredns kube-router; do
  [[ -x "$K8S_BIN/$b" ]] || { echo "up.sh: $K8S_BIN/$b missing: run charts/tests/k8s/build.sh (make k8s-build)" >&2; exit 1; }
done
for t in runc iptables-restore conntrack ipset /usr/lib/cni/bridge /usr/lib/cni/host-local /usr/lib/cni/portmap /usr/lib/cni/loopback /bin/busybox openssl; do
  command -v "$t" >/dev/null || [[ -x "$t" ]] || { echo "up.sh: $t missing: apt-get install runc iptables conntrack ipset containernetworking-plugins busybox-static openssl" >&2; exit 1; }
done
if [[ -e "$K8S_RUN/pids" ]] && compgen -G "$K8S_RUN/pids/*.pid" >/dev/null; then
  echo "up.sh: a cluster seems to be running (pid files in $K8S_RUN/pids): run down.sh first" >&2; exit 1
fi

trap 'echo "up.sh: start-up failed; logs in ${K8S_RUN#"$K8S_ROOT"/}/logs; stopping" >&2; "$K8S_HERE/down.sh" --keep-logs' ERR

rm -rf "$K8S_RUN"
mkdir -p "$K8S_RUN"/{pki,logs,pids,etcd,kubelet,containerd,cni/net.d,cni/ipam,images,manifests}
PKI="$K8S_RUN/pki"

# start <name> <command...>: a daemon in its own session with its log and pid file;
# down.sh stops exactly these pids.
start() {
  local name="$1"; shift
  setsid "$@" >"$K8S_RUN/logs/$name.log" 2>&1 </dev/null &
  echo $! >"$K8S_RUN/pids/$name.pid"
}
# wait_for <what> <seconds> <command...>
wait_for() {
  local what="$1" secs="$2" i; shift 2
  for ((i = 0; i < secs * 2; i++)); do
    if "$@" >/dev/null 2>&1; then k8s_log "$what ready after $(($(date +%s) - START)) s"; return 0; fi
    sleep 0.5
  done
  echo "up.sh: $what not ready after $secs s" >&2
  return 1
}

# --- host networking: our bridge, forwarding ----------------------------------
# The bridge exists before the first pod so the control plane can listen on its
# gateway address; the CNI bridge plugin adopts it.
ip link add "$K8S_BRIDGE" type bridge 2>/dev/null || true
ip addr replace "$K8S_NODE_IP/${K8S_POD_CIDR#*/}" dev "$K8S_BRIDGE"
ip link set "$K8S_BRIDGE" up
# Saved so down.sh can put the host back exactly as it was.
[[ -f "$K8S_OUT/sysctl.saved" ]] || cat /proc/sys/net/ipv4/ip_forward /proc/sys/net/bridge/bridge-nf-call-iptables >"$K8S_OUT/sysctl.saved"
echo 1 >/proc/sys/net/ipv4/ip_forward
# Service traffic between two pods on the same bridge must pass iptables for
# kube-proxy's DNAT to be undone on the reply.
echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables

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
cert apiserver "/CN=kube-apiserver" \
  "DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc,DNS:kubernetes.default.svc.cluster.local,DNS:localhost,IP:127.0.0.1,IP:$K8S_NODE_IP,IP:$K8S_API_SERVICE_IP"
cert admin "/O=system:masters/CN=kubernetes-admin"
cert controller-manager "/CN=system:kube-controller-manager"
cert scheduler "/CN=system:kube-scheduler"
cert kube-proxy "/CN=system:kube-proxy"
cert kubelet "/O=system:nodes/CN=system:node:$K8S_NODE_NAME"
cert kubelet-serving "/CN=$K8S_NODE_NAME" "DNS:$K8S_NODE_NAME,IP:$K8S_NODE_IP"
cert apiserver-kubelet-client "/O=system:masters/CN=kube-apiserver-kubelet-client"
openssl_quiet genrsa -out "$PKI/sa.key" 2048
openssl_quiet rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub"

kubeconfig() { # <name> <cert>
  "$K8S_BIN/kubectl" config --kubeconfig="$PKI/$1.kubeconfig" set-cluster local --server="https://$K8S_NODE_IP:$K8S_API_PORT" \
    --certificate-authority="$PKI/ca.crt" --embed-certs >/dev/null
  "$K8S_BIN/kubectl" config --kubeconfig="$PKI/$1.kubeconfig" set-credentials "$2" \
    --client-certificate="$PKI/$2.crt" --client-key="$PKI/$2.key" --embed-certs >/dev/null
  "$K8S_BIN/kubectl" config --kubeconfig="$PKI/$1.kubeconfig" set-context local --cluster=local --user="$2" >/dev/null
  "$K8S_BIN/kubectl" config --kubeconfig="$PKI/$1.kubeconfig" use-context local >/dev/null
}
for n in admin controller-manager scheduler kube-proxy kubelet; do kubeconfig "$n" "$n"; done

# --- etcd ------------------------------------------------------------------------
k8s_log "etcd $ETCD_VERSION"
start etcd "$K8S_BIN/etcd" --name local --data-dir "$K8S_RUN/etcd" \
  --listen-client-urls "http://127.0.0.1:$K8S_ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$K8S_ETCD_PORT" \
  --listen-peer-urls "http://127.0.0.1:$((K8S_ETCD_PORT + 10))" --initial-advertise-peer-urls "http://127.0.0.1:$((K8S_ETCD_PORT + 10))" \
  --initial-cluster "local=http://127.0.0.1:$((K8S_ETCD_PORT + 10))" --listen-metrics-urls "" \
  --quota-backend-bytes 2147483648 --unsafe-no-fsync
wait_for etcd 30 curl -fsS "http://127.0.0.1:$K8S_ETCD_PORT/health"

# --- control plane -----------------------------------------------------------------
k8s_log "kube-apiserver $K8S_VERSION"
start kube-apiserver "$K8S_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:$K8S_ETCD_PORT" \
  --bind-address "$K8S_NODE_IP" --advertise-address "$K8S_NODE_IP" --secure-port "$K8S_API_PORT" \
  --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
  --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-account-issuer "https://kubernetes.default.svc.cluster.local" \
  --service-cluster-ip-range "$K8S_SERVICE_CIDR" \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --allow-privileged=true --profiling=false --enable-priority-and-fairness=false
wait_for kube-apiserver 90 "$K8S_BIN/kubectl" get --raw /readyz

k8s_log "kube-controller-manager, kube-scheduler"
start kube-controller-manager "$K8S_BIN/kube-controller-manager" \
  --kubeconfig "$PKI/controller-manager.kubeconfig" \
  --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false --use-service-account-credentials \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
  --service-cluster-ip-range "$K8S_SERVICE_CIDR" \
  --allocate-node-cidrs=true --cluster-cidr "$K8S_POD_CIDR" --node-cidr-mask-size "${K8S_POD_CIDR#*/}" \
  --node-monitor-grace-period 20s --controllers '*,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller'
start kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$PKI/scheduler.kubeconfig" \
  --authentication-kubeconfig "$PKI/scheduler.kubeconfig" --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=false

# --- images: pause, CoreDNS, a busybox toolbox ---------------------------------------
# Built from static binaries of ours/Debian's, because no registry is reachable.
k8s_log "images"
IMG="$K8S_RUN/images"
mkdir -p "$IMG/pause-root" "$IMG/coredns-root" "$IMG/toolbox-root/bin" "$IMG/toolbox-root/tmp"
cp "$K8S_BIN/pause" "$IMG/pause-root/pause"
python3 "$K8S_HERE/images/oci_image.py" --name "$K8S_PAUSE_IMAGE" --root "$IMG/pause-root" --out "$IMG/pause.tar" \
  --entrypoint '["/pause"]' --user 65535:65535 >/dev/null
cp "$K8S_BIN/coredns" "$IMG/coredns-root/coredns"
python3 "$K8S_HERE/images/oci_image.py" --name "$K8S_COREDNS_IMAGE" --root "$IMG/coredns-root" --out "$IMG/coredns.tar" \
  --entrypoint '["/coredns"]' >/dev/null
cp /bin/busybox "$IMG/toolbox-root/bin/busybox"
for a in $(/bin/busybox --list); do [[ "$a" == busybox ]] || ln -sf busybox "$IMG/toolbox-root/bin/$a"; done
chmod 1777 "$IMG/toolbox-root/tmp"
python3 "$K8S_HERE/images/oci_image.py" --name "$K8S_TOOLBOX_IMAGE" --root "$IMG/toolbox-root" --out "$IMG/toolbox.tar" \
  --cmd '["sh"]' >/dev/null

# --- containerd -----------------------------------------------------------------------
k8s_log "containerd $CONTAINERD_VERSION"
cat >"$K8S_RUN/containerd/config.toml" <<EOF
version = 3
root = "$K8S_RUN/containerd/root"
state = "$K8S_RUN/containerd/state"
[grpc]
  address = "$K8S_CONTAINERD_SOCK"
[ttrpc]
  address = "$K8S_CONTAINERD_SOCK.ttrpc"
[debug]
  address = "$K8S_CONTAINERD_SOCK.debug"
[metrics]
  address = ""
[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$K8S_PAUSE_IMAGE"
[plugins.'io.containerd.cri.v1.runtime']
  enable_selinux = false
  # This VM's capability bounding set lacks CAP_SYS_RESOURCE, so nothing may
  # lower an oom_score_adj; kubelet asks -998 for every sandbox, which makes
  # runc fail with "can't get final child's PID from pipe: EOF". Clamp instead.
  restrict_oom_score_adj = true
  [plugins.'io.containerd.cri.v1.runtime'.containerd]
    default_runtime_name = "runc"
    [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
      runtime_type = "io.containerd.runc.v2"
      [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
        BinaryName = "$(command -v runc)"
        # runc's state with ours, not in /run/containerd/runc.
        Root = "$K8S_RUN/containerd/runc"
        # cgroupfs: this host has no systemd as PID 1 and a cgroup v1 hybrid layout.
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "$K8S_RUN/cni/net.d"
    max_conf_num = 1
# NRI would listen on the fixed /var/run/nri/nri.sock; nothing here uses it.
[plugins.'io.containerd.nri.v1.nri']
  disable = true
[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF
cat >"$K8S_RUN/cni/net.d/10-dhakacart.conflist" <<EOF
{
  "cniVersion": "1.0.0",
  "name": "dhakacart",
  "plugins": [
    {"type": "bridge", "bridge": "$K8S_BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "dataDir": "$K8S_RUN/cni/ipam",
              "ranges": [[{"subnet": "$K8S_POD_CIDR", "gateway": "$K8S_NODE_IP"}]],
              "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
start containerd "$K8S_BIN/containerd" --config "$K8S_RUN/containerd/config.toml"
wait_for containerd 30 k8s_ctr version
for t in pause coredns toolbox; do k8s_ctr images import "$IMG/$t.tar" >/dev/null; done
# kubelet must never try to pull these (no registry): mark them as pinned.
k8s_ctr images label "$K8S_PAUSE_IMAGE" io.cri-containerd.pinned=pinned >/dev/null

# --- kubelet ---------------------------------------------------------------------------
k8s_log "kubelet $K8S_VERSION"
cat >"$K8S_RUN/kubelet/config.yaml" <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $K8S_NODE_IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-serving.crt
tlsPrivateKeyFile: $PKI/kubelet-serving.key
cgroupDriver: cgroupfs
containerRuntimeEndpoint: unix://$K8S_CONTAINERD_SOCK
clusterDomain: cluster.local
clusterDNS: [$K8S_DNS_IP]
failSwapOn: false
# v1.34 still runs on cgroup v1 by default; >= v1.35 needs this set to false.
failCgroupV1: false
# The disk is shared with everything else here: evict only when really full.
evictionHard: {memory.available: 200Mi, nodefs.available: 2%, imagefs.available: 2%, nodefs.inodesFree: 2%}
imageGCHighThresholdPercent: 99
imageGCLowThresholdPercent: 98
serializeImagePulls: false
maxPods: 60
podPidsLimit: 4096
resolvConf: /etc/resolv.conf
volumePluginDir: $K8S_RUN/kubelet/volumeplugins
podLogsDir: $K8S_RUN/kubelet/pod-logs
EOF
start kubelet "$K8S_BIN/kubelet" --config "$K8S_RUN/kubelet/config.yaml" \
  --kubeconfig "$PKI/kubelet.kubeconfig" --root-dir "$K8S_RUN/kubelet/root" --cert-dir "$K8S_RUN/kubelet/pki" \
  --hostname-override "$K8S_NODE_NAME" --node-ip "$K8S_NODE_IP"

# --- kube-proxy ----------------------------------------------------------------------
k8s_log "kube-proxy (iptables)"
cat >"$K8S_RUN/kube-proxy.yaml" <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $PKI/kube-proxy.kubeconfig}
hostnameOverride: $K8S_NODE_NAME
clusterCIDR: $K8S_POD_CIDR
bindAddress: $K8S_NODE_IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
# NodePorts only on our bridge address: never set route_localnet on loopback.
nodePortAddresses: ["$K8S_NODE_IP/32"]
# 0: leave the host's conntrack sysctls alone.
conntrack: {maxPerCore: 0, min: 0}
EOF
start kube-proxy "$K8S_BIN/kube-proxy" --config "$K8S_RUN/kube-proxy.yaml"

wait_for "node Ready" 120 bash -c "'$K8S_BIN/kubectl' get node '$K8S_NODE_NAME' -o jsonpath='{.status.conditions[?(@.type==\"Ready\")].status}' | grep -qx True"

# --- NetworkPolicy enforcement --------------------------------------------------------
# kube-router's firewall controller only (iptables + ipset), as a host process;
# after the node exists, which it needs to find at start.
# kube-network-policies would be the upstream choice, but it needs nft "queue",
# which this kernel lacks (CONFIG_NFT_QUEUE unset).
k8s_log "kube-router $KUBE_ROUTER_VERSION (NetworkPolicy only)"
start kube-router "$K8S_BIN/kube-router" --kubeconfig "$PKI/admin.kubeconfig" --hostname-override "$K8S_NODE_NAME" \
  --run-firewall=true --run-router=false --run-service-proxy=false --run-loadbalancer=false --enable-cni=false \
  --service-cluster-ip-range "$K8S_SERVICE_CIDR" --health-port 0 --metrics-port 0 --iptables-sync-period 1m

# --- CoreDNS -------------------------------------------------------------------------
k8s_log "CoreDNS $COREDNS_VERSION"
sed -e "s|@COREDNS_IMAGE@|$K8S_COREDNS_IMAGE|g" -e "s|@DNS_IP@|$K8S_DNS_IP|g" "$K8S_HERE/manifests/coredns.yaml" \
  | "$K8S_BIN/kubectl" apply -f - >/dev/null
wait_for CoreDNS 120 "$K8S_BIN/kubectl" -n kube-system rollout status deploy/coredns --timeout=2s

# A daemon that died after starting (bad flag, port taken) must fail the start-up.
for f in "$K8S_RUN"/pids/*.pid; do
  kill -0 "$(cat "$f")" 2>/dev/null || { echo "up.sh: $(basename "$f" .pid) died; see ${K8S_RUN#"$K8S_ROOT"/}/logs/$(basename "$f" .pid).log" >&2; false; }
done

ELAPSED=$(($(date +%s) - START))
echo "$(date -u +%FT%TZ)	up	${ELAPSED}s	$K8S_VERSION" >>"$K8S_OUT/startup-times.txt"
trap - ERR
k8s_log "cluster up in $ELAPSED s; KUBECONFIG=${KUBECONFIG#"$K8S_ROOT"/}"
"$K8S_BIN/kubectl" get nodes -o wide
