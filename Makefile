# DhakaCart Platform — one entry point for people and CI.
# `make up` runs the shop on this machine, `make test` runs every test.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CACHE      := .cache
VENV       := $(CACHE)/venv
STAMP      := $(CACHE)/stamps
# What `make up` needs, and what only the tests need (so a newcomer's first `make up` takes minutes).
SHOP_APT   := postgresql postgresql-contrib redis-server prometheus
TEST_APT   := wrk python3-venv shellcheck prometheus-alertmanager chromium haproxy
PY_REQS    := $(wildcard charts/tests/requirements.txt ansible/tests/requirements.txt services/api/test/fuzz/requirements.txt)
TOOL_SETUP := $(wildcard charts/tests/setup.sh ansible/tests/setup.sh)

.PHONY: help setup setup-shop up test screenshots drill drill-local drill-k8s bench-capacity bench lint build clean

help: ## list targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup-shop: $(STAMP)/apt-shop $(STAMP)/npm ## what `make up` needs: PostgreSQL, Redis, Prometheus, npm deps, builds (idempotent)

setup: setup-shop $(STAMP)/apt-test $(STAMP)/venv $(STAMP)/tools $(STAMP)/k6 $(STAMP)/nginx $(STAMP)/backup-tools ## also the test toolchain: Chromium, Python checkers, helm, CRDs, a Debian root (idempotent)

$(STAMP)/apt-shop: Makefile services/devstack/bin/apt-install.sh
	@mkdir -p $(STAMP)
	@services/devstack/bin/apt-install.sh $(SHOP_APT)
	@touch $@

$(STAMP)/apt-test: Makefile services/devstack/bin/apt-install.sh
	@mkdir -p $(STAMP)
	@services/devstack/bin/apt-install.sh $(TEST_APT)
	@touch $@

# The cluster's web server, to run web/nginx.conf for real in web/test/nginx.test.ts: Debian's
# package unpacked into .cache/nginx, never installed (no service, nothing on port 80).
$(STAMP)/nginx: Makefile
	@mkdir -p $(STAMP) $(CACHE)/nginx-debs
	@cd $(CACHE)/nginx-debs && rm -f *.deb \
	  && { apt-get download nginx nginx-common >/dev/null 2>&1 || { apt-get update -qq && apt-get download nginx nginx-common >/dev/null; }; } \
	  && for d in *.deb; do dpkg-deb -x $$d ../nginx; done && echo "nginx unpacked into $(CACHE)/nginx"
	@touch $@

$(STAMP)/k6: services/drill/src/k6.ts $(STAMP)/npm
	@node --import tsx services/drill/src/build-k6.ts
	@touch $@

$(STAMP)/npm: package.json package-lock.json $(wildcard services/*/package.json web/package.json)
	@mkdir -p $(STAMP)
	@echo "npm ci and build (log: $(CACHE)/npm.log)"
	@{ npm ci --no-audit --no-fund --loglevel=error && npm run build --workspace @dhakacart/api \
	   && npm run build --workspace @dhakacart/web; } >$(CACHE)/npm.log 2>&1 || { tail -40 $(CACHE)/npm.log; exit 1; }
	@touch $@

$(STAMP)/venv: $(PY_REQS)
	@mkdir -p $(STAMP)
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@if [ -n "$(PY_REQS)" ]; then $(VENV)/bin/pip install -q --disable-pip-version-check $(addprefix -r ,$(PY_REQS)); fi
	@touch $@

# Go's per-module "downloading" lines stay in the log; each script's own progress lines are shown.
$(STAMP)/tools: $(TOOL_SETUP) $(STAMP)/npm $(STAMP)/venv
	@for s in $(TOOL_SETUP); do \
	  log=$(CACHE)/setup-$$(echo $$s | tr / -).log; \
	  bash $$s 2>&1 | tee $$log | sed -u '/^go: /d' || { echo "$$s failed; log: $$log"; exit 1; }; \
	done
	@touch $@

up: setup-shop ## run the shop: storefront, API, PostgreSQL, Redis, Prometheus as local processes until Ctrl-C; data in .data/
	node --import tsx services/devstack/src/up.ts

test: setup ## run every test suite with real servers; ends with "N passed, N failed"
	npm test

screenshots: setup ## refresh the README's screenshots in docs/screenshots/ from the browser tests (make test writes them to .cache/screenshots/)
	SCREENSHOT_DIR=docs/screenshots node --import tsx services/devstack/src/run-tests.ts web/test

drill: setup ## a chaos drill under shopper load: make drill TARGET=local|k8s|lab SCENARIO=<name>[,<name>]|all (names: make drill SCENARIO=?)
	node --import tsx services/drill/src/cli.ts --target $(or $(TARGET),local) --scenario $(or $(SCENARIO),all)

drill-k8s: setup ## every drill on the local Kubernetes (make k8s-up first; node power-off included); report in .cache/drill/report-k8s/
	node --import tsx services/drill/src/cli.ts --target k8s

drill-local: setup ## every drill on the local rehearsal stack (also run by make test); report in .cache/drill/report-local/
	node --import tsx services/drill/src/cli.ts --target local

bench-capacity: setup ## the shopper mix at rising rates against 1 and 3 API processes: highest rate held, CPU per request and per order (docs/capacity.md)
	node --import tsx services/drill/src/capacity.ts

bench: setup ## benchmarks as ratios against baselines measured in the same run (the compiled API, as the image runs it)
	@npm run build --workspace @dhakacart/api >/dev/null
	node --import tsx services/api/bench/run.ts

lint: setup ## biome + tsc
	npx biome check .
	npm run typecheck

build: setup ## compile every workspace
	npm run build

clean: ## remove build output, tool caches and local shop data (keeps .cache/cluster: lab secrets and CA)
	find $(CACHE) -mindepth 1 -maxdepth 1 ! -name cluster -exec rm -rf {} + 2>/dev/null || true
	rm -rf .data services/*/dist node_modules

include ansible/cluster.mk
include ansible/backup.mk
include charts/tests/k8s/k8s.mk
include services/deploy/deploy.mk
