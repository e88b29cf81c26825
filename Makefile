# DhakaCart Platform — one entry point for people and CI.
# `make up` runs the shop on this machine, `make test` runs every test.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

CACHE      := .cache
VENV       := $(CACHE)/venv
STAMP      := $(CACHE)/stamps
APT_PKGS   := postgresql postgresql-contrib redis-server wrk python3-venv shellcheck \
              prometheus prometheus-alertmanager chromium
PY_REQS    := $(wildcard charts/tests/requirements.txt ansible/tests/requirements.txt services/api/test/fuzz/requirements.txt)
TOOL_SETUP := $(wildcard charts/tests/setup.sh ansible/tests/setup.sh)

.PHONY: help setup up test bench lint build clean

help: ## list targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-16s %s\n", $$1, $$2}'

setup: $(STAMP)/apt $(STAMP)/npm $(STAMP)/venv $(STAMP)/tools ## install system packages, npm deps and test tools (idempotent)

$(STAMP)/apt: Makefile
	@mkdir -p $(STAMP)
	@missing=""; for p in $(APT_PKGS); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@touch $@

$(STAMP)/npm: package.json package-lock.json $(wildcard services/*/package.json web/package.json)
	@mkdir -p $(STAMP)
	npm ci --no-audit --no-fund --loglevel=error
	npm run build --workspace @dhakacart/api
	npm run build --workspace @dhakacart/web
	@touch $@

$(STAMP)/venv: $(PY_REQS)
	@mkdir -p $(STAMP)
	@[ -x $(VENV)/bin/python ] || python3 -m venv $(VENV)
	@if [ -n "$(PY_REQS)" ]; then $(VENV)/bin/pip install -q --disable-pip-version-check $(addprefix -r ,$(PY_REQS)); fi
	@touch $@

$(STAMP)/tools: $(TOOL_SETUP) $(STAMP)/npm $(STAMP)/venv
	@for s in $(TOOL_SETUP); do bash $$s; done
	@touch $@

up: setup ## run the shop locally (PostgreSQL, Redis, API, Prometheus) until Ctrl-C; data in .data/
	node --import tsx services/devstack/src/up.ts

test: setup ## run every test suite with real servers; ends with "N passed, N failed"
	npm test

bench: setup ## benchmarks as ratios against baselines measured in the same run
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
include charts/tests/k8s/k8s.mk
