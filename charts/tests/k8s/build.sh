#!/usr/bin/env bash
# Builds a pinned upstream Kubernetes node from the Go module proxy into the
# git-ignored .cache/k8s/bin (no release tarballs, container images or Docker
# can be fetched on these machines; the proxy, npm, PyPI and apt can).
#
#   kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl
#   containerd containerd-shim-runc-v2 ctr   etcd   coredns   kube-router (NetworkPolicy)
#   (and, on request, kube-network-policies: `build.sh knp`)
#
# runc and the CNI plugins (bridge, host-local, portmap, loopback) come from
# Debian: apt-get install runc containernetworking-plugins.
#
# Each component is built from a tiny module of our own (charts/tests/k8s/gomod/<name>)
# because k8s.io/kubernetes and etcd's server module carry `replace` directives to
# sibling folders, which `go install pkg@version` refuses. Our go.mod pins every one
# of those siblings to the released module of the same version instead.
#
# Idempotent: a second run with the same pins does nothing and takes < 1 s.
# Usage: build.sh [component...]   (components: pause k8s containerd etcd coredns kube-router knp
#   cnpg barman-plugin metrics-server traefik local-path garage; images: the container images, see images/build-platform-images.sh)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
HERE="$ROOT/charts/tests/k8s"
OUT="$ROOT/.cache/k8s"
BIN="$OUT/bin"
# The module cache is shared with the other Go-built tools; the build cache is
# our own because charts/tests/setup.sh deletes .cache/go/build after helm.
export GOMODCACHE="$ROOT/.cache/go/mod" GOCACHE="$OUT/go-build"
export GOFLAGS="-modcacherw -buildvcs=false" GO111MODULE=on GOTOOLCHAIN=local
# Everything is built static: no libc version coupling between build and run,
# and cgo-only extras (btrfs snapshotter) are not needed for overlayfs.
export CGO_ENABLED=0

# shellcheck source-path=SCRIPTDIR source=pins.sh
source "$HERE/pins.sh"

mkdir -p "$BIN" "$OUT/stamps"
command -v go >/dev/null || { echo "build.sh: needs the Go toolchain" >&2; exit 1; }

log() { printf '%s build.sh: %s\n' "$(date -u +%H:%M:%S)" "$*"; }

# done_already <component> <pins> <binary...>: true when the stamp matches and all binaries exist.
done_already() {
  local name="$1" pins="$2" b; shift 2
  [[ -f "$OUT/stamps/$name" && "$(cat "$OUT/stamps/$name")" == "$pins" ]] || return 1
  for b in "$@"; do [[ -x "$BIN/$b" ]] || return 1; done
}

# timed <component> <pins> <command...>: runs the build, records its wall time in build-times.txt.
timed() {
  local name="$1" pins="$2" start end; shift 2
  start=$(date +%s)
  "$@"
  end=$(date +%s)
  echo "$pins" >"$OUT/stamps/$name"
  BUILT=1
  printf '%s\t%s\t%ss\t%s cores\t%s\n' "$(date -u +%FT%TZ)" "$name" "$((end - start))" "$(nproc)" "$pins" >>"$OUT/build-times.txt"
  log "$name built in $((end - start)) s"
}

# gomod <component> <go.mod body>: writes our module file (go.sum is kept in git once resolved).
gomod() {
  local dir="$HERE/gomod/$1"
  mkdir -p "$dir"
  if [[ ! -f "$dir/go.mod" ]] || [[ "$(cat "$dir/go.mod")" != "$2" ]]; then
    printf '%s\n' "$2" >"$dir/go.mod"
    rm -f "$dir/go.sum"
  fi
  # A module with no package of its own: this file only keeps `go` from
  # complaining that the main module is empty.
  [[ -f "$dir/doc.go" ]] || printf '// Package %s only pins the modules build.sh compiles.\npackage %s\n' "$1" "$1" >"$dir/doc.go"
}

# gobuild <component> <go build args...>: builds inside our module for that component.
# -mod=mod lets the first run resolve go.sum (kept in git afterwards).
gobuild() {
  local dir="$HERE/gomod/$1"; shift
  (cd "$dir" && go build -mod=mod -trimpath "$@")
}

