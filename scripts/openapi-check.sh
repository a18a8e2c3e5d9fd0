#!/usr/bin/env bash
# Checks the OpenAPI document the service serves (/docs-json), as client
# developers meet it, and exits non-zero on the first failure:
#
# 1. builds dist/ when it is missing or older than src/; uses MONGODB_URI
#    when set, else starts the local engine (scripts/db-start.sh); starts
#    `node dist/main.js` (production mode, a random API key, no rate limit)
#    on a free loopback port and a fresh database; waits for /health/ready;
# 2. fetches the document into test/client/generated/ (git-ignored) and lints
#    it: Redocly (redocly.yaml) and Spectral (.spectral.yaml), both with no
#    error and no warning allowed;
# 3. generates TypeScript types with openapi-typescript, compiles
#    test/client/ (scenario.ts + the types) with tsc --strict, and runs the
#    scenario through openapi-fetch against the service;
# 4. stops the service, drops its database, and stops the engine only if this
#    script started it.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT" || exit 1
GENERATED="$ROOT/test/client/generated"
# No usage reports or update checks from the Redocly CLI.
export REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true

log() { printf '[openapi-check] %s\n' "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }

if [ ! -f dist/main.js ] || [ -n "$(find src -newer dist/main.js -print -quit)" ]; then
  log "building dist/"
  npm run build >&2 || die "npm run build"
fi

STARTED_ENGINE=0
SERVICE_PID=""
DATABASE_URI=""
SERVICE_LOG="$(mktemp)"
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
  if [ "$STARTED_ENGINE" = 1 ]; then bash scripts/db-stop.sh >&2; fi
  rm -f "$SERVICE_LOG"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- 1. the service ----------------------------------------------------------
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
' "$BASE_URI" "openapi_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')")" ||
  die "MONGODB_URI is not a MongoDB connection string: $BASE_URI"
PORT="$(node -e '
  const server = require("node:net").createServer();
  server.listen(0, "127.0.0.1", () => { process.stdout.write(String(server.address().port)); server.close(); });
')"
BASE_URL="http://127.0.0.1:$PORT"
API_KEY="$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')"
NODE_ENV=production PORT="$PORT" MONGODB_URI="$DATABASE_URI" API_KEYS="$API_KEY" \
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

# --- 2. the document and its linters ----------------------------------------
rm -rf "$GENERATED" && mkdir -p "$GENERATED" || die "cannot create $GENERATED"
DOCUMENT="$GENERATED/openapi.json"
curl -fsS "$BASE_URL/docs-json" -o "$DOCUMENT" || die "GET /docs-json"
log "served document: $DOCUMENT"

log "redocly lint (redocly.yaml)"
npx redocly lint --config redocly.yaml "$DOCUMENT" --format=json 2>/dev/null | node -e '
  const { totals } = JSON.parse(require("node:fs").readFileSync(0, "utf8"));
  console.error(`[openapi-check] redocly: ${totals.errors} errors, ${totals.warnings} warnings`);
  process.exit(totals.errors + totals.warnings === 0 ? 0 : 1);
' || {
  npx redocly lint --config redocly.yaml "$DOCUMENT" --format=stylish >&2
  die "redocly lint"
}

log "spectral lint (.spectral.yaml)"
npx spectral lint --ruleset .spectral.yaml --fail-severity=warn "$DOCUMENT" >&2 ||
  die "spectral lint"

# --- 3. a typed client, compiled and run -------------------------------------
npx openapi-typescript "$DOCUMENT" --output "$GENERATED/schema.ts" >&2 ||
  die "openapi-typescript"
log "tsc --strict -p test/client"
npx tsc --strict -p test/client/tsconfig.json || die "the generated client does not compile"
npx eslint --no-ignore test/client/scenario.ts || die "eslint test/client/scenario.ts"
BASE_URL="$BASE_URL" API_KEY="$API_KEY" node "$GENERATED/js/scenario.js" ||
  die "the client scenario"
log "passed"
