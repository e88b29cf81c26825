#!/usr/bin/env bash
# The weekly restore test's Kubernetes half, live (dhakacart-data's
# postgres-restore-test.yaml; runner services/api/src/ops/restore-test.ts).
# No CloudNativePG operator runs here, so the throwaway Cluster never becomes
# healthy: the run must fail on its deadline and still clean up. What it proves:
# the projected token and CA work, the Role lets the runner read the source
# Cluster and create, read and delete its own (and nothing more), the egress
# policy lets it reach the Kubernetes API, and the Cluster it asks for is
# accepted by the API server under CloudNativePG's CRD.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
HELM="$K8S_ROOT/.cache/charts/bin/helm"
CRD="$K8S_ROOT/.cache/charts/crds/cloudnative-pg/postgresql.cnpg.io_clusters.yaml"
[[ -x "$HELM" && -f "$CRD" ]] || fail "helm or the CloudNativePG CRDs missing: run make setup"
API_IMAGE="dhakacart.local/dhakacart/api:${APP_TAG:-local}"
k8s_ctr images ls -q 2>/dev/null | grep -qx "$API_IMAGE" || fail "image $API_IMAGE not in containerd: run images/build-app-images.sh"
NS=restore-check
SA="system:serviceaccount:$NS:dhakacart-db-restore-test"
fresh_namespace "$NS"
# The CRD is bigger than client-side apply's annotation allows.
kubectl apply --server-side --force-conflicts -f "$CRD" >/dev/null
for _ in $(seq 1 60); do kubectl get --raw /apis/postgresql.cnpg.io/v1 >/dev/null 2>&1 && break; sleep 1; done
kubectl get --raw /apis/postgresql.cnpg.io/v1 >/dev/null || fail "the Cluster CRD is not served"

# The production Cluster as the runner reads it (only a stored object here) and its app Secret.
kubectl -n "$NS" apply -f - >/dev/null <<EOF2
apiVersion: postgresql.cnpg.io/v1
kind: Cluster
metadata: {name: dhakacart-db}
spec:
  instances: 1
  imageName: ghcr.io/cloudnative-pg/postgresql:18.4-minimal-trixie
  storage: {size: 1Gi, storageClass: local-path}
---
apiVersion: v1
kind: Secret
metadata: {name: dhakacart-db-app}
stringData: {uri: "postgresql://app:not-used@dhakacart-db-rw.$NS:5432/app"}
EOF2

"$HELM" template dhakacart-data "$K8S_ROOT/charts/dhakacart-data" -n "$NS" \
  --set postgres.backup.enabled=true --set postgres.backup.restoreTest.readyTimeoutSeconds=60 \
  --set postgres.backup.restoreTest.image.repository="${API_IMAGE%:*}" --set postgres.backup.restoreTest.image.tag="${API_IMAGE##*:}" \
  --set "networkPolicy.kubeAPIServer.cidrs={$(k8s_api_cidrs)}" --set networkPolicy.kubeAPIServer.port="$K8S_API_PORT" \
  --show-only templates/postgres-restore-test.yaml --show-only templates/networkpolicy.yaml \
  | kubectl -n "$NS" apply -f - >/dev/null

# Least privilege, as the API server decides it.
can() { kubectl auth can-i "$@" -n "$NS" --as "$SA" 2>/dev/null || true; }
[[ "$(can create clusters.postgresql.cnpg.io)" == yes ]] || fail "the runner cannot create Clusters"
[[ "$(can get clusters.postgresql.cnpg.io/dhakacart-db)" == yes ]] || fail "the runner cannot read the source Cluster"
[[ "$(can delete clusters.postgresql.cnpg.io/dhakacart-db)" == no ]] || fail "the runner may delete the production Cluster"
[[ "$(can list clusters.postgresql.cnpg.io)" == no ]] || fail "the runner may list Clusters"
[[ "$(can get secrets)" == no ]] || fail "the runner may read Secrets"
say "RBAC: create Clusters, read dhakacart-db, delete only its own; no list, no Secrets"

start=$(date +%s)
kubectl -n "$NS" create job --from=cronjob/dhakacart-db-restore-test restore-live >/dev/null
seen=no
for _ in $(seq 1 120); do
  kubectl -n "$NS" get cluster dhakacart-db-restore-test >/dev/null 2>&1 && seen=yes
  status="$(kubectl -n "$NS" get job restore-live -o jsonpath='{.status.failed}/{.status.succeeded}')"
  [[ "$status" == 1/ ]] && break
  [[ "$status" == /1 ]] && fail "the restore test succeeded without an operator"
  sleep 2
done
logs="$(kubectl -n "$NS" logs job/restore-live 2>&1 || true)"
[[ "$status" == 1/ ]] || { echo "$logs" >&2; fail "the run did not end within 240 s"; }
[[ "$seen" == yes ]] || { echo "$logs" >&2; fail "the throwaway Cluster was never created"; }
grep -q '"msg":"restore cluster created"' <<<"$logs" || { echo "$logs" >&2; fail "no 'restore cluster created' line"; }
grep -q 'restore did not finish within 60 s' <<<"$logs" || { echo "$logs" >&2; fail "it failed for another reason than the deadline"; }
kubectl -n "$NS" get cluster dhakacart-db-restore-test >/dev/null 2>&1 && fail "the throwaway Cluster was left behind"
kubectl -n "$NS" get cluster dhakacart-db >/dev/null || fail "the source Cluster is gone"
say "run failed on its 60 s deadline as it must without an operator, in $(($(date +%s) - start)) s; throwaway Cluster created and deleted, source untouched"
kubectl delete crd clusters.postgresql.cnpg.io --wait=false >/dev/null
say PASS
