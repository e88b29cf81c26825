# shellcheck shell=bash
# Shared by deploy.sh and rollback.sh: the environment's settings, helm, stage timing, the
# report (.cache/deploy/report.{md,json}) and the notification. Paths are relative to the repo.
DEPLOY_HOME="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
REPO="$(cd "$DEPLOY_HOME/../.." && pwd)"
cd "$REPO" || exit 1
DEPLOY_ENV="${DEPLOY_ENV:-lab}"
# DEPLOY_ENV_FILE: another settings file (the tests' stand-in environment).
DEPLOY_ENV_FILE="${DEPLOY_ENV_FILE:-$DEPLOY_HOME/environments/$DEPLOY_ENV.env}"
[[ -f $DEPLOY_ENV_FILE ]] || { echo "no environment $DEPLOY_ENV (services/deploy/environments/)" >&2; exit 2; }
# Settings from the environment file (and the one it names in DEPLOY_INHERIT), unless the
# caller set them already: the file is read as data, never executed.
load_env() { # file
  local k v
  while IFS='=' read -r k v; do
    [[ $k =~ ^[A-Z_]+$ && -z ${!k:-} ]] && export "$k=$v"
  done < <(grep -E '^[A-Z_]+=' "$1")
  if [[ -n ${DEPLOY_INHERIT:-} ]]; then
    local i=$DEPLOY_INHERIT; unset DEPLOY_INHERIT; load_env "$DEPLOY_HOME/environments/$i.env"
  fi
}
load_env "$DEPLOY_ENV_FILE"
HELM="${DEPLOY_HELM:-helm}"
export KUBECONFIG="${KUBECONFIG:-$HOME/.kube/config}"
OUT="${DEPLOY_OUT:-$REPO/.cache/deploy}"
mkdir -p "$OUT"
TSX=("$REPO/node_modules/.bin/tsx")
STARTED=$(date +%s)
STAGES=""          # name=seconds[:failed],...
STAGE_LOG="$OUT/stages.log"
: >"$STAGE_LOG"

log() { printf '%s %s\n' "$(date -u +%H:%M:%S)" "$*"; }
h() { "$HELM" "$@" -n "$DEPLOY_NAMESPACE"; }

# stage NAME CMD...: runs CMD, records its time; returns its status.
stage() {
  local name=$1 t0 rc; shift
  t0=$(date +%s)
  log "stage $name: $*"
  "$@" 2>&1 | tee -a "$STAGE_LOG"
  rc=${PIPESTATUS[0]}
  local secs=$(($(date +%s) - t0))
  STAGES+="${STAGES:+,}$name=$secs$([[ $rc -eq 0 ]] || echo :failed)"
  log "stage $name: $([[ $rc -eq 0 ]] && echo ok || echo "FAILED (exit $rc)") in ${secs}s"
  return "$rc"
}

# The newest revision whose status is "deployed" (what serves now), or nothing.
deployed_revision() {
  h history "$DEPLOY_RELEASE" --max 50 -o json 2>/dev/null |
    python3 -c 'import json, sys
revs = [r["revision"] for r in json.load(sys.stdin) if r["status"] == "deployed"]
print(max(revs) if revs else "")' 2>/dev/null
}
latest_revision() {
  h history "$DEPLOY_RELEASE" --max 1 -o json 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)[-1]["revision"])' 2>/dev/null
}

smoke() {
  "${TSX[@]}" "$DEPLOY_HOME/src/smoke.ts" --url "$DEPLOY_URL" ${DEPLOY_RESOLVE:+--resolve "$DEPLOY_RESOLVE"} \
    ${DEPLOY_CA:+--ca "$DEPLOY_CA"} --retry-seconds "${DEPLOY_SMOKE_SECONDS:-60}" --out "$OUT/smoke.json"
}
helm_test() { h test "$DEPLOY_RELEASE" --logs --timeout "${DEPLOY_TEST_TIMEOUT:-5m}"; }

# finish STATUS EXIT [reason]: report, notification, exit.
finish() {
  local status=$1 code=$2 reason=${3:-} duration revision
  duration=$(($(date +%s) - STARTED))
  revision=$(deployed_revision)
  local c2p=""
  if [[ -n ${DEPLOY_STARTED:-} ]] && t=$(date -d "$DEPLOY_STARTED" +%s 2>/dev/null); then c2p=$(($(date +%s) - t)); fi
  {
    echo "| | |"; echo "| --- | --- |"
    echo "| outcome | **$status** |"
    echo "| environment | $DEPLOY_ENV (release $DEPLOY_RELEASE in $DEPLOY_NAMESPACE) |"
    echo "| revision serving | ${revision:-none} (before: ${PREVIOUS:-none}) |"
    echo "| duration | ${duration}s |"
    [[ -n $c2p ]] && echo "| commit to production | ${c2p}s |"
    [[ -n $reason ]] && echo "| reason | $reason |"
    echo "| stages | ${STAGES//,/, } |"
  } >"$OUT/report.md"
  python3 - "$OUT/report.json" "$status" "$DEPLOY_ENV" "$duration" "${revision:-}" "${PREVIOUS:-}" "$STAGES" "$reason" "$c2p" <<'PY'
import json, sys
out, status, env, duration, rev, prev, stages, reason, c2p = sys.argv[1:]
st = []
for s in filter(None, stages.split(",")):
    name, rest = s.split("=")
    secs, _, flag = rest.partition(":")
    st.append({"name": name, "seconds": int(secs), "ok": flag != "failed"})
json.dump({"status": status, "environment": env, "durationSeconds": int(duration),
           "revision": int(rev) if rev else None, "previousRevision": int(prev) if prev else None,
           "stages": st, "reason": reason, "commitToProductionSeconds": int(c2p) if c2p else None},
          open(out, "w"), indent=2)
PY
  log "$status: $reason (report: ${OUT#"$REPO"/}/report.md)"
  "${TSX[@]}" "$DEPLOY_HOME/src/notify-cli.ts" --status "$status" --environment "$DEPLOY_ENV" --release "$DEPLOY_RELEASE" \
    --duration "$duration" ${revision:+--revision "$revision"} ${PREVIOUS:+--previous-revision "$PREVIOUS"} \
    --stages "$STAGES" ${reason:+--reason "$reason"} ${DEPLOY_COMMIT:+--commit "$DEPLOY_COMMIT"} \
    || echo "::warning::the $status notification could not be delivered (see above)"
  exit "$code"
}
