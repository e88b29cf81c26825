# Cluster targets, included by the root Makefile (include ansible/cluster.mk).
# Vagrant makes the VMs, Ansible provisions them; state lives in .cache/cluster.
VENV          ?= .cache/venv
CLUSTER_STATE ?= .cache/cluster
DC_PROVIDER   ?= $(shell awk '/^provider:/{print $$2}' vagrant/settings.yml)
VAULT_PASS    ?= $(HOME)/.config/dhakacart/vault-pass
KUBECTL       ?= kubectl
SHOP_HOST     := shop.dhakacart.lab
INGRESS_IP    := $(shell awk '/^ingress_ip:/{print $$2}' vagrant/settings.yml)
ANSIBLE_ENV   := ANSIBLE_CONFIG=ansible/ansible.cfg ANSIBLE_VAULT_PASSWORD_FILE=$(VAULT_PASS) \
                 DC_STATE_DIR=$(abspath $(CLUSTER_STATE))
PLAYBOOK      := $(ANSIBLE_ENV) $(VENV)/bin/ansible-playbook -i $(CLUSTER_STATE)/inventory.yml

.PHONY: cluster cluster-secrets cluster-up cluster-provision cluster-upgrade cluster-reset \
        cluster-destroy kubeconfig cluster-status cluster-artifacts cluster-test cluster-tools

cluster: cluster-up cluster-provision ## VMs + hosts + K3s + platform + app (idempotent; 2nd run changes nothing)

cluster-tools:
	@[ -x $(VENV)/bin/ansible-playbook ] || { echo "no Ansible in $(VENV): run 'make setup' first"; exit 1; }
	@command -v vagrant >/dev/null || { echo "vagrant not found (apt-get install vagrant vagrant-libvirt)"; exit 1; }

cluster-secrets: cluster-tools ## first-time secrets: encrypted vault file + password file outside git
	DC_SECRETS=$(CLUSTER_STATE)/secrets.vault.yml DC_VAULT_PASS_FILE=$(VAULT_PASS) \
	  ANSIBLE_VAULT_BIN=$(VENV)/bin/ansible-vault bash ansible/scripts/gen-secrets.sh

cluster-up: cluster-tools ## create or start the 4 VMs and write the inventory and ssh config
	@[ -f $(CLUSTER_STATE)/secrets.vault.yml ] || $(MAKE) --no-print-directory cluster-secrets
	cd vagrant && VAGRANT_EXPERIMENTAL=disks vagrant up --provider=$(DC_PROVIDER)
	cd vagrant && VAGRANT_EXPERIMENTAL=disks vagrant ssh-config > $(abspath $(CLUSTER_STATE))/ssh_config

cluster-provision: cluster-tools ## run ansible/playbooks/site.yml against the lab (TAGS=k3s,platform to narrow)
	$(PLAYBOOK) ansible/playbooks/site.yml $(if $(TAGS),--tags $(TAGS)) $(ANSIBLE_ARGS)

cluster-upgrade: cluster-tools ## rolling upgrade to the versions in group_vars/all/versions.yml (one etcd member at a time)
	$(PLAYBOOK) ansible/playbooks/upgrade.yml $(ANSIBLE_ARGS)

cluster-reset: cluster-tools ## wipe K3s and all cluster data from the VMs, keep the VMs and the backups, rebuild
	$(PLAYBOOK) ansible/playbooks/reset.yml $(ANSIBLE_ARGS)
	$(PLAYBOOK) ansible/playbooks/site.yml

cluster-destroy: ## destroy the VMs and the cluster state (keeps secrets, artifacts and the vault password)
	-cd vagrant && VAGRANT_EXPERIMENTAL=disks vagrant destroy -f
	rm -rf $(CLUSTER_STATE)/inventory.yml $(CLUSTER_STATE)/ssh_config $(CLUSTER_STATE)/kubeconfig

kubeconfig: cluster-tools ## fetch the admin kubeconfig (API VIP) to .cache/cluster/kubeconfig
	$(PLAYBOOK) ansible/playbooks/site.yml --tags kubeconfig
	@echo "export KUBECONFIG=$(abspath $(CLUSTER_STATE))/kubeconfig"

cluster-status: ## nodes, pods and the shop URL
	@KUBECONFIG=$(CLUSTER_STATE)/kubeconfig $(KUBECTL) get nodes -o wide
	@KUBECONFIG=$(CLUSTER_STATE)/kubeconfig $(KUBECTL) get pods -A -o wide
	@KUBECONFIG=$(CLUSTER_STATE)/kubeconfig $(KUBECTL) get ingress -A
	@echo
	@echo "Shop: https://$(SHOP_HOST)/  (add '$(INGRESS_IP) $(SHOP_HOST)' to /etc/hosts;"
	@echo "      trust $(CLUSTER_STATE)/pki/ca.crt, the lab CA)"

cluster-artifacts: cluster-tools ## download pinned binaries and charts to .cache/artifacts (copy it for an airgapped lab)
	$(ANSIBLE_ENV) $(VENV)/bin/ansible-playbook -i localhost, ansible/playbooks/site.yml --limit localhost

cluster-test: ## Ansible/Vagrant checks on this machine (lint, syntax, debootstrap target twice)
	bash ansible/tests/run.sh
