#!/usr/bin/env bash
# images.sh (make images): api, migrate and web built from the project's Dockerfiles by
# BuildKit, exactly as main.yml builds them (same Dockerfiles, targets and SOURCE_DATE_EPOCH,
# timestamps rewritten), from the committed tree of IMAGES_REF (default HEAD: git archive,
# so uncommitted edits never reach an image), with the base images of base-images.sh passed
# as build arguments, pushed to the local registry by commit SHA; the digests go into
# .cache/deploy/images.yml (the pins format make deploy and make cluster read). Per-stage
# times in .cache/deploy/images-report.md. With syft built (build-tools.sh syft), a
# CycloneDX SBOM per image too. Then image-check.py reads each image back from the registry:
# numeric non-root user, and no devDependency in the API's node_modules. Needs root (buildkitd).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=pins.sh
source "$(dirname "${BASH_SOURCE[0]}")/pins.sh"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
out="$REPO/.cache/deploy"
ref="$(git -C "$REPO" rev-parse "${IMAGES_REF:-HEAD}")"
reg=$(bash "$HERE/registry.sh" addr) || { echo "images.sh: no local registry: make registry-up" >&2; exit 1; }
[[ -f $out/base-images.env && $(grep -c "^NODE_IMAGE=$reg/" "$out/base-images.env") == 1 ]] || bash "$HERE/base-images.sh"
# shellcheck disable=SC1091
source "$out/base-images.env"
sock=$(bash "$HERE/buildkit.sh" up)
buildctl="$(bash "$HERE/build-tools.sh" buildkit)/buildctl"
read -ra IMAGES <<<"${IMAGES_ONLY:-api migrate web}"

# IMAGES_API_REF: the API's sources from another commit (the previous release, for the N-1
# checks) built with this commit's Dockerfiles and lockfile, as make schema-compat runs it.
api_ref="$(git -C "$REPO" rev-parse "${IMAGES_API_REF:-$ref}")"
ctx="$out/context/$ref${IMAGES_API_REF:+-api-$api_ref}"
if [[ ! -f $ctx/.complete ]]; then
  rm -rf "$ctx"; mkdir -p "$ctx"
  git -C "$REPO" archive --format=tar "$ref" | tar -x -C "$ctx"
  if [[ $api_ref != "$ref" ]]; then
    rm -rf "$ctx/services/api"
    git -C "$REPO" archive --format=tar "$api_ref" services/api | tar -x -C "$ctx"
    # This commit's manifest (the lockfile is this commit's) and Dockerfile.
    git -C "$REPO" show "$ref:services/api/package.json" >"$ctx/services/api/package.json"
    git -C "$REPO" show "$ref:services/api/Dockerfile" >"$ctx/services/api/Dockerfile"
  fi
  touch "$ctx/.complete"
fi
tag="$ref"; [[ $api_ref != "$ref" ]] && tag="$api_ref"
epoch=$(git -C "$REPO" log -1 --format=%ct "$ref")
report="$out/images-report.md"
{ echo "| image | build + push | digest |"; echo "| --- | --- | --- |"; } >"$report"
pins="$out/images.yml.tmp"; : >"$pins"
# The CA of a TLS-re-signing proxy between this machine and the npm registry, as a build secret.
secret=()
ca="${NODE_EXTRA_CA_CERTS:-}"
[[ -n $ca && -f $ca ]] && secret=(--secret "id=ca-certificates,src=$ca")
total=$SECONDS
for name in "${IMAGES[@]}"; do
  case $name in
    api | migrate) file=services/api/Dockerfile ;;
    web) file=web/Dockerfile ;;
    *) echo "images.sh: unknown image $name" >&2; exit 2 ;;
  esac
  s=$SECONDS
  "$buildctl" --addr "$sock" build --progress=plain --frontend dockerfile.v0 \
    --local context="$ctx" --local dockerfile="$ctx/$(dirname "$file")" --opt filename="$(basename "$file")" \
    --opt target="$name" --opt build-arg:NODE_IMAGE="$NODE_IMAGE" --opt build-arg:NGINX_IMAGE="$NGINX_IMAGE" \
    --opt build-arg:SOURCE_DATE_EPOCH="$epoch" "${secret[@]}" \
    --opt label:org.opencontainers.image.revision="$ref" \
    --output "type=image,name=$reg/dhakacart/$name:$tag,push=true,rewrite-timestamp=true" \
    --metadata-file "$out/metadata-$name.json" >"$out/build-$name.log" 2>&1 \
    || { tail -40 "$out/build-$name.log"; echo "images.sh: $name failed (log: ${out#"$REPO"/}/build-$name.log)" >&2; exit 1; }
  digest=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["containerimage.digest"])' "$out/metadata-$name.json")
  printf '%s: {repository: "%s", tag: "%s", digest: "%s"}\n' "$name" "$reg/dhakacart/$name" "$tag" "$digest" >>"$pins"
  echo "| $name | $((SECONDS - s)) s | \`$digest\` |" >>"$report"
  echo "$name: $reg/dhakacart/$name:$tag@$digest ($((SECONDS - s)) s)"
done
mv "$pins" "$out/images.yml"
echo "| all | $((SECONDS - total)) s | |" >>"$report"
# What the images hold, read back from the registry: non-root user, no devDependencies.
if ! python3 "$HERE/image-check.py" "$reg" "$out/images.yml" "$ctx/package-lock.json" | tee "$out/image-check.txt"; then
  echo "images.sh: the built images break the image policy (above)" >&2; exit 1
fi
# And that the API image runs: as its own user, its native module (argon2) hashes, its
# server module loads. A prebuilt binary that segfaults on this CPU was caught here first.
if [[ " ${IMAGES[*]} " == *" api "* ]]; then
  run_ctx="$out/run-check"; rm -rf "$run_ctx"; mkdir -p "$run_ctx"
  api_digest=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["containerimage.digest"])' "$out/metadata-api.json")
  cat >"$run_ctx/Dockerfile" <<'EOF'
ARG IMAGE
FROM ${IMAGE}
RUN node -e "Promise.all([import('argon2').then((a) => a.default.hash('check')), import('pg'), import('fastify')]).then(() => console.log('api image runs: argon2 hashes, pg and fastify load as', process.getuid()))"
EOF
  if "$buildctl" --addr "$sock" build --progress=plain --no-cache --frontend dockerfile.v0 --local context="$run_ctx" --local dockerfile="$run_ctx" \
       --opt build-arg:IMAGE="$reg/dhakacart/api@$api_digest" >"$out/run-check.log" 2>&1; then
    grep -oE 'api image runs: [a-z, ]+ as [0-9]+$' "$out/run-check.log" | head -1
  else
    tail -15 "$out/run-check.log"; echo "images.sh: the API image does not run (log: ${out#"$REPO"/}/run-check.log)" >&2; exit 1
  fi
fi

syft_dir="$DEPLOY_TOOL_CACHE/syft-$SYFT_VERSION"
if [[ -f $syft_dir/.complete ]]; then
  s=$SECONDS
  for name in "${IMAGES[@]}"; do
    d=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["containerimage.digest"])' "$out/metadata-$name.json")
    SYFT_REGISTRY_INSECURE_USE_HTTP=true SYFT_CHECK_FOR_APP_UPDATE=false "$syft_dir/syft" scan -q \
      "registry:$reg/dhakacart/$name@$d" -o "cyclonedx-json=$out/sbom-$name.cdx.json"
  done
  echo "| SBOMs (syft, CycloneDX) | $((SECONDS - s)) s | |" >>"$report"
fi
echo "pins: ${out#"$REPO"/}/images.yml"; cat "$report"
