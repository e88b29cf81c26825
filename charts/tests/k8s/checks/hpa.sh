#!/usr/bin/env bash
# The API's HorizontalPodAutoscaler, live (metrics-server): CPU load on the API
# (catalog pages of 100 products that miss the cache, gzipped, from load pods
# with the ingress controller's identity, each under the API's per-address rate
# limit: the API's own CPU, not PostgreSQL's) scales it out beyond
# its minimum; after the load stops it scales back in (the chart's behaviour:
# 300 s stabilisation, then one pod a minute). Bounded: the load stops by itself.
# Needs checks/app.sh before it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NS=dhakacart LOAD_PODS="${LOAD_PODS:-6}" LOAD_SECONDS="${LOAD_SECONDS:-150}"
hpa="$(kubectl -n "$NS" get hpa -l app.kubernetes.io/component=api -o jsonpath='{.items[0].metadata.name}')"
[[ -n "$hpa" ]] || fail "no API HPA: run checks/app.sh first"
min="$(kubectl -n "$NS" get hpa "$hpa" -o jsonpath='{.spec.minReplicas}')"
for _ in $(seq 1 60); do
  cur="$(kubectl -n "$NS" get hpa "$hpa" -o jsonpath='{.status.currentMetrics[0].resource.current.averageUtilization}')"
  [[ -n "$cur" ]] && break; sleep 2
done
[[ -n "$cur" ]] || fail "the HPA reads no CPU metric (metrics-server)"
say "HPA $hpa: min $min, CPU now ${cur} % of requests (metrics-server answers)"

api_svc="$(kubectl -n "$NS" get svc -l app.kubernetes.io/component=api -o jsonpath='{.items[0].metadata.name}')"
api_port="$(kubectl -n "$NS" get svc "$api_svc" -o jsonpath='{.spec.ports[0].port}')"
API_IMAGE="dhakacart.local/dhakacart/api:${APP_TAG:-local}"
kubectl -n kube-system delete pod -l dhakacart.io/k8s-check=hpa --ignore-not-found --wait=true >/dev/null
for i in $(seq 1 "$LOAD_PODS"); do
  kubectl -n kube-system apply -f - >/dev/null <<EOF2
apiVersion: v1
kind: Pod
metadata:
  name: hpa-load-$i
  labels: {app.kubernetes.io/name: traefik, dhakacart.io/k8s-check: hpa}
spec:
  restartPolicy: Never
  securityContext: {runAsNonRoot: true, runAsUser: 10001, seccompProfile: {type: RuntimeDefault}}
  containers:
    - name: load
      image: $API_IMAGE
      imagePullPolicy: IfNotPresent
      resources: {requests: {cpu: 10m, memory: 32Mi}, limits: {memory: 128Mi}}
      securityContext: {allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: {drop: [ALL]}}
      command:
        - node
        - -e
        - |
          // Pages that miss the cache (a new minPrice each time), gzipped as for a
          // browser, 9 a second: under the per-address read limit (600/min).
          // Stops after $LOAD_SECONDS s.
          const http = require("node:http");
          const end = Date.now() + $LOAD_SECONDS * 1000; let ok = 0, failed = 0, i = 0;
          const tick = () => {
            if (Date.now() > end) { clearInterval(t); setTimeout(() => console.log("RESULT " + JSON.stringify({ ok, failed })), 3000); return; }
            const minPrice = $i * 2000 + (i++);
            http.get("http://$api_svc.$NS.svc:$api_port/v1/products?limit=100&minPrice=" + minPrice, { timeout: 5000, headers: { "accept-encoding": "gzip" } }, (res) => { res.resume(); res.statusCode === 200 ? ok++ : failed++; })
              .on("error", () => failed++);
          };
          const t = setInterval(tick, 111);
EOF2
done
start=$(date +%s) max="$min"
for _ in $(seq 1 $((LOAD_SECONDS / 5 + 6))); do
  r="$(kubectl -n "$NS" get hpa "$hpa" -o jsonpath='{.status.desiredReplicas} {.status.currentMetrics[0].resource.current.averageUtilization}')"
  ((${r%% *} > max)) && max="${r%% *}"
  sleep 5
done
say "under load: scaled to $max replicas (min $min; last CPU ${r#* } %) within $(($(date +%s) - start)) s"
kubectl -n kube-system delete pod -l dhakacart.io/k8s-check=hpa --wait=false >/dev/null
((max > min)) || fail "the HPA did not scale out (max $max)"
start=$(date +%s)
for _ in $(seq 1 120); do
  cur="$(kubectl -n "$NS" get hpa "$hpa" -o jsonpath='{.status.currentReplicas}')"
  ((cur <= min)) && break
  sleep 5
done
((cur <= min)) || fail "the HPA did not scale back in within 600 s (at $cur)"
say "after the load: back to $cur replicas in $(($(date +%s) - start)) s"
say PASS
