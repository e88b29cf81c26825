#!/usr/bin/env bash
# PID 1 of node N of the local cluster (started by node-ctl.sh on, inside the
# node's own network, mount, PID and UTS namespaces and cgroup). Does what a
# K3s server's boot does: the node's file system (its kept disk bound over the
# paths upstream hard-codes), then an etcd member, kube-apiserver,
# kube-controller-manager and kube-scheduler (leader-elected), containerd +
# runc, kubelet, kube-proxy and kube-router (NetworkPolicy), each supervised
# (restarted 2 s after it exits, like systemd's Restart=always), then waits
# forever. Killing this process kills the node (node-ctl.sh off).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
N="$1"
[[ $$ -eq 1 ]] || { echo "node.sh: must be PID 1 of the node's namespaces (node-ctl.sh on $N)" >&2; exit 1; }
NAME="$(k8s_node_name "$N")" IP="$(k8s_node_ip "$N")" POD_CIDR="$(k8s_node_pod_cidr "$N")"
ND="$(k8s_node_dir "$N")" PKI="$K8S_PKI" LOGS="$(k8s_node_dir "$N")/logs"
CGROUP_ROOT="$(k8s_cgroup_base)/n$N"
log() { printf '%s node %s: %s\n' "$(date -u +%H:%M:%S)" "$N" "$*"; }
log "booting $NAME ($IP, pods $POD_CIDR)"

# --- the node's file system ------------------------------------------------------------
hostname "$NAME"
# A sysfs of this network namespace (the host's lists the host's interfaces),
# with the cgroup hierarchies carried over.
mkdir -p "$ND/.sys-cgroup"
mount --rbind /sys/fs/cgroup "$ND/.sys-cgroup"
mount -t sysfs sysfs /sys
mount --rbind "$ND/.sys-cgroup" /sys/fs/cgroup
umount -l "$ND/.sys-cgroup"
# A real node's /run is empty after a reboot; its /var/lib survives.
rm -rf "$ND/run"
bind() { # <source under the node's disk> <path on the node>
  mkdir -p "$1" "$2"
  mount --bind "$1" "$2"
}
bind "$ND/run/containerd" /run/containerd
bind "$ND/run/netns" /run/netns
bind "$(k8s_node_containerd_root "$N")" /var/lib/containerd
bind "$ND/var/lib/kubelet" /var/lib/kubelet
bind "$ND/var/lib/cni" /var/lib/cni
bind "$ND/var/log/pods" /var/log/pods
bind "$ND/var/log/containers" /var/log/containers
bind "$ND/etc/cni/net.d" /etc/cni/net.d
bind "$ND/var/lib/etcd" /var/lib/etcd
# local-path-provisioner's volumes (its default path on a K3s node is /var/lib/rancher/k3s/storage).
bind "$ND/var/lib/local-path" /opt/local-path-provisioner
# kubelet wants its root dir shared so that mount propagation works for pods that ask for it.
mount --make-rshared /var/lib/kubelet

echo 1 >/proc/sys/net/ipv4/ip_forward
# Service traffic between two pods on the node's bridge must pass iptables for
# kube-proxy's DNAT to be undone on the reply.
echo 1 >/proc/sys/net/bridge/bridge-nf-call-iptables

# supervise <name> <command...>: runs it with its log, restarts it 2 s after it exits.
supervise() {
  local name="$1"; shift
  (
    while true; do
      "$@" >>"$LOGS/$name.log" 2>&1 </dev/null || true
      echo "$(date -u +%H:%M:%S) node.sh: $name exited; restarting in 2 s" >>"$LOGS/$name.log"
      sleep 2
    done
  ) &
}
wait_for() { # <what> <seconds> <command...>
  local what="$1" secs="$2" i; shift 2
  for ((i = 0; i < secs * 2; i++)); do
    if "$@" >/dev/null 2>&1; then log "$what ready"; return 0; fi
    sleep 0.5
  done
  log "$what not ready after $secs s (going on; it is supervised)"
}

# --- etcd: one member per node ----------------------------------------------------------
initial=""
for n in $(k8s_nodes); do initial+="${initial:+,}n$n=http://$(k8s_node_ip "$n"):2380"; done
# A member that has data rejoins with it; the initial-cluster flags are ignored then.
state=new
[[ -d /var/lib/etcd/member ]] && state=existing
# --unsafe-no-fsync: node power-off here kills processes, the page cache survives;
# the disk is shared with every other test on this machine.
supervise etcd "$K8S_BIN/etcd" --name "n$N" --data-dir /var/lib/etcd \
  --listen-client-urls "http://$IP:2379,http://127.0.0.1:2379" --advertise-client-urls "http://$IP:2379" \
  --listen-peer-urls "http://$IP:2380" --initial-advertise-peer-urls "http://$IP:2380" \
  --initial-cluster "$initial" --initial-cluster-state "$state" --initial-cluster-token "$K8S_CLUSTER_NAME" \
  --listen-metrics-urls "http://127.0.0.1:2381" --quota-backend-bytes 2147483648 --unsafe-no-fsync

