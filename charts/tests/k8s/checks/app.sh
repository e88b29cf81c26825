#!/usr/bin/env bash
# The shop on the live cluster: the app chart (dev profile) installed for real,
# with the data chart's own NetworkPolicies and Redis and a PostgreSQL stand-in
# (no CloudNativePG operator here). Then:
#   1. helm install --wait (migrate + seed hook Job) and helm test, in a namespace
#      that enforces Pod Security "restricted"
#   2. NetworkPolicy: a pod the policies do not name cannot reach the API; the
#      ingress controller's identity (kube-system, app.kubernetes.io/name=traefik) can
#   3. rolling upgrade under load: zero failed requests
#   4. an API pod deleted under load is replaced: zero failed requests
# Exits non-zero on the first failure. Needs the images from images/build-app-images.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HELM="$K8S_ROOT/.cache/charts/bin/helm"
[[ -x "$HELM" ]] || fail "no helm at ${HELM#"$K8S_ROOT"/}: run make setup"
NS=dhakacart
TAG="${APP_TAG:-local}"
API_IMAGE="dhakacart.local/dhakacart/api:$TAG"
DATA_IMAGE="dhakacart.local/dhakacart/data:$TAG"
images="$(k8s_ctr images ls -q 2>/dev/null)"
grep -qx "$API_IMAGE" <<<"$images" || fail "image $API_IMAGE not in containerd: run images/build-app-images.sh"

kubectl delete namespace "$NS" --ignore-not-found --wait=true >/dev/null
kubectl create namespace "$NS" >/dev/null
# As in the lab (Ansible's platform role): Pod Security "restricted", enforced by
# the real admission plugin here, so a non-compliant pod in either chart fails.
kubectl label namespace "$NS" pod-security.kubernetes.io/enforce=restricted >/dev/null
kubectl delete pod -n kube-system -l dhakacart.io/k8s-check=load --ignore-not-found >/dev/null

# --- data: the data chart's NetworkPolicies and Redis, our PostgreSQL stand-in ----------
"$HELM" template dhakacart-data "$K8S_ROOT/charts/dhakacart-data" -n "$NS" -f "$K8S_ROOT/charts/dhakacart-data/values-dev.yaml" \
  --set redis.image.repository="${DATA_IMAGE%:*}" --set redis.image.tag="$TAG" --set redis.exporter.enabled=false \
  --show-only templates/networkpolicy.yaml --show-only templates/redis-secret.yaml \
  --show-only templates/redis-deployment.yaml --show-only templates/redis-service.yaml \
  | kubectl apply -n "$NS" -f - >/dev/null
password="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
sed -e "s|@PASSWORD@|$password|g" -e "s|@DATA_IMAGE@|$DATA_IMAGE|g" "$K8S_HERE/manifests/postgres-standin.yaml" | kubectl apply -f - >/dev/null
kubectl -n "$NS" rollout status deploy/dhakacart-db-1 deploy/dhakacart-redis --timeout=120s >/dev/null \
  || { kubectl -n "$NS" get pods >&2; fail "PostgreSQL stand-in or Redis not ready"; }
say "data: PostgreSQL stand-in and the data chart's Redis + NetworkPolicies are up"

# --- 1. install and helm test ------------------------------------------------------------
values=(-f "$K8S_ROOT/charts/dhakacart/values-dev.yaml"
  --set api.image.repository="${API_IMAGE%:*}" --set api.image.tag="$TAG" --set api.image.pullPolicy=Never
  --set web.image.repository="dhakacart.local/dhakacart/web" --set web.image.tag="$TAG" --set web.image.pullPolicy=Never
  # Two API pods so a rollout or a lost pod never leaves zero ready; no Traefik/cert-manager here.
  --set api.replicas=2 --set api.hpa.minReplicas=2 --set ingress.enabled=false)
start=$(date +%s)
"$HELM" install dhakacart "$K8S_ROOT/charts/dhakacart" -n "$NS" "${values[@]}" --wait --timeout 5m >/dev/null \
  || { kubectl -n "$NS" get pods,jobs >&2; kubectl -n "$NS" logs -l app.kubernetes.io/component=migrate --all-containers --tail=30 >&2 || true; fail "helm install"; }
say "helm install (migrate + seed hook, rollout) done in $(($(date +%s) - start)) s"
out="$("$HELM" test dhakacart -n "$NS" --logs 2>&1)" || { echo "$out" >&2; fail "helm test"; }
say "helm test passed: $(grep -m1 -i 'phase' <<<"$out" | tr -s ' ')"

api_svc="$(kubectl -n "$NS" get svc -l app.kubernetes.io/component=api -o jsonpath='{.items[0].metadata.name}')"
api_port="$(kubectl -n "$NS" get svc "$api_svc" -o jsonpath='{.spec.ports[0].port}')"
api_url="http://$api_svc.$NS.svc:$api_port"

