#!/usr/bin/env sh
# Writes the secrets compose.yaml reads, once: random values in infra/secrets/ (git ignores them). The folder is the
# owner's only (700); the files are 644 because compose mounts them as they are, and the services read them as
# other users (the image runs as `node`). An existing file is kept: a new MASTER_KEY would make every personal
# value unreadable.
set -eu
cd "$(dirname "$0")"
mkdir -p secrets
chmod 700 secrets
umask 022
write() { [ -s "secrets/$1" ] && echo "kept    secrets/$1" || { printf '%s' "$2" > "secrets/$1" && echo "written secrets/$1"; }; }
random() { node -e "process.stdout.write(require('node:crypto').randomBytes($1).toString('$2'))"; }
write master_key "$(random 32 base64)"
write pseudonym_secret "$(random 32 base64url)"
write postgres_password "$(random 24 base64url)"
write keycloak_admin_password "$(random 18 base64url)"
write database_url "postgres://helpline:$(cat secrets/postgres_password)@postgres:5432/helpline"