build_k8s() {
  local v="$K8S_VERSION" minor staging=(api apiextensions-apiserver apimachinery apiserver cli-runtime client-go
    cloud-provider cluster-bootstrap code-generator component-base component-helpers controller-manager cri-api
    cri-client csi-translation-lib dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator
    kube-controller-manager kube-proxy kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission
    sample-apiserver sample-cli-plugin sample-controller)
  local bins=(kube-apiserver kube-controller-manager kube-scheduler kubelet kube-proxy kubectl)
  done_already k8s "$v" "${bins[@]}" && { log "k8s $v already built"; return; }
  minor="${v#v1.}"; minor="${minor%%.*}"
  local body s
  body="module dhakacart.local/k8sbuild/k8s

go 1.24.0

require k8s.io/kubernetes $v

replace ("
  for s in "${staging[@]}"; do body+=$'\n'"	k8s.io/$s => k8s.io/$s v0.${v#v1.}"; done
  body+=$'\n)'
  gomod k8s "$body"
  local ld="-s -w" key val
  for kv in "gitVersion=$v" "gitMajor=1" "gitMinor=$minor" "gitTreeState=clean" "buildDate=$K8S_BUILD_DATE"; do
    key="${kv%%=*}" val="${kv#*=}"
    ld+=" -X k8s.io/client-go/pkg/version.$key=$val -X k8s.io/component-base/version.$key=$val"
  done
  log "building Kubernetes $v (${bins[*]}); about 25-35 min on 2 cores with a cold cache"
  local pkgs=() b
  for b in "${bins[@]}"; do pkgs+=("k8s.io/kubernetes/cmd/$b"); done
  # One `go build` for all six: they share most packages, which are compiled once.
  timed k8s "$v" gobuild k8s -ldflags "$ld" -o "$BIN/" "${pkgs[@]}"
}

build_containerd() {
  local v="$CONTAINERD_VERSION"
  done_already containerd "$v" containerd containerd-shim-runc-v2 ctr && { log "containerd $v already built"; return; }
  gomod containerd "module dhakacart.local/k8sbuild/containerd

go 1.25.0

require github.com/containerd/containerd/v2 $v"
  log "building containerd $v"
  local m=github.com/containerd/containerd/v2
  # no_btrfs/no_devmapper: those snapshotters need cgo; the node uses overlayfs.
  timed containerd "$v" gobuild containerd -tags "no_btrfs no_devmapper urfave_cli_no_docs" \
    -ldflags "-s -w -X $m/version.Version=$v -X $m/version.Revision=$v" -o "$BIN/" "$m/cmd/containerd" "$m/cmd/containerd-shim-runc-v2" "$m/cmd/ctr"
}

build_etcd() {
  local v="$ETCD_VERSION"
  done_already etcd "$v" etcd && { log "etcd $v already built"; return; }
  gomod etcd "module dhakacart.local/k8sbuild/etcd

go 1.26.0

require go.etcd.io/etcd/server/v3 $v

replace (
	go.etcd.io/etcd/api/v3 => go.etcd.io/etcd/api/v3 $v
	go.etcd.io/etcd/client/pkg/v3 => go.etcd.io/etcd/client/pkg/v3 $v
	go.etcd.io/etcd/client/v3 => go.etcd.io/etcd/client/v3 $v
	go.etcd.io/etcd/pkg/v3 => go.etcd.io/etcd/pkg/v3 $v
)"
  log "building etcd $v"
  timed etcd "$v" gobuild etcd -ldflags "-s -w" -o "$BIN/etcd" go.etcd.io/etcd/server/v3
}

build_coredns() {
  local v="$COREDNS_VERSION"
  done_already coredns "$v" coredns && { log "coredns $v already built"; return; }
  gomod coredns "module dhakacart.local/k8sbuild/coredns

go 1.26.0

require github.com/coredns/coredns $v"
  log "building CoreDNS $v"
  timed coredns "$v" gobuild coredns -ldflags "-s -w" -o "$BIN/coredns" github.com/coredns/coredns
}

build_knp() {
  local v="$KNP_VERSION"
  done_already knp "$v" kube-network-policies && { log "kube-network-policies $v already built"; return; }
  gomod knp "module dhakacart.local/k8sbuild/knp

go 1.23.0

require sigs.k8s.io/kube-network-policies $v"
  log "building kube-network-policies $v"
  timed knp "$v" gobuild knp -ldflags "-s -w" -o "$BIN/kube-network-policies" sigs.k8s.io/kube-network-policies/cmd
}

build_kube_router() {
  local v="$KUBE_ROUTER_VERSION"
  done_already kube-router "$v" kube-router && { log "kube-router $v already built"; return; }
  gomod kube_router "module dhakacart.local/k8sbuild/kube_router

go 1.21

require github.com/cloudnativelabs/kube-router/v2 $v"
  log "building kube-router $v"
  timed kube-router "$v" gobuild kube_router -ldflags "-s -w -X github.com/cloudnativelabs/kube-router/v2/pkg/version.Version=$v" \
    -o "$BIN/kube-router" github.com/cloudnativelabs/kube-router/v2/cmd/kube-router
}

# modsrc <module@version> <dir>: upstream's own module, copied writable, so that
# its go.mod (replace directives included) and go.sum drive the build exactly as
# upstream's Makefile does. (`go install m/cmd/x@v` refuses modules with replace
# directives and, for CloudNativePG, fails on the proxy's version list: 403.)
modsrc() {
  local dir
  dir="$(cd "$OUT" && GOFLAGS=-modcacherw go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  [[ -d "$dir" ]] || { echo "build.sh: go mod download $1 gave no directory" >&2; return 1; }
  rm -rf "$OUT/src/$2"; mkdir -p "$OUT/src"
  cp -r "$dir" "$OUT/src/$2"; chmod -R u+w "$OUT/src/$2"
}
# srcbuild <dir> <go build args...>: builds inside the copied module.
srcbuild() {
  local dir="$OUT/src/$1"; shift
  (cd "$dir" && go build -trimpath "$@")
}

build_cnpg() {
  local v="$CNPG_VERSION" m=github.com/cloudnative-pg/cloudnative-pg
  done_already cnpg "$v" cnpg-manager && { log "CloudNativePG $v already built"; return; }
  log "building the CloudNativePG operator $v (operator and instance manager: one binary)"
  modsrc "$m@$v" cnpg
  timed cnpg "$v" srcbuild cnpg -ldflags "-s -w -X $m/pkg/versions.buildVersion=${v#v} -X $m/pkg/versions.buildCommit=$v -X $m/pkg/versions.buildDate=$K8S_BUILD_DATE" \
    -o "$BIN/cnpg-manager" ./cmd/manager
}

build_barman_plugin() {
  local v="$BARMAN_PLUGIN_VERSION"
  done_already barman-plugin "$v" barman-cloud-plugin && { log "Barman Cloud plugin $v already built"; return; }
  log "building the Barman Cloud plugin $v (operator side and instance sidecar: one binary)"
  modsrc "github.com/cloudnative-pg/plugin-barman-cloud@$v" barman-plugin
  timed barman-plugin "$v" srcbuild barman-plugin -ldflags "-s -w" -o "$BIN/barman-cloud-plugin" ./cmd/manager
}

build_metrics_server() {
  local v="$METRICS_SERVER_VERSION"
  done_already metrics-server "$v" metrics-server && { log "metrics-server $v already built"; return; }
  log "building metrics-server $v"
  modsrc "sigs.k8s.io/metrics-server@$v" metrics-server
  timed metrics-server "$v" srcbuild metrics-server -ldflags "-s -w -X k8s.io/client-go/pkg/version.gitVersion=$v" \
    -o "$BIN/metrics-server" ./cmd/metrics-server
}

build_traefik() {
  local v="$TRAEFIK_BUILD_VERSION" m=github.com/traefik/traefik/v3 lego legov akamai
  done_already traefik "$v" traefik && { log "Traefik $v already built"; return; }
  log "building Traefik $v (with lego's Akamai DNS provider left out: see pins.sh)"
  modsrc "$m@$v" traefik
  # The proxy refuses every version of github.com/akamai/AkamaiOPEN-edgegrid-golang
  # ("403 ... This module version is not available"), which only lego's Akamai
  # EdgeDNS ACME provider imports. Build against lego's own module with that one
  # provider removed from its generated provider list (nothing else changes).
  read -r lego legov <<<"$(grep -oE 'github.com/go-acme/lego/v[0-9]+ v[^ ]+' "$OUT/src/traefik/go.mod" | head -1)"
  akamai="$(grep -oE 'github.com/akamai/AkamaiOPEN-edgegrid-golang/v[0-9]+' "$OUT/src/traefik/go.mod" | head -1)"
  modsrc "$lego@$legov" lego
  sed -i -e "\\|\"$lego/providers/dns/edgedns\"|d" -e '/case "edgedns", "fastdns":/{N;d}' "$OUT/src/lego/providers/dns/zz_gen_dns_providers.go"
  rm -rf "$OUT/src/lego/providers/dns/edgedns"
  (cd "$OUT/src/lego" && go mod edit -droprequire "$akamai")
  (cd "$OUT/src/traefik" && go mod edit -droprequire "$akamai" -replace "$lego=../lego")
  timed traefik "$v" srcbuild traefik -mod=mod -ldflags "-s -w -X $m/pkg/version.Version=$v -X $m/pkg/version.BuildDate=$K8S_BUILD_DATE" \
    -o "$BIN/traefik" ./cmd/traefik
}

build_local_path() {
  local v="$LOCAL_PATH_VERSION"
  done_already local-path "$v" local-path-provisioner && { log "local-path-provisioner $v already built"; return; }
  log "building local-path-provisioner $v"
  modsrc "github.com/rancher/local-path-provisioner@$v" local-path
  timed local-path "$v" srcbuild local-path -mod=mod -ldflags "-s -w -X main.VERSION=$v" -o "$BIN/local-path-provisioner" .
}

# Garage, the lab's S3 backup store (ansible/roles/backup_store), from crates.io
# with its own Cargo.lock (--locked). ~8 min on 2 cores; the target dir is deleted after.
build_garage() {
  local v="$GARAGE_VERSION"
  done_already garage "$v" garage && { log "Garage $v already built"; return; }
  command -v cargo >/dev/null || { echo "build.sh: Garage needs cargo (rustup or apt-get install cargo)" >&2; return 1; }
  log "building Garage $v (cargo install --locked)"
  timed garage "$v" cargo_garage "$v"
}
cargo_garage() {
  CARGO_TARGET_DIR="$OUT/cargo-target" cargo install --quiet --locked --root "$OUT/cargo" garage --version "$1"
  cp "$OUT/cargo/bin/garage" "$BIN/garage"
  rm -rf "$OUT/cargo-target"
}

# Our pause program (the sandbox image's only file): static, seconds to build.
build_pause() {
  local sum
  sum="$(sha256sum "$HERE/images/pause.go" | cut -c1-16)"
  done_already pause "$sum" pause && return
  timed pause "$sum" go build -trimpath -ldflags "-s -w" -o "$BIN/pause" "$HERE/images/pause.go"
}

BUILT=0
components=("$@")
# knp is not built by default: this kernel lacks nft "queue" (CONFIG_NFT_QUEUE),
# which it needs (docs/runbooks/k8s-local.md); kube-router enforces policies instead.
[[ ${#components[@]} -gt 0 ]] || components=(pause etcd containerd coredns kube-router k8s cnpg barman-plugin metrics-server traefik local-path garage)
for c in "${components[@]}"; do
  case "$c" in
    pause|k8s|containerd|etcd|coredns|knp) "build_$c" ;;
    kube-router) build_kube_router ;;
    cnpg|traefik|garage) "build_$c" ;;
    barman-plugin) build_barman_plugin ;;
    local-path) build_local_path ;;
    metrics-server) build_metrics_server ;;
    *) echo "build.sh: unknown component $c (pause k8s containerd etcd coredns kube-router knp cnpg barman-plugin metrics-server traefik local-path garage)" >&2; exit 2 ;;
  esac
done
if ((BUILT)); then
  # ~6 GB of build cache, useless once the binaries exist (a pin bump rebuilds
  # from the module cache in about the same time as a cold build anyway).
  rm -rf "$GOCACHE" "$OUT/src"
fi
log "done; binaries in ${BIN#"$ROOT"/}; build times in ${OUT#"$ROOT"/}/build-times.txt"
