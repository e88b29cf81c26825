#!/usr/bin/env bash
# The lab's delivery roles (issue #15) through site.yml, each run twice against debootstrap
# Debian 12 roots over the chroot connection, like ansible/tests/run.sh does for the other
# roles (converge, then changed=0):
#  - gha_runner (TAGS=runner): an unprivileged user, the root-only token, the unit, the pristine
#    runner copy, the just-in-time registration helper against a stand-in GitHub API (and
#    refusing a 403), the deployer's RBAC: valid, bound in the app namespaces only, no RBAC or
#    cluster-wide rights (a seeded ClusterRoleBinding must be caught);
#  - registry_mirror (TAGS=registry-mirror): the mirror's unit and config on the backup root,
#    registries.yaml on a server root; the rendered config served by the real registry binary
#    over TLS from the lab CA, and containerd's view of registries.yaml.
# Needs root and ansible/tests/setup.sh's base root (make setup). Ends "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
bin=$repo/.cache/venv/bin
base=$repo/.cache/ansible-test/bookworm-base
work=$repo/.cache/ansible-test/gha-runner
passed=0 failed=0
pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [[ -n ${2:-} && -f ${2:-} ]] && tail -n 25 "$2" | sed 's/^/    /'; }
check() { local name=$1; shift; if "$@" >"$work/last.log" 2>&1; then pass "$name"; else fail "$name" "$work/last.log"; fi; }
recap() { awk -v f="$2" '/PLAY RECAP/{r=1;next} r && /ok=/{for(i=1;i<=NF;i++) if($i ~ "^"f"="){split($i,a,"=");s+=a[2]}} END{print s+0}' "$1"; }

[[ -x $bin/ansible-playbook && -f $base/.complete ]] || { echo "no Ansible venv or test root: make setup"; echo "0 passed, 1 failed"; exit 1; }
export PATH=$bin:$PATH
rm -rf --one-file-system "$work"; mkdir -p "$work"
export ANSIBLE_CONFIG=$repo/ansible/ansible.cfg ANSIBLE_STDOUT_CALLBACK=ansible.builtin.default ANSIBLE_FORCE_COLOR=0
export DC_STATE_DIR=$work/state DC_ARTIFACTS_DIR=$work/artifacts DC_SECRETS=$work/state/secrets.vault.yml
export DC_VAULT_PASS_FILE=$work/vault-pass ANSIBLE_VAULT_BIN=$bin/ansible-vault
export ANSIBLE_LOCAL_TEMP=$work/tmp ANSIBLE_HOME=$work/ansible-home DC_GITHUB_REPOSITORY=dhakacart/platform
bash ansible/scripts/gen-secrets.sh >/dev/null || { echo "gen-secrets failed"; echo "0 passed, 1 failed"; exit 1; }
export ANSIBLE_VAULT_PASSWORD_FILE=$DC_VAULT_PASS_FILE

# The lab CA (lab_pki's file, made here: the runner play runs without the controller play).
mkdir -p "$DC_STATE_DIR/pki"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=test-lab-ca \
  -keyout "$DC_STATE_DIR/pki/ca.key" -out "$DC_STATE_DIR/pki/ca.crt" 2>/dev/null
