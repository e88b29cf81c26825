#!/usr/bin/env bash
# Builds the shop's images without Docker or a registry and imports them into
# the running local cluster's containerd:
#   base     Debian 12 minbase (debootstrap) + postgresql-15, redis-server, nginx-light
#   api      base + node (this machine's, same Debian) + the built API workspace
#            (also the migrator: same image, other command, as in the chart)
#   web      base + nginx config for uid 101 / read-only root + web/dist
#   data     base only: PostgreSQL and Redis for the in-cluster stand-ins
# Same intent as services/api/Dockerfile and web/Dockerfile (non-root, read-only
# root FS), not the same bytes. Needs root and the API and storefront built
# (npm run build); the archives stay in .cache/k8s/images for nodes that boot later.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=../env.sh
source "$(dirname "${BASH_SOURCE[0]}")/../env.sh"
ROOTFS="$K8S_OUT/rootfs"
IMG="$K8S_IMAGES"
MIRROR="${DC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
APP_TAG="${APP_TAG:-local}"
mkdir -p "$ROOTFS" "$IMG"
START=$(date +%s)

[[ -f "$K8S_ROOT/services/api/dist/server.js" && -f "$K8S_ROOT/web/dist/index.html" ]] \
  || { echo "build-app-images.sh: build the API and storefront first (npm run build)" >&2; exit 1; }

base="$ROOTFS/base"
if [[ ! -f "$base/.complete" ]]; then
  k8s_log "debootstrap Debian 12 + postgresql-15 redis-server nginx-light into ${base#"$K8S_ROOT"/}"
  rm -rf "$base"
  debootstrap --variant=minbase bookworm "$base" "$MIRROR" >"$ROOTFS/debootstrap.log" 2>&1 \
    || { tail -20 "$ROOTFS/debootstrap.log"; exit 1; }
  echo "deb $MIRROR bookworm main" >"$base/etc/apt/sources.list"
  # No init in the chroot: packages must not try to start their services.
  printf '#!/bin/sh\nexit 101\n' >"$base/usr/sbin/policy-rc.d"; chmod +x "$base/usr/sbin/policy-rc.d"
  chroot "$base" apt-get update -qq >>"$ROOTFS/debootstrap.log" 2>&1
  DEBIAN_FRONTEND=noninteractive chroot "$base" apt-get install -y -qq --no-install-recommends \
    postgresql-15 redis-server nginx-light ca-certificates >>"$ROOTFS/debootstrap.log" 2>&1 \
    || { tail -20 "$ROOTFS/debootstrap.log"; exit 1; }
  chroot "$base" apt-get clean
  rm -rf "$base"/var/lib/apt/lists/* "$base"/var/lib/postgresql/15/main "$base/usr/sbin/policy-rc.d"
  touch "$base/.complete"
  k8s_log "base root ready after $(($(date +%s) - START)) s ($(du -sh "$base" | cut -f1))"
fi

# Debian ships /etc/redis as 2770 redis:redis; the data chart runs Redis as uid
# 10999 with its auth file mounted under /etc/redis/auth (fine in the official
# image, which has no /etc/redis), so open the folder up.
chmod 0755 "$base/etc/redis"

# api: node + the API workspace, laid out as the Dockerfile's /app.
api="$ROOTFS/api"
rm -rf "$api"; mkdir -p "$api/usr/local/bin" "$api/app/services/api"
cp /usr/bin/node "$api/usr/local/bin/node"
# Hard links: same file system, no second copy of ~700 MB of node_modules.
cp -al "$K8S_ROOT/node_modules" "$api/app/node_modules"
cp "$K8S_ROOT/package.json" "$api/app/"
for d in package.json dist prisma node_modules; do
  [[ -e "$K8S_ROOT/services/api/$d" ]] && cp -al "$K8S_ROOT/services/api/$d" "$api/app/services/api/$d"
done

# web: nginx as uid 101 with a read-only root: pid and temp files in /tmp (an emptyDir).
web="$ROOTFS/web"
rm -rf "$web"; mkdir -p "$web/etc/nginx/conf.d" "$web/usr/share/nginx"
cp -a "$K8S_ROOT/web/dist" "$web/usr/share/nginx/html"
cp "$K8S_ROOT/web/nginx.conf" "$web/etc/nginx/conf.d/default.conf"
cat >"$web/etc/nginx/nginx.conf" <<'EOF'
worker_processes 1;
pid /tmp/nginx.pid;
error_log /dev/stderr warn;
events { worker_connections 1024; }
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout;
    client_body_temp_path /tmp/client_temp;
    proxy_temp_path /tmp/proxy_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;
    sendfile on;
    include /etc/nginx/conf.d/*.conf;
}
EOF

k8s_log "writing OCI archives"
python3 "$K8S_HERE/images/oci_image.py" --name "dhakacart.local/dhakacart/api:$APP_TAG" --root "$base" --root "$api" \
  --out "$IMG/api.tar" --workdir /app --user 10001:10001 --env NODE_ENV=production --env HOST=0.0.0.0 --env PORT=3000 \
  --cmd '["node", "services/api/dist/server.js"]'
python3 "$K8S_HERE/images/oci_image.py" --name "dhakacart.local/dhakacart/web:$APP_TAG" --root "$base" --root "$web" \
  --out "$IMG/web.tar" --user 101:101 --cmd '["nginx", "-g", "daemon off;"]'
python3 "$K8S_HERE/images/oci_image.py" --name "dhakacart.local/dhakacart/data:$APP_TAG" --root "$base" \
  --out "$IMG/data.tar"
# Every node that is on gets them now; a node that boots later imports them itself.
k8s_import_everywhere "$IMG/api.tar" "$IMG/web.tar" "$IMG/data.tar"
k8s_log "images built and imported in $(($(date +%s) - START)) s"