# A load generator with the ingress controller's identity (the only one the API
# policy admits besides the helm test). Node's fetch with keep-alive, like Traefik.
# load_pod <name> <seconds> [namespace] [labels]
load_pod() {
  local ns="${3:-kube-system}" labels="${4:-app.kubernetes.io/name: traefik, }"
  kubectl -n "$ns" delete pod "$1" --ignore-not-found --wait=true >/dev/null
  kubectl -n "$ns" apply -f - >/dev/null <<EOF
apiVersion: v1
kind: Pod
metadata:
  name: $1
  labels: {${labels}dhakacart.io/k8s-check: load}
spec:
  restartPolicy: Never
  securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: load
      image: $API_IMAGE
      imagePullPolicy: Never
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      command:
        - node
        - -e
        - |
          // One connection per request (agent: false), as a proxy re-balancing
          // per request would; a keep-alive connection through the ClusterIP stays
          // pinned to its pod by conntrack, which is not how Traefik reaches pods.
          // ~8 req/s in all: under the API's per-client rate limit (600/min).
          const http = require("node:http");
          const end = Date.now() + 3000 + $2 * 1000, urls = ["$api_url/v1/products?limit=5", "$api_url/readyz"];
          const stats = { ok: 0, failed: 0, errors: {} };
          const get = (url) => new Promise((resolve, reject) => {
            const req = http.get(url, { agent: false, timeout: 5000 }, (res) => { res.resume(); res.on("end", () => resolve(res.statusCode)); });
            req.on("timeout", () => req.destroy(Object.assign(new Error("timeout"), { code: "TIMEOUT" })));
            req.on("error", reject);
          });
          const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
          async function worker() {
            for (let i = 0; Date.now() < end; i++) {
              try {
                const status = await get(urls[i % 2]);
                if (status === 200) stats.ok++; else { stats.failed++; stats.errors[status] = (stats.errors[status] || 0) + 1; }
              } catch (e) { stats.failed++; const k = String(e.code || e.name); stats.errors[k] = (stats.errors[k] || 0) + 1; }
              await sleep(450);
            }
          }
          // kube-router adds a new pod's IP to the policies' ipsets a moment after
          // the pod starts; until then its packets are rejected. A real ingress
          // pod is long-lived, so give the enforcer 3 s before counting.
          new Promise(r => setTimeout(r, 3000)).then(() => Promise.all([worker(), worker(), worker(), worker()])).then(() => console.log("RESULT " + JSON.stringify(stats)));
EOF
  kubectl -n "$ns" wait --for=condition=Ready "pod/$1" --timeout=60s >/dev/null || fail "load pod $1 did not start"
}
# load_result <name> [namespace]: waits for the pod to finish, prints its counts.
load_result() {
  local ns="${2:-kube-system}" r
  kubectl -n "$ns" wait --for=jsonpath='{.status.phase}'=Succeeded "pod/$1" --timeout=180s >/dev/null || fail "load pod $1 did not finish"
  r="$(kubectl -n "$ns" logs "$1" | grep '^RESULT ' | cut -d' ' -f2-)"
  [[ -n "$r" ]] || fail "load pod $1 printed no result"
  echo "$r"
}

# --- 2. NetworkPolicy ----------------------------------------------------------------------
# The same client without the ingress identity, inside the shop's namespace.
load_pod np-stranger 8 "$NS" ""
r="$(load_result np-stranger "$NS")"
grep -q '"ok":0,' <<<"$r" || fail "a pod with no allowed labels reached the API through the policies: $r"
say "NetworkPolicy: an unlabelled pod in $NS cannot reach the API: $r"
load_pod np-ingress 3
r="$(load_result np-ingress)"
if ! grep -q '"failed":0' <<<"$r" || grep -q '"ok":0' <<<"$r"; then fail "the ingress identity could not use the API: $r"; fi
say "NetworkPolicy: the ingress controller's identity reaches the API: $r"

# --- 3. rolling upgrade under load -----------------------------------------------------------
load_pod load-rollout 75
start=$(date +%s)
"$HELM" upgrade dhakacart "$K8S_ROOT/charts/dhakacart" -n "$NS" "${values[@]}" \
  --set api.logLevel=warn --wait --timeout 5m >/dev/null || fail "helm upgrade"
say "helm upgrade (new pod template: logLevel warn) rolled out in $(($(date +%s) - start)) s"
r="$(load_result load-rollout)"
say "requests during the rolling upgrade: $r"
grep -q '"failed":0' <<<"$r" || fail "requests failed during the rolling upgrade: $r"

# --- 4. delete an API pod under load ---------------------------------------------------------
load_pod load-kill 45
sleep 5
victim="$(kubectl -n "$NS" get pods -l app.kubernetes.io/component=api -o jsonpath='{.items[0].metadata.name}')"
kubectl -n "$NS" delete pod "$victim" --wait=false >/dev/null
start=$(date +%s)
for _ in $(seq 1 60); do
  ready="$(kubectl -n "$NS" get deploy -l app.kubernetes.io/component=api -o jsonpath='{.items[0].status.readyReplicas}')"
  [[ "$ready" == 2 ]] && ! kubectl -n "$NS" get pod "$victim" >/dev/null 2>&1 && break
  sleep 1
done
[[ "$ready" == 2 ]] || fail "API did not get back to 2 ready pods after deleting $victim"
say "API pod $victim deleted: replaced, 2/2 ready after $(($(date +%s) - start)) s"
r="$(load_result load-kill)"
say "requests while the pod was replaced: $r"
grep -q '"failed":0' <<<"$r" || fail "requests failed while an API pod was replaced: $r"
kubectl delete pod -n kube-system -l dhakacart.io/k8s-check=load --wait=false >/dev/null
say PASS