# Stand-in artifacts with the pinned names: the runner release, cosign, helm.
defaults=ansible/roles/gha_runner/defaults/main.yml
rv=$(awk -F'"' '/^gha_runner_version:/{print $2}' $defaults)
cv=$(awk '/^gha_runner_cosign_version:/{print $2}' $defaults)
hv=$(awk '$1=="helm_version:"{print $2}' ansible/playbooks/group_vars/all/versions.yml)
a=$DC_ARTIFACTS_DIR
mkdir -p "$a/actions-runner-$rv/dist/bin" "$a/cosign-$cv" "$a/helm-$hv/linux-amd64"
printf '#!/bin/sh\necho "runner %s (stand-in) $*"\n' "$rv" > "$a/actions-runner-$rv/dist/run.sh"
printf 'stand-in\n' > "$a/actions-runner-$rv/dist/bin/Runner.Listener"
chmod +x "$a/actions-runner-$rv/dist/run.sh"
tar -C "$a/actions-runner-$rv/dist" -czf "$a/actions-runner-$rv/actions-runner-linux-x64.tar.gz" . && rm -rf "$a/actions-runner-$rv/dist"
printf '#!/bin/sh\necho "cosign %s (stand-in)"\n' "$cv" > "$a/cosign-$cv/cosign"; chmod +x "$a/cosign-$cv/cosign"
printf '#!/bin/sh\necho "helm %s (stand-in)"\n' "$hv" > "$a/helm-$hv/linux-amd64/helm"; chmod +x "$a/helm-$hv/linux-amd64/helm"
tar -C "$a/helm-$hv" -czf "$a/helm-$hv/helm.tar.gz" linux-amd64 && rm -rf "$a/helm-$hv/linux-amd64"

# The registry the mirror role installs: the real one, built from its Go module (same version).
mv_="$(awk '/^registry_mirror_version:/{print $2}' ansible/roles/registry_mirror/defaults/main.yml)"
mkdir -p "$a/registry-$mv_"
cp "$(bash services/deploy/bin/build-tools.sh registry)/registry" "$a/registry-$mv_/registry"
# The backup store's certificate (lab_pki's s3.crt: the backup VM's address, signed by the lab CA).
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj /CN=10.77.0.20 -keyout "$DC_STATE_DIR/pki/s3.key" \
  -out "$work/s3.csr" 2>/dev/null
openssl x509 -req -in "$work/s3.csr" -CA "$DC_STATE_DIR/pki/ca.crt" -CAkey "$DC_STATE_DIR/pki/ca.key" -CAcreateserial -days 2 \
  -extfile <(printf 'subjectAltName=IP:10.77.0.20,IP:127.0.0.1\n') -out "$DC_STATE_DIR/pki/s3.crt" 2>/dev/null

R=$work/root-runner S=$work/root-server
cp -a --reflink=auto "$base" "$R"
cp -a --reflink=auto "$base" "$S"
cat > "$work/vars.yml" <<YAML
dc_live: false
dc_artifacts_download: false
gha_runner_token: test-token-not-a-real-one-0123456789
YAML
cat > "$work/inventory.yml" <<YAML
all:
  vars:
    ansible_python_interpreter: /usr/bin/python3
    api_vip: 10.77.0.10
    lab_network_cidr: 10.77.0.0/24
    backup_store_ip: 10.77.0.20
  children:
    server:
      hosts:
        dc-k3s-1: {ansible_connection: community.general.chroot, ansible_host: $S, node_ip: 10.77.0.11}
    backup:
      hosts:
        dc-backup: {ansible_connection: community.general.chroot, ansible_host: $R, node_ip: 10.77.0.20}
  hosts:
    localhost: {ansible_connection: local, ansible_python_interpreter: $bin/python3}
YAML
for run in 1 2; do
  s=$SECONDS
  ansible-playbook -i "$work/inventory.yml" -e "@$work/vars.yml" ansible/playbooks/site.yml \
    --limit 'backup:localhost' --tags runner --skip-tags always > "$work/run$run.log" 2>&1
  echo "runner role run $run: $((SECONDS - s)) s, changed=$(recap "$work/run$run.log" changed), failed=$(recap "$work/run$run.log" failed)"
done
if grep -q 'PLAY RECAP' "$work/run1.log" && (( $(recap "$work/run1.log" failed) == 0 )); then
  pass "site.yml --tags runner converges on a Debian 12 root"; else fail "runner role run 1" "$work/run1.log"; fi
if grep -q 'PLAY RECAP' "$work/run2.log" && (( $(recap "$work/run2.log" changed) == 0 && $(recap "$work/run2.log" failed) == 0 )); then
  pass "second run reports changed=0"; else fail "runner role run 2 not idempotent" "$work/run2.log"; fi