# --- control plane ------------------------------------------------------------------------
supervise kube-apiserver "$K8S_BIN/kube-apiserver" \
  --etcd-servers "http://127.0.0.1:2379" \
  --bind-address "$IP" --advertise-address "$IP" --secure-port "$K8S_API_PORT" \
  --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" --client-ca-file "$PKI/ca.crt" \
  --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
  --kubelet-certificate-authority "$PKI/ca.crt" --kubelet-preferred-address-types InternalIP \
  --service-account-key-file "$PKI/sa.pub" --service-account-signing-key-file "$PKI/sa.key" \
  --service-account-issuer "https://kubernetes.default.svc.cluster.local" \
  --service-cluster-ip-range "$K8S_SERVICE_CIDR" \
  --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction \
  --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client \
  --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
  --requestheader-extra-headers-prefix X-Remote-Extra- \
  --proxy-client-cert-file "$PKI/front-proxy-client.crt" --proxy-client-key-file "$PKI/front-proxy-client.key" \
  --enable-aggregator-routing=true \
  --default-not-ready-toleration-seconds 30 --default-unreachable-toleration-seconds 30 \
  --allow-privileged=true --profiling=false --enable-priority-and-fairness=false

# Node-failure timing: the lab's (docs/decisions/0300-node-failure.md, K3s's config from
# ansible/roles/k3s_server): --node-monitor-grace-period 50 s, upstream's default since
# v1.32, which must exceed the kubelet's HTTP/2 ping (30 s) + read-idle (15 s) timeouts,
# or an API server hiccup marks healthy nodes NotReady and evicts their pods; the
# kubelet posts its status every 10 s (upstream's default, the KubeletConfiguration's);
# pods leave a NotReady/unreachable node 30 s after it is marked (the API server's
# default tolerations above, upstream 300 s). Measured here: CloudNativePG starts the
# failover when the dead primary's pod turns NotReady, i.e. at the grace period, not
# sooner (docs/runbooks/k8s-local.md, "Node failure").
supervise kube-controller-manager "$K8S_BIN/kube-controller-manager" \
  --kubeconfig "$PKI/controller-manager-n$N.kubeconfig" \
  --authentication-kubeconfig "$PKI/controller-manager-n$N.kubeconfig" --authorization-kubeconfig "$PKI/controller-manager-n$N.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=true --use-service-account-credentials \
  --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
  --cluster-signing-cert-file "$PKI/ca.crt" --cluster-signing-key-file "$PKI/ca.key" \
  --service-cluster-ip-range "$K8S_SERVICE_CIDR" --allocate-node-cidrs=false \
  --node-monitor-grace-period 50s --node-monitor-period 5s \
  --controllers '*,-cloud-node-lifecycle,-service-lb-controller,-node-route-controller'
supervise kube-scheduler "$K8S_BIN/kube-scheduler" --kubeconfig "$PKI/scheduler-n$N.kubeconfig" \
  --authentication-kubeconfig "$PKI/scheduler-n$N.kubeconfig" --authorization-kubeconfig "$PKI/scheduler-n$N.kubeconfig" \
  --bind-address 127.0.0.1 --leader-elect=true

# --- containerd -----------------------------------------------------------------------------
# Images by digest from the local OCI registry on the host bridge (services/deploy: make images,
# issue #15), as the lab's nodes pull from GHCR: plain HTTP on the cluster's private bridge only.
mkdir -p "/run/containerd/certs.d/$K8S_HOST_IP:5000"
cat >"/run/containerd/certs.d/$K8S_HOST_IP:5000/hosts.toml" <<EOF
server = "http://$K8S_HOST_IP:5000"
[host."http://$K8S_HOST_IP:5000"]
  capabilities = ["pull", "resolve"]
EOF
cat >/run/containerd/config.toml <<EOF
version = 3
root = "/var/lib/containerd"
state = "/run/containerd"
[grpc]
  address = "/run/containerd/containerd.sock"
[ttrpc]
  address = "/run/containerd/containerd.sock.ttrpc"
[debug]
  address = "/run/containerd/debug.sock"
[metrics]
  address = ""
