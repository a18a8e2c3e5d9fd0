# shellcheck shell=bash disable=SC2034 # (variables are used by the scripts sourcing this)
# Shared settings and helpers for db-start.sh / db-stop.sh (sourced, not run).
#
# The local engine is FerretDB 2 (MongoDB wire protocol) in front of
# PostgreSQL 18 + the DocumentDB extension. PostgreSQL runs inside a Debian sid
# chroot because the DocumentDB package only exists there; FerretDB is a static
# Go binary that runs on the host. Everything lives outside the repository.

ENGINE_DIR="${ENGINE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/conversation-service/engine}"
ENGINE_DIR="$(realpath -m "$ENGINE_DIR")" # absolute: compared with /proc/PID/exe
ENGINE_PORT="${ENGINE_PORT:-27027}"             # FerretDB (MongoDB protocol)
ENGINE_PG_PORT="${ENGINE_PG_PORT:-54327}"       # PostgreSQL inside the chroot
ENGINE_DEBUG_PORT="${ENGINE_DEBUG_PORT:-27028}" # FerretDB metrics/pprof HTTP
ENGINE_FERRETDB_VERSION="${ENGINE_FERRETDB_VERSION:-v2.7.0}"
ENGINE_LOG_LEVEL="${ENGINE_LOG_LEVEL:-warn}"    # FerretDB: debug, info, warn, error
ENGINE_HOST=127.0.0.1 # loopback only: trust auth on PostgreSQL, --no-auth on FerretDB

ROOTFS="$ENGINE_DIR/rootfs"         # debootstrap'ed sid root holding PostgreSQL
FERRETDB_BIN="$ENGINE_DIR/bin/ferretdb"
RUN_DIR="$ENGINE_DIR/run"           # logs, pid files, FerretDB state
PG_BIN=/usr/lib/postgresql/18/bin   # path inside the chroot
PGDATA_IN_ROOT=/srv/pgdata          # path inside the chroot
PGDATA="$ROOTFS$PGDATA_IN_ROOT"     # same directory seen from the host
FERRETDB_PID="$RUN_DIR/ferretdb.pid"
PROC_MARK="$RUN_DIR/proc.mounted"   # written when db-start.sh mounted proc
MONGODB_URI="mongodb://$ENGINE_HOST:$ENGINE_PORT/"

STEP="init"
PROVISION_LOG="$RUN_DIR/provision.log" # output of debootstrap, apt-get, initdb
log() { printf '[engine] %s\n' "$*" >&2; }
step() { STEP="$1"; log "$1"; }
die() {
  log "FAILED during step '$STEP': $*"
  log "Alternative: point the service at an existing MongoDB with MONGODB_URI=mongodb://host:port/"
  exit 1
}

# Runs a command inside the chroot with a clean environment. PostgreSQL
# refuses to run as root, so in_root_as_postgres switches to its uid/gid as
# listed in the chroot's own passwd file.
# `3>&- 9>&-`: the server must not inherit db-start.sh's real stdout (fd 3)
# or lock (fd 9), or `$(npm run db:start)` and the next flock would hang.
in_root() {
  chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    LANG=C.UTF-8 HOME=/root DEBIAN_FRONTEND=noninteractive "$@" 3>&- 9>&-
}
in_root_as_postgres() {
  local ids
  ids="$(awk -F: '$1 == "postgres" { print $3 ":" $4 }' "$ROOTFS/etc/passwd")"
  [ -n "$ids" ] || die "no postgres user in $ROOTFS/etc/passwd"
  chroot --userspec="$ids" "$ROOTFS" /usr/bin/env -i PATH="$PG_BIN:/usr/bin:/bin" \
    LANG=C.UTF-8 HOME=/var/lib/postgresql "$@" 3>&- 9>&-
}

# True when something accepts TCP connections on the loopback port.
port_open() { (exec 3<>"/dev/tcp/$ENGINE_HOST/$1") 2>/dev/null; }

# Liveness checks compare /proc/PID/exe with our own binaries: a stale pid
# file (crash, reboot) whose pid is now reused or a zombie does not count.
pid_runs() { [ -n "$1" ] && [ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$2" ]; }

# PostgreSQL: the postmaster pid is the first line of postmaster.pid.
pg_running() {
  pid_runs "$(head -n1 "$PGDATA/postmaster.pid" 2>/dev/null)" "$ROOTFS$PG_BIN/postgres"
}

# FerretDB: prints its pid when running.
ferretdb_pid() {
  local pid
  pid="$(cat "$FERRETDB_PID" 2>/dev/null)" && pid_runs "$pid" "$FERRETDB_BIN" && echo "$pid"
}

proc_mounted() { mountpoint -q "$ROOTFS/proc"; }

# One db-start/db-stop at a time (parallel test runs may all call db:start).
# The lock is fd 9; every long-lived child is started with 9>&- so that it
# does not keep holding it.
take_lock() {
  mkdir -p "$RUN_DIR"
  exec 9>"$RUN_DIR/lock"
  flock -w 600 9 || die "another db-start/db-stop has held $RUN_DIR/lock for 10 minutes"
}
