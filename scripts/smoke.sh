#!/usr/bin/env bash
# Runs the built API as a user would (node dist/main.js) and checks what only a real process shows:
# the live OpenAPI document lints clean, SIGTERM exits 0 with every log line written (and, on the
# embedded database, started from a 0700 directory, SIGHUP too, stopping that database), and a bad
# production environment stops start-up with one line naming the variable. Uses DATABASE_URL when
# set, else the embedded database.
set -euo pipefail
cd "$(dirname "$0")/.."
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
# mktemp -d is 0700: as root, the embedded PostgreSQL must start from a directory its user cannot enter.
workdir=$(mktemp -d)
log="$workdir/api.log"
# On a server, a throwaway database of its own (never the server's own databases).
source scripts/lib.sh
if [ -n "${DATABASE_URL:-}" ]; then
  smoke_db="tasks_api_test_smoke_$$"
  admin "$DATABASE_URL" "CREATE DATABASE $smoke_db"
  server_url=$DATABASE_URL
  export DATABASE_URL="${DATABASE_URL%/*}/$smoke_db"
fi
cleanup() {
  # Never `kill 0`: with no pid left that would signal this whole process group (CI included).
  if [ -n "${pid:-}" ]; then kill "$pid" 2>/dev/null || true; fi
  rm -rf "$workdir"
  forget_embedded_cluster "$workdir/data"
  if [ -n "${smoke_db:-}" ]; then admin "$server_url" "DROP DATABASE IF EXISTS $smoke_db WITH (FORCE)" || true; fi
}
trap cleanup EXIT

start_api() {
  PORT=$port LOG_LEVEL=info DATA_DIR="$workdir/data" NODE_ENV=development node dist/main.js >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 120); do
    curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
    kill -0 "$pid" 2>/dev/null || { cat "$log"; echo "smoke: the API exited during start-up"; exit 1; }
    sleep 0.5
  done
  curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null || { cat "$log"; echo "smoke: never became ready"; exit 1; }
}
# Waits for the API to exit after a signal; fails unless it exits 0 having logged its clean stop.
expect_clean_stop() {
  set +e
  wait "$pid"
  status=$?
  set -e
  pid=
  if [ "$status" -ne 0 ]; then cat "$log"; echo "smoke: exit status after $1 was $status"; exit 1; fi
  grep -q '"Stopped cleanly"' "$log" || { cat "$log"; echo "smoke: no clean-stop log line after $1"; exit 1; }
}

echo "smoke: starting the built API on port $port"
start_api

echo "smoke: linting /docs-json with @redocly/cli (recommended rules)"
curl -fsS "http://127.0.0.1:$port/docs-json" >"$workdir/openapi.json"
npx --no-install redocly lint "$workdir/openapi.json" --format=stylish

echo "smoke: SIGTERM must stop the API cleanly with exit status 0"
kill -TERM "$pid"
expect_clean_stop SIGTERM
# Log lines are written in batches: the last request's access line must still be out at exit.
grep -q '"path":"/docs-json","status":200' "$log" || { cat "$log"; echo "smoke: no access line for GET /docs-json"; exit 1; }

if [ -z "${DATABASE_URL:-}" ]; then
  echo "smoke: SIGHUP (the terminal closed) must stop the API and its embedded PostgreSQL"
  start_api
  cluster=$(grep -o 'data in [^ ]* (DATABASE_URL is not set)' "$log" | cut -d' ' -f3)
  [ -n "$cluster" ] || { cat "$log"; echo "smoke: no log line naming the embedded cluster"; exit 1; }
  kill -HUP "$pid"
  expect_clean_stop SIGHUP
  if pgrep -f -- "-D $cluster " >/dev/null; then echo "smoke: PostgreSQL still runs on $cluster after SIGHUP"; exit 1; fi
fi

echo "smoke: a production start without DATABASE_URL must fail with one line naming it"
set +e
output=$(env -u DATABASE_URL NODE_ENV=production BETTER_AUTH_SECRET=0123456789abcdef0123456789abcdef node dist/main.js 2>&1)
status=$?
set -e
if [ "$status" -ne 1 ] || ! grep -q 'DATABASE_URL is required' <<<"$output" || [ "$(wc -l <<<"$output")" -ne 1 ]; then
  echo "smoke: expected exit 1 and one line naming DATABASE_URL, got $status: $output"; exit 1
fi
echo "smoke: all checks passed"
