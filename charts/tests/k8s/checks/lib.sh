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
