#!/usr/bin/env bash
# lab-pins.sh [PINS_FILE]: writes the images the release serves now (helm get values) into the
# pins file make cluster reads (DC_IMAGE_PINS, default .cache/cluster/images.yml), keeping its
# other entries (postgres, redis, redis_exporter). Run it before `make cluster` on a lab that
# CI deploys to, so Ansible re-applies what CI deployed instead of an older pin
# (docs/decisions/0401-lab-images.md). DEPLOY_ENV selects the release as for make deploy.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
pins="${1:-${DC_IMAGE_PINS:-$REPO/.cache/cluster/images.yml}}"
values=$(h get values "$DEPLOY_RELEASE" -o json) || { echo "lab-pins.sh: no release $DEPLOY_RELEASE in $DEPLOY_NAMESPACE" >&2; exit 1; }
python3 - "$pins" "$values" <<'PY'
import json, os, re, sys, yaml
path, values = sys.argv[1], json.loads(sys.argv[2])
pins = yaml.safe_load(open(path)) if os.path.exists(path) else {}
pins = pins or {}
for name in ("api", "web", "migrate"):
    img = (values.get(name) or {}).get("image") or {}
    if not img.get("digest"):
        if name == "migrate":
            continue
        sys.exit(f"the release has no {name} image digest: it was not deployed from pins")
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", img["digest"]), img
    pins[name] = {"repository": img["repository"], "tag": str(img["tag"]), "digest": img["digest"]}
os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
with open(path, "w") as f:
    for name, pin in pins.items():
        f.write(f"{name}: {json.dumps(pin)}\n")
print(f"{path}: " + ", ".join(f"{n} {pins[n]['digest'][7:19]}" for n in ("api", "web") if n in pins))
PY
