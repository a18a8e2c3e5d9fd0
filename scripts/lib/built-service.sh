# shellcheck shell=bash
# The built service as the scripts that test it from outside meet it
# (schemathesis.sh, openapi-check.sh). Sourced from the repository root, after
# the caller has defined `log` and `die`.
#
# start_built_service NAME builds dist/ when it is missing or older than src/,
# uses MONGODB_URI when set (else starts the local engine), and starts
# `node dist/main.js` in production mode, with a random API key and no rate
# limit, on a free loopback port and a fresh database named NAME_<random>; it
# returns once /health/ready answers. It sets BASE_URL, API_KEY, SERVICE_LOG
# and SERVICE_PID. stop_built_service (for the EXIT trap) stops the service,
# drops its database, and stops the engine only if start_built_service
# started it.

STARTED_ENGINE=0
SERVICE_PID=""
DATABASE_URI=""
SERVICE_LOG=""

# shellcheck disable=SC2317 # (runs from the caller's EXIT trap)
stop_built_service() {
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
  [ -z "$SERVICE_LOG" ] || rm -f "$SERVICE_LOG"
}

start_built_service() {
  local name="$1" base_uri last port deadline
  if [ ! -f dist/main.js ] || [ -n "$(find src -newer dist/main.js -print -quit)" ]; then
    log "building dist/"
    npm run build >&2 || die "npm run build"
  fi
  base_uri="${MONGODB_URI:-}"
  if [ -z "$base_uri" ]; then
    bash scripts/db-status.sh 2>/dev/null || STARTED_ENGINE=1
    last="$(bash scripts/db-start.sh | tail -n 1)"
    base_uri="${last#MONGODB_URI=}"
    [ "$base_uri" != "$last" ] || die "db-start.sh did not print MONGODB_URI (last line: $last)"
  fi
  DATABASE_URI="$(node -e '
    const { ConnectionString } = require("mongodb-connection-string-url");
    const uri = new ConnectionString(process.argv[1]);
    uri.pathname = "/" + process.argv[2];
    process.stdout.write(uri.toString());
  ' "$base_uri" "${name}_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')")" ||
    die "MONGODB_URI is not a MongoDB connection string: $base_uri"
  port="$(node -e '
    const server = require("node:net").createServer();
    server.listen(0, "127.0.0.1", () => { process.stdout.write(String(server.address().port)); server.close(); });
  ')"
  BASE_URL="http://127.0.0.1:$port"
  API_KEY="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
  SERVICE_LOG="$(mktemp)"
  log "starting the service on $BASE_URL (database $DATABASE_URI)"
  NODE_ENV=production PORT="$port" MONGODB_URI="$DATABASE_URI" API_KEYS="$API_KEY" \
    LOG_LEVEL=warn RATE_LIMIT_MAX=0 node dist/main.js >"$SERVICE_LOG" 2>&1 </dev/null &
  SERVICE_PID=$!
  deadline=$((SECONDS + 60))
  until curl -fsS -o /dev/null "$BASE_URL/health/ready" 2>/dev/null; do
    if ! kill -0 "$SERVICE_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$SERVICE_LOG" >&2
      die "the service did not become ready (log above)"
    fi
    sleep 0.3
  done
}