if ansible-playbook -i "$work/inventory.yml" -e "@$work/vars.yml" ansible/playbooks/site.yml --limit 'backup:localhost' \
     --skip-tags always --list-tasks 2>/dev/null | grep -q gha_runner; then
  fail "the runner play runs without TAGS=runner"; else pass "the runner play is opt-in (runs only with TAGS=runner)"; fi

for run in 1 2; do
  s=$SECONDS
  ansible-playbook -i "$work/inventory.yml" -e "@$work/vars.yml" ansible/playbooks/site.yml \
    --limit 'backup:server:localhost' --tags registry-mirror --skip-tags always > "$work/mirror$run.log" 2>&1
  echo "registry mirror run $run: $((SECONDS - s)) s, changed=$(recap "$work/mirror$run.log" changed), failed=$(recap "$work/mirror$run.log" failed)"
done
if grep -q 'PLAY RECAP' "$work/mirror1.log" && (( $(recap "$work/mirror1.log" failed) == 0 )); then
  pass "site.yml --tags registry-mirror converges on the backup and server roots"; else fail "registry mirror run 1" "$work/mirror1.log"; fi
if grep -q 'PLAY RECAP' "$work/mirror2.log" && (( $(recap "$work/mirror2.log" changed) == 0 && $(recap "$work/mirror2.log" failed) == 0 )); then
  pass "second registry-mirror run reports changed=0"; else fail "registry mirror run 2 not idempotent" "$work/mirror2.log"; fi
mirror_serves() { # the rendered config, on loopback, served by the installed binary over TLS
  local port cfg=$work/registry-config.yml pid rc=0
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  sed -e "s|addr: 10.77.0.20:5000|addr: 127.0.0.1:$port|" -e "s|/var/lib/registry|$work/registry-data|" \
      -e "s|/etc/distribution/|$R/etc/distribution/|" "$R/etc/distribution/config.yml" > "$cfg"
  grep -q "addr: 127.0.0.1:$port" "$cfg" || { echo "unexpected config:"; cat "$cfg"; return 1; }
  "$R/usr/local/bin/registry-$mv_" serve "$cfg" > "$work/registry.log" 2>&1 & pid=$!
  for _ in $(seq 50); do curl -sf --cacert "$DC_STATE_DIR/pki/ca.crt" "https://127.0.0.1:$port/v2/" >/dev/null && break; sleep 0.1; done
  curl -sf --cacert "$DC_STATE_DIR/pki/ca.crt" -o /dev/null -w '%{http_code}\n' "https://127.0.0.1:$port/v2/" | grep -qx 200 || rc=1
  # Plain HTTP is refused: TLS only.
  curl -sf -o /dev/null "http://127.0.0.1:$port/v2/" && rc=1
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
  [[ $(chroot "$R" stat -c '%U %a' /etc/distribution/tls.key) == "root 640" ]] || rc=1
  chroot "$R" systemd-analyze verify /etc/systemd/system/dc-registry.service || rc=1
  return $rc
}
check "mirror: registry $mv_ serves its rendered config over TLS from the lab CA (HTTP refused); key 0640, unit valid" mirror_serves
check "server: registries.yaml sends ghcr.io through the mirror (lab CA) and keeps the upstream" python3 - "$S/etc/rancher/k3s/registries.yaml" "$S/etc/rancher/k3s/lab-ca.crt" "$DC_STATE_DIR/pki/ca.crt" <<'PY'
import sys, yaml, filecmp
r = yaml.safe_load(open(sys.argv[1]))
assert r["mirrors"] == {"ghcr.io": {"endpoint": ["https://10.77.0.20:5000"]}}, r
assert r["configs"] == {"10.77.0.20:5000": {"tls": {"ca_file": "/etc/rancher/k3s/lab-ca.crt"}}}, r
assert filecmp.cmp(sys.argv[2], sys.argv[3], shallow=False)
PY

