# Delivery targets (issue #15), included by the root Makefile. The workflows in .github/
# only call these, so an operator runs the very same steps by hand (docs/runbooks/deploy.md).
DEPLOY_DIR := services/deploy
DEPLOY_TSX := node --import tsx

.PHONY: pipeline-check deploy rollback smoke verify-images mirror-images images base-images \
        registry-up registry-down schema-compat deploy-tools test-deploy-k8s lab-pins

# make setup: gitleaks and actionlint, built once from the Go module proxy into the
# version-keyed tool cache (~/.cache/dhakacart/<tool>-<version>).
setup: $(STAMP)/deploy-tools
$(STAMP)/deploy-tools: $(DEPLOY_DIR)/bin/pins.sh $(DEPLOY_DIR)/bin/build-tools.sh
	@mkdir -p $(STAMP)
	@bash $(DEPLOY_DIR)/bin/build-tools.sh gitleaks actionlint >/dev/null
	@touch $@

deploy-tools: $(STAMP)/deploy-tools ## build the pipeline's tools (gitleaks, actionlint; BuildKit and the registry on demand)

pipeline-check: $(STAMP)/deploy-tools ## actionlint, workflow calls exist, gitleaks, Dockerfile policy (PR gate; also in make test)
	$(DEPLOY_TSX) $(DEPLOY_DIR)/src/pipeline-check.ts

deploy: ## helm upgrade --rollback-on-failure with IMAGES=<pins.yml>, smoke + helm test, roll back on failure, notify (DEPLOY_ENV=lab)
	@test -n "$(IMAGES)" || { echo "usage: make deploy IMAGES=<pins.yml> [DEPLOY_ENV=lab|production|k8s]"; exit 2; }
	IMAGES=$(IMAGES) bash $(DEPLOY_DIR)/bin/deploy.sh

rollback: ## roll the app back to Helm revision REVISION=N, smoke + helm test, notify (DEPLOY_ENV=lab)
	@test -n "$(REVISION)" || { echo "usage: make rollback REVISION=<n> [DEPLOY_ENV=lab] (helm history dhakacart -n dhakacart)"; exit 2; }
	REVISION=$(REVISION) ROLLBACK_REASON="$(ROLLBACK_REASON)" bash $(DEPLOY_DIR)/bin/rollback.sh

smoke: ## the smoke test through the ingress of DEPLOY_ENV (lab by default)
	bash -c 'source $(DEPLOY_DIR)/bin/lib.sh && smoke'

verify-images: ## cosign verify every image of IMAGES=<pins.yml> (keyless, signed by this repo's main workflow)
	@test -n "$(IMAGES)" || { echo "usage: make verify-images IMAGES=<pins.yml>"; exit 2; }
	bash $(DEPLOY_DIR)/bin/verify-images.sh $(IMAGES)

mirror-images: ## copy IMAGES=<pins.yml> by digest into the lab's registry mirror MIRROR=<host:port>
	@test -n "$(IMAGES)" -a -n "$(MIRROR)" || { echo "usage: make mirror-images IMAGES=<pins.yml> MIRROR=<host:port>"; exit 2; }
	bash $(DEPLOY_DIR)/bin/mirror-images.sh $(IMAGES) $(MIRROR)

lab-pins: ## write the images the lab release serves into make cluster's pins file (run before make cluster on a lab CI deploys to)
	bash $(DEPLOY_DIR)/bin/lab-pins.sh

registry-up: ## a local OCI registry (distribution) on REGISTRY=127.0.0.1:5000, data in .cache/deploy/registry
	bash $(DEPLOY_DIR)/bin/registry.sh up

registry-down: ## stop the local registry
	bash $(DEPLOY_DIR)/bin/registry.sh down

base-images: registry-up ## the pinned base images made here (debootstrap + Node from npm; nginx), pushed to the local registry
	bash $(DEPLOY_DIR)/bin/base-images.sh

images: registry-up ## build api, migrate and web from their Dockerfiles with BuildKit (root), push to the local registry, write .cache/deploy/images.yml
	bash $(DEPLOY_DIR)/bin/images.sh

test-deploy-k8s: setup ## the live delivery checks on a running local cluster with the shop (make k8s-up; CHECKS="app deploy" make test-k8s runs them from scratch)
	bash $(DEPLOY_DIR)/k8s/deploy-checks.sh

schema-compat: setup-shop ## the previous release's API against the newly migrated database: its smoke checks must pass
	$(DEPLOY_TSX) $(DEPLOY_DIR)/src/schema-compat.ts
