#!/usr/bin/env bash
# The pipeline's Go tools, built once from the Go module proxy at pinned versions into the
# version-keyed tool cache (~/.cache/dhakacart/<tool>-<version>, shared by clones, kept by CI's
# actions/cache): gitleaks (secret scan) and actionlint (workflow lint), both in make test, and for `make images` / `make test-k8s`
# BuildKit (buildkitd + buildctl, its built-in Dockerfile frontend) and the distribution
# registry. `build-tools.sh gitleaks` builds one; no argument builds the make-test set.
# Prints the binary's path per tool. A second run takes milliseconds.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=pins.sh
source "$(dirname "${BASH_SOURCE[0]}")/pins.sh"

build() { # name version module-package...
  local name=$1 version=$2; shift 2
  local dir="$DEPLOY_TOOL_CACHE/$name-$version" log
  if [[ -f $dir/.complete ]]; then echo "$dir"; return; fi
  mkdir -p "$dir" "$DEPLOY_TOOL_CACHE/logs"
  log="$DEPLOY_TOOL_CACHE/logs/$name-$version.log"
  echo "building $name $version from the Go module proxy into $dir (once; log: $log)" >&2
  local start=$SECONDS pkg
  for pkg in "$@"; do
    # -trimpath and a fixed build id make the binary depend on the sources only.
    GOBIN="$dir" GOMODCACHE="$DEPLOY_TOOL_CACHE/gomod" GOCACHE="$DEPLOY_TOOL_CACHE/gobuild-$name" \
      GOFLAGS=-modcacherw CGO_ENABLED=0 GOTOOLCHAIN=local \
      go install -trimpath -ldflags "-s -w -buildid=" "$pkg@$version" >>"$log" 2>&1 \
      || { tail -20 "$log" >&2; echo "build of $pkg@$version failed" >&2; return 1; }
  done
  # The build cache is GBs and only speeds up a rebuild of the same pins: gone once built.
  rm -rf "$DEPLOY_TOOL_CACHE/gobuild-$name"
  touch "$dir/.complete"
  echo "$name $version built in $((SECONDS - start)) s" >&2
  echo "$dir"
}

# Modules with replace/exclude directives (BuildKit): `go install pkg@version` refuses them, so
# build inside a writable copy of the module, with its own go.mod (as the k8s harness does).
build_in_module() { # name version module package...
  local name=$1 version=$2 module=$3; shift 3
  local dir="$DEPLOY_TOOL_CACHE/$name-$version" log src
  if [[ -f $dir/.complete ]]; then echo "$dir"; return; fi
  mkdir -p "$dir" "$DEPLOY_TOOL_CACHE/logs"
  log="$DEPLOY_TOOL_CACHE/logs/$name-$version.log"
  echo "building $name $version from the Go module proxy into $dir (once; log: $log)" >&2
  local start=$SECONDS
  export GOMODCACHE="$DEPLOY_TOOL_CACHE/gomod" GOCACHE="$DEPLOY_TOOL_CACHE/gobuild-$name" GOFLAGS="-modcacherw -mod=mod" \
    CGO_ENABLED=0 GOTOOLCHAIN=local
  src=$(go mod download -json "$module@$version" 2>>"$log" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [[ -d $src ]] || { tail -20 "$log" >&2; echo "go mod download $module@$version failed" >&2; return 1; }
  rm -rf "$dir/src"; cp -r "$src" "$dir/src"; chmod -R u+w "$dir/src"
  (cd "$dir/src" && go build -trimpath -ldflags "-s -w -buildid=" -o "$dir/" "$@") >>"$log" 2>&1 \
    || { tail -20 "$log" >&2; echo "build of $module@$version failed" >&2; return 1; }
  rm -rf "$dir/src" "$DEPLOY_TOOL_CACHE/gobuild-$name"
  touch "$dir/.complete"
  echo "$name $version built in $((SECONDS - start)) s" >&2
  echo "$dir"
}

want=("$@"); ((${#want[@]})) || want=(gitleaks actionlint)
for t in "${want[@]}"; do
  case $t in
    gitleaks) build gitleaks "$GITLEAKS_VERSION" github.com/zricethezav/gitleaks/v8 ;;
    actionlint) build actionlint "$ACTIONLINT_VERSION" github.com/rhysd/actionlint/cmd/actionlint ;;
    buildkit) build_in_module buildkit "$BUILDKIT_VERSION" github.com/moby/buildkit ./cmd/buildkitd ./cmd/buildctl ;;
    registry) build registry "$REGISTRY_VERSION" github.com/distribution/distribution/v3/cmd/registry ;;
    syft) build_in_module syft "$SYFT_VERSION" github.com/anchore/syft ./cmd/syft ;;
    *) echo "build-tools.sh: unknown tool $t (gitleaks, actionlint, buildkit, registry, syft)" >&2; exit 2 ;;
  esac
done
