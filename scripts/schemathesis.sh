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
# shellcheck source=lib/built-service.sh
. scripts/lib/built-service.sh
trap stop_built_service EXIT
trap 'exit 130' INT TERM
start_built_service schemathesis
SCHEMATHESIS_API_KEY="$API_KEY"
export SCHEMATHESIS_API_KEY # read by test/schemathesis/schemathesis.toml

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
