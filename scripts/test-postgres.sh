#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests: Debian's `postgresql` package, a fresh cluster in a temp folder,
# listening on 127.0.0.1 only, owned by a `proxygate` role with a test-only password.
#
#   eval "$(scripts/test-postgres.sh start)"        # exports PROXYGATE_TEST_POSTGRES_URL and ..._DIR
#   mvn -B verify                                   # the PostgreSQL tests run (they skip without the URL)
#   scripts/test-postgres.sh stop "$PROXYGATE_TEST_POSTGRES_DIR"
#
# As root (CI) the server runs as the `postgres` user, because initdb refuses to run as root.
set -euo pipefail

bin_dir() {
  local d
  d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  [ -n "$d" ] && [ -x "$d/initdb" ] || { echo "error: no PostgreSQL server found (apt-get install postgresql)" >&2; exit 1; }
  echo "$d"
}

as_owner() { # runs "$@" as the cluster's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() { # the first port from $1 on (up to 55532) that nothing answers on
  local p
  for p in $(seq "$1" 55532); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then echo "$p"; return 0; fi
  done
  echo "error: no free port in $1-55532" >&2
  exit 1
}

start() {
  local bin dir port password=proxygate-test-only
  bin=$(bin_dir)
  dir=$(mktemp -d "${TMPDIR:-/tmp}/proxygate-pg.XXXXXX")
  chmod 755 "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
  # A port can look free and still be taken by the time the server binds (a server shutting down, a neighbour
  # starting): then the next one is tried. Durability is not the point of a test server: no fsyncs.
  port=55431
  for attempt in 1 2 3 4 5; do
    port=$(free_port $((port + 1)))
    if as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start -o \
      "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      >/dev/null; then
      break
    fi
    if [ "$attempt" = 5 ] || ! grep -q "could not bind" "$dir/server.log"; then
      cat "$dir/server.log" >&2
      rm -rf "$dir"
      exit 1
    fi
  done
  as_owner "$bin/psql" -q -h "$dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE proxygate LOGIN PASSWORD '$password'" \
    -c "CREATE DATABASE proxygate OWNER proxygate" >/dev/null
  echo "export PROXYGATE_TEST_POSTGRES_URL='jdbc:postgresql://127.0.0.1:$port/proxygate?user=proxygate&password=$password'"
  echo "export PROXYGATE_TEST_POSTGRES_DIR='$dir'"
}

stop() {
  local dir=${1:?usage: test-postgres.sh stop DIR}
  [ -d "$dir/data" ] || return 0
  as_owner "$(bin_dir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  rm -rf "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  *) echo "usage: $0 start | stop DIR" >&2; exit 2 ;;
esac
