#!/usr/bin/env bash
# A node powered off the hard way under shopper load (node-ctl.sh off: every
# process and container of the node killed at once, its network gone), then
# powered on again; the shop's data must survive and the node rejoin.
#   node-off.sh primary   the node that holds the CloudNativePG primary
#   node-off.sh standby   a node without the primary
# Shoppers (load/shopper.ts) run through the HTTPS ingress the whole time.
# Measured and printed: seconds until writes are accepted again (and until
# CloudNativePG has promoted a new primary), the longest gap between two
# acknowledged checkouts, failed catalog GETs, and the acknowledged orders lost
# or duplicated (each acknowledged Idempotency-Key looked up in the database).
# Goals (issue #13): 0 acknowledged orders lost or duplicated; checkout back in
# <= 30 s; <= 1 % failed GETs (0 when the node does not hold the primary); the
# node rejoins (etcd member, Ready) and the Cluster has 3 ready instances again.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
WHICH="${1:-primary}"
CHECK="node-off-$WHICH"
NS=dhakacart
LOAD_SECONDS="${LOAD_SECONDS:-150}" BASELINE=25
OUT="$K8S_RUN/checks"; mkdir -p "$OUT"
kubectl -n "$NS" get deploy -l app.kubernetes.io/component=api -o name | grep -q . || fail "the shop is not installed: run checks/app.sh first"

primary="$(cnpg_primary)"
pnode="$(kubectl -n "$NS" get pod "$primary" -o jsonpath='{.spec.nodeName}')"
victim=""
for n in $(k8s_nodes); do
  name="$(k8s_node_name "$n")"
  if [[ "$WHICH" == primary && "$name" == "$pnode" ]] || [[ "$WHICH" == standby && "$name" != "$pnode" ]]; then victim="$n"; break; fi
done
[[ -n "$victim" ]] || fail "no node to power off"
vname="$(k8s_node_name "$victim")"
on_victim="$(kubectl get pods -A --field-selector "spec.nodeName=$vname" -o jsonpath='{range .items[*]}{.metadata.namespace}/{.metadata.name} {end}')"
say "powering off node $victim ($vname) under load; primary is $primary on $pnode; pods there: $on_victim"

report="$OUT/$CHECK.json"
shopper "$LOAD_SECONDS" "$report" >"$OUT/$CHECK.log" 2>&1 &
load=$!
sleep "$BASELINE"
fault_ms=$(($(date +%s%N) / 1000000))
"$K8S_HERE/node-ctl.sh" off "$victim"

# CloudNativePG's view: when did another instance become the primary?
promoted_ms=""
if [[ "$WHICH" == primary ]]; then
  for _ in $(seq 1 240); do
    now="$(cnpg_primary 2>/dev/null || true)"
    phase="$(kubectl -n "$NS" get cluster dhakacart-db -o jsonpath='{.status.phase}' 2>/dev/null || true)"
    if [[ -n "$now" && "$now" != "$primary" && "$phase" != *"ailing over"* ]] \
      && kubectl -n "$NS" exec "$now" -c postgres -- psql -X -tAc "SELECT NOT pg_is_in_recovery()" 2>/dev/null | grep -qx t; then
      promoted_ms=$(($(date +%s%N) / 1000000)); break
    fi
    sleep 0.5
  done
  [[ -n "$promoted_ms" ]] && say "CloudNativePG promoted $now: $(awk -v d=$((promoted_ms - fault_ms)) 'BEGIN {printf "%.1f", d / 1000}') s after the power-off"
fi
wait "$load" || { cat "$OUT/$CHECK.log" >&2; fail "shopper load failed"; }
say "shoppers: $(cat "$OUT/$CHECK.log")"

# Power on; the node must come back (etcd member healthy, kubelet Ready).
t0=$(date +%s)
"$K8S_HERE/node-ctl.sh" on "$victim" >/dev/null || fail "node $victim did not come back"
back=$(($(date +%s) - t0))
ready=""
for _ in $(seq 1 300); do
  ready="$(kubectl -n "$NS" get cluster dhakacart-db -o jsonpath='{.status.readyInstances}' 2>/dev/null || true)"
  [[ "$ready" == 3 ]] && break
  sleep 1
done
rejoin=$(($(date +%s) - t0))

# The acknowledged orders, looked up by their Idempotency-Key on the (new) primary.
keys="$(python3 -c 'import json,sys; print(",".join(a["key"] for a in json.load(open(sys.argv[1]))["checkouts"]["acks"]))' "$report")"
acked="$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["checkouts"]["acks"]))' "$report")"
found="$(PSQL_DB=app psql_primary -tAc "SELECT count(DISTINCT idempotency_key) || ' ' || count(*) FROM orders WHERE idempotency_key = ANY(string_to_array('$keys', ','))")"
distinct="${found% *}" rows="${found#* }"
lost=$((acked - distinct)) dup=$((rows - distinct))

# The numbers, from the shoppers' report.
read -r gets getfail pct gap writes_back longest_write <<<"$(python3 - "$report" "$fault_ms" <<'PY'
import json, sys
r = json.load(open(sys.argv[1])); fault = int(sys.argv[2])
c = r["catalog"]; total = c["ok"] + c["failed"]
w = r["writes"]
# Writes back: the first successful write after the last failed one that followed the
# fault (0 when none failed after it).
fails = [t for t in w.get("failTimes", []) if t >= fault]
back = 0.0
if fails:
    after = [t for t in w["okTimes"] if t > fails[-1]]
    back = ((after[0] if after else r["startedAt"] + r["seconds"] * 1000) - fault) / 1000
lf = w["longestFailure"]
print(total, c["failed"], f'{100 * c["failed"] / max(1, total):.2f}', f'{r["checkouts"]["longestGapSeconds"]:.1f}', f'{back:.1f}', f'{lf["seconds"]:.1f}')
PY
)"
say "RESULT node=$vname holds_primary=$([[ $WHICH == primary ]] && echo yes || echo no) writes_back_after=${writes_back}s longest_write_gap=${longest_write}s promoted_after=$([[ -n $promoted_ms ]] && awk -v d=$((promoted_ms - fault_ms)) 'BEGIN {printf "%.1fs", d / 1000}' || echo n/a) longest_checkout_gap=${gap}s catalog_gets=$gets failed_gets=$getfail (${pct} %) orders_acknowledged=$acked lost=$lost duplicated=$dup node_back_after=${back}s cluster_3_ready_after=${rejoin}s"

ok=1
((lost == 0 && dup == 0)) || { echo "$CHECK: FAIL: $lost acknowledged orders lost, $dup duplicated" >&2; ok=0; }
((acked > 0)) || { echo "$CHECK: FAIL: no order was acknowledged" >&2; ok=0; }
python3 -c "import sys; sys.exit(0 if float('$gap') <= 30 else 1)" || { echo "$CHECK: FAIL: checkout gap ${gap} s > 30 s" >&2; ok=0; }
if [[ "$WHICH" == primary ]]; then
  python3 -c "import sys; sys.exit(0 if float('$pct') <= 1.0 else 1)" || { echo "$CHECK: FAIL: ${pct} % failed GETs > 1 %" >&2; ok=0; }
else
  ((getfail == 0)) || { echo "$CHECK: FAIL: $getfail failed GETs with the primary untouched (goal 0)" >&2; ok=0; }
fi
[[ "$ready" == 3 ]] || { echo "$CHECK: FAIL: the Cluster has $ready ready instances $rejoin s after the node came back" >&2; ok=0; }
((ok)) || fail "goals missed (errors: $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["errors"])' "$report"))"
say PASS
