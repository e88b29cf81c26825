#!/usr/bin/env bash
# Installs what the chart checks need into the git-ignored .cache/ folder:
#   - helm (built from its Go module; the Go module proxy is reachable here)
#   - the official CRDs of every operator the charts talk to, taken from the
#     operators' own Go modules at pinned versions (never hand-written)
# Idempotent: a second run with the same pins does nothing and takes < 1 s.
# Python tools (checkov, kubernetes-validate, ...) come from
# charts/tests/requirements.txt, installed by `make setup` into .cache/venv.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TOOLS="$ROOT/.cache/charts"
export GOMODCACHE="$ROOT/.cache/go/mod" GOCACHE="$ROOT/.cache/go/build"
# GOTOOLCHAIN stays as the machine has it (auto may fetch a newer Go from the module proxy).
export GOFLAGS="-modcacherw" GO111MODULE=on

# --- pins (bump together with docs/runbooks/helm.md "Versions") -------------
# The operators' versions are the ones the lab runs: ansible's versions.yml names
# the same app_version for each chart, and check_contract.py fails when the two
# differ (charts/tests/k8s/pins.sh reads CNPG, Barman and Traefik from here too).
HELM_VERSION=v4.3.1
CNPG_VERSION=v1.30.0              # github.com/cloudnative-pg/cloudnative-pg
BARMAN_PLUGIN_VERSION=v0.15.0     # github.com/cloudnative-pg/plugin-barman-cloud
CERT_MANAGER_VERSION=v1.21.2      # github.com/cert-manager/cert-manager
PROM_OPERATOR_VERSION=v0.85.0     # github.com/prometheus-operator/prometheus-operator (newest the proxy serves)
# K3s packages Traefik (versions.yml k3s_traefik_version, v3.7.8); the proxy serves
# no v3.7.8, so the CRDs come from the newest 3.7 it serves (same minor: checked).
TRAEFIK_VERSION=v3.7.13           # github.com/traefik/traefik/v3
# K3s's packaged Traefik chart (versions.yml k3s_traefik_chart, 40.1.x) is not served
# either (v40.x: 403); the only version the proxy lists is v41.6.0, whose values schema
# for every key the lab sets is the one of 40.1.0 (docs/decisions/0300-node-failure.md).
TRAEFIK_CHART_VERSION=v41.6.0     # github.com/traefik/traefik-helm-chart (+incompatible)
METALLB_VERSION=v0.16.2           # go.universe.tf/metallb (CRDs and the chart the lab installs)

PINS="helm=$HELM_VERSION cnpg=$CNPG_VERSION barman=$BARMAN_PLUGIN_VERSION cm=$CERT_MANAGER_VERSION po=$PROM_OPERATOR_VERSION traefik=$TRAEFIK_VERSION traefik-chart=$TRAEFIK_CHART_VERSION metallb=$METALLB_VERSION"
STAMP="$TOOLS/.stamp"
if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$PINS" && -x "$TOOLS/bin/helm" ]]; then
  echo "charts/tests/setup.sh: tools already installed ($PINS)"
  exit 0
fi

command -v go >/dev/null || { echo "setup.sh: needs the Go toolchain (apt-get install golang-go, or /usr/local/go)" >&2; exit 1; }
mkdir -p "$TOOLS/bin" "$TOOLS/crds"

# --- helm --------------------------------------------------------------------
if [[ ! -x "$TOOLS/bin/helm" ]] || ! "$TOOLS/bin/helm" version --short 2>/dev/null | grep -q "^$HELM_VERSION"; then
  echo "building helm $HELM_VERSION from its Go module (about 2-3 minutes on 2 cores)"
  GOBIN="$TOOLS/bin" go install \
    -ldflags "-s -w -X helm.sh/helm/v4/internal/version.version=$HELM_VERSION" \
    "helm.sh/helm/v4/cmd/helm@$HELM_VERSION"
  rm -rf "$GOCACHE"   # ~1.5 GB of build cache, not needed once helm is built
fi
"$TOOLS/bin/helm" version --short

# --- CRDs from the operators' Go modules --------------------------------------
module_dir() { # module@version -> extracted directory
  (cd "$TOOLS" && go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')
}
copy_crds() { # vendor module@version glob...
  local vendor="$1" mod="$2" dir; shift 2
  dir="$(module_dir "$mod")"
  [[ -n "$dir" && -d "$dir" ]] || { echo "setup.sh: could not download $mod" >&2; exit 1; }
  rm -rf "$TOOLS/crds/$vendor"; mkdir -p "$TOOLS/crds/$vendor"
  local f n=0
  for f in "$@"; do
    for g in $dir/$f; do cp "$g" "$TOOLS/crds/$vendor/"; n=$((n+1)); done
  done
  echo "$mod" >"$TOOLS/crds/$vendor/SOURCE"
  echo "  $vendor: $n CRD file(s) from $mod"
}
echo "fetching CRDs"
copy_crds cloudnative-pg "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION" 'config/crd/bases/postgresql.cnpg.io_*.yaml'
copy_crds barman-cloud  "github.com/cloudnative-pg/plugin-barman-cloud@$BARMAN_PLUGIN_VERSION" 'config/crd/bases/barmancloud.cnpg.io_*.yaml'
copy_crds cert-manager  "github.com/cert-manager/cert-manager@$CERT_MANAGER_VERSION" 'deploy/crds/*.cert-manager.io_*.yaml' 'deploy/crds/cert-manager.io_*.yaml'
copy_crds prometheus-operator "github.com/prometheus-operator/prometheus-operator@$PROM_OPERATOR_VERSION" 'example/prometheus-operator-crd/monitoring.coreos.com_*.yaml'
copy_crds traefik       "github.com/traefik/traefik/v3@$TRAEFIK_VERSION" 'docs/content/reference/dynamic-configuration/kubernetes-crd-definition-v1.yml'
copy_crds metallb       "go.universe.tf/metallb@$METALLB_VERSION" 'config/crd/bases/metallb.io_*.yaml'

# --- upstream charts whose values the lab sets, to render with those values ----
# MetalLB's chart ships inside its module; Traefik's chart (which K3s packages)
# is served as github.com/traefik/traefik-helm-chart.
copy_chart() { # name module@version path-in-module
  local dir; dir="$(module_dir "$2")"
  [[ -n "$dir" && -f "$dir/$3/Chart.yaml" ]] || { echo "setup.sh: no chart $3 in $2" >&2; exit 1; }
  rm -rf "$TOOLS/upstream/$1"; mkdir -p "$TOOLS/upstream"
  cp -r "$dir/$3" "$TOOLS/upstream/$1"; chmod -R u+w "$TOOLS/upstream/$1"
  echo "$2" >"$TOOLS/upstream/$1/SOURCE"
  echo "  chart $1 from $2"
}
copy_chart metallb "go.universe.tf/metallb@$METALLB_VERSION" charts/metallb
copy_chart traefik "github.com/traefik/traefik-helm-chart@$TRAEFIK_CHART_VERSION+incompatible" traefik

echo "$PINS" >"$STAMP"
echo "charts/tests/setup.sh: done"
