#!/usr/bin/env bash
# First-time secrets for the lab: writes an Ansible Vault file (encrypted) and,
# if missing, a random vault password file outside the repository.
# Operator-provided values come from the environment:
#   DC_ALERT_WEBHOOK_URL  Alertmanager webhook receiver (empty: alerts stay in Alertmanager)
#   DC_ACME_EMAIL         turns on the Let's Encrypt issuer (empty: lab CA only)
# Usage: gen-secrets.sh [--force]
#   DC_SECRETS           vault file   (default .cache/cluster/secrets.vault.yml)
#   DC_VAULT_PASS_FILE   password file (default ~/.config/dhakacart/vault-pass)
set -euo pipefail
repo_root=$(cd "$(dirname "$0")/../.." && pwd)
secrets=${DC_SECRETS:-$repo_root/.cache/cluster/secrets.vault.yml}
pass_file=${DC_VAULT_PASS_FILE:-$HOME/.config/dhakacart/vault-pass}
vault=${ANSIBLE_VAULT_BIN:-$repo_root/.cache/venv/bin/ansible-vault}
command -v "$vault" >/dev/null 2>&1 || vault=ansible-vault

if [[ -f $secrets && ${1:-} != --force ]]; then
  echo "secrets already exist: $secrets (use --force to replace them)"
  exit 0
fi

umask 077
mkdir -p "$(dirname "$secrets")" "$(dirname "$pass_file")"
if [[ ! -s $pass_file ]]; then
  openssl rand -base64 32 > "$pass_file"
  echo "created vault password file $pass_file (keep it safe, outside git)"
fi

hex() { openssl rand -hex "$1"; }
plain=$(mktemp)
trap 'rm -f "$plain"' EXIT
cat > "$plain" <<YAML
---
# DhakaCart lab secrets. Edit with: ansible-vault edit $secrets
k3s_token: "$(hex 32)"
garage_rpc_secret: "$(hex 32)"
garage_admin_token: "$(hex 32)"
backup_s3_access_key_id: "GK$(hex 12)"
backup_s3_secret_access_key: "$(hex 32)"
app_jwt_secret: "$(hex 48)"
grafana_admin_password: "$(hex 16)"
alertmanager_webhook_url: "${DC_ALERT_WEBHOOK_URL:-}"
alertmanager_smtp_password: "${DC_ALERT_SMTP_PASSWORD:-}"
acme_email: "${DC_ACME_EMAIL:-}"
YAML
# Only the password file named here, even if the environment names another.
env -u ANSIBLE_VAULT_PASSWORD_FILE -u ANSIBLE_VAULT_IDENTITY_LIST "$vault" encrypt --vault-password-file "$pass_file" --output "$secrets" "$plain"
echo "wrote encrypted secrets to $secrets"
