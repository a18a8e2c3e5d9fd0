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

# shellcheck source=lib/built-service.sh
. scripts/lib/built-service.sh
trap stop_built_service EXIT
trap 'exit 130' INT TERM

# --- 1. the service ----------------------------------------------------------
start_built_service openapi

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
