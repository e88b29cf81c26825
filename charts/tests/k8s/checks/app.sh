#!/usr/bin/env bash
# The shop on the live cluster: the app chart installed with the k8s profile
# (charts/dhakacart/values-k8s.yaml) over the real data tier (checks/data.sh:
# CloudNativePG, the data chart's Redis and NetworkPolicies), behind Traefik
# with TLS from the lab CA. Then:
#   1. helm install --wait (migrate + seed hook Job) and helm test, in a namespace
#      that enforces Pod Security "restricted"; the API pods spread over the nodes
#   2. HTTPS through the ingress from the host (curl with the lab CA): the
#      storefront, /v1/products, and http:// answered with a redirect to https://
#   3. NetworkPolicy: a pod the policies do not name cannot reach the API; the
#      ingress controller's identity (kube-system, app.kubernetes.io/name=traefik) can
#   4. rolling upgrade under shopper load through the ingress: zero failed requests
#   5. an API pod deleted under the same load is replaced: zero failed requests
# Exits non-zero on the first failure. Needs the images from images/build-app-images.sh.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
[[ -x "$HELM" ]] || fail "no helm at ${HELM#"$K8S_ROOT"/}: run make setup"
NS=dhakacart
TAG="${APP_TAG:-local}"
API_IMAGE="dhakacart.local/dhakacart/api:$TAG"
images="$(k8s_ctr images ls -q 2>/dev/null)"
grep -qx "$API_IMAGE" <<<"$images" || fail "image $API_IMAGE not in containerd: run images/build-app-images.sh"
kubectl -n "$NS" get cluster dhakacart-db >/dev/null 2>&1 || fail "no data tier in $NS: run checks/data.sh first"
kubectl delete pod -n kube-system -l dhakacart.io/k8s-check=load --ignore-not-found >/dev/null
OUT="$K8S_RUN/checks"; mkdir -p "$OUT"

# The Secret the chart's Certificate names, from the lab CA (cert-manager's
# controller cannot be built here: platform.sh). The Certificate object itself is
# installed by the chart and accepted by cert-manager's CRD.
k8s_lab_cert "$NS" dhakacart-shop-tls shop.dhakacart.lab

# --- 1. install and helm test ------------------------------------------------------------
values=(-f "$K8S_ROOT/charts/dhakacart/values-k8s.yaml" --set api.image.tag="$TAG" --set web.image.tag="$TAG")
start=$(date +%s)
"$HELM" upgrade --install dhakacart "$K8S_ROOT/charts/dhakacart" -n "$NS" "${values[@]}" --wait --timeout 8m >/dev/null \
  || { kubectl -n "$NS" get pods,jobs -o wide >&2; kubectl -n "$NS" logs -l app.kubernetes.io/component=migrate --all-containers --tail=30 >&2 || true; fail "helm install"; }
say "helm install (migrate + seed hook, rollout) done in $(($(date +%s) - start)) s"
out="$("$HELM" test dhakacart -n "$NS" --logs 2>&1)" || { echo "$out" >&2; fail "helm test"; }
say "helm test passed: $(grep -m1 -i 'phase' <<<"$out" | tr -s ' ')"
spread="$(kubectl -n "$NS" get pods -l app.kubernetes.io/component=api -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort | uniq -c | awk '{printf "%s:%s ", $2, $1}')"
[[ "$(wc -w <<<"$spread")" == "$(k8s_nodes | wc -l)" ]] || fail "API pods not on every node: $spread"
say "API pods per node: $spread"

