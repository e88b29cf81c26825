#!/usr/bin/env bash
# Live delivery checks on the local Kubernetes (issue #15), after the `app` check installed
# the shop (charts/tests/k8s/checks/app.sh). Images come from the project's Dockerfiles, built
# by BuildKit (make images) and pushed to the local registry on the cluster bridge
# (10.250.0.1:5000), which the nodes pull from by digest, as the lab pulls from GHCR. Every
# deploy and rollback goes through `make deploy` / `make rollback` (DEPLOY_ENV=k8s), and every
# notification goes to a local webhook receiver. In order:
#   1. N-1: the previous release's images (built from the commit before the newest migration)
#   2. good release (this commit) under shopper load: 0 failed requests, new digest serving
#   3. bad release (an API that never becomes ready) under shopper load: Helm rolls back by
#      itself, 0 failed requests, the job fails, a rolled_back notification
#   4. a release whose smoke test fails after the rollout (the Ingress moved to another host):
#      rolled back by the script, notified
#   5. manual rollback to revision N: the N-1 release on today's (newest) schema, smoke test and
#      helm test pass (the expand/contract check, live); then back to the harness's release
# Prints one line per check with its numbers, the stage times, and "N passed, N failed".
set -uo pipefail
# shellcheck source-path=SCRIPTDIR source=../../../charts/tests/k8s/checks/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/../../../charts/tests/k8s/checks/lib.sh"
D="$K8S_ROOT/services/deploy"
OUT="$K8S_ROOT/.cache/deploy/k8s"
rm -rf "$OUT"; mkdir -p "$OUT"
passed=0 failed=0
ok() { passed=$((passed + 1)); echo "PASS $*"; }
ko() { failed=$((failed + 1)); echo "FAIL $*"; }
export DEPLOY_ENV=k8s REGISTRY="${REGISTRY:-$K8S_HOST_IP:5000}"
helm_() { "$HELM" "$@" -n dhakacart; }
kubectl -n dhakacart get deploy -l app.kubernetes.io/component=api >/dev/null 2>&1 || fail "no shop installed: run the app check first"
# The harness's own release (images imported into the nodes): the checks after this one run on it.
start_rev=$("$HELM" history dhakacart -n dhakacart --max 1 -o json | python3 -c 'import json, sys; print(json.load(sys.stdin)[-1]["revision"])')

# --- registry on the bridge, images --------------------------------------------------------
bash "$D/bin/registry.sh" down >/dev/null 2>&1 || true
bash "$D/bin/registry.sh" up || fail "registry"
t0=$(date +%s)
prev_ref=$(cd "$K8S_ROOT" && node --import tsx -e 'import("./services/deploy/src/schema-compat.ts").then(m => console.log(m.previousRelease().ref))')
bash "$D/bin/images.sh" >"$OUT/images.log" 2>&1 || { tail -20 "$OUT/images.log"; fail "images"; }
cp "$K8S_ROOT/.cache/deploy/images.yml" "$OUT/good.yml"; cp "$K8S_ROOT/.cache/deploy/images-report.md" "$OUT/images-report.md"
t1=$(date +%s)
# N-1: the previous release's API (its sources, today's Dockerfile and lockfile); today's storefront.
IMAGES_API_REF="$prev_ref" IMAGES_ONLY="api" bash "$D/bin/images.sh" >"$OUT/images-prev.log" 2>&1 || { tail -20 "$OUT/images-prev.log"; fail "images of the previous release"; }
{ grep '^api: ' "$K8S_ROOT/.cache/deploy/images.yml"; grep -v '^api: ' "$OUT/good.yml"; } >"$OUT/prev.yml"
t2=$(date +%s)
say "images (base images included): this commit (api, migrate, web) in $((t1 - t0)) s; the previous release's API ${prev_ref:0:12} in $((t2 - t1)) s"
good_api=$(sed -n 's/^api: .*digest: "\(sha256:[0-9a-f]*\)".*/\1/p' "$OUT/good.yml")
prev_api=$(sed -n 's/^api: .*digest: "\(sha256:[0-9a-f]*\)".*/\1/p' "$OUT/prev.yml")

