#!/usr/bin/env bash
# Exits 0 when the engine that db-start.sh starts is running (PostgreSQL and
# FerretDB, by their pid files), 1 otherwise. Prints the state to stderr.
set -euo pipefail
. "$(dirname "$0")/engine-env.sh"

if pg_running && ferretdb_pid >/dev/null; then
  log "running: $MONGODB_URI"
  exit 0
fi
log "not running"
exit 1
