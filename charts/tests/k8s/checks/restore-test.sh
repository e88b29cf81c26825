#!/usr/bin/env bash
# The weekly restore test, run now, for real (dhakacart-data's
# postgres-restore-test.yaml; runner services/api/src/ops/restore-test.ts;
# docs/runbooks/restore-test.md): the CronJob installed by checks/data.sh
# restores the newest backup plus WAL from Garage into a throwaway one-instance
# Cluster through CloudNativePG and the Barman Cloud plugin, checks it (migration
# history, every table read, a catalog) and deletes it. Also checks the runner's
# least privilege as the API server decides it. Needs checks/data.sh and
# checks/app.sh (a migrated, seeded shop) before it.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NS=dhakacart
SA="system:serviceaccount:$NS:dhakacart-db-restore-test"
kubectl -n "$NS" get cronjob dhakacart-db-restore-test >/dev/null 2>&1 || fail "no restore-test CronJob: run checks/data.sh first"
phase="$(kubectl -n "$NS" get backup -o jsonpath='{range .items[*]}{.status.phase}{"\n"}{end}' | grep -c '^completed$' || true)"
((phase > 0)) || fail "no completed backup to restore: run checks/data.sh first"

# Least privilege, as the API server decides it.
can() { kubectl auth can-i "$@" -n "$NS" --as "$SA" 2>/dev/null || true; }
[[ "$(can create clusters.postgresql.cnpg.io)" == yes ]] || fail "the runner cannot create Clusters"
[[ "$(can get clusters.postgresql.cnpg.io/dhakacart-db)" == yes ]] || fail "the runner cannot read the source Cluster"
[[ "$(can delete clusters.postgresql.cnpg.io/dhakacart-db)" == no ]] || fail "the runner may delete the production Cluster"
[[ "$(can list clusters.postgresql.cnpg.io)" == no ]] || fail "the runner may list Clusters"
[[ "$(can get secrets)" == no ]] || fail "the runner may read Secrets"
say "RBAC: create Clusters, read dhakacart-db, delete only its own; no list, no Secrets"

# Something newer than the backup, so the restore must replay archived WAL too.
psql_primary -tAc "SELECT pg_switch_wal()" >/dev/null
kubectl -n "$NS" delete job restore-now --ignore-not-found --wait=true >/dev/null
start=$(date +%s)
kubectl -n "$NS" create job --from=cronjob/dhakacart-db-restore-test restore-now >/dev/null
status="" seen=no
for _ in $(seq 1 600); do
  kubectl -n "$NS" get cluster dhakacart-db-restore-test >/dev/null 2>&1 && seen=yes
  status="$(kubectl -n "$NS" get job restore-now -o jsonpath='{.status.failed}/{.status.succeeded}')"
  [[ "$status" == 1/ || "$status" == /1 ]] && break
  sleep 2
done
logs="$(kubectl -n "$NS" logs job/restore-now 2>&1 || true)"
echo "$logs" >"$K8S_RUN/checks-restore-test.log" 2>/dev/null || true
[[ "$status" == /1 ]] || { echo "$logs" | tail -20 >&2; kubectl -n "$NS" get cluster,pods >&2 || true; fail "the restore test did not succeed (job status '$status' after $(($(date +%s) - start)) s)"; }
[[ "$seen" == yes ]] || fail "the throwaway Cluster was never seen"
kubectl -n "$NS" get cluster dhakacart-db-restore-test >/dev/null 2>&1 && fail "the throwaway Cluster was left behind"
kubectl -n "$NS" get cluster dhakacart-db >/dev/null || fail "the source Cluster is gone"
say "restore test passed in $(($(date +%s) - start)) s: $(grep -o '"msg":"[^"]*"' <<<"$logs" | tail -3 | tr '\n' ' ')"
say "its report: $(grep -iE 'rows|passed|orders' <<<"$logs" | tail -2 | cut -c1-400 | tr '\n' ' ')"
say PASS