# The bad release: this commit's API image with a server that never answers ready.
bad_ctx="$OUT/bad-image"; mkdir -p "$bad_ctx"
api_ref=$(sed -n 's/^api: {repository: "\([^"]*\)", tag: "\([^"]*\)", digest: "\([^"]*\)"}/\1:\2@\3/p' "$OUT/good.yml")
cat >"$bad_ctx/Dockerfile" <<'EOF'
ARG BASE
FROM ${BASE}
# Listens, but /readyz and /livez answer 503 forever: the pods never become ready.
CMD ["node", "-e", "require('node:http').createServer((q, s) => { s.statusCode = 503; s.end('never ready'); }).listen(3000)"]
EOF
"$(bash "$D/bin/build-tools.sh" buildkit)/buildctl" --addr "$(bash "$D/bin/buildkit.sh" up)" build --progress=quiet \
  --frontend dockerfile.v0 --local context="$bad_ctx" --local dockerfile="$bad_ctx" --opt build-arg:BASE="$api_ref" \
  --output "type=image,name=$REGISTRY/dhakacart/api:never-ready,push=true" --metadata-file "$bad_ctx/meta.json" >/dev/null 2>&1 || fail "bad image"
bad_api=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["containerimage.digest"])' "$bad_ctx/meta.json")
sed "s|^api: .*|api: {repository: \"$REGISTRY/dhakacart/api\", tag: \"never-ready\", digest: \"$bad_api\"}|" "$OUT/good.yml" >"$OUT/bad.yml"

# --- notifications: a local webhook receiver (bounded: 30 min) -----------------------------
hook_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
timeout 1800 python3 -c 'import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        open(sys.argv[2], "ab").write(body + b"\n"); self.send_response(200); self.end_headers(); self.wfile.write(b"ok")
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$hook_port" "$OUT/notifications.jsonl" &
hook_pid=$!
trap 'kill $hook_pid 2>/dev/null; bash "$D/bin/registry.sh" down >/dev/null 2>&1' EXIT
export NOTIFY_WEBHOOK_URL="http://127.0.0.1:$hook_port/hook" NOTIFY_SMTP_URL=""
last_notice() { tail -1 "$OUT/notifications.jsonl" 2>/dev/null | python3 -c 'import json, sys; print(json.load(sys.stdin)["text"])' 2>/dev/null; }
serving_digests() { kubectl -n dhakacart get pods -l app.kubernetes.io/component=api -o jsonpath='{range .items[*]}{.status.containerStatuses[0].imageID}{"\n"}{end}' | sed 's/.*@//' | sort | uniq -c | awk '{printf "%s x%s ", substr($2, 8, 12), $1}'; }
report_field() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$K8S_ROOT/.cache/deploy/report.json" "$1"; }
stages() { report_field '", ".join(f"{s[\"name\"]} {s[\"seconds\"]}s" + ("" if s["ok"] else " FAILED") for s in r["stages"])'; }
deploy() { # pins-file [extra helm args] -> exit status of make deploy
  DEPLOY_EXTRA_ARGS="${2:-}" IMAGES="$1" bash "$D/bin/deploy.sh" >>"$OUT/deploy.log" 2>&1
}
revision() { helm_ history dhakacart --max 1 -o json | python3 -c 'import json, sys; print(json.load(sys.stdin)[-1]["revision"])'; }

# --- 1. the previous release (N-1) ----------------------------------------------------------
if deploy "$OUT/prev.yml"; then
  prev_rev=$(revision)
  ok "N-1 release ${prev_ref:0:12} deployed as revision $prev_rev ($(stages)); API pods: $(serving_digests)"
else ko "N-1 release deploy: $(report_field 'r["reason"]')"; prev_rev=""; fi

