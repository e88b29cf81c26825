#!/usr/bin/env bash
# Installs the platform on the running local cluster, as Ansible's platform role
# does in the lab (images from images/build-platform-images.sh, manifests from
# the pinned upstream modules with our overlays in platform/):
#   local-path-provisioner, StorageClass local-path (as K3s ships it)
#   CloudNativePG operator (2 replicas)      cnpg-system
#   Barman Cloud plugin (1 replica: 0300)     cnpg-system
#   metrics-server (2 replicas)              kube-system
#   Traefik (2 replicas) + ingress balancer  kube-system; HAProxy on 10.250.0.2 on the host
#   the lab CA                               ClusterIssuer "dhakacart-lab-ca" stored, its CA in
#                                            .cache/k8s/run/pki/lab-ca.crt
#   the backup store (backup-store.sh)       Garage 2.5.0 behind HAProxy TLS, 10.250.0.20:443
# cert-manager's controller cannot be built here (its commands are modules the
# proxy does not serve): its CRDs are installed so the charts' Certificate and
# ClusterIssuer objects are accepted, and the Secrets they would produce are made
# from the lab CA with openssl (k8s_lab_cert below). Nothing issues or renews them.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
START=$(date +%s)
kubectl() { "$K8S_BIN/kubectl" "$@"; }
GOMOD="$K8S_ROOT/.cache/go/mod"
CRDS="$K8S_ROOT/.cache/charts/crds"
PLAT="$K8S_RUN/platform"
rm -rf "$PLAT"; mkdir -p "$PLAT"
[[ -d "$CRDS/cert-manager" ]] || { echo "platform.sh: CRDs missing in ${CRDS#"$K8S_ROOT"/}: run charts/tests/setup.sh (make setup)" >&2; exit 1; }
[[ -f "$K8S_IMAGES/cnpg.tar" ]] || { echo "platform.sh: platform images missing: run images/build-platform-images.sh" >&2; exit 1; }

