#!/usr/bin/env bash
# Stops the engine started by db-start.sh: FerretDB first (it holds
# connections to PostgreSQL), then PostgreSQL, then unmounts the chroot's proc
# if db-start.sh mounted it. Only touches processes named by our own pid files
# (FerretDB's, and postmaster.pid in our data directory). Idempotent.
set -euo pipefail
# shellcheck source=engine-env.sh
. "$(dirname "$0")/engine-env.sh"

[ -d "$ENGINE_DIR" ] || { log "nothing to stop ($ENGINE_DIR does not exist)"; exit 0; }
[ "$(id -u)" = 0 ] || die "must run as root (uses chroot and umount)"
STEP="stop"
take_lock

if pid="$(ferretdb_pid)"; then
  log "stopping FerretDB (pid $pid)"
  kill -TERM "$pid"
  for _ in $(seq 1 50); do ferretdb_pid >/dev/null || break; sleep 0.2; done
  if ferretdb_pid >/dev/null; then
    log "FerretDB still running after 10 s: killing it"
    kill -KILL "$pid"
  fi
else
  log "FerretDB not running"
fi
rm -f "$FERRETDB_PID"

if pg_running; then
  log "stopping PostgreSQL"
  # fast = roll back open transactions and shut down cleanly (no recovery needed).
  in_root_as_postgres pg_ctl stop -m fast -w -t 60 -D "$PGDATA_IN_ROOT" >/dev/null ||
    die "pg_ctl stop failed (log: $RUN_DIR/postgres.log)"
else
  log "PostgreSQL not running"
fi

if [ -f "$PROC_MARK" ]; then
  if proc_mounted; then
    log "unmounting $ROOTFS/proc"
    umount "$ROOTFS/proc" || umount -l "$ROOTFS/proc"
  fi
  rm -f "$PROC_MARK"
fi
log "engine stopped"
