# shellcheck shell=bash
# shellcheck disable=SC2034  # sourced: the variables are used by the scripts that source this
# Shared layout of the local cluster (sourced by up.sh, node.sh, node-ctl.sh,
# down.sh and the checks). Everything lives under the git-ignored .cache/k8s.
K8S_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
K8S_HERE="$K8S_ROOT/charts/tests/k8s"
K8S_OUT="$K8S_ROOT/.cache/k8s"
K8S_BIN="$K8S_OUT/bin"
K8S_RUN="$K8S_OUT/run"
# shellcheck source-path=SCRIPTDIR source=pins.sh
source "$K8S_HERE/pins.sh"

# Each node is an isolated unit, as a K3s server VM is in the lab: its own
# network namespace (dhk8s-nN, one veth on our host bridge), mount, PID and UTS
# namespaces, and its own cgroup. Its PID 1 is node.sh; every process of the
# node, containers included, lives in that PID namespace, so killing PID 1
# kills the whole node at once (node-ctl.sh off).
#
# Node network: bridge dhk8s0 on the host, 10.250.0.0/24; the host is .1 and
# node N is 10.250.0.(10+N). Pods of node N: 10.244.N.0/24 (host-local IPAM on
# the node's own CNI bridge), routed between nodes by static routes, as
# flannel's host-gw backend does. Nothing listens on eth0 or loopback of the host.
K8S_NODES="${K8S_NODES:-3}"
K8S_BRIDGE=dhk8s0
K8S_HOST_IP=10.250.0.1
K8S_NODE_NET=10.250.0.0/24
K8S_POD_CIDR=10.244.0.0/16
K8S_SERVICE_CIDR=10.96.0.0/16
K8S_API_SERVICE_IP=10.96.0.1
K8S_DNS_IP=10.96.0.10
K8S_API_PORT=6443
K8S_CLUSTER_NAME=dhakacart
# The API's stable address from the host: HAProxy on the host bridge in front
# of the three API servers, as kube-vip's VIP is in the lab.
K8S_API_VIP="$K8S_HOST_IP"
# The ingress address shoppers use (HAProxy on the host in front of the nodes'
# Traefik NodePorts, as MetalLB's address is in the lab) and the backup store's
# (Garage behind HAProxy TLS in a network namespace of its own: the backup VM).
K8S_INGRESS_IP=10.250.0.2
K8S_BACKUP_IP=10.250.0.20
K8S_PKI="$K8S_RUN/pki"

k8s_node_ip() { echo "10.250.0.$((10 + $1))"; }
k8s_node_name() { echo "dhakacart-n$1"; }
k8s_node_pod_cidr() { echo "10.244.$1.0/24"; }
k8s_node_netns() { echo "dhk8s-n$1"; }
k8s_node_dir() { echo "$K8S_RUN/nodes/n$1"; }
# The host end of node N's veth.
k8s_node_veth() { echo "dhk8sv$1"; }
# The node's containerd socket, as the host sees it (the node's own /run is private).
k8s_node_containerd_sock() { echo "$(k8s_node_dir "$1")/run/containerd/containerd.sock"; }
# containerd's content and snapshots, kept across k8s-down/k8s-up (a node's disk survives
# a reboot): images are imported once per node, not at every start.
k8s_node_containerd_root() { echo "$K8S_OUT/containerd/n$1"; }
k8s_node_pid() { cat "$K8S_RUN/pids/node-n$1.pid" 2>/dev/null; }
k8s_node_alive() { local p; p="$(k8s_node_pid "$1")" && [[ -n "$p" ]] && kill -0 "$p" 2>/dev/null; }
# Every node number of this cluster.
k8s_nodes() { seq 1 "$(cat "$K8S_RUN/nodes.count" 2>/dev/null || echo "$K8S_NODES")"; }