moddir() { # <module@version>: where the module cache holds it
  (cd "$K8S_OUT" && GOFLAGS=-modcacherw GOMODCACHE="$GOMOD" go mod download -json "$1" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
}
# overlay <name>: our kustomization with its @PLACEHOLDERS@ filled, in the run dir.
overlay() {
  mkdir -p "$PLAT/$1"
  cp -r "$K8S_HERE/platform/$1/." "$PLAT/$1/"
  sed -i -e "s|@CNPG_IMAGE@|$K8S_CNPG_IMAGE|g" -e "s|@CNPG_IMAGE_NAME@|${K8S_CNPG_IMAGE%:*}|g" -e "s|@CNPG_IMAGE_TAG@|${K8S_CNPG_IMAGE##*:}|g" \
    -e "s|@PLUGIN_IMAGE_NAME@|${K8S_BARMAN_PLUGIN_IMAGE%:*}|g" -e "s|@PLUGIN_IMAGE_TAG@|${K8S_BARMAN_PLUGIN_IMAGE##*:}|g" \
    -e "s|@SIDECAR_IMAGE_B64@|$(printf '%s' "$K8S_BARMAN_SIDECAR_IMAGE" | base64 -w0)|g" \
    -e "s|@METRICS_SERVER_IMAGE_NAME@|${K8S_METRICS_SERVER_IMAGE%:*}|g" -e "s|@METRICS_SERVER_IMAGE_TAG@|${K8S_METRICS_SERVER_IMAGE##*:}|g" \
    -e "s|@TRAEFIK_IMAGE_NAME@|${K8S_TRAEFIK_IMAGE%:*}|g" -e "s|@TRAEFIK_IMAGE_TAG@|${K8S_TRAEFIK_IMAGE##*:}|g" \
    -e "s|@INGRESS_LB_IP@|$K8S_INGRESS_IP|g" -e "s|@TOOLBOX_IMAGE@|$K8S_TOOLBOX_IMAGE|g" \
    -e "s|@LOCAL_PATH_IMAGE_NAME@|${K8S_LOCAL_PATH_IMAGE%:*}|g" -e "s|@LOCAL_PATH_IMAGE_TAG@|${K8S_LOCAL_PATH_IMAGE##*:}|g" "$PLAT/$1"/*.yaml
}
apply_overlay() { kubectl kustomize --load-restrictor LoadRestrictionsNone "$PLAT/$1" | kubectl apply --server-side --force-conflicts -f - >/dev/null; }

# --- the lab CA and cert-manager's CRDs ---------------------------------------------------
if [[ ! -f "$K8S_PKI/lab-ca.crt" ]]; then
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 -subj "/O=DhakaCart/CN=DhakaCart lab CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
    -keyout "$K8S_PKI/lab-ca.key" -out "$K8S_PKI/lab-ca.crt" 2>/dev/null
fi
kubectl apply --server-side --force-conflicts -f "$CRDS/cert-manager" >/dev/null
kubectl wait --for=condition=Established crd/clusterissuers.cert-manager.io crd/certificates.cert-manager.io --timeout=60s >/dev/null
kubectl create namespace cert-manager --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl -n cert-manager create secret tls dhakacart-lab-ca --cert "$K8S_PKI/lab-ca.crt" --key "$K8S_PKI/lab-ca.key" \
  --dry-run=client -o yaml | kubectl apply -f - >/dev/null
kubectl apply -f - >/dev/null <<EOF
apiVersion: cert-manager.io/v1
kind: ClusterIssuer
metadata: {name: dhakacart-lab-ca}
spec:
  ca: {secretName: dhakacart-lab-ca}
EOF

# --- storage: local-path, as K3s ships it ----------------------------------------------------
k8s_log "local-path-provisioner $LOCAL_PATH_VERSION"
overlay local-path
cp "$(moddir "github.com/rancher/local-path-provisioner@$LOCAL_PATH_VERSION")/deploy/local-path-storage.yaml" "$PLAT/local-path/upstream.yaml"
apply_overlay local-path

# --- CloudNativePG --------------------------------------------------------------------------
k8s_log "CloudNativePG operator $CNPG_VERSION"
overlay cnpg
cp "$(moddir "github.com/cloudnative-pg/cloudnative-pg@$CNPG_VERSION")/releases/cnpg-${CNPG_VERSION#v}.yaml" "$PLAT/cnpg/upstream.yaml"
apply_overlay cnpg

# --- Barman Cloud plugin --------------------------------------------------------------------
k8s_log "Barman Cloud plugin $BARMAN_PLUGIN_VERSION"
overlay barman-plugin
cp "$(moddir "github.com/cloudnative-pg/plugin-barman-cloud@$BARMAN_PLUGIN_VERSION")/manifest.yaml" "$PLAT/barman-plugin/upstream.yaml"
# The two Secrets cert-manager's self-signed Issuer would make: the operator
# (client) and the plugin (server, "barman-cloud") each trust the other's certificate.
selfsigned() { # <name> <cn> <extendedKeyUsage> [san]
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 90 -subj "/CN=$2" \
    -addext "extendedKeyUsage=$3" ${4:+-addext "subjectAltName=$4"} -keyout "$PLAT/$1.key" -out "$PLAT/$1.crt" 2>/dev/null
  kubectl -n cnpg-system create secret generic "$1" --type kubernetes.io/tls --from-file=tls.crt="$PLAT/$1.crt" \
    --from-file=tls.key="$PLAT/$1.key" --from-file=ca.crt="$PLAT/$1.crt" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
}
selfsigned barman-cloud-server-tls barman-cloud serverAuth DNS:barman-cloud
selfsigned barman-cloud-client-tls barman-cloud-client clientAuth
apply_overlay barman-plugin

# --- metrics-server -------------------------------------------------------------------------
k8s_log "metrics-server $METRICS_SERVER_VERSION"
overlay metrics-server
cp -r "$(moddir "sigs.k8s.io/metrics-server@$METRICS_SERVER_VERSION")/manifests/base" "$PLAT/metrics-server/upstream"
chmod -R u+w "$PLAT/metrics-server/upstream"
kubectl -n kube-system create configmap metrics-server-kubelet-ca --from-file=ca.crt="$K8S_PKI/ca.crt" --dry-run=client -o yaml | kubectl apply -f - >/dev/null
apply_overlay metrics-server

# --- Traefik and the ingress balancer -----------------------------------------------------------
k8s_log "Traefik $TRAEFIK_BUILD_VERSION"
overlay traefik
tdir="$(moddir "github.com/traefik/traefik/v3@$TRAEFIK_VERSION")/docs/content/reference/dynamic-configuration"
cp "$tdir/kubernetes-crd-definition-v1.yml" "$PLAT/traefik/crds.yaml"
cp "$tdir/kubernetes-crd-rbac.yml" "$PLAT/traefik/rbac.yaml"
apply_overlay traefik
ip addr replace "$K8S_INGRESS_IP/32" dev "$K8S_BRIDGE"
{
  printf 'global\n  log stderr format short local0 warning\n'
  printf 'defaults\n  mode tcp\n  timeout connect 2s\n  timeout client 10m\n  timeout server 10m\n'
  for p in 80:30080 443:30443; do
    printf 'frontend in%s\n  bind %s:%s\n  default_backend nodes%s\n' "${p%%:*}" "$K8S_INGRESS_IP" "${p%%:*}" "${p%%:*}"
    # Only nodes with a ready Traefik pod answer (externalTrafficPolicy Local):
    # the check finds them; the PROXY protocol carries the shopper's address.
    # A refused connection (a node whose Traefik just went) is retried on another node.
    printf 'backend nodes%s\n  retries 3\n  option redispatch\n  default-server inter 1s fall 2 rise 2 send-proxy-v2\n' "${p%%:*}"
    for n in $(k8s_nodes); do printf '  server n%s %s:%s check\n' "$n" "$(k8s_node_ip "$n")" "${p#*:}"; done
  done
} >"$K8S_RUN/ingress-lb.cfg"
if [[ -f "$K8S_RUN/pids/ingress-lb.pid" ]]; then kill "$(cat "$K8S_RUN/pids/ingress-lb.pid")" 2>/dev/null || true; fi
setsid haproxy -W -db -f "$K8S_RUN/ingress-lb.cfg" >"$K8S_RUN/logs/ingress-lb.log" 2>&1 </dev/null &
echo $! >"$K8S_RUN/pids/ingress-lb.pid"

# --- the backup store, outside the cluster -----------------------------------------------------
# (Without a Garage binary yet, the checks that need the store start it themselves.)
if [[ -x "$K8S_BIN/garage" ]]; then "$K8S_HERE/backup-store.sh" start
else echo "platform.sh: no Garage binary yet (build.sh garage): the backup store is not started" >&2; fi

for d in local-path-storage/local-path-provisioner cnpg-system/cnpg-controller-manager cnpg-system/barman-cloud kube-system/metrics-server kube-system/traefik; do
  kubectl -n "${d%/*}" rollout status "deploy/${d#*/}" --timeout=300s >/dev/null || { kubectl -n "${d%/*}" get pods -o wide >&2; echo "platform.sh: $d not ready" >&2; exit 1; }
done
kubectl wait --for=condition=Available apiservice/v1beta1.metrics.k8s.io --timeout=120s >/dev/null
k8s_log "platform ready in $(($(date +%s) - START)) s"
