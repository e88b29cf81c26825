#!/usr/bin/env bash
# The S3 backup store outside the cluster, as the lab's backup VM runs it:
# Garage 2.5.0 (build.sh garage) with the configuration Ansible's backup_store
# role renders (its own templates, rendered by Ansible's template module with
# the lab's group_vars and role defaults; only the folders, secrets and the
# Garage binary path differ), behind HAProxy TLS (the role's haproxy.cfg.j2)
# with a certificate from the lab CA. It runs in a network namespace of its
# own, "dhk8s-backup" at 10.250.0.20 on the node network (the backup VM), so
# the role's loopback addresses (Garage on 127.0.0.1:3900-3903) are its own and
# nothing listens on the host. The bucket, key and permissions are made the
# way the role's bootstrap.yml makes them.
#   backup-store.sh start | stop
# Writes .cache/k8s/run/backup/s3.env (ACCESS_KEY_ID, ACCESS_SECRET_KEY, REGION,
# ENDPOINT, BUCKET) for the charts' Secrets.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
NS=dhk8s-backup VETH=dhk8svb
DIR="$K8S_RUN/backup"
ROLE="$K8S_ROOT/ansible/roles/backup_store"
GROUP_VARS="$K8S_ROOT/ansible/playbooks/group_vars/all/main.yml"
ANSIBLE="$K8S_ROOT/.cache/venv/bin/ansible"
garage() { ip netns exec "$NS" "$K8S_BIN/garage" -c "$DIR/garage.toml" "$@"; }

stop() {
  local f pid
  for f in garage backup-haproxy; do
    pid="$(cat "$K8S_RUN/pids/$f.pid" 2>/dev/null || true)"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; sleep 1; kill -9 "$pid" 2>/dev/null || true; fi
    rm -f "$K8S_RUN/pids/$f.pid"
  done
  ip link delete "$VETH" 2>/dev/null || true
  ip netns delete "$NS" 2>/dev/null || true
}

