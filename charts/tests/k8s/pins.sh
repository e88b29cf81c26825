# shellcheck shell=bash
# shellcheck disable=SC2034  # sourced: the variables are used by the scripts that source this
# Pinned versions of everything build.sh compiles (bump together with
# docs/runbooks/k8s-local.md "Pins"). Sourced by build.sh and up.sh.
#
# v1.34: the newest line whose kubelet still starts on cgroup v1 without
# opting in (>= v1.35 needs failCgroupV1: false); this host has the hybrid layout.
K8S_VERSION=v1.34.4
# Fixed so the same pins always give byte-identical version strings.
K8S_BUILD_DATE=2026-01-01T00:00:00Z
CONTAINERD_VERSION=v2.2.9   # github.com/containerd/containerd/v2 (2.x: what kubelet >= 1.34 expects)
ETCD_VERSION=v3.6.16        # go.etcd.io/etcd/server/v3 (k8s 1.34 ships with etcd 3.6)
COREDNS_VERSION=v1.15.0     # github.com/coredns/coredns
KNP_VERSION=v0.8.0          # sigs.k8s.io/kube-network-policies (needs nft queue: not in this kernel)
KUBE_ROUTER_VERSION=v2.1.0  # github.com/cloudnativelabs/kube-router/v2 (NetworkPolicy via iptables+ipset; newest the proxy lists)

# --- issue #13: the platform's operators, built from upstream's own module (its go.mod and
# go.sum, replace directives included) copied writable under .cache/k8s/src: the proxy
# serves them, `go install pkg@version` refuses the ones with replace directives.
# The versions the charts' CRD schemas are validated against come from one place,
# charts/tests/setup.sh; these read them so the two never disagree.
pin_from_setup() { sed -n "s/^$1=\([^ ]*\).*/\1/p" "$(dirname "${BASH_SOURCE[0]}")/../setup.sh"; }
CNPG_VERSION="$(pin_from_setup CNPG_VERSION)"                    # github.com/cloudnative-pg/cloudnative-pg (operator + instance manager)
BARMAN_PLUGIN_PIN="$(pin_from_setup BARMAN_PLUGIN_VERSION)"  # github.com/cloudnative-pg/plugin-barman-cloud, the charts' pin (v0.15.0)
# What build.sh can build: v0.15.0 needs github.com/cloudnative-pg/machinery v0.6.0 and
# github.com/cloudnative-pg/barman-cloud v0.6.0, which the module proxy refuses
# ("403 Forbidden ... This module version is not available"), and the older ones lack
# symbols it uses (barmanRestorer.ErrInvalidWALName ...). v0.14.0 is the newest release
# whose every dependency is served (docs/runbooks/k8s-local.md).
BARMAN_PLUGIN_VERSION=v0.14.0
TRAEFIK_VERSION="$(pin_from_setup TRAEFIK_VERSION)"              # github.com/traefik/traefik/v3 (its CRDs)
# The Traefik that runs. The lab's K3s packages v3.7.8 (ansible versions.yml), but no
# v3.7 can be built from the proxy: v3.7's github.com/traefik/traefik/dynamic/ext is a
# nested module that is neither in the v3 module's zip nor served ("This module version
# is not available"). v3.6.12 is the newest v3.6 whose dependencies the proxy serves,
# except github.com/akamai/AkamaiOPEN-edgegrid-golang, refused at every version and used
# only by lego's Akamai DNS (ACME) provider, which build.sh leaves out. What 3.6 lacks:
# the Retry middleware's retryNonIdempotentMethod (3.6 retries any method after a
# network error) (docs/runbooks/k8s-local.md).
TRAEFIK_BUILD_VERSION=v3.6.12
METRICS_SERVER_VERSION=v0.8.0  # sigs.k8s.io/metrics-server
LOCAL_PATH_VERSION=v0.0.30     # github.com/rancher/local-path-provisioner (K3s's storage class "local-path")
GARAGE_VERSION=2.5.0           # crates.io garage (cargo install --locked), the lab's backup store
