#!/usr/bin/env bash
# Provisions (first run only) and starts the local MongoDB-compatible engine:
# FerretDB 2 on the host + PostgreSQL 18/DocumentDB in a Debian sid chroot.
# Idempotent: re-uses what exists and what is already running.
# Progress goes to stderr; the last stdout line is MONGODB_URI=...
# Env: ENGINE_DIR, ENGINE_PORT, ENGINE_PG_PORT, ENGINE_DEBUG_PORT,
#      ENGINE_FERRETDB_VERSION, ENGINE_LOG_LEVEL (see engine-env.sh) and
#      ENGINE_MIRROR (Debian mirror; default: the host's own apt mirror).
set -euo pipefail
# shellcheck source=engine-env.sh
. "$(dirname "$0")/engine-env.sh"

exec 3>&1 1>&2 # everything (apt, debootstrap, ...) to stderr; fd 3 = real stdout
T0=$SECONDS

step "checking prerequisites"
[ "$(id -u)" = 0 ] || die "must run as root (uses chroot, mount and apt-get); run it with sudo"
mkdir -p "$RUN_DIR" "$ENGINE_DIR/bin"
take_lock

# Mirror for the sid root: the one the host's own apt already uses, so no
# registry host is hard-coded here.
host_mirror() {
  local m=""
  if compgen -G '/etc/apt/sources.list.d/*.sources' >/dev/null; then
    m="$(awk '/^URIs:/ { for (i = 2; i <= NF; i++) print $i }' /etc/apt/sources.list.d/*.sources |
      grep -E '/debian/?$' | head -n1 || true)"
  fi
  if [ -z "$m" ] && [ -f /etc/apt/sources.list ]; then
    m="$(sed -E -n 's/^deb[[:space:]]+(\[[^]]*\][[:space:]]+)?([^[:space:]]+).*/\2/p' /etc/apt/sources.list |
      grep -E '/debian/?$' | head -n1 || true)"
  fi
  echo "${m%/}"
}

# Unmounts everything below the chroot so it can be deleted safely.
umount_rootfs() {
  local mnt
  awk -v r="$ROOTFS/" 'index($2, r) == 1 { print $2 }' /proc/mounts | sort -r |
    while read -r mnt; do umount -l "$mnt"; done
}

# Runs a provisioning command with its (long) output going to the log file;
# on failure shows the end of that log and stops with the given reason.
logged() {
  local why="$1"
  shift
  echo "+ $*" >>"$PROVISION_LOG"
  "$@" >>"$PROVISION_LOG" 2>&1 && return 0
  tail -n 25 "$PROVISION_LOG"
  die "$why (log above; full log: $PROVISION_LOG)"
}

any_pg_process() {
  local exe
  for exe in /proc/[0-9]*/exe; do
    [ "$(readlink "$exe" 2>/dev/null)" != "$ROOTFS$PG_BIN/postgres" ] || return 0
  done
  return 1
}

mount_proc() {
  if ! proc_mounted; then
    mount -t proc proc "$ROOTFS/proc" || die "cannot mount proc in $ROOTFS"
    touch "$PROC_MARK"
  fi
}

# ---- FerretDB binary: built in the background while the root is prepared --
BUILD_PID=""
if [ "$(cat "$ENGINE_DIR/bin/ferretdb.version" 2>/dev/null)" != "$ENGINE_FERRETDB_VERSION" ] ||
  [ ! -x "$FERRETDB_BIN" ]; then
  step "building FerretDB $ENGINE_FERRETDB_VERSION with go install (about a minute; log: $RUN_DIR/ferretdb-build.log)"
  command -v go >/dev/null || die "no Go toolchain on PATH (needed to build FerretDB); install Go >= 1.24"
  rm -f "$ENGINE_DIR/bin/ferretdb.version"
  (cd "$ENGINE_DIR" && GOBIN="$ENGINE_DIR/bin" GOWORK=off GOFLAGS="" \
    go install "github.com/FerretDB/FerretDB/v2/cmd/ferretdb@$ENGINE_FERRETDB_VERSION") \
    >"$RUN_DIR/ferretdb-build.log" 2>&1 3>&- 9>&- &
  BUILD_PID=$!
fi

