#!/usr/bin/env bash
# NetworkPolicy is enforced (kube-router): a server that two clients can reach;
# after an ingress policy that allows only pods labelled role=client, the
# labelled client still connects and the unlabelled one is blocked.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
NS=np-check
fresh_namespace "$NS"
toolbox_deployment "$NS" server 1 "" "$HELLO_SERVER"
toolbox_deployment "$NS" allowed 1 "role=client" "exec sleep 600"
toolbox_deployment "$NS" forbidden 1 "" "exec sleep 600"
kubectl -n "$NS" expose deployment server --port 80 --target-port 8080 >/dev/null
kubectl -n "$NS" rollout status deploy/server deploy/allowed deploy/forbidden --timeout=90s >/dev/null
get() { http_body "$NS" "$1" server 80; }
reaches() { [[ "$(get "$1")" == hello ]]; }
eventually 15 reaches allowed || fail "allowed client cannot reach server before any policy"
eventually 15 reaches forbidden || fail "other client cannot reach server before any policy"
say "before the policy: both clients reach the server"

kubectl -n "$NS" apply -f - >/dev/null <<'EOF2'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: server-from-clients-only}
spec:
  podSelector: {matchLabels: {app: server}}
  policyTypes: [Ingress]
  ingress:
    - from: [{podSelector: {matchLabels: {role: client}}}]
      ports: [{port: 8080, protocol: TCP}]
EOF2
# kube-router applies policies within a second or two of the API change.
for _ in $(seq 1 30); do
  if ! out="$(get forbidden)" || [[ "$out" != hello ]]; then break; fi
  sleep 1
done
out="$(get forbidden || true)"
[[ "$out" != hello ]] || fail "forbidden client still reaches the server 30 s after the policy"
say "after the policy: unlabelled client blocked (no answer within 2 s)"
[[ "$(get allowed)" == hello ]] || fail "labelled client lost access under the policy"
say "after the policy: client with role=client still allowed"
kubectl -n "$NS" delete networkpolicy server-from-clients-only >/dev/null
for _ in $(seq 1 30); do [[ "$(get forbidden || true)" == hello ]] && break; sleep 1; done
[[ "$(get forbidden || true)" == hello ]] || fail "access not restored after deleting the policy"
say "policy deleted: access restored"
say PASS
