#!/usr/bin/env bash
# `make rollback REVISION=N [DEPLOY_ENV=lab] [ROLLBACK_REASON=...]`: return the app to Helm
# revision N (helm history dhakacart -n dhakacart), wait for it, check it as a shopper and
# with helm test, announce it. Rollback never undoes migrations: expand/contract keeps the
# older API working on the newer schema (docs/runbooks/deploy.md).
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ ${REVISION:-} =~ ^[1-9][0-9]*$ ]] || { echo "rollback.sh: REVISION=<helm revision> is required (helm history $DEPLOY_RELEASE -n $DEPLOY_NAMESPACE)" >&2; exit 2; }
PREVIOUS=$(deployed_revision)
why="${ROLLBACK_REASON:-by hand}"
log "rolling $DEPLOY_RELEASE in $DEPLOY_ENV back to revision $REVISION (serving: ${PREVIOUS:-none}): $why"
h history "$DEPLOY_RELEASE" --max 50 -o json | python3 -c 'import json, sys
revs = {r["revision"] for r in json.load(sys.stdin)}
sys.exit(0 if int(sys.argv[1]) in revs else 1)' "$REVISION" \
  || { echo "rollback.sh: revision $REVISION is not in the history of $DEPLOY_RELEASE (helm keeps the last 10 by default)" >&2; exit 2; }

stage rollback h rollback "$DEPLOY_RELEASE" "$REVISION" --wait --timeout "$DEPLOY_TIMEOUT" \
  || finish failure 1 "helm rollback to revision $REVISION failed ($why)"
stage smoke smoke || finish failure 1 "rolled back to revision $REVISION, but the smoke test fails ($why)"
stage helm-test helm_test || finish failure 1 "rolled back to revision $REVISION, but helm test fails ($why)"
finish manual_rollback 0 "back on revision $REVISION: $why"
