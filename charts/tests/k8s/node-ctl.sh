#!/usr/bin/env bash
# Power a node of the local cluster on or off, the hard way (make k8s-node-on /
# k8s-node-off NODE=n; the chaos drills use these).
#
#   node-ctl.sh off N   every process of node N, its containers included, is
#                       SIGKILLed at once (its PID namespace's init dies, so the
#                       kernel kills the whole namespace; then a sweep of the
#                       node's cgroup), and its network is deleted: the veth and
#                       the network namespace, with every pod network inside.
#                       No graceful anything: no drain, no SIGTERM, no etcd
#                       member removal.
#   node-ctl.sh on N    recreates the node's network and boots node.sh as PID 1 of
#                       fresh namespaces over the node's kept disk (etcd data,
#                       kubelet and containerd state): etcd rejoins as the same
#                       member, the kubelet re-registers. Waits until the node
#                       is Ready again (--no-wait: return once booted, as up.sh does).
#   node-ctl.sh status  one line per node: on/off, PID, Ready.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
[[ $EUID -eq 0 ]] || { echo "node-ctl.sh: needs root" >&2; exit 1; }
cmd="${1:-}" n="${2:-}"
usage() { echo "usage: node-ctl.sh on|off N [--no-wait] | status" >&2; exit 2; }
if [[ "$cmd" != status ]]; then
  [[ "$n" =~ ^[1-9]$ ]] || usage
  [[ "$cmd" == off ]] || (( n <= $(k8s_nodes | tail -1) )) || { echo "node-ctl.sh: this cluster has $(k8s_nodes | tail -1) node(s)" >&2; exit 2; }
fi
NETNS="$(k8s_node_netns "${n:-1}")" VETH="$(k8s_node_veth "${n:-1}")" ND="$(k8s_node_dir "${n:-1}")"
CG="$(k8s_cgroup_base)/n${n:-1}"

node_ready() {
  "$K8S_BIN/kubectl" --request-timeout=5s get node "$(k8s_node_name "$1")" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null
}

power_off() {
  local pid init t0 left=0 h p
  t0=$(date +%s%N)
  pid="$(k8s_node_pid "$n" || true)"
  if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
    # unshare's child is the namespace's init (node.sh); SIGKILL to it takes every
    # process of the PID namespace and of the containers' nested ones with it.
    init="$(pgrep -P "$pid" | head -1 || true)"
    [[ -z "$init" ]] || kill -9 "$init" 2>/dev/null || true
    kill -9 "$pid" 2>/dev/null || true
  fi
  # The kernel takes the namespace's processes down within moments; whatever is
  # still in the node's cgroup after that (nothing should be) is killed here.
  for _ in $(seq 1 30); do
    [[ -z "$(find /sys/fs/cgroup/pids"$CG" -name cgroup.procs -exec cat {} + 2>/dev/null)" ]] && break
    sleep 0.1
  done
  for h in $(k8s_cgroup_hierarchies); do
    [[ -d "$h$CG" ]] || continue
    while read -r p; do kill -9 "$p" 2>/dev/null && left=$((left + 1)); done < <(find "$h$CG" -name cgroup.procs -exec cat {} + 2>/dev/null)
  done
  # The network: deleting one end of the veth deletes the pair; the namespace
  # goes once its last process has (pod network namespaces with it).
  ip link delete "$VETH" 2>/dev/null || true
  ip netns delete "$NETNS" 2>/dev/null || true
  ip route delete "$(k8s_node_pod_cidr "$n")" 2>/dev/null || true
  rm -f "$K8S_RUN/pids/node-n$n.pid"
  # Wait for the processes to be gone before the cgroups can be removed.
  for _ in $(seq 1 50); do
    [[ -z "$(find /sys/fs/cgroup/pids"$CG" -name cgroup.procs -exec cat {} + 2>/dev/null)" ]] && break
    sleep 0.1
  done
  for h in $(k8s_cgroup_hierarchies); do
    if [[ -d "$h$CG" ]]; then find "$h$CG" -depth -type d -exec rmdir {} \; 2>/dev/null || true; fi
  done
  # Mount points the node's private mount namespace needed on the host's file
  # system: empty directories, removed when no other node still uses them.
  k8s_log "node $n ($(k8s_node_name "$n")) powered off in $((($(date +%s%N) - t0) / 1000000)) ms (processes outliving the PID namespace, killed by the cgroup sweep: $left)"
}

