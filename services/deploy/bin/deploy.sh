#!/usr/bin/env bash
# `make deploy IMAGES=images.yml [DEPLOY_ENV=lab]`: the one deploy, from CI or by hand.
#   1. helm upgrade --install --rollback-on-failure --wait --timeout with the image digests
#      (a failed migration hook or pods that never become ready: Helm rolls back itself)
#   2. the smoke test through the ingress, as a shopper (src/smoke.ts)
#   3. helm test (the chart's test pod, from inside the namespace)
# A failure in 2 or 3 rolls back to the revision that served before. Any failure exits 1;
# every outcome is announced (src/notify-cli.ts). IMAGES: the pins file CI's build writes
# (api/web/migrate: {repository, tag, digest}); the same format as make cluster's images.yml.
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ -n ${IMAGES:-} && -f $IMAGES ]] || { echo "deploy.sh: IMAGES=<pins file> is required (got '${IMAGES:-}')" >&2; exit 2; }
values="$OUT/images.values.yaml"
python3 "$DEPLOY_HOME/bin/pins-to-values.py" "$IMAGES" >"$values" || { echo "deploy.sh: bad pins file $IMAGES" >&2; exit 2; }
DEPLOY_COMMIT="${DEPLOY_COMMIT:-$(python3 "$DEPLOY_HOME/bin/pins-to-values.py" --tag "$IMAGES")}"
export DEPLOY_COMMIT

PREVIOUS=$(deployed_revision)
log "deploying $DEPLOY_COMMIT to $DEPLOY_ENV (release $DEPLOY_RELEASE, serving revision: ${PREVIOUS:-none})"
read -ra extra_args <<<"${DEPLOY_EXTRA_ARGS:-}"
values_args=()
IFS=',' read -ra vfiles <<<"$DEPLOY_VALUES"
for f in "${vfiles[@]}"; do values_args+=(-f "$f"); done

if ! stage deploy h upgrade --install "$DEPLOY_RELEASE" "$DEPLOY_CHART" "${values_args[@]}" -f "$values" \
     "${extra_args[@]}" --rollback-on-failure --wait --timeout "$DEPLOY_TIMEOUT"; then
  why=$(grep -E '^Error|failed|FAILED' "$STAGE_LOG" | tail -1 | cut -c1-300)
  if [[ -n $PREVIOUS ]]; then
    finish rolled_back 1 "helm upgrade failed and Helm rolled back to the previous release: ${why:-see the job log}"
  fi
  finish failure 1 "helm install failed (no previous release to return to): ${why:-see the job log}"
fi

reason=""
stage smoke smoke || reason="the smoke test through the ingress failed after the rollout"
[[ -z $reason ]] && { stage helm-test helm_test || reason="helm test failed after the rollout"; }
if [[ -z $reason ]]; then finish success 0; fi

if [[ -z $PREVIOUS ]]; then finish failure 1 "$reason; first install, nothing to roll back to"; fi
if stage rollback h rollback "$DEPLOY_RELEASE" "$PREVIOUS" --wait --timeout "$DEPLOY_TIMEOUT"; then
  if stage smoke-after-rollback smoke; then
    finish rolled_back 1 "$reason; rolled back to revision $PREVIOUS, which passes the smoke test"
  fi
  finish rolled_back 1 "$reason; rolled back to revision $PREVIOUS, but the smoke test still FAILS: the fault is not in this release"
fi
finish failure 1 "$reason; the rollback to revision $PREVIOUS FAILED too: see docs/runbooks/deploy.md, a stuck release"
