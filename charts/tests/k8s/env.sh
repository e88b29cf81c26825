# shellcheck shell=bash
# shellcheck disable=SC2034  # sourced: the variables are used by the scripts that source this
# Shared layout of the local single-node cluster (sourced by up.sh, down.sh and
# the checks). Everything lives under the git-ignored .cache/k8s.
K8S_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
K8S_HERE="$K8S_ROOT/charts/tests/k8s"
K8S_OUT="$K8S_ROOT/.cache/k8s"
K8S_BIN="$K8S_OUT/bin"
K8S_RUN="$K8S_OUT/run"
# shellcheck source-path=SCRIPTDIR source=pins.sh
source "$K8S_HERE/pins.sh"

# Pods live on our own bridge; the control plane and kubelet listen on its
# gateway address, so nothing is exposed on eth0 and loopback stays untouched
# for the other test suites (they use 127.0.0.1 random ports).
K8S_BRIDGE=dhk8s0
K8S_POD_CIDR=10.244.0.0/16
K8S_NODE_IP=10.244.0.1
K8S_SERVICE_CIDR=10.96.0.0/16
K8S_API_SERVICE_IP=10.96.0.1
K8S_DNS_IP=10.96.0.10
K8S_NODE_NAME=dhakacart-node
K8S_API_PORT=6443
K8S_ETCD_PORT=23790          # not 2379: never collide with a developer's own etcd
K8S_CONTAINERD_SOCK="$K8S_RUN/containerd/containerd.sock"

export KUBECONFIG="$K8S_RUN/pki/admin.kubeconfig"
export PATH="$K8S_BIN:$PATH"

k8s_log() { printf '%s %s: %s\n' "$(date -u +%H:%M:%S)" "$(basename "$0")" "$*"; }
k8s_ctr() { "$K8S_BIN/ctr" --address "$K8S_CONTAINERD_SOCK" -n k8s.io "$@"; }

# Our own images (imported straight into containerd; never pulled).
K8S_PAUSE_IMAGE=dhakacart.local/k8s/pause:1
K8S_COREDNS_IMAGE="dhakacart.local/k8s/coredns:$COREDNS_VERSION"
K8S_TOOLBOX_IMAGE=dhakacart.local/k8s/toolbox:1
K8S_KNP_IMAGE="dhakacart.local/k8s/kube-network-policies:$KNP_VERSION"
