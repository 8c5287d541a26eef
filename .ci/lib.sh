# shellcheck shell=bash
# Helpers for .ci/run: sourced, not executed. See docs/ci.md.

say() { printf '%s\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# A free TCP port on the loopback interface.
free_port() {
  "${PYTHON:-python3}" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# True while the process runs (a zombie, exited but not yet reaped, counts as gone).
alive() {
  [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] || return 1
  [ "$(sed -E 's/.*\) ([A-Za-z]).*/\1/' "/proc/$1/stat" 2>/dev/null)" != "Z" ]
}

# State shared between phases (each phase runs in its own subshell).
state_set() { printf '%s' "$2" >"$CI_STATE/$1"; }
state_get() { cat "$CI_STATE/$1" 2>/dev/null || true; }

# ---- Debian packages -------------------------------------------------------------------------------
apt_missing() {
  local p missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  printf '%s\n' "${missing[@]}"
}

apt_ensure() {
  local missing
  missing=$(apt_missing "$@")
  if [ -z "$missing" ]; then
    say "apt: already installed: $*"
    return 0
  fi
  missing=$(tr '\n' ' ' <<<"$missing")
  say "apt: installing $missing"
  [ "$(id -u)" -eq 0 ] || die "installing Debian packages needs root (missing: $missing)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  # shellcheck disable=SC2086
  apt-get install -y -q --no-install-recommends $missing
}

# ---- PostgreSQL (throwaway server on loopback) --------------------------------------------------------
pg_bindir() {
  local d
  d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ ! -x "$d/initdb" ]; then
    die "no PostgreSQL server binaries under /usr/lib/postgresql (apt-get install postgresql)"
  fi
  printf '%s' "$d"
}

# Runs a command as the OS user that owns the cluster (root may not run postgres).
as_pg_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# Starts PostgreSQL in a new temp dir; prints nothing but records pg_dir, pg_port, pg_bin in the state.
# Creates role shinrai/shinrai (CREATEDB) and database shinrai_test with pg_trgm.
pg_start() {
  local bin dir port
  bin=$(pg_bindir)
  dir=$(mktemp -d /tmp/shinrai-ci-pg.XXXXXX)
  state_set pg_dir "$dir"
  state_set pg_bin "$bin"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "the 'postgres' OS user is missing (apt-get install postgresql)"
    chown postgres:postgres "$dir"
  fi
  chmod 700 "$dir"
  port=$(free_port)
  state_set pg_port "$port"
  (
    cd "$dir" || exit 1
    as_pg_owner "$bin/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 \
      --auth-local=trust --auth-host=scram-sha-256 >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log"; exit 1; }
    # Durability off: a test database that dies with the run.
    as_pg_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$dir/server.log"; exit 1; }
  )
  local psql=("$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres)
  "${psql[@]}" -d postgres <<'SQL'
CREATE ROLE shinrai LOGIN PASSWORD 'shinrai' CREATEDB;
CREATE DATABASE shinrai_test OWNER shinrai;
SQL
  # pg_trgm in template1 too, so databases the tests create for themselves have it.
  "${psql[@]}" -d template1 -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm'
  "${psql[@]}" -d shinrai_test -c 'CREATE EXTENSION IF NOT EXISTS pg_trgm'
  # The URL the tests get must work with its password over TCP.
  "$bin/psql" -X -q -v ON_ERROR_STOP=1 "postgres://shinrai:shinrai@127.0.0.1:$port/shinrai_test" \
    -c 'SELECT 1' >/dev/null
  say "postgres: $("$bin/postgres" --version) on 127.0.0.1:$port (data in $dir)"
}

pg_url() { printf 'postgres://shinrai:shinrai@127.0.0.1:%s/shinrai_test' "$(state_get pg_port)"; }

pg_stop() {
  local dir bin
  dir=$(state_get pg_dir)
  bin=$(state_get pg_bin)
  [ -n "$dir" ] || return 0
  if [ -f "$dir/data/postmaster.pid" ]; then
    (cd "$dir" && as_pg_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w -t 30 stop >/dev/null 2>&1) \
      || say "warning: pg_ctl stop failed for $dir"
  fi
  rm -rf "$dir"
  rm -f "$CI_STATE/pg_dir" "$CI_STATE/pg_bin" "$CI_STATE/pg_port"
}

# ---- the server under test -------------------------------------------------------------------------
# The server's own environment settings (SHINRAI_DATABASE_URL, SHINRAI_DATA_DIR, SHINRAI_HOST,
# SHINRAI_PORT) must not leak in from the caller's shell: the run uses its own database.
SERVER_ENV=(env -u SHINRAI_DATABASE_URL -u SHINRAI_DATA_DIR -u SHINRAI_HOST -u SHINRAI_PORT)

# Options naming the run's database: a fresh SQLite file in the run's temp dir, or
# $SHINRAI_E2E_DATABASE (e.g. a postgres:// URL) when set.
server_db_args() {
  local dir
  dir=$(state_get server_dir)
  printf '%s\n' --data-dir "$dir/shinrai-data"
  if [ -n "${SHINRAI_E2E_DATABASE:-}" ]; then
    printf '%s\n' --database "$SHINRAI_E2E_DATABASE"
  fi
}

# Starts `shinrai serve --demo` on a free port and waits for /readyz.
server_start() {
  local dir port db_args=()
  [ -x "$SHINRAI_BIN" ] || die "no server binary at $SHINRAI_BIN (run the build phase)"
  dir=$(mktemp -d /tmp/shinrai-ci-e2e.XXXXXX)
  port=$(free_port)
  state_set server_dir "$dir"
  state_set server_port "$port"
  mapfile -t db_args < <(server_db_args)
  say "server: $SHINRAI_BIN serve --demo --host 127.0.0.1 --port $port ${db_args[*]}"
  (
    cd "$dir" || exit 1
    exec "${SERVER_ENV[@]}" "$SHINRAI_BIN" serve --demo --host 127.0.0.1 --port "$port" "${db_args[@]}" \
      >"$CI_OUT/server.log" 2>&1 </dev/null
  ) &
  local pid=$!
  state_set server_pid "$pid"
  if ! "$PYTHON" "$CI_ROOT/e2e/smoke_check.py" --wait-only --wait "${SHINRAI_CI_READY_SECONDS:-180}" \
      --base-url "http://127.0.0.1:$port" --pid "$pid" --out-dir "$CI_OUT"; then
    say "---- last lines of $CI_OUT/server.log"
    tail -n 60 "$CI_OUT/server.log" || true
    return 1
  fi
}

server_url() { printf 'http://127.0.0.1:%s' "$(state_get server_port)"; }

# Runs the server binary's CLI against the same database as the running server.
server_cli() {
  local dir db_args=()
  dir=$(state_get server_dir)
  mapfile -t db_args < <(server_db_args)
  (cd "$dir" && "${SERVER_ENV[@]}" "$SHINRAI_BIN" "$@" "${db_args[@]}")
}

# Stops the server with SIGTERM; returns 1 when it needed SIGKILL (no graceful shutdown within
# SHINRAI_CI_STOP_SECONDS, default 30).
server_stop() {
  local pid dir _ rc=0 limit=${SHINRAI_CI_STOP_SECONDS:-30}
  pid=$(state_get server_pid)
  dir=$(state_get server_dir)
  if alive "$pid"; then
    local t0=$SECONDS
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((limit * 10))); do
      alive "$pid" || break
      sleep 0.1
    done
    if alive "$pid"; then
      say "warning: the server did not stop within ${limit}s of SIGTERM; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      rc=1
    else
      say "server: stopped $((SECONDS - t0))s after SIGTERM"
    fi
  fi
  [ -n "$dir" ] && rm -rf "$dir"
  rm -f "$CI_STATE/server_pid" "$CI_STATE/server_dir" "$CI_STATE/server_port"
  return $rc
}
