#!/usr/bin/env bash
# Builds the platform's container images without Docker or a registry, as OCI
# archives in .cache/k8s/images (every node imports them at boot; a running
# cluster's nodes get them at once too):
#   cnpg                      the CloudNativePG operator binary (operator, and the
#                             instance manager its init container copies into each
#                             PostgreSQL pod), user 65532, as upstream's image
#   postgresql:18.x           Debian forky (testing) + its postgresql-18, postgres as
#                             uid/gid 26 with /usr/lib/postgresql/18/bin on PATH: the
#                             layout CloudNativePG's own images have. (npm's
#                             @embedded-postgres 18 ships only initdb, pg_ctl and
#                             postgres; the instance manager also runs pg_controldata,
#                             pg_basebackup and pg_rewind. Debian trixie has only 17.)
#   plugin-barman-cloud       the plugin's operator side, user 65532
#   plugin-barman-cloud-sidecar  Debian trixie + Python 3.13 + a venv from upstream's
#                             hash-pinned containers/sidecar-requirements.txt
#                             (barman[cloud] 3.20.0 from PyPI) + libpq, lz4, snappy, tar
#                             + the plugin binary, user 26, as Dockerfile.sidecar
#   traefik, metrics-server, local-path-provisioner   the static binaries, non-root
# Roots are debootstrapped once (cached in .cache/k8s/rootfs); an image is
# rewritten only when its inputs changed. Needs root and build.sh's binaries.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
ROOTFS="$K8S_OUT/rootfs"
MIRROR="${DC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
START=$(date +%s)
mkdir -p "$ROOTFS" "$K8S_IMAGES" "$K8S_OUT/stamps"

# chroot_run <root> <command...>: with /proc, /dev and the host's CA bundle (the
# registries are reached through it) for the length of one command.
chroot_run() {
  local root="$1" rc=0; shift
  mount -t proc proc "$root/proc"
  mount --rbind /dev "$root/dev"
  cp /etc/ssl/certs/ca-certificates.crt "$root/tmp/host-ca.crt"
  chroot "$root" env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive PIP_CERT=/tmp/host-ca.crt PIP_DISABLE_PIP_VERSION_CHECK=1 "$@" || rc=$?
  rm -f "$root/tmp/host-ca.crt"
  umount -R "$root/dev"
  umount "$root/proc"
  return "$rc"
}

