#!/usr/bin/env bash
# verify-images.sh PINS.yml: every image in the pins file must carry a keyless cosign signature
# made by this repository's main workflow on main (Fulcio certificate from GitHub's OIDC
# issuer). The deploy job runs it before helm touches the cluster. Not verified here (no
# Sigstore or GHCR from this machine).
set -euo pipefail
pins=$1
repo="${GITHUB_REPOSITORY:-${DEPLOY_GITHUB_REPOSITORY:?set DEPLOY_GITHUB_REPOSITORY=owner/name}}"
identity="^https://github.com/$repo/.github/workflows/main.yml@refs/heads/main$"
python3 - "$pins" <<'PY' | while read -r name ref; do
import sys, yaml
for name, pin in (yaml.safe_load(open(sys.argv[1])) or {}).items():
    if isinstance(pin, dict) and pin.get("repository") and pin.get("digest"):
        print(name, f"{pin['repository']}@{pin['digest']}")
PY
  echo "verifying $name: $ref"
  cosign verify --certificate-identity-regexp "$identity" \
    --certificate-oidc-issuer https://token.actions.githubusercontent.com "$ref" >/dev/null
done