start() {
  [[ -x "$K8S_BIN/garage" ]] || { echo "backup-store.sh: no Garage binary: build.sh garage" >&2; exit 1; }
  [[ -x "$ANSIBLE" ]] || { echo "backup-store.sh: no ansible in .cache/venv: make setup" >&2; exit 1; }
  stop
  mkdir -p "$DIR"/{meta,data,tls} "$K8S_RUN/pids" "$K8S_RUN/logs"
  # The backup VM's network.
  ip netns add "$NS"
  ip link add "$VETH" type veth peer name eth0 netns "$NS"
  ip link set "$VETH" master "$K8S_BRIDGE" up
  ip -n "$NS" link set lo up
  ip -n "$NS" addr add "$K8S_BACKUP_IP/${K8S_NODE_NET#*/}" dev eth0
  ip -n "$NS" link set eth0 up
  ip -n "$NS" route add default via "$K8S_HOST_IP"
  local n
  for n in $(k8s_nodes); do ip -n "$NS" route add "$(k8s_node_pod_cidr "$n")" via "$(k8s_node_ip "$n")"; done

  # The role's templates, rendered by Ansible with the lab's variables; secrets are fresh.
  local rpc admin key_id key_secret region
  rpc="$(openssl rand -hex 32)" admin="$(openssl rand -base64 32)"
  key_id="GK$(openssl rand -hex 12)" key_secret="$(openssl rand -hex 32)"
  for t in garage.toml haproxy.cfg; do
    "$ANSIBLE" localhost -c local -i localhost, -o -m ansible.builtin.template \
      -a "src=$ROLE/templates/$t.j2 dest=$DIR/$t mode=0600" \
      -e "ansible_python_interpreter=$K8S_ROOT/.cache/venv/bin/python" -e "@$ROLE/defaults/main.yml" -e "@$GROUP_VARS" \
      -e "backup_store_garage_meta_dir=$DIR/meta backup_store_garage_data_dir=$DIR/data backup_store_tls_dir=$DIR/tls" \
      -e "garage_rpc_secret=$rpc garage_admin_token=$admin" >"$DIR/render-$t.log" 2>&1 \
      || { cat "$DIR/render-$t.log" >&2; exit 1; }
  done
  region="$(sed -n 's/^s3_region = "\(.*\)"/\1/p' "$DIR/garage.toml")"
  # HAProxy's pem: the store's certificate from the lab CA (the IP is what the charts' endpointURL names).
  openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=s3.dhakacart.lab" \
    -keyout "$DIR/tls/s3.key" -out "$DIR/tls/s3.csr" 2>/dev/null
  openssl x509 -req -in "$DIR/tls/s3.csr" -CA "$K8S_PKI/lab-ca.crt" -CAkey "$K8S_PKI/lab-ca.key" -CAcreateserial -days 90 \
    -extfile <(printf 'subjectAltName=IP:%s,DNS:s3.dhakacart.lab\nextendedKeyUsage=serverAuth\n' "$K8S_BACKUP_IP") -out "$DIR/tls/s3.crt" 2>/dev/null
  cat "$DIR/tls/s3.crt" "$K8S_PKI/lab-ca.crt" "$DIR/tls/s3.key" >"$DIR/tls/s3.pem"
  chgrp -R haproxy "$DIR/tls"; chmod 0750 "$DIR/tls"; chmod 0640 "$DIR/tls/s3.pem"

  RUST_LOG=garage=info setsid ip netns exec "$NS" "$K8S_BIN/garage" -c "$DIR/garage.toml" server >"$K8S_RUN/logs/garage.log" 2>&1 </dev/null &
  echo $! >"$K8S_RUN/pids/garage.pid"
  # -db: in the foreground under our pid file (the role's config says "daemon" for systemd).
  setsid ip netns exec "$NS" haproxy -db -f "$DIR/haproxy.cfg" >"$K8S_RUN/logs/backup-haproxy.log" 2>&1 </dev/null &
  echo $! >"$K8S_RUN/pids/backup-haproxy.pid"

  # bootstrap.yml's steps.
  local i node_id
  for ((i = 0; i < 60; i++)); do garage status >/dev/null 2>&1 && break; sleep 0.5; done
  garage status >/dev/null
  node_id="$(garage node id -q)"; node_id="${node_id%%@*}"
  garage layout assign -z "$(sed -n 's/^backup_store_garage_zone: *//p' "$ROLE/defaults/main.yml")" \
    -c "$(sed -n 's/^backup_store_garage_capacity: *\([^ ]*\).*/\1/p' "$ROLE/defaults/main.yml")" "$node_id" >/dev/null
  garage layout apply --version 1 >/dev/null
  garage key import --yes -n cnpg-backup "$key_id" "$key_secret" >/dev/null
  garage bucket create dhakacart-backups >/dev/null
  garage bucket allow --read --write --owner dhakacart-backups --key cnpg-backup >/dev/null
  printf 'ACCESS_KEY_ID=%s\nACCESS_SECRET_KEY=%s\nREGION=%s\nENDPOINT=https://%s\nBUCKET=dhakacart-backups\n' \
    "$key_id" "$key_secret" "$region" "$K8S_BACKUP_IP" >"$DIR/s3.env"
  chmod 0600 "$DIR/s3.env"
  # Proof: TLS from the lab CA answers (403 without credentials is Garage speaking).
  for ((i = 0; i < 20; i++)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --cacert "$K8S_PKI/lab-ca.crt" "https://$K8S_BACKUP_IP/dhakacart-backups" || true)"
    [[ "$code" == 403 ]] && break; sleep 0.5
  done
  [[ "$code" == 403 ]] || { echo "backup-store.sh: https://$K8S_BACKUP_IP answered $code" >&2; exit 1; }
  k8s_log "backup store up: Garage $GARAGE_VERSION behind TLS at https://$K8S_BACKUP_IP (bucket dhakacart-backups)"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: backup-store.sh start|stop" >&2; exit 2 ;;
esac
