#!/usr/bin/env bash
# Stops the local cluster started by up.sh and puts the host back: every node
# powered off (node-ctl.sh off: its processes, containers, mounts and network
# namespaces go with its namespaces), the host's API load balancer, the host
# routes to the pod networks, the backup store's namespace (backup-store.sh), our bridge, the cgroups, and ip_forward as it was.
# Containerd's image stores (.cache/k8s/containerd) are kept for the next start.
# Safe to run twice. --keep-logs keeps .cache/k8s/run/{logs,nodes/*/logs}.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
KEEP_LOGS=0
[[ "${1:-}" == "--keep-logs" ]] && KEEP_LOGS=1

# Every node this cluster had (nodes.count), and any left from a larger run.
for n in $(seq 1 9); do
  if [[ -f "$K8S_RUN/pids/node-n$n.pid" ]] || ip netns list 2>/dev/null | grep -qw "$(k8s_node_netns "$n")" \
    || ip link show "$(k8s_node_veth "$n")" >/dev/null 2>&1; then
    "$K8S_HERE/node-ctl.sh" off "$n" || true
  fi
done
"$K8S_HERE/backup-store.sh" stop
# Host processes up.sh and platform.sh started (only the pids they recorded).
for f in "$K8S_RUN"/pids/*.pid; do
  [[ -f "$f" ]] || continue
  pid="$(cat "$f")"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
done
for n in $(seq 1 9); do ip route delete "$(k8s_node_pod_cidr "$n")" 2>/dev/null || true; done
ip link delete "$K8S_BRIDGE" 2>/dev/null || true
CGB="$(k8s_cgroup_base)"
for h in $(k8s_cgroup_hierarchies); do
  if [[ -d "$h$CGB" ]]; then find "$h$CGB" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
done
# The mount points the nodes' private mount namespaces bound their disks over:
# empty directories on the host's file system, removed unless something else owns them.
for d in /opt/local-path-provisioner /run/containerd /run/netns /var/lib/containerd /var/lib/kubelet /var/lib/cni /var/log/pods /var/log/containers /etc/cni/net.d /var/lib/etcd /etc/cni; do
  rmdir "$d" 2>/dev/null || true
done
if [[ -f "$K8S_OUT/sysctl.saved" ]]; then
  read -r fwd <"$K8S_OUT/sysctl.saved"
  echo "$fwd" >/proc/sys/net/ipv4/ip_forward
  rm -f "$K8S_OUT/sysctl.saved"
fi
if [[ -d "$K8S_RUN" ]]; then
  if ((KEEP_LOGS)); then
    find "$K8S_RUN" -mindepth 1 -maxdepth 1 ! -name logs ! -name nodes -exec rm -rf {} + 2>/dev/null || true
    find "$K8S_RUN/nodes" -mindepth 2 -maxdepth 2 ! -name logs -exec rm -rf {} + 2>/dev/null || true
  else
    rm -rf "$K8S_RUN" 2>/dev/null || true
  fi
fi
k8s_log "stopped; host networking restored"