power_on() {
  local ip h mine cpus mems p
  if k8s_node_alive "$n"; then k8s_log "node $n is already on"; return 0; fi
  ip="$(k8s_node_ip "$n")"
  mkdir -p "$ND/logs" "$K8S_RUN/pids"
  # Network: the node's namespace, one veth on the host bridge, routes to the
  # other nodes' pod networks (and the host's route to this one).
  ip netns delete "$NETNS" 2>/dev/null || true
  ip link delete "$VETH" 2>/dev/null || true
  ip netns add "$NETNS"
  ip link add "$VETH" type veth peer name eth0 netns "$NETNS"
  ip link set "$VETH" master "$K8S_BRIDGE" up
  ip -n "$NETNS" link set lo up
  ip -n "$NETNS" addr add "$ip/${K8S_NODE_NET#*/}" dev eth0
  ip -n "$NETNS" link set eth0 up
  ip -n "$NETNS" route add default via "$K8S_HOST_IP"
  for p in $(k8s_nodes); do
    [[ "$p" == "$n" ]] || ip -n "$NETNS" route add "$(k8s_node_pod_cidr "$p")" via "$(k8s_node_ip "$p")"
  done
  ip route replace "$(k8s_node_pod_cidr "$n")" via "$ip"
  # cgroup: the same path in every hierarchy (the kubelet's cgroupRoot below it).
  for h in $(k8s_cgroup_hierarchies); do
    mine="$h"
    for p in $(tr '/' ' ' <<<"$CG"); do
      mine="$mine/$p"
      if [[ ! -d "$mine" ]]; then
        mkdir "$mine"
        # A new cpuset cgroup has no CPUs or memory nodes until given its parent's.
        if [[ "$h" == */cpuset ]]; then
          cpus="$(cat "$(dirname "$mine")/cpuset.cpus")" mems="$(cat "$(dirname "$mine")/cpuset.mems")"
          echo "$cpus" >"$mine/cpuset.cpus"; echo "$mems" >"$mine/cpuset.mems"
        fi
      fi
    done
  done
  # Boot: join the cgroup, then node.sh becomes PID 1 of new mount, PID and UTS
  # namespaces inside the node's network namespace. --kill-child: if unshare
  # dies, so does the node.
  local cgdirs=()
  for h in $(k8s_cgroup_hierarchies); do cgdirs+=("$h$CG"); done
  # shellcheck disable=SC2016  # $$ and $@ are the inner shell's
  setsid bash -c 'for h in "$@"; do echo $$ >"$h/cgroup.procs"; done; exec nsenter --net="/run/netns/'"$NETNS"'" -- unshare --mount --pid --uts --fork --mount-proc --propagation private --kill-child -- bash "'"$K8S_HERE/node.sh"'" '"$n" \
    node-boot "${cgdirs[@]}" \
    >>"$ND/logs/node.log" 2>&1 </dev/null &
  echo $! >"$K8S_RUN/pids/node-n$n.pid"
  k8s_log "node $n ($(k8s_node_name "$n"), $ip) booting; logs in ${ND#"$K8S_ROOT"/}/logs"
}

case "$cmd" in
  off) power_off ;;
  on)
    power_on
    if [[ "${3:-}" != --no-wait ]]; then
      # Back means: its etcd member healthy, and its kubelet's lease renewed after
      # the boot (a Ready=True seen before that is the stale status of the dead node).
      t0=$(date +%s) boot="$(date -u +%FT%TZ)" back=""
      for _ in $(seq 1 240); do
        if curl -fsS -m 2 "http://$(k8s_node_ip "$n"):2379/health" 2>/dev/null | grep -q '"health":"true"'; then
          renew="$("$K8S_BIN/kubectl" --request-timeout=5s -n kube-node-lease get lease "$(k8s_node_name "$n")" -o jsonpath='{.spec.renewTime}' 2>/dev/null || true)"
          if [[ -n "$renew" && "${renew%.*}" > "${boot%Z}" && "$(node_ready "$n")" == True ]]; then back=1; break; fi
        fi
        sleep 1
      done
      [[ -n "$back" ]] || { echo "node-ctl.sh: node $n not back (etcd member healthy, kubelet lease renewed, Ready) after 240 s" >&2; exit 1; }
      k8s_log "node $n back after $(($(date +%s) - t0)) s: etcd member healthy, kubelet Ready"
    fi
    ;;
  status)
    for n in $(k8s_nodes); do
      if k8s_node_alive "$n"; then s="on (pid $(k8s_node_pid "$n"))"; else s=off; fi
      printf '%s\t%s\t%s\tReady=%s\n' "$n" "$(k8s_node_name "$n")" "$s" "$(node_ready "$n" || echo '?')"
    done
    ;;
  *) usage ;;
esac