# --- 2. HTTPS through the ingress, from the host ---------------------------------------------
for _ in $(seq 1 30); do [[ "$(shop_curl /v1/products?limit=1 -o /dev/null -w '%{http_code}' 2>/dev/null)" == 200 ]] && break; sleep 1; done
page="$(shop_curl / 2>&1)" || fail "storefront over HTTPS: $page"
grep -qi '<div id="root"' <<<"$page" || grep -qi '<!doctype html' <<<"$page" || fail "storefront answer is not the page: ${page:0:200}"
products="$(shop_curl '/v1/products?limit=3' 2>&1)" || fail "/v1/products over HTTPS: $products"
grep -q '"items":\[{' <<<"$products" || fail "/v1/products: ${products:0:200}"
issuer="$(echo | openssl s_client -connect "$K8S_INGRESS_IP:443" -servername shop.dhakacart.lab 2>/dev/null | openssl x509 -noout -issuer 2>/dev/null)"
redirect="$(curl -sS --max-time 10 --resolve "shop.dhakacart.lab:80:$K8S_INGRESS_IP" -o /dev/null -w '%{http_code} %{redirect_url}' http://shop.dhakacart.lab/v1/products)"
[[ "$redirect" =~ ^30[18]\ https://shop.dhakacart.lab/v1/products$ ]] || fail "http:// answered '$redirect'"
say "HTTPS via Traefik at $K8S_INGRESS_IP, verified with the lab CA ($issuer): storefront page and /v1/products ($(grep -o '"id":[0-9]*' <<<"$products" | wc -l) items); http:// -> $redirect"

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

# --- 3. NetworkPolicy ----------------------------------------------------------------------
# The same client without the ingress identity, inside the shop's namespace.
load_pod np-stranger 8 "$NS" ""
r="$(load_result np-stranger "$NS")"
grep -q '"ok":0,' <<<"$r" || fail "a pod with no allowed labels reached the API through the policies: $r"
say "NetworkPolicy: an unlabelled pod in $NS cannot reach the API: $r"
load_pod np-ingress 3
r="$(load_result np-ingress)"
if ! grep -q '"failed":0' <<<"$r" || grep -q '"ok":0' <<<"$r"; then fail "the ingress identity could not use the API: $r"; fi
say "NetworkPolicy: the ingress controller's identity reaches the API: $r"

# --- 4. rolling upgrade under shopper load through the ingress ----------------------------------
shopper 75 "$OUT/app-rollout.json" >"$OUT/app-rollout.log" 2>&1 &
load=$!
sleep 10
start=$(date +%s)
"$HELM" upgrade dhakacart "$K8S_ROOT/charts/dhakacart" -n "$NS" "${values[@]}" \
  --set api.logLevel=warn --wait --timeout 5m >/dev/null || fail "helm upgrade"
say "helm upgrade (new pod template: logLevel warn) rolled out in $(($(date +%s) - start)) s"
wait "$load" || { cat "$OUT/app-rollout.log" >&2; fail "shopper load failed"; }
say "shoppers during the rolling upgrade: $(cat "$OUT/app-rollout.log")"
no_failures "$OUT/app-rollout.json" || fail "requests failed during the rolling upgrade"

# --- 5. delete an API pod under the same load ---------------------------------------------------
shopper 50 "$OUT/app-kill.json" >"$OUT/app-kill.log" 2>&1 &
load=$!
sleep 10
replicas="$(kubectl -n "$NS" get deploy -l app.kubernetes.io/component=api -o jsonpath='{.items[0].spec.replicas}')"
victim="$(kubectl -n "$NS" get pods -l app.kubernetes.io/component=api -o jsonpath='{.items[0].metadata.name}')"
kubectl -n "$NS" delete pod "$victim" --wait=false >/dev/null
start=$(date +%s)
for _ in $(seq 1 90); do
  ready="$(kubectl -n "$NS" get deploy -l app.kubernetes.io/component=api -o jsonpath='{.items[0].status.readyReplicas}')"
  [[ "$ready" == "$replicas" ]] && ! kubectl -n "$NS" get pod "$victim" >/dev/null 2>&1 && break
  sleep 1
done
[[ "$ready" == "$replicas" ]] || fail "API did not get back to $replicas ready pods after deleting $victim"
say "API pod $victim deleted: replaced, $ready/$replicas ready after $(($(date +%s) - start)) s"
wait "$load" || { cat "$OUT/app-kill.log" >&2; fail "shopper load failed"; }
say "shoppers while the pod was replaced: $(cat "$OUT/app-kill.log")"
no_failures "$OUT/app-kill.json" || fail "requests failed while an API pod was replaced"
say PASS
