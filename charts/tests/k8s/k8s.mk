# Local single-node Kubernetes built from the Go module proxy (issue #7), included
# by the root Makefile. Not part of `make test`: the first build takes ~13 min of
# both cores (see docs/runbooks/k8s-local.md); binaries are cached in .cache/k8s.
# `make test` runs only the static checks of these scripts (charts/tests/run.sh).
K8S_DIR := charts/tests/k8s
K8S_APT := runc iptables conntrack ipset containernetworking-plugins busybox-static openssl debootstrap

.PHONY: k8s-build k8s-up k8s-down test-k8s

k8s-build: ## build pinned kube-*, kubelet, kubectl, containerd, etcd, CoreDNS into .cache/k8s/bin (cached)
	@missing=""; for p in $(K8S_APT); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then echo "installing:$$missing"; DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; fi
	$(K8S_DIR)/build.sh

k8s-up: k8s-build ## start the local single-node cluster (root; KUBECONFIG=.cache/k8s/run/pki/admin.kubeconfig)
	$(K8S_DIR)/up.sh

k8s-down: ## stop the local cluster and restore host networking
	$(K8S_DIR)/down.sh

test-k8s: k8s-build ## start the cluster, run the live checks, always stop it again
	@$(K8S_DIR)/run-checks.sh