# The cgroup (same relative path in every v1 hierarchy and the unified one)
# under which each node gets nN/: below the cgroup this shell's memory is
# accounted in, so the whole cluster stays inside it. Its memory peak is the
# cluster's (memory.max_usage_in_bytes).
k8s_cgroup_base() {
  local mine
  mine="$(awk -F: '$2 == "memory" {print $3}' /proc/self/cgroup)"
  # Inside a node (its PID 1 moved itself below .../dhk8s/nN): the same base.
  mine="${mine%%/dhk8s*}"
  echo "${mine%/}/dhk8s"
}
k8s_cgroup_hierarchies() {
  local d
  for d in /sys/fs/cgroup/*; do
    [[ -e "$d/cgroup.procs" ]] && echo "$d"
  done
}

export KUBECONFIG="$K8S_PKI/admin.kubeconfig"
export PATH="$K8S_BIN:$PATH"

k8s_log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$(basename "$0")" "$*"; }
# k8s_ctr [node] args...: ctr against a node's containerd (node 1 by default).
k8s_ctr_node() { local n="$1"; shift; "$K8S_BIN/ctr" --address "$(k8s_node_containerd_sock "$n")" -n k8s.io "$@"; }
k8s_ctr() { k8s_ctr_node 1 "$@"; }

# Our own images (imported straight into each node's containerd; never pulled).
K8S_PAUSE_IMAGE=dhakacart.local/k8s/pause:1
K8S_COREDNS_IMAGE="dhakacart.local/k8s/coredns:$COREDNS_VERSION"
K8S_TOOLBOX_IMAGE=dhakacart.local/k8s/toolbox:1
K8S_KNP_IMAGE="dhakacart.local/k8s/kube-network-policies:$KNP_VERSION"
# Cached OCI archives every node imports at boot when its containerd lacks them.
K8S_IMAGES="$K8S_OUT/images"
# k8s_import_images <node> [tar...]: imports the cached OCI archives (all by default)
# that node N's containerd lacks, or holds at another digest.
k8s_import_images() {
  local n="$1" tar ref digest have; shift
  local tars=("$@")
  ((${#tars[@]})) || tars=("$K8S_IMAGES"/*.tar)
  have="$(k8s_ctr_node "$n" images ls 2>/dev/null | awk 'NR > 1 {print $1, $3}')"
  for tar in "${tars[@]}"; do
    [[ -f "$tar" ]] || continue
    ref="$(tar -xOf "$tar" index.json | sed -n 's/.*"io.containerd.image.name": *"\([^"]*\)".*/\1/p')"
    digest="$(tar -xOf "$tar" index.json | grep -o '"digest": *"sha256:[0-9a-f]*"' | head -1 | grep -o 'sha256:[0-9a-f]*')"
    grep -qx "$ref $digest" <<<"$have" && continue
    k8s_ctr_node "$n" images import "$tar" >/dev/null 2>&1 || { echo "import of $(basename "$tar") into node $n failed" >&2; return 1; }
  done
  # kubelet must never try to pull these (no registry): pinned.
  k8s_ctr_node "$n" images label "$K8S_PAUSE_IMAGE" io.cri-containerd.pinned=pinned >/dev/null 2>&1 || true
}
# k8s_import_everywhere [tar...]: the same on every node that is on, in parallel.
k8s_import_everywhere() {
  local n pids=() rc=0
  for n in $(k8s_nodes); do
    k8s_node_alive "$n" || continue
    k8s_import_images "$n" "$@" & pids+=($!)
  done
  for p in "${pids[@]}"; do wait "$p" || rc=1; done
  return "$rc"
}
# The platform's images (images/build-platform-images.sh).
K8S_CNPG_IMAGE="dhakacart.local/k8s/cloudnative-pg:$CNPG_VERSION"
K8S_BARMAN_PLUGIN_IMAGE="dhakacart.local/k8s/plugin-barman-cloud:$BARMAN_PLUGIN_VERSION"
K8S_BARMAN_SIDECAR_IMAGE="dhakacart.local/k8s/plugin-barman-cloud-sidecar:$BARMAN_PLUGIN_VERSION"
K8S_TRAEFIK_IMAGE="dhakacart.local/k8s/traefik:$TRAEFIK_BUILD_VERSION"
K8S_METRICS_SERVER_IMAGE="dhakacart.local/k8s/metrics-server:$METRICS_SERVER_VERSION"
K8S_LOCAL_PATH_IMAGE="dhakacart.local/k8s/local-path-provisioner:$LOCAL_PATH_VERSION"
# CloudNativePG reads the PostgreSQL major version from the image tag: the tag is
# the packaged version (e.g. 18.6), written by the image build.
K8S_POSTGRES_IMAGE_REPO=dhakacart.local/k8s/postgresql
k8s_postgres_image() { echo "$K8S_POSTGRES_IMAGE_REPO:$(cat "$K8S_OUT/stamps/postgresql-image-tag")"; }
# The API servers as pods reach them after kube-proxy's DNAT (NetworkPolicy egress): every node's address.
k8s_api_cidrs() { local n out=""; for n in $(k8s_nodes); do out+="${out:+,}$(k8s_node_ip "$n")/32"; done; echo "$out"; }
# k8s_lab_cert <namespace> <secret> <dns name>: a TLS Secret for <dns name> signed by
# the lab CA, with ca.crt, as cert-manager's CA ClusterIssuer would make it (its
# controller cannot be built here; platform.sh).
k8s_lab_cert() {
  local tmp; tmp="$(mktemp -d)"
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=$3" -keyout "$tmp/tls.key" -out "$tmp/tls.csr" 2>/dev/null
  openssl x509 -req -in "$tmp/tls.csr" -CA "$K8S_PKI/lab-ca.crt" -CAkey "$K8S_PKI/lab-ca.key" -CAcreateserial -days 90 \
    -extfile <(printf 'subjectAltName=DNS:%s\nextendedKeyUsage=serverAuth\n' "$3") -out "$tmp/tls.crt" 2>/dev/null
  "$K8S_BIN/kubectl" -n "$1" create secret generic "$2" --type kubernetes.io/tls --from-file=tls.crt="$tmp/tls.crt" \
    --from-file=tls.key="$tmp/tls.key" --from-file=ca.crt="$K8S_PKI/lab-ca.crt" --dry-run=client -o yaml | "$K8S_BIN/kubectl" apply -f - >/dev/null
  rm -rf "$tmp"
}
