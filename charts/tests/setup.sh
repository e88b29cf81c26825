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
HELM_VERSION=v4.3.1
CNPG_VERSION=v1.30.0              # github.com/cloudnative-pg/cloudnative-pg
BARMAN_PLUGIN_VERSION=v0.15.0     # github.com/cloudnative-pg/plugin-barman-cloud
CERT_MANAGER_VERSION=v1.21.2      # github.com/cert-manager/cert-manager
PROM_OPERATOR_VERSION=v0.85.0     # github.com/prometheus-operator/prometheus-operator (newest the proxy serves)
TRAEFIK_VERSION=v3.7.13           # github.com/traefik/traefik/v3
METALLB_VERSION=v0.16.2           # go.universe.tf/metallb

PINS="helm=$HELM_VERSION cnpg=$CNPG_VERSION barman=$BARMAN_PLUGIN_VERSION cm=$CERT_MANAGER_VERSION po=$PROM_OPERATOR_VERSION traefik=$TRAEFIK_VERSION metallb=$METALLB_VERSION"
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

echo "$PINS" >"$STAMP"
echo "charts/tests/setup.sh: done"
