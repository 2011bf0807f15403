#!/usr/bin/env bash
# Entity = schema: migrates a throwaway database, then TypeORM's `migration:generate --check`, with
# the app's data source (dist/database/data-source.js), must find nothing to change. On the server
# named by DATABASE_URL when set (a database of its own, dropped afterwards), else on an embedded
# PostgreSQL in a temporary directory. Needs a build: `npm run migration:check` builds first.
set -euo pipefail
cd "$(dirname "$0")/.."

typeorm() { npx --no-install typeorm -d dist/database/data-source.js "$@"; }
source scripts/lib.sh

workdir=$(mktemp -d)
if [ -n "${DATABASE_URL:-}" ]; then
  server_url=$DATABASE_URL
  check_db="tasks_api_migcheck_$(node -p "require('crypto').randomBytes(4).toString('hex')")"
  admin "$server_url" "CREATE DATABASE $check_db"
  DATABASE_URL=$(node -p "const u=new URL(process.argv[1]);u.pathname='/'+process.argv[2];u.href" "$server_url" "$check_db")
  export DATABASE_URL
else
  # The embedded PostgreSQL of data-source.ts, in a directory of its own, not the project's .data.
  export DATA_DIR="$workdir/data"
fi
cleanup() {
  rm -rf "$workdir"
  forget_embedded_cluster "$workdir/data"
  if [ -n "${check_db:-}" ]; then admin "$server_url" "DROP DATABASE IF EXISTS $check_db WITH (FORCE)" || true; fi
}
trap cleanup EXIT

# The CLI logs every statement of every migration: shown only when migrating fails.
typeorm migration:run >"$workdir/migrate.log" 2>&1 || { cat "$workdir/migrate.log"; exit 1; }
grep -h 'has been executed successfully' "$workdir/migrate.log"
typeorm migration:generate src/database/migrations/EntitiesDifferFromSchema --check
