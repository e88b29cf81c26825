#!/usr/bin/env bash
# mirror-images.sh PINS.yml MIRROR: copies every image of the pins file by digest into the
# lab's registry on the backup VM (MIRROR=host:port), under the same path, so the nodes'
# containerd (K3s registries.yaml: the mirror first, then the upstream) never needs the
# internet at deploy time, and an airgapped lab is filled the same way from a machine that
# has the images. Digests are preserved (skopeo --preserve-digests).
set -euo pipefail
pins=$1 mirror=$2
tls=()
[[ ${MIRROR_TLS_VERIFY:-true} == false ]] && tls=(--dest-tls-verify=false --src-tls-verify=false)
python3 - "$pins" <<'PY' | while read -r name repo digest; do
import sys, yaml
for name, pin in (yaml.safe_load(open(sys.argv[1])) or {}).items():
    if isinstance(pin, dict) and pin.get("repository") and pin.get("digest"):
        print(name, pin["repository"], pin["digest"])
PY
  path="${repo#*/}"   # the path without the registry host
  echo "mirroring $name: $repo@$digest -> $mirror/$path"
  skopeo copy --all --preserve-digests "${tls[@]}" "docker://$repo@$digest" "docker://$mirror/$path@$digest"
done
