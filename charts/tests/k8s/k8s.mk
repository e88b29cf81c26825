# The local Kubernetes cluster built from the Go module proxy (issues #7, #13),
# included by the root Makefile. Not part of `make test`: the cold build takes
# ~30 min of both cores (see docs/runbooks/k8s-local.md); binaries and images
# are cached in .cache/k8s. `make test` runs only the static checks of these
# scripts (charts/tests/run.sh).
K8S_DIR := charts/tests/k8s
K8S_APT := runc iptables conntrack ipset containernetworking-plugins busybox-static openssl debootstrap haproxy
# Three nodes, as the lab; K8S_NODES=1 for quick work.
K8S_NODES ?= 3
export K8S_NODES

.PHONY: k8s-build k8s-up k8s-down k8s-node-off k8s-node-on k8s-status test-k8s

k8s-build: ## build pinned Kubernetes, containerd, etcd, CoreDNS, operators, Garage into .cache/k8s (cached)
	@missing=""; for p in $(K8S_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
	$(K8S_DIR)/build.sh
	$(K8S_DIR)/images/build-platform-images.sh

k8s-up: k8s-build ## start the local cluster and the platform, K8S_NODES=3 by default (K8S_PLATFORM=0: bare) (root; KUBECONFIG=.cache/k8s/run/pki/admin.kubeconfig)
	$(K8S_DIR)/up.sh

k8s-down: ## stop the local cluster and restore host networking
	$(K8S_DIR)/down.sh

k8s-node-off: ## power node NODE=n off the hard way: all its processes and containers killed at once, its network gone
	@test -n "$(NODE)" || { echo "usage: make k8s-node-off NODE=n"; exit 2; }
	$(K8S_DIR)/node-ctl.sh off $(NODE)

k8s-node-on: ## boot node NODE=n again; it rejoins etcd and the cluster (waits for Ready)
	@test -n "$(NODE)" || { echo "usage: make k8s-node-on NODE=n"; exit 2; }
	$(K8S_DIR)/node-ctl.sh on $(NODE)

k8s-status: ## one line per node of the local cluster: on/off and Ready
	@$(K8S_DIR)/node-ctl.sh status

test-k8s: k8s-build ## start the cluster, run the live checks, always stop it again
	@$(K8S_DIR)/run-checks.sh