# ---- Debian sid root (debootstrap) ------------------------------------------
# Markers are written only once a step has fully succeeded, so a run that was
# interrupted half-way is detected and redone.
if [ ! -f "$ENGINE_DIR/.rootfs.done" ]; then
  step "creating Debian sid root in $ROOTFS with debootstrap (about a minute; log: $PROVISION_LOG)"
  rm -f "$ENGINE_DIR/.packages.done" "$ENGINE_DIR/.pgdata.done" # they live in the root
  if ! command -v debootstrap >/dev/null; then
    log "debootstrap is missing: installing it with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    logged "apt-get update failed on the host" apt-get update
    logged "could not install debootstrap with apt-get" apt-get install -y debootstrap
  fi
  MIRROR="${ENGINE_MIRROR:-$(host_mirror)}"
  [ -n "$MIRROR" ] || die "no Debian mirror found in the host's apt sources; set ENGINE_MIRROR"
  umount_rootfs
  rm -rf "$ROOTFS"
  logged "debootstrap of Debian sid from $MIRROR failed (set ENGINE_MIRROR to another Debian mirror?)" \
    debootstrap --variant=minbase sid "$ROOTFS" "$MIRROR"
  cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
  # The mirror may serve a frozen snapshot whose Release file has expired;
  # no /dev/pts in the chroot, so dpkg must not try to use a pty.
  printf 'Acquire::Check-Valid-Until "false";\nDpkg::Use-Pty "false";\n' \
    >"$ROOTFS/etc/apt/apt.conf.d/99engine"
  # No init system in a chroot: keep package scripts from starting services,
  # and from creating the default "main" cluster (we run our own data dir).
  printf '#!/bin/sh\nexit 101\n' >"$ROOTFS/usr/sbin/policy-rc.d"
  chmod +x "$ROOTFS/usr/sbin/policy-rc.d"
  mkdir -p "$ROOTFS/etc/postgresql-common"
  echo 'create_main_cluster = false' >"$ROOTFS/etc/postgresql-common/createcluster.conf"
  touch "$ENGINE_DIR/.rootfs.done"
fi

if [ ! -f "$ENGINE_DIR/.packages.done" ]; then
  step "installing PostgreSQL 18 + DocumentDB in the root with apt-get (about a minute; log: $PROVISION_LOG)"
  mount_proc
  # dpkg --configure -a finishes an install that an earlier run left half done.
  logged "dpkg --configure -a failed inside $ROOTFS" in_root dpkg --configure -a
  logged "apt-get update failed inside $ROOTFS" in_root apt-get update
  logged "apt-get install postgresql-18-documentdb failed inside $ROOTFS" \
    in_root apt-get install -y --no-install-recommends postgresql-18-documentdb
  in_root apt-get clean
  touch "$ENGINE_DIR/.packages.done"
fi

if [ -n "$BUILD_PID" ]; then
  step "waiting for the FerretDB build"
  wait "$BUILD_PID" || {
    tail -n 20 "$RUN_DIR/ferretdb-build.log"
    die "go install of FerretDB failed (log above)"
  }
  echo "$ENGINE_FERRETDB_VERSION" >"$ENGINE_DIR/bin/ferretdb.version"
fi

# ---- PostgreSQL --------------------------------------------------------------
mount_proc

if [ ! -f "$ENGINE_DIR/.pgdata.done" ]; then
  step "initialising PostgreSQL data directory $PGDATA"
  # A data directory without the marker is from an interrupted run: redo it.
  if pg_running; then logged "pg_ctl stop failed" in_root_as_postgres pg_ctl stop -m fast -D "$PGDATA_IN_ROOT"; fi
  rm -rf "$PGDATA"
  mkdir -p "$PGDATA"
  chmod 0700 "$PGDATA"
  chown "$(awk -F: '$1 == "postgres" { print $3 ":" $4 }' "$ROOTFS/etc/passwd")" "$PGDATA"
  logged "initdb failed" in_root_as_postgres initdb -D "$PGDATA_IN_ROOT" -U postgres \
    --auth=trust --encoding=UTF8 --locale=C.UTF-8
fi

# Settings live in engine.conf (rewritten below on every start) so that a
# change in this script reaches existing data directories on restart.
grep -qxF "include = 'engine.conf'" "$PGDATA/postgresql.conf" ||
  echo "include = 'engine.conf'" >>"$PGDATA/postgresql.conf"

# Durability settings stay at their defaults so timings are honest.
# TCP on loopback only (trust auth); no Unix socket (no /run in the chroot).
# pg_cron runs DocumentDB jobs every 2 s: keep them out of the log and out of
# the cron.job_run_details table.
cat >"$PGDATA/engine.conf" <<'EOF'
# Written by db-start.sh on every start: edit the script, not this file.
listen_addresses = '127.0.0.1'
unix_socket_directories = ''
max_connections = 200
shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'
cron.database_name = 'postgres'
cron.log_run = off
cron.log_statement = off
deadlock_timeout = '50ms'
EOF

