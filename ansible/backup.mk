# Backups and recovery (docs/runbooks/backup-restore.md), included by the root Makefile.
#  - `make setup` builds the backup tools make test runs, once, at the lab's versions
#    (services/api/test/ops/backup/tools.ts): Garage from crates.io and rclone from the Go
#    module proxy into the tool cache (~/.cache/dhakacart), barman-cloud into .cache/barman-cloud.
#  - `make db-restore TIME=...` restores the database to a point in time into a second
#    Cluster beside production, on the cluster KUBECONFIG points at, and checks it.
BACKUP_TOOLS := services/api/test/ops/backup

.PHONY: db-restore db-restore-status db-restore-clean

# barman-cloud's psycopg2 builds from source (as in the plugin's sidecar image): headers and libpq.
$(STAMP)/backup-tools: $(BACKUP_TOOLS)/tools.ts $(BACKUP_TOOLS)/build-tools.ts $(BACKUP_TOOLS)/barman-requirements.txt $(STAMP)/npm
	@mkdir -p $(STAMP)
	@services/devstack/bin/apt-install.sh python3-dev python3-venv libpq-dev gcc
	@node --import tsx $(BACKUP_TOOLS)/build-tools.ts
	@touch $@

db-restore: ## point-in-time copy of the database beside production: make db-restore TIME=2026-12-06T10:15:00+06:00 (or TIME=latest); checks it, prints the switch-over
	@[ -n "$(TIME)" ] || { echo "usage: make db-restore TIME=<RFC 3339 time with offset>|latest [NAMESPACE=dhakacart] [RELEASE=dhakacart-data]"; exit 2; }
	node --import tsx services/api/src/ops/db-restore-cli.ts restore --time '$(TIME)' \
	  --namespace '$(or $(NAMESPACE),dhakacart)' --release '$(or $(RELEASE),dhakacart-data)' --chart charts/dhakacart-data

db-restore-status: ## the point-in-time copy: its Cluster, its newest order, production's
	node --import tsx services/api/src/ops/db-restore-cli.ts status \
	  --namespace '$(or $(NAMESPACE),dhakacart)' --release '$(or $(RELEASE),dhakacart-data)' --chart charts/dhakacart-data

db-restore-clean: ## remove the point-in-time copy (refused while the app runs on it)
	node --import tsx services/api/src/ops/db-restore-cli.ts clean \
	  --namespace '$(or $(NAMESPACE),dhakacart)' --release '$(or $(RELEASE),dhakacart-data)' --chart charts/dhakacart-data