# --- 2. good release under shopper load -------------------------------------------------------
shopper 150 "$OUT/good-load.json" >"$OUT/good-load.log" 2>&1 & load=$!
sleep 15
deploy "$OUT/good.yml"; rc=$?
good_rev=$(revision)
wait "$load"
digests=$(serving_digests)
if [[ $rc -eq 0 ]] && no_failures "$OUT/good-load.json" && [[ $digests == "${good_api:7:12} x"* && $(wc -w <<<"$digests") == 2 ]] && last_notice | grep -q 'deployed'; then
  ok "good release under shopper load: revision $good_rev, every API pod on ${good_api:7:12}, stages: $(stages); shoppers: $(cat "$OUT/good-load.log"); notified: $(last_notice)"
else ko "good release: rc=$rc pods=[$digests] load=$(cat "$OUT/good-load.log") notice=$(last_notice)"; fi

# --- 3. bad release (never ready) under shopper load: Helm rolls back -----------------------------
shopper 150 "$OUT/bad-load.json" >"$OUT/bad-load.log" 2>&1 & load=$!
sleep 15
DEPLOY_TIMEOUT=90s deploy "$OUT/bad.yml"; rc=$?
wait "$load"
digests=$(serving_digests)
if [[ $rc -ne 0 ]] && [[ $(report_field 'r["status"]') == rolled_back ]] && no_failures "$OUT/bad-load.json" &&
   [[ $digests == "${good_api:7:12} x"* && $(wc -w <<<"$digests") == 2 ]] && last_notice | grep -q 'FAILED and was rolled back'; then
  ok "bad release (API never ready): job failed (exit $rc), Helm rolled back to revision $(revision) in $(report_field 'r["durationSeconds"]') s, API pods still ${good_api:7:12}; shoppers: $(cat "$OUT/bad-load.log"); notified: $(last_notice)"
else ko "bad release: rc=$rc status=$(report_field 'r["status"]') pods=[$digests] load=$(cat "$OUT/bad-load.log") notice=$(last_notice)"; fi

# --- 4. smoke test fails after the rollout ----------------------------------------------------------
start=$(date +%s)
deploy "$OUT/good.yml" "--set ingress.host=shop-typo.dhakacart.lab"; rc=$?
if [[ $rc -ne 0 && $(report_field 'r["status"]') == rolled_back ]] && last_notice | grep -q 'rolled back' &&
   bash -c "source '$D/bin/lib.sh' && smoke" >"$OUT/smoke-after.log" 2>&1; then
  ok "smoke test failing after the rollout (Ingress host changed): rolled back by the script, shop answers again; $(stages); $(($(date +%s) - start)) s in all; notified: $(last_notice)"
else ko "smoke-failure release: rc=$rc status=$(report_field 'r["status"]') $(report_field 'r["reason"]'); $(tail -3 "$OUT/smoke-after.log")"; fi

# --- 5. manual rollback to revision N: the N-1 release on the newest schema ---------------------------
if [[ -n $prev_rev ]] && REVISION=$prev_rev ROLLBACK_REASON="live check: N-1 on the newest schema" bash "$D/bin/rollback.sh" >>"$OUT/deploy.log" 2>&1 &&
   [[ $(serving_digests) == "${prev_api:7:12} x"* ]] && last_notice | grep -q 'rolled back by hand'; then
  ok "manual rollback to revision $prev_rev (N-1 API ${prev_api:7:12} on the newest schema): smoke test and helm test pass; $(stages); notified: $(last_notice)"
else ko "manual rollback to revision ${prev_rev:-?}: $(report_field 'r["reason"]') pods=[$(serving_digests)]"; fi
# Leave the harness's release serving (its images need no registry), for the checks after this.
if REVISION=$start_rev ROLLBACK_REASON="live checks done" bash "$D/bin/rollback.sh" >>"$OUT/deploy.log" 2>&1; then
  ok "back on the harness's release (revision $start_rev): $(stages)"
else ko "rollback to the harness's release $start_rev: $(report_field 'r["reason"]')"; fi

echo "=== images"; cat "$OUT/images-report.md"
echo "=== helm history"; helm_ history dhakacart --max 12
echo "$passed passed, $failed failed"
((failed == 0))