if pg_running; then
  log "PostgreSQL already running on port $(sed -n 4p "$PGDATA/postmaster.pid")"
else
  step "starting PostgreSQL on $ENGINE_HOST:$ENGINE_PG_PORT (log: $RUN_DIR/postgres.log)"
  # After a crash or reboot postmaster.pid may name a pid now used by another
  # program, which would make PostgreSQL refuse to start. Drop it, but only
  # when no process at all runs our postgres binary (no server, no backend).
  if [ -f "$PGDATA/postmaster.pid" ] && ! any_pg_process; then
    log "removing stale $PGDATA/postmaster.pid"
    rm -f "$PGDATA/postmaster.pid"
  fi
  ! port_open "$ENGINE_PG_PORT" ||
    die "port $ENGINE_PG_PORT is busy (another program); set ENGINE_PG_PORT to a free port"
  # The port is given on the command line so ENGINE_PG_PORT can change later.
  # Server output is appended to the log file opened here on the host.
  in_root_as_postgres setsid pg_ctl start -w -t 120 -D "$PGDATA_IN_ROOT" \
    -o "-p $ENGINE_PG_PORT" >>"$RUN_DIR/postgres.log" 2>&1 || {
    tail -n 20 "$RUN_DIR/postgres.log"
    die "PostgreSQL did not start (log above)"
  }
fi
PG_PORT_ACTUAL="$(sed -n 4p "$PGDATA/postmaster.pid")"
PG_URL="postgres://postgres@$ENGINE_HOST:$PG_PORT_ACTUAL/postgres"

if [ ! -f "$ENGINE_DIR/.pgdata.done" ]; then
  step "creating the DocumentDB extension"
  logged "CREATE EXTENSION documentdb failed" in_root_as_postgres psql -X -q -v ON_ERROR_STOP=1 \
    -h "$ENGINE_HOST" -p "$PG_PORT_ACTUAL" -U postgres -d postgres \
    -c 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE'
  touch "$ENGINE_DIR/.pgdata.done"
fi

# ---- FerretDB ------------------------------------------------------------------
FERRETDB_FLAGS=(
  --listen-addr="$ENGINE_HOST:$ENGINE_PORT"
  --debug-addr="$ENGINE_HOST:$ENGINE_DEBUG_PORT"
  --postgresql-url="$PG_URL"
  --state-dir="$RUN_DIR/ferretdb-state"
  --no-auth
  --telemetry=disable
  --log-level="$ENGINE_LOG_LEVEL" # INFO would log every single command
)
if pid="$(ferretdb_pid)"; then
  log "FerretDB already running (pid $pid)"
else
  step "starting FerretDB on $ENGINE_HOST:$ENGINE_PORT (log: $RUN_DIR/ferretdb.log)"
  for p in "$ENGINE_PORT" "$ENGINE_DEBUG_PORT"; do
    ! port_open "$p" || die "port $p is busy (another program); set ENGINE_PORT / ENGINE_DEBUG_PORT"
  done
  mkdir -p "$RUN_DIR/ferretdb-state"
  # setsid: own session, so it survives the terminal / npm process that ran us;
  # fds 3 (our stdout) and 9 (the lock) closed for the same reason as in_root.
  setsid "$FERRETDB_BIN" "${FERRETDB_FLAGS[@]}" >>"$RUN_DIR/ferretdb.log" 2>&1 </dev/null 3>&- 9>&- &
  echo $! >"$FERRETDB_PID"
fi

step "waiting for FerretDB to answer ping"
deadline=$((SECONDS + 60))
while [ "$SECONDS" -lt "$deadline" ]; do
  # `ferretdb ping` sends a MongoDB ping over the wire protocol, which FerretDB
  # answers through PostgreSQL: a real end-to-end check, not just a TCP connect.
  if "$FERRETDB_BIN" ping "${FERRETDB_FLAGS[@]}" >/dev/null 2>&1; then
    log "engine ready in $((SECONDS - T0)) s"
    echo "MONGODB_URI=$MONGODB_URI" >&3
    exit 0
  fi
  if ! ferretdb_pid >/dev/null; then
    tail -n 20 "$RUN_DIR/ferretdb.log"
    die "FerretDB exited (log above)"
  fi
  pg_running || die "PostgreSQL exited (log: $RUN_DIR/postgres.log)"
  sleep 0.3
done
tail -n 20 "$RUN_DIR/ferretdb.log"
die "FerretDB did not answer ping within 60 s (log above)"