# debian_root <name> <suite> <stamp> <setup function>: a cached debootstrap root.
debian_root() {
  local name="$1" suite="$2" stamp="$3" setup="$4" root="$ROOTFS/$1" t0 script=""
  if [[ -f "$root/.complete" && "$(cat "$root/.complete")" == "$stamp" ]]; then return; fi
  t0=$(date +%s)
  k8s_log "debootstrap Debian $suite into ${root#"$K8S_ROOT"/} ($name)"
  rm -rf "$root"
  # bookworm's debootstrap has no script named forky: testing bootstraps like sid.
  [[ -e "/usr/share/debootstrap/scripts/$suite" ]] || script=/usr/share/debootstrap/scripts/sid
  debootstrap --variant=minbase "$suite" "$root" "$MIRROR" $script >"$ROOTFS/$name.log" 2>&1 \
    || { tail -20 "$ROOTFS/$name.log"; exit 1; }
  echo "deb $MIRROR $suite main" >"$root/etc/apt/sources.list"
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"; chmod +x "$root/usr/sbin/policy-rc.d"
  # Debian testing's Release files carry a Valid-Until; the mirror here is a snapshot,
  # so its date is checked by the signature only.
  printf 'Acquire::Check-Valid-Until "false";\n' >"$root/etc/apt/apt.conf.d/99snapshot"
  chroot_run "$root" apt-get update -qq >>"$ROOTFS/$name.log" 2>&1
  "$setup" "$root" >>"$ROOTFS/$name.log" 2>&1 || { tail -30 "$ROOTFS/$name.log"; exit 1; }
  chroot_run "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root/usr/sbin/policy-rc.d" "$root"/var/cache/debconf/*-old
  echo "$stamp" >"$root/.complete"
  echo "$(date -u +%FT%TZ)	rootfs-$name	$(($(date +%s) - t0))s	$(nproc) cores	$stamp" >>"$K8S_OUT/build-times.txt"
  k8s_log "$name root ready in $(($(date +%s) - t0)) s ($(du -sh "$root" | cut -f1))"
}

# PostgreSQL as CloudNativePG's images lay it out: the postgres user is uid/gid 26
# (the operator runs instances as 26:26 and initdb must find the user).
setup_postgres() {
  local root="$1"
  chroot_run "$root" groupadd -g 26 postgres
  chroot_run "$root" useradd -u 26 -g 26 -d /var/lib/postgresql -s /bin/bash postgres
  chroot_run "$root" apt-get install -y -qq --no-install-recommends postgresql-18 ca-certificates
  # The cluster's data lives on the instance's volume; the package's default cluster is not used.
  rm -rf "$root"/var/lib/postgresql/18/main "$root"/etc/postgresql/18/main
}

# The Barman Cloud sidecar: Python 3.13 and a venv at /venv from upstream's
# hash-pinned requirements; psycopg2 is built from source (gcc, libpq-dev), the
# build tools are removed again afterwards.
setup_sidecar() {
  local root="$1" build="python3-dev build-essential libpq-dev liblz4-dev libsnappy-dev"
  chroot_run "$root" groupadd -g 26 postgres
  chroot_run "$root" useradd -u 26 -g 26 -d /var/lib/postgresql -s /bin/sh postgres
  # shellcheck disable=SC2086  # a list of packages
  chroot_run "$root" apt-get install -y -qq --no-install-recommends python3 python3-venv libpq5 liblz4-1 libsnappy1v5 tar ca-certificates $build
  cp "$K8S_OUT/src-keep/sidecar-requirements.txt" "$root/tmp/requirements.txt"
  chroot_run "$root" python3 -m venv /venv
  chroot_run "$root" /venv/bin/pip install --no-cache-dir --require-hashes -r /tmp/requirements.txt
  rm -f "$root/tmp/requirements.txt"
  # shellcheck disable=SC2086
  chroot_run "$root" apt-get purge -y -qq $build
  chroot_run "$root" apt-get autoremove -y -qq --purge
  chroot_run "$root" /venv/bin/python3 -c "import sysconfig, compileall; compileall.compile_dir(sysconfig.get_path('stdlib'), quiet=1); compileall.compile_dir('/venv', quiet=1)"
}

# upstream's sidecar requirements, from the plugin's module (the pin).
req_dir="$K8S_OUT/src-keep"
mkdir -p "$req_dir"
if [[ ! -f "$req_dir/sidecar-requirements.txt" || "$(cat "$req_dir/sidecar-requirements.version" 2>/dev/null)" != "$BARMAN_PLUGIN_VERSION" ]]; then
  dir="$(cd "$K8S_OUT" && GOFLAGS=-modcacherw GOMODCACHE="$K8S_ROOT/.cache/go/mod" go mod download -json "github.com/cloudnative-pg/plugin-barman-cloud@$BARMAN_PLUGIN_VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
  cp "$dir/containers/sidecar-requirements.txt" "$req_dir/sidecar-requirements.txt"
  echo "$BARMAN_PLUGIN_VERSION" >"$req_dir/sidecar-requirements.version"
fi

debian_root postgres-forky forky "forky postgresql-18 uid26" setup_postgres
debian_root sidecar-trixie trixie "trixie sidecar $BARMAN_PLUGIN_VERSION $(sha256sum "$req_dir/sidecar-requirements.txt" | cut -c1-16)" setup_sidecar

PG_FULL="$(chroot "$ROOTFS/postgres-forky" /usr/lib/postgresql/18/bin/postgres --version | awk '{print $3}')"
PG_IMAGE_TAG="$PG_FULL"
echo "$PG_IMAGE_TAG" >"$K8S_OUT/stamps/postgresql-image-tag"

# An image whose binary is not built yet is left out (and the run fails at the end).
missing=""
have() { [[ -x "$K8S_BIN/$1" ]] || { missing+=" $1"; return 1; }; }

# image <file> <stamp> <oci_image.py args...>: rewritten only when the stamp changed.
image() {
  local file="$1" stamp="$2"; shift 2
  if [[ -f "$K8S_IMAGES/$file.tar" && "$(cat "$K8S_OUT/stamps/image-$file" 2>/dev/null)" == "$stamp" ]]; then return; fi
  python3 "$K8S_HERE/images/oci_image.py" --out "$K8S_IMAGES/$file.tar" "$@"
  echo "$stamp" >"$K8S_OUT/stamps/image-$file"
}
sum() { sha256sum "$@" | sha256sum | cut -c1-16; }
# one_binary <dir name> <binary> <name in image>: a root holding one static binary.
one_binary() {
  rm -rf "${ROOTFS:?}/$1"; mkdir -p "$ROOTFS/$1/tmp"; chmod 1777 "$ROOTFS/$1/tmp"
  cp "$K8S_BIN/$2" "$ROOTFS/$1/$3"
}

if have cnpg-manager; then
# Upstream's layout: the operator finds the architectures it can hand to instance
# pods as /operator/manager_<goarch>; /manager is a link to this one's.
one_binary cnpg-root cnpg-manager manager
mkdir -p "$ROOTFS/cnpg-root/operator"; mv "$ROOTFS/cnpg-root/manager" "$ROOTFS/cnpg-root/operator/manager_amd64"
ln -s operator/manager_amd64 "$ROOTFS/cnpg-root/manager"
image cnpg "$(sum "$K8S_BIN/cnpg-manager") layout2" --name "$K8S_CNPG_IMAGE" --root "$ROOTFS/cnpg-root" \
  --entrypoint '["/manager"]' --user 65532:65532
fi
if have barman-cloud-plugin; then
one_binary plugin-root barman-cloud-plugin manager
image plugin-barman-cloud "$(sum "$K8S_BIN/barman-cloud-plugin")" --name "$K8S_BARMAN_PLUGIN_IMAGE" --root "$ROOTFS/plugin-root" \
  --entrypoint '["/manager"]' --user 65532:65532
image plugin-barman-cloud-sidecar "$(sum "$K8S_BIN/barman-cloud-plugin" "$ROOTFS/sidecar-trixie/.complete")" \
  --name "$K8S_BARMAN_SIDECAR_IMAGE" --root "$ROOTFS/sidecar-trixie" --root "$ROOTFS/plugin-root" \
  --entrypoint '["/manager"]' --user 26:26 --env PATH=/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
fi
image postgresql "$(sum "$ROOTFS/postgres-forky/.complete") $PG_IMAGE_TAG" --name "$K8S_POSTGRES_IMAGE_REPO:$PG_IMAGE_TAG" \
  --root "$ROOTFS/postgres-forky" --user 26:26 \
  --env PATH=/usr/lib/postgresql/18/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin --cmd '["postgres"]'
if have traefik; then
one_binary traefik-root traefik traefik
image traefik "$(sum "$K8S_BIN/traefik")" --name "$K8S_TRAEFIK_IMAGE" --root "$ROOTFS/traefik-root" \
  --entrypoint '["/traefik"]' --user 65532:65532
fi
if have metrics-server; then
one_binary metrics-server-root metrics-server metrics-server
image metrics-server "$(sum "$K8S_BIN/metrics-server")" --name "$K8S_METRICS_SERVER_IMAGE" --root "$ROOTFS/metrics-server-root" \
  --entrypoint '["/metrics-server"]' --user 65534:65534
fi
if have local-path-provisioner; then
rm -rf "${ROOTFS:?}/local-path-root"; mkdir -p "$ROOTFS/local-path-root/usr/local/bin" "$ROOTFS/local-path-root/tmp"
cp "$K8S_BIN/local-path-provisioner" "$ROOTFS/local-path-root/usr/local/bin/"
image local-path-provisioner "$(sum "$K8S_BIN/local-path-provisioner")" --name "$K8S_LOCAL_PATH_IMAGE" --root "$ROOTFS/local-path-root" \
  --user 65532:65532
fi
rm -rf "$ROOTFS"/{cnpg-root,plugin-root,traefik-root,metrics-server-root,local-path-root}

# A running cluster gets them now; a node that boots later imports them itself.
if [[ -f "$K8S_RUN/nodes.count" ]]; then k8s_import_everywhere "$K8S_IMAGES"/*.tar; fi
[[ -z "$missing" ]] || { echo "build-platform-images.sh: not built yet, so no image:$missing (run build.sh)" >&2; exit 1; }
k8s_log "platform images ready in $(($(date +%s) - START)) s (PostgreSQL $PG_IMAGE_TAG)"
