#!/usr/bin/env bash
# Stops the local cluster started by up.sh and puts the host back: pod
# containers, the daemons (only the pids up.sh recorded), mounts under
# .cache/k8s/run, pod network namespaces, kube-proxy's and CNI's iptables
# rules, our bridge and the two sysctls up.sh changed. Safe to run twice.
# --keep-logs keeps .cache/k8s/run/logs (up.sh uses it after a failed start).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
KEEP_LOGS=0
[[ "${1:-}" == "--keep-logs" ]] && KEEP_LOGS=1

pid_of() { [[ -f "$K8S_RUN/pids/$1.pid" ]] && cat "$K8S_RUN/pids/$1.pid"; }
alive() { [[ -n "${1:-}" ]] && kill -0 "$1" 2>/dev/null; }
# stop <name>: SIGTERM, then SIGKILL after 10 s; only the pid up.sh recorded.
stop() {
  local pid i
  pid="$(pid_of "$1" || true)"
  if alive "$pid"; then
    kill "$pid" 2>/dev/null || true
    for ((i = 0; i < 20; i++)); do alive "$pid" || break; sleep 0.5; done
    if alive "$pid"; then kill -9 "$pid" 2>/dev/null || true; fi
  fi
  rm -f "$K8S_RUN/pids/$1.pid"
}

# kubelet first, so it does not restart what we are about to stop.
stop kube-router
stop kube-proxy
stop kubelet
if alive "$(pid_of containerd || true)"; then
  # Every pod container and sandbox, through containerd, so runc tears them down cleanly.
  for id in $(k8s_ctr tasks ls -q 2>/dev/null || true); do k8s_ctr tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
  sleep 1
  for id in $(k8s_ctr tasks ls -q 2>/dev/null || true); do k8s_ctr tasks delete -f "$id" >/dev/null 2>&1 || true; done
fi
stop containerd
# Shims of our containerd (identified by our socket path) outlive it by design.
for p in $(pgrep -f "containerd-shim-runc-v2 .*-address $K8S_CONTAINERD_SOCK" || true); do kill -9 "$p" 2>/dev/null || true; done
# Anything left in the pod cgroups (cgroupfs driver: /kubepods in every v1 hierarchy).
for cg in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/unified/kubepods; do
  [[ -d "$cg" ]] || continue
  find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do kill -9 "$p" 2>/dev/null || true; done
done
for s in kube-scheduler kube-controller-manager kube-apiserver etcd; do stop "$s"; done

# Mounts: overlay rootfs, shm, projected-token tmpfs, netns bind mounts.
if [[ -d "$K8S_RUN" ]]; then
  findmnt -rn -o TARGET | grep -F "$K8S_RUN" | sort -r | while read -r m; do umount -l "$m" 2>/dev/null || true; done
fi
# Pod network namespaces that containerd created for our pods (cni-<uuid>).
for ns in $(ip netns list 2>/dev/null | awk '/^cni-/{print $1}'); do ip netns delete "$ns" 2>/dev/null || true; done
for cg in /sys/fs/cgroup/*/kubepods /sys/fs/cgroup/unified/kubepods; do
  if [[ -d "$cg" ]]; then find "$cg" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
done

# kube-proxy's and kube-router's own cleanups remove the chains, rules and ipsets they made.
if [[ -x "$K8S_BIN/kube-proxy" ]]; then "$K8S_BIN/kube-proxy" --cleanup >/dev/null 2>&1 || true; fi
if [[ -x "$K8S_BIN/kube-router" ]]; then "$K8S_BIN/kube-router" --cleanup-config >/dev/null 2>&1 || true; fi
# Left by a kube-network-policies trial (build.sh knp; it cannot run on this kernel).
nft delete table inet kube-network-policies 2>/dev/null || true
# kubelet's KUBE-FIREWALL/KUBE-KUBELET-CANARY and portmap's CNI-* chains.
for table in filter nat mangle; do
  for chain in $(iptables -t "$table" -S 2>/dev/null | awk '$1=="-N" && ($2 ~ /^(KUBE-|CNI-)/){print $2}'); do
    iptables -t "$table" -S 2>/dev/null | awk -v c="$chain" '$1=="-A" && $0 ~ ("-j " c "( |$)"){ $1="-D"; print }' \
      | while read -r rule; do eval "iptables -t $table $rule" 2>/dev/null || true; done
  done
  for chain in $(iptables -t "$table" -S 2>/dev/null | awk '$1=="-N" && ($2 ~ /^(KUBE-|CNI-)/){print $2}'); do
    iptables -t "$table" -F "$chain" 2>/dev/null || true
  done
  for chain in $(iptables -t "$table" -S 2>/dev/null | awk '$1=="-N" && ($2 ~ /^(KUBE-|CNI-)/){print $2}'); do
    iptables -t "$table" -X "$chain" 2>/dev/null || true
  done
done
# kube-router's ipsets can only go once no rule references them, i.e. now.
for set in $(ipset list -n 2>/dev/null | grep -E '^(KUBE-|kube-router-)' || true); do ipset destroy "$set" 2>/dev/null || true; done
ip link delete "$K8S_BRIDGE" 2>/dev/null || true
# Paths containerd and kubelet use whatever their config says: the shims'
# sockets (/run/containerd/s, fifo) and kubelet's device-plugin socket. Removed
# only when no system containerd / kubelet owns them (no containerd.sock there,
# nothing but our socket in /var/lib/kubelet).
if [[ -d /run/containerd && ! -e /run/containerd/containerd.sock ]]; then rm -rf /run/containerd; fi
if [[ "$(find /var/lib/kubelet -mindepth 1 2>/dev/null | sort | tr '\n' ' ')" == "/var/lib/kubelet/device-plugins /var/lib/kubelet/device-plugins/kubelet.sock " ]]; then
  rm -rf /var/lib/kubelet
fi
rm -f /run/nri/nri.sock; rmdir /run/nri 2>/dev/null || true
# libcni's result cache (/var/lib/cni) and kubelet's /var/log/containers links are
# fixed paths too: ours are the "dhakacart" network's results and links into our run dir.
rm -f /var/lib/cni/results/dhakacart-*
if [[ ! -e /run/containerd/containerd.sock ]]; then rm -f /var/lib/cni/results/cni-loopback-*; fi
rmdir /var/lib/cni/results /var/lib/cni 2>/dev/null || true
find /var/log/containers -maxdepth 1 -lname "$K8S_RUN/*" -delete 2>/dev/null || true
rmdir /var/log/containers 2>/dev/null || true
if [[ -f "$K8S_OUT/sysctl.saved" ]]; then
  { read -r fwd; read -r brnf; } <"$K8S_OUT/sysctl.saved"
  echo "$fwd" >/proc/sys/net/ipv4/ip_forward
  echo "$brnf" >/proc/sys/net/bridge/bridge-nf-call-iptables
  rm -f "$K8S_OUT/sysctl.saved"
fi

if [[ -d "$K8S_RUN" ]]; then
  if ((KEEP_LOGS)); then
    find "$K8S_RUN" -mindepth 1 -maxdepth 1 ! -name logs -exec rm -rf {} + 2>/dev/null || true
  else
    rm -rf "$K8S_RUN" 2>/dev/null || true
  fi
fi
k8s_log "stopped; host networking restored"
