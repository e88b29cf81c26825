#!/usr/bin/env bash
# The data tier for real: dhakacart-data installed with the k8s profile
# (charts/dhakacart-data/values-k8s.yaml) in a namespace that enforces Pod
# Security "restricted", run by the CloudNativePG operator with the Barman Cloud
# plugin and the Garage store outside the cluster (platform.sh). Checks:
#   - the Cluster is healthy: 3 instances, each on its own node, one primary;
#   - the synchronous quorum is in force (ANY 1 over the two standbys, both
#     streaming) with dataDurability required;
#   - WAL archiving works (a switched WAL segment is archived through the plugin);
#   - an on-demand Backup (method plugin) completes, and its objects are in
#     Garage's bucket.
# Leaves the data tier installed for the checks that follow (app, drills).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# Without the store (Garage not built yet) the data tier is still installed, without
# backups, so the checks after this one can run; this check then FAILs at the end.
store=yes
if ! { [[ -f "$K8S_RUN/backup/s3.env" ]] || "$K8S_HERE/backup-store.sh" start >/dev/null; }; then store=no; fi
HELM="$K8S_ROOT/.cache/charts/bin/helm"
[[ -x "$HELM" ]] || fail "no helm at ${HELM#"$K8S_ROOT"/}: run make setup"
NS=dhakacart CLUSTER=dhakacart-db

kubectl get deploy -n cnpg-system cnpg-controller-manager >/dev/null 2>&1 || fail "no CloudNativePG operator (platform.sh)"
PG_IMAGE="$(k8s_postgres_image)"

shop_namespace
# The two Secrets Ansible makes in the lab: the store's key and the lab CA.
if [[ "$store" == yes ]]; then
# shellcheck disable=SC1091
source "$K8S_RUN/backup/s3.env"
kubectl -n "$NS" create secret generic dhakacart-backup-s3 --from-literal=ACCESS_KEY_ID="$ACCESS_KEY_ID" \
  --from-literal=ACCESS_SECRET_KEY="$ACCESS_SECRET_KEY" --from-literal=REGION="$REGION" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n "$NS" create secret generic dhakacart-backup-ca --from-file=ca.crt="$K8S_PKI/lab-ca.crt" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
fi

nobackup=(); [[ "$store" == yes ]] || nobackup=(--set postgres.backup.enabled=false)
start=$(date +%s)
"$HELM" upgrade --install dhakacart-data "$K8S_ROOT/charts/dhakacart-data" -n "$NS" -f "$K8S_ROOT/charts/dhakacart-data/values-k8s.yaml" \
  --set postgres.image.tag="${PG_IMAGE##*:}" "${nobackup[@]}" \
  --wait --timeout 5m >/dev/null || fail "helm install dhakacart-data"
if ! kubectl -n "$NS" wait "cluster/$CLUSTER" --for=condition=Ready --timeout=900s >/dev/null; then
  kubectl -n "$NS" get cluster,pods -o wide >&2; kubectl -n cnpg-system logs deploy/cnpg-controller-manager --tail=30 >&2 || true
  fail "Cluster $CLUSTER not Ready"
fi
say "helm install + CloudNativePG bootstrap of 3 instances ($PG_IMAGE): Ready in $(($(date +%s) - start)) s"

# Each instance on its own node.
nodes="$(kubectl -n "$NS" get pods -l "cnpg.io/cluster=$CLUSTER,cnpg.io/podRole=instance" -o jsonpath='{range .items[*]}{.spec.nodeName}{"\n"}{end}' | sort)"
[[ "$(wc -l <<<"$nodes")" == 3 && "$(sort -u <<<"$nodes" | wc -l)" == 3 ]] || fail "instances not one per node: $(tr '\n' ' ' <<<"$nodes")"
primary="$(kubectl -n "$NS" get cluster "$CLUSTER" -o jsonpath='{.status.currentPrimary}')"
say "instances one per node ($(tr '\n' ' ' <<<"$nodes")); primary $primary on $(kubectl -n "$NS" get pod "$primary" -o jsonpath='{.spec.nodeName}')"

# The synchronous quorum on the primary.
sync="$(psql_primary -tAc "SHOW synchronous_standby_names")"
[[ "$sync" == "ANY 1 ("* ]] || fail "synchronous_standby_names is '$sync'"
repl="$(psql_primary -tAc "SELECT string_agg(application_name || ':' || state || ':' || sync_state, ' ' ORDER BY application_name) FROM pg_stat_replication")"
[[ "$(grep -o ':streaming:quorum' <<<"$repl" | wc -l)" == 2 ]] || fail "standbys not both streaming in the quorum: $repl"
say "synchronous quorum: synchronous_standby_names = $sync; standbys $repl"
dd="$(kubectl -n "$NS" get cluster "$CLUSTER" -o jsonpath='{.spec.postgresql.synchronous.dataDurability}')"
[[ "$dd" == required ]] || fail "dataDurability is '$dd'"

[[ "$store" == yes ]] || fail "no backup store (no Garage binary: build.sh garage): installed without backups; WAL archiving and the backup not checked"

# WAL archiving through the plugin.
before="$(psql_primary -tAc "SELECT archived_count FROM pg_stat_archiver")"
wal="$(psql_primary -tAc "SELECT pg_walfile_name(pg_switch_wal())")"
for _ in $(seq 1 90); do
  last="$(psql_primary -tAc "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver")"
  [[ "$last" > "$wal" || "$last" == "$wal" ]] && break
  sleep 2
done
[[ "$last" > "$wal" || "$last" == "$wal" ]] || fail "WAL $wal not archived (last archived: '$last', failed: $(psql_primary -tAc "SELECT failed_count || ' ' || coalesce(last_failed_wal,'') FROM pg_stat_archiver"))"
after="$(psql_primary -tAc "SELECT archived_count FROM pg_stat_archiver")"
cond="$(kubectl -n "$NS" get cluster "$CLUSTER" -o jsonpath='{.status.conditions[?(@.type=="ContinuousArchiving")].status}')"
[[ "$cond" == True ]] || fail "ContinuousArchiving condition is '$cond'"
say "WAL archiving: $wal archived (archived_count $before -> $after), ContinuousArchiving=True"

# An on-demand backup through the plugin, into Garage.
kubectl -n "$NS" delete backup check-backup --ignore-not-found >/dev/null
kubectl -n "$NS" apply -f - >/dev/null <<EOF2
apiVersion: postgresql.cnpg.io/v1
kind: Backup
metadata: {name: check-backup}
spec:
  cluster: {name: $CLUSTER}
  method: plugin
  pluginConfiguration: {name: barman-cloud.cloudnative-pg.io}
EOF2
start=$(date +%s)
for _ in $(seq 1 150); do
  phase="$(kubectl -n "$NS" get backup check-backup -o jsonpath='{.status.phase}')"
  [[ "$phase" == completed || "$phase" == failed ]] && break
  sleep 2
done
[[ "$phase" == completed ]] || { kubectl -n "$NS" get backup check-backup -o yaml >&2; fail "backup phase '$phase'"; }
id="$(kubectl -n "$NS" get backup check-backup -o jsonpath='{.status.backupId}')"
objects="$(ip netns exec dhk8s-backup "$K8S_BIN/garage" -c "$K8S_RUN/backup/garage.toml" bucket info dhakacart-backups 2>/dev/null | grep -iE 'objects|size' | tr -s ' ' | tr '\n' ' ')"
say "on-demand backup $id completed in $(($(date +%s) - start)) s; Garage bucket: $objects"
say PASS
