#!/usr/bin/env bash
# Runs Schemathesis (OpenAPI-driven API fuzzer) with every check against the
# built service's own OpenAPI document (/docs-json), and exits with its code.
#
# 1. installs test/schemathesis/requirements.txt (pinned) into a venv outside
#    the repository (SCHEMATHESIS_VENV, default
#    ~/.cache/conversation-service/schemathesis-venv), once;
# 2. builds dist/ when it is missing or older than src/; uses MONGODB_URI when
#    set, else starts the local engine (scripts/db-start.sh); starts
#    `node dist/main.js` (production mode, a random API key, no rate limit) on
#    a free loopback port on a fresh database and waits for /health/ready;
# 3. runs `schemathesis run --checks all`, seeded: SCHEMATHESIS_SEED (default:
#    random, printed), SCHEMATHESIS_MAX_EXAMPLES per operation and phase
#    (default 100), SCHEMATHESIS_WORKERS (default 1: Python 3.11's parser is
#    not thread-safe, and Hypothesis parses lambdas while generating);
#    requests carry the API key (test/schemathesis/schemathesis.toml), and the
#    ignored_auth check also sends them without it; extra arguments are passed
#    on to `schemathesis run`;
# 4. stops the service, drops its database, and stops the engine only if this
#    script started it.
#
# Reproduce a failure: SCHEMATHESIS_SEED=<seed printed> bash scripts/schemathesis.sh
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT" || exit 1

CACHE_DIR="${XDG_CACHE_HOME:-$HOME/.cache}/conversation-service"
VENV="${SCHEMATHESIS_VENV:-$CACHE_DIR/schemathesis-venv}"
REQUIREMENTS="$ROOT/test/schemathesis/requirements.txt"
PYTHON="${PYTHON:-python3}"
MAX_EXAMPLES="${SCHEMATHESIS_MAX_EXAMPLES:-100}"
SEED="${SCHEMATHESIS_SEED:-$(od -An -N4 -tu4 /dev/urandom | tr -d ' ')}"
WORKERS="${SCHEMATHESIS_WORKERS:-1}"

log() { printf '[schemathesis] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 2; }

# --- 1. the pinned Python environment -------------------------------------
want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
if [ ! -x "$VENV/bin/schemathesis" ] || [ "$(cat "$VENV/.requirements.sha256" 2>/dev/null)" != "$want" ]; then
  "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 9))' ||
    die "$PYTHON is missing or older than 3.9 (set PYTHON=...)"
  log "installing $REQUIREMENTS into $VENV"
  "$PYTHON" -m venv "$VENV" || die "cannot create the venv $VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check -r "$REQUIREMENTS" ||
    die "pip install -r $REQUIREMENTS"
  echo "$want" >"$VENV/.requirements.sha256"
fi
log "$("$VENV/bin/schemathesis" --version)"

# --- 2. the service ----------------------------------------------------------
if [ ! -f dist/main.js ] || [ -n "$(find src -newer dist/main.js -print -quit)" ]; then
  log "building dist/"
  npm run build >&2 || die "npm run build"
fi

STARTED_ENGINE=0
SERVICE_PID=""
DATABASE_URI=""
WORK="$(mktemp -d)"

# shellcheck disable=SC2317 # (runs from the EXIT trap)
cleanup() {
  if [ -n "$SERVICE_PID" ] && kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null
    for _ in $(seq 1 50); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$SERVICE_PID" 2>/dev/null && kill -KILL "$SERVICE_PID" 2>/dev/null
  fi
  if [ -n "$DATABASE_URI" ]; then
    node -e '
      const { MongoClient } = require("mongodb");
      const client = new MongoClient(process.argv[1], { serverSelectionTimeoutMS: 3000 });
      client.db().dropDatabase().catch(() => {}).finally(() => client.close());
    ' "$DATABASE_URI" >/dev/null 2>&1
  fi
  if [ "$STARTED_ENGINE" = 1 ]; then
    log "stopping the engine this script started"
    bash scripts/db-stop.sh >&2
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

BASE_URI="${MONGODB_URI:-}"
if [ -z "$BASE_URI" ]; then
  bash scripts/db-status.sh 2>/dev/null || STARTED_ENGINE=1
  last="$(bash scripts/db-start.sh | tail -n 1)"
  BASE_URI="${last#MONGODB_URI=}"
  [ "$BASE_URI" != "$last" ] || die "db-start.sh did not print MONGODB_URI (last line: $last)"
fi
DATABASE_URI="$(node -e '
  const { ConnectionString } = require("mongodb-connection-string-url");
  const uri = new ConnectionString(process.argv[1]);
  uri.pathname = "/" + process.argv[2];
  process.stdout.write(uri.toString());
' "$BASE_URI" "schemathesis_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')")" ||
  die "MONGODB_URI is not a MongoDB connection string: $BASE_URI"

PORT="$(node -e '
  const server = require("node:net").createServer();
  server.listen(0, "127.0.0.1", () => { process.stdout.write(String(server.address().port)); server.close(); });
')"
BASE_URL="http://127.0.0.1:$PORT"
SERVICE_LOG="$WORK/service.log"
log "starting the service on $BASE_URL (database $DATABASE_URI)"
SCHEMATHESIS_API_KEY="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
export SCHEMATHESIS_API_KEY # read by test/schemathesis/schemathesis.toml
NODE_ENV=production PORT="$PORT" MONGODB_URI="$DATABASE_URI" API_KEYS="$SCHEMATHESIS_API_KEY" \
  LOG_LEVEL=warn RATE_LIMIT_MAX=0 \
  node dist/main.js >"$SERVICE_LOG" 2>&1 </dev/null &
SERVICE_PID=$!

deadline=$((SECONDS + 60))
until curl -fsS -o /dev/null "$BASE_URL/health/ready" 2>/dev/null; do
  if ! kill -0 "$SERVICE_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    tail -n 40 "$SERVICE_LOG" >&2
    die "the service did not become ready (log above)"
  fi
  sleep 0.3
done

# Only what the service logs from here on is about the run.
log_from=$(($(wc -l <"$SERVICE_LOG") + 1))

# --- 3. the fuzzer -----------------------------------------------------------
log "seed $SEED, at most $MAX_EXAMPLES examples per operation and phase (reproduce: SCHEMATHESIS_SEED=$SEED bash scripts/schemathesis.sh)"
"$VENV/bin/schemathesis" --config-file "$ROOT/test/schemathesis/schemathesis.toml" \
  run "$BASE_URL/docs-json" \
  --checks all \
  --seed "$SEED" \
  --max-examples "$MAX_EXAMPLES" \
  --workers "$WORKERS" \
  --generation-database none \
  --request-timeout 10 \
  --no-color \
  "$@"
status=$?

errors="$(tail -n "+$log_from" "$SERVICE_LOG" | grep -E '"level":(50|60)' | tail -n 20)"
if [ -n "$errors" ]; then
  log "the service logged errors during the run (last 20):"
  printf '%s\n' "$errors" >&2
fi
log "schemathesis exited with $status (seed $SEED)"
exit "$status"