[plugins.'io.containerd.cri.v1.images']
  snapshotter = "overlayfs"
  [plugins.'io.containerd.cri.v1.images'.pinned_images]
    sandbox = "$K8S_PAUSE_IMAGE"
  [plugins.'io.containerd.cri.v1.images'.registry]
    config_path = "/run/containerd/certs.d"
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
        # cgroupfs: no systemd as PID 1 here and a cgroup v1 hybrid layout.
        SystemdCgroup = false
  [plugins.'io.containerd.cri.v1.runtime'.cni]
    bin_dirs = ["/usr/lib/cni"]
    conf_dir = "/etc/cni/net.d"
    max_conf_num = 1
[plugins.'io.containerd.nri.v1.nri']
  disable = true
[plugins.'io.containerd.grpc.v1.cri']
  stream_server_address = "127.0.0.1"
  stream_server_port = "0"
EOF
cat >/etc/cni/net.d/10-dhakacart.conflist <<EOF
{
  "cniVersion": "1.0.0",
  "name": "dhakacart",
  "plugins": [
    {"type": "bridge", "bridge": "cni0", "isGateway": true, "ipMasq": false, "hairpinMode": true,
     "ipam": {"type": "host-local", "ranges": [[{"subnet": "$POD_CIDR"}]], "routes": [{"dst": "0.0.0.0/0"}]}},
    {"type": "portmap", "capabilities": {"portMappings": true}}
  ]
}
EOF
supervise containerd "$K8S_BIN/containerd" --config /run/containerd/config.toml
ctr() { "$K8S_BIN/ctr" --address /run/containerd/containerd.sock -n k8s.io "$@"; }
wait_for containerd 60 ctr version
# Images: imported from the cached OCI archives when this node's containerd lacks
# them (its store is kept across reboots, so mostly nothing to do).
k8s_import_images "$N" || log "some images could not be imported"
log "images ready"

# --- kubelet ---------------------------------------------------------------------------------
cat >/var/lib/kubelet/config.yaml <<EOF
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
address: $IP
readOnlyPort: 0
healthzBindAddress: 127.0.0.1
healthzPort: 10248
authentication:
  anonymous: {enabled: false}
  webhook: {enabled: true}
  x509: {clientCAFile: $PKI/ca.crt}
authorization: {mode: Webhook}
tlsCertFile: $PKI/kubelet-serving-n$N.crt
tlsPrivateKeyFile: $PKI/kubelet-serving-n$N.key
cgroupDriver: cgroupfs
# Every pod of this node below the node's own cgroup, so power-off and memory accounting see them.
cgroupRoot: $CGROUP_ROOT
containerRuntimeEndpoint: unix:///run/containerd/containerd.sock
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
volumePluginDir: /var/lib/kubelet/volumeplugins
EOF
supervise kubelet "$K8S_BIN/kubelet" --config /var/lib/kubelet/config.yaml \
  --kubeconfig "$PKI/kubelet-n$N.kubeconfig" --root-dir /var/lib/kubelet --cert-dir /var/lib/kubelet/pki \
  --hostname-override "$NAME" --node-ip "$IP"

# --- kube-proxy ------------------------------------------------------------------------------
cat >/var/lib/kubelet/kube-proxy.yaml <<EOF
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clientConnection: {kubeconfig: $PKI/kube-proxy-n$N.kubeconfig}
hostnameOverride: $NAME
clusterCIDR: $K8S_POD_CIDR
bindAddress: $IP
healthzBindAddress: 127.0.0.1:10256
metricsBindAddress: 127.0.0.1:10249
nodePortAddresses: ["$IP/32"]
conntrack: {maxPerCore: 0, min: 0}
EOF
supervise kube-proxy "$K8S_BIN/kube-proxy" --config /var/lib/kubelet/kube-proxy.yaml

# --- NetworkPolicy: kube-router's firewall controller (iptables + ipset) ----------------------
# It must find its Node object at start: wait for the kubelet to register it.
wait_for "node object" 180 "$K8S_BIN/kubectl" --kubeconfig "$PKI/admin-n$N.kubeconfig" get node "$NAME"
supervise kube-router "$K8S_BIN/kube-router" --kubeconfig "$PKI/admin-n$N.kubeconfig" --hostname-override "$NAME" \
  --run-firewall=true --run-router=false --run-service-proxy=false --run-loadbalancer=false --enable-cni=false \
  --service-cluster-ip-range "$K8S_SERVICE_CIDR" --health-port 0 --metrics-port 0 --iptables-sync-period 1m

log "booted"
# PID 1: reap orphans forever.
while true; do wait -n 2>/dev/null || sleep 1; done