in_r() { chroot "$R" "$@"; }
check "runner user: system account, no password, in no other group (no sudo, no docker)" bash -c "
  uid=\$(chroot $R id -u gha-runner) && [ \"\$uid\" -lt 1000 ] && [ \"\$uid\" -ne 0 ] &&
  [ \"\$(chroot $R id -Gn gha-runner)\" = gha-runner ] &&
  [ \"\$(chroot $R getent shadow gha-runner | cut -d: -f2)\" = '!' ]"
check "GitHub token: root only (0600), runner settings name the repository and labels" bash -c "
  [ \"\$(chroot $R stat -c '%a %U' /etc/gha-runner/github-token)\" = '600 root' ] &&
  grep -qx 'GHA_REPOSITORY=dhakacart/platform' $R/etc/gha-runner/runner.env &&
  grep -qx 'GHA_LABELS=self-hosted,linux,dhakacart-lab' $R/etc/gha-runner/runner.env"
check "the workflows' runs-on labels are the runner's labels" bash -c "
  for f in .github/workflows/deploy.yml .github/workflows/rollback.yml; do
    grep -q 'runs-on: \[self-hosted, linux, dhakacart-lab\]' \$f || { echo \"\$f\"; exit 1; }; done"
check "unit: valid, runs as gha-runner, root-only helper before each job, hardened, enabled" bash -c "
  u=$R/etc/systemd/system/gha-runner.service
  grep -qx 'User=gha-runner' \$u && grep -qx 'ExecStartPre=+/usr/local/sbin/gha-runner-jit' \$u &&
  grep -qx 'NoNewPrivileges=yes' \$u && grep -qx 'ProtectSystem=strict' \$u && grep -qx 'Restart=always' \$u &&
  chroot $R systemd-analyze verify /etc/systemd/system/gha-runner.service &&
  [ \"\$(chroot $R systemctl is-enabled gha-runner)\" = enabled ]"
check "pristine runner release and cosign, helm, the lab CA installed; the runner cannot write them" bash -c "
  [ \"\$(chroot $R stat -c '%U %a' /opt/actions-runner-$rv/run.sh)\" = 'root 755' ] &&
  ! chroot $R runuser -u gha-runner -- test -w /opt/actions-runner-$rv/run.sh &&
  chroot $R /usr/local/bin/cosign | grep -q 'cosign $cv' && chroot $R /usr/local/bin/helm | grep -q 'helm $hv' &&
  cmp -s $R/etc/dhakacart/lab-ca.crt $DC_STATE_DIR/pki/ca.crt && chroot $R dpkg -s skopeo python3-yaml git make >/dev/null"

# The just-in-time helper against a stand-in GitHub API on loopback (the chroot shares it).
jit_test() { # status-to-answer -> prints what the API saw
  local status=$1 port d=$R/tmp/jit
  rm -rf "$d"; mkdir -p "$d/conf" "$d/run"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  sed "s|^GHA_API_URL=.*|GHA_API_URL=http://127.0.0.1:$port|" "$R/etc/gha-runner/runner.env" > "$d/conf/runner.env"
  printf 'tok-123' > "$d/conf/github-token"
  # A previous job's leftovers in the work folder must not survive.
  mkdir -p "$R/var/lib/gha-runner/work" && echo stale > "$R/var/lib/gha-runner/work/leftover"
  timeout 30 python3 -c 'import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        open(sys.argv[2], "w").write(json.dumps({"path": self.path, "auth": self.headers["Authorization"], "body": body}))
        st = int(sys.argv[3]); self.send_response(st); self.send_header("Content-Type", "application/json"); self.end_headers()
        self.wfile.write(json.dumps({"encoded_jit_config": "ZW5jb2RlZA=="} if st == 201 else {"message": "Forbidden"}).encode())
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).handle_request()' "$port" "$d/seen.json" "$status" &
  local spid=$!
  sleep 0.5
  timeout 30 chroot "$R" env GHA_CONFIG=/tmp/jit/conf GHA_RUN_DIR=/tmp/jit/run /usr/local/sbin/gha-runner-jit; local rc=$?
  kill "$spid" 2>/dev/null; wait "$spid" 2>/dev/null
  cat "$d/seen.json" 2>/dev/null; echo
  return $rc
}
jit_ok() {
  local out; out=$(jit_test 201) || { echo "$out"; return 1; }
  echo "$out"
  python3 - "$out" <<'PY' || return 1
import json, sys
seen = json.loads(next(l for l in sys.argv[1].splitlines() if l.startswith("{")))
assert seen["path"] == "/repos/dhakacart/platform/actions/runners/generate-jitconfig", seen
assert seen["auth"] == "Bearer tok-123", seen
assert seen["body"]["labels"] == ["self-hosted", "linux", "dhakacart-lab"], seen
PY
  [[ "$(chroot "$R" stat -c '%U %a' /tmp/jit/run/jitconfig)" == "gha-runner 600" ]] &&
    [[ "$(cat "$R/tmp/jit/run/jitconfig")" == ZW5jb2RlZA== ]] &&
    [[ ! -e $R/var/lib/gha-runner/work/leftover ]] && [[ -x $R/var/lib/gha-runner/runner/run.sh ]] &&
    [[ "$(chroot "$R" stat -c '%U' /var/lib/gha-runner/runner/run.sh)" == gha-runner ]]
}
check "gha-runner-jit: asks GitHub for a one-job registration with the lab labels, fresh runner copy and work folder, config readable by the runner only" jit_ok
if jit_test 403 > "$work/jit403.log" 2>&1 || [[ -e $R/tmp/jit/run/jitconfig ]]; then
  fail "gha-runner-jit accepted a 403 from GitHub" "$work/jit403.log"
else pass "gha-runner-jit fails on a 403 and writes no configuration"; fi

# The deployer's RBAC, as the role rendered it.
rbac_check() { # manifest
  "$bin/kubernetes-validate" -k 1.33.0 --strict --quiet "$1" || return 1
  "$bin/python3" - "$1" <<'PY'
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = [d["kind"] for d in docs]
assert "ClusterRoleBinding" not in kinds, "a ClusterRoleBinding gives the runner the whole cluster"
bindings = [d for d in docs if d["kind"] == "RoleBinding"]
assert bindings and {b["metadata"]["namespace"] for b in bindings} == {"dhakacart"}, [b["metadata"] for b in bindings]
role = next(d for d in docs if d["kind"] == "ClusterRole")
for rule in role["rules"]:
    assert "*" not in rule["verbs"] + rule["resources"] + rule["apiGroups"], rule
    assert "rbac.authorization.k8s.io" not in rule["apiGroups"], "the runner must not grant itself more"
    assert not {"namespaces", "nodes", "persistentvolumes"} & set(rule["resources"]), rule
    assert not ({"pods/exec", "pods/attach", "pods/portforward"} & set(rule["resources"])), rule
sa = next(d for d in docs if d["kind"] == "ServiceAccount")
assert sa["automountServiceAccountToken"] is False
PY
}
check "deployer RBAC: valid (Kubernetes 1.33, strict), bound in the app namespace only, no RBAC, exec or cluster-wide rights" \
  rbac_check "$DC_STATE_DIR/gha-runner-rbac.yaml"
cp "$DC_STATE_DIR/gha-runner-rbac.yaml" "$work/rbac-seeded.yaml"
printf -- '---\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: oops}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: dhakacart-deployer}\nsubjects: [{kind: ServiceAccount, name: dhakacart-deployer, namespace: dhakacart-ci}]\n' >> "$work/rbac-seeded.yaml"
if rbac_check "$work/rbac-seeded.yaml" > "$work/rbac-seeded.log" 2>&1; then
  fail "the RBAC check accepts a ClusterRoleBinding" "$work/rbac-seeded.log"
else pass "the RBAC check catches a seeded ClusterRoleBinding"; fi

rm -rf --one-file-system "$R" "$S"
echo "$passed passed, $failed failed"
((failed == 0))
