# shellcheck shell=bash
# Shared helpers for the live checks (sourced).
# shellcheck source-path=SCRIPTDIR source=../env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
CHECK="$(basename "$0" .sh)"
kubectl() { "$K8S_BIN/kubectl" "$@"; }
fail() { echo "$CHECK: FAIL: $*" >&2; exit 1; }
say() { echo "$CHECK: $*"; }
# fresh_namespace <ns>: an empty namespace of our own, deleted again on exit.
fresh_namespace() {
  kubectl delete namespace "$1" --ignore-not-found --wait=true >/dev/null
  kubectl create namespace "$1" >/dev/null
  # shellcheck disable=SC2064  # expand now: the namespace name is fixed
  trap "'$K8S_BIN/kubectl' delete namespace '$1' --wait=false >/dev/null 2>&1 || true" EXIT
}
# The toolbox command for a server answering "hello" on 8080 (busybox httpd).
# shellcheck disable=SC2034  # used by the checks that source this file
HELLO_SERVER="mkdir -p /tmp/www && echo hello >/tmp/www/index.html && exec httpd -f -p 8080 -h /tmp/www"
# toolbox_deployment <ns> <name> <replicas> <labels k=v,...> <command>: busybox pods
# serving HTTP on 8080 (readiness-probed) or running <command>.
toolbox_deployment() {
  local ns="$1" name="$2" replicas="$3" labels="$4" cmd="$5" lbl="" kv
  for kv in ${labels//,/ }; do lbl+="        ${kv%%=*}: \"${kv#*=}\""$'\n'; done
  kubectl -n "$ns" apply -f - >/dev/null <<EOF2
apiVersion: apps/v1
kind: Deployment
metadata: {name: $name}
spec:
  replicas: $replicas
  selector: {matchLabels: {app: $name}}
  template:
    metadata:
      labels:
        app: $name
$lbl
    spec:
      terminationGracePeriodSeconds: 5
      containers:
        - name: main
          image: $K8S_TOOLBOX_IMAGE
          imagePullPolicy: Never
          command: ["sh", "-c", "$cmd"]
          # Endpoint removal reaches kube-proxy a moment after SIGTERM would: keep
          # serving that moment, as the API does with its shutdown delay.
          lifecycle: {preStop: {exec: {command: ["sleep", "2"]}}}
EOF2
}
# http_body <ns> <client deployment> <host> <port>: the body of GET / from inside a
# client pod. Plain nc: busybox-static's wget segfaults here (static glibc's NSS
# lookups of the "http" service name), nc does not.
http_body() {
  kubectl -n "$1" exec "deploy/$2" -- sh -c "printf 'GET / HTTP/1.0\r\n\r\n' | nc -w 2 $3 $4" 2>/dev/null | tail -n 1
}
# eventually <seconds> <command...>: true once the command succeeds, retried each
# second: a just-started pod is routed (kube-proxy) and admitted (kube-router's
# ipsets) a moment after it reports Ready.
eventually() {
  local n="$1"; shift
  for _ in $(seq 1 "$n"); do "$@" && return 0; sleep 1; done
  return 1
}
# shop_namespace: the shop's namespace as in the lab (Pod Security "restricted"
# enforced), created once and kept for the checks that follow.
shop_namespace() {
  kubectl get namespace dhakacart >/dev/null 2>&1 || kubectl create namespace dhakacart >/dev/null
  kubectl label namespace dhakacart pod-security.kubernetes.io/enforce=restricted --overwrite >/dev/null
}
# cnpg_primary: the current primary pod of dhakacart-db.
cnpg_primary() { kubectl -n dhakacart get cluster dhakacart-db -o jsonpath='{.status.currentPrimary}'; }
# psql_primary <psql args...>: psql as postgres on the primary (local socket, peer auth).
psql_primary() { kubectl -n dhakacart exec "$(cnpg_primary)" -c postgres -- psql -X -d "${PSQL_DB:-postgres}" "$@"; }
# shellcheck disable=SC2034  # used by the checks that source this file
HELM="$K8S_ROOT/.cache/charts/bin/helm"
# shop_curl <path> [curl args...]: the shop through its HTTPS ingress from the host,
# as a shopper's browser reaches it (the lab CA, shop.dhakacart.lab at the ingress address).
shop_curl() {
  local path="$1"; shift
  curl -sS --max-time 10 --cacert "$K8S_PKI/lab-ca.crt" --resolve "shop.dhakacart.lab:443:$K8S_INGRESS_IP" \
    --resolve "shop.dhakacart.lab:80:$K8S_INGRESS_IP" "$@" "https://shop.dhakacart.lab$path"
}
# shop_accounts: three customer accounts for the load (registered once per cluster,
# under the API's per-address login limit of 10 a minute); prints the file.
shop_accounts() {
  local f="$K8S_RUN/shop-accounts.json" i email pw out="["
  if [[ ! -f "$f" ]]; then
    for i in 1 2 3; do
      email="drill$i-$(date +%s)@dhakacart.test" pw="drill-$(openssl rand -hex 8)"
      shop_curl /v1/auth/register -X POST -H 'content-type: application/json' -o /dev/null -w '%{http_code}' \
        -d "{\"email\":\"$email\",\"password\":\"$pw\",\"name\":\"Drill Shopper $i\"}" | grep -qx 201 || return 1
      out+="{\"email\":\"$email\",\"password\":\"$pw\"},"
    done
    echo "${out%,}]" >"$f"
  fi
  echo "$f"
}
# shopper <seconds> <out.json> [more shopper.ts args]: bounded shopper load through the ingress (load/shopper.ts).
shopper() {
  local secs="$1" out="$2" accounts; shift 2
  accounts="$(shop_accounts)" || { echo "could not register the load's accounts" >&2; return 1; }
  "$K8S_ROOT/node_modules/.bin/tsx" "$K8S_HERE/load/shopper.ts" --address "$K8S_INGRESS_IP" --ca "$K8S_PKI/lab-ca.crt" \
    --accounts "$accounts" --seconds "$secs" --out "$out" "$@"
}
# no_failures <shopper report>: true when no catalog read, write or checkout attempt failed.
no_failures() {
  python3 -c 'import json,sys; r=json.load(open(sys.argv[1])); sys.exit(0 if r["catalog"]["failed"] == 0 and r["writes"]["failed"] == 0 and r["checkouts"]["failedAttempts"] == 0 and not r["errors"] else 1)' "$1"
}
# backup_store_up: the backup store outside the cluster, started if platform.sh could not yet.
backup_store_up() {
  [[ -f "$K8S_RUN/backup/s3.env" ]] || "$K8S_HERE/backup-store.sh" start >/dev/null || fail "the backup store did not start"
}
