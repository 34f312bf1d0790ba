#!/usr/bin/env bash
# Run a command with a throwaway PostgreSQL server on 127.0.0.1 (a free port,
# a temp data directory), exporting TEST_DATABASE_URL and PG* for it. The
# server is stopped and its data removed when the command ends, even on failure.
#   scripts/with-postgres.sh COMMAND [ARGS...]
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
PGDATA=$(mktemp -d /tmp/tracker-pg.XXXXXX)
as_pg=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres:postgres "$PGDATA"
  as_pg=(runuser -u postgres --)
fi
cleanup() {
  "${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PGDATA"
}
trap cleanup EXIT INT TERM
"${as_pg[@]}" "$PGBIN/initdb" -D "$PGDATA" -U postgres -A trust -E UTF8 --no-sync >/dev/null
"${as_pg[@]}" "$PGBIN/pg_ctl" -D "$PGDATA" -l "$PGDATA/server.log" -w -t 30 \
  -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $PGDATA -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PGPORT" -U postgres tracker_test
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGDATA PGBIN
export TEST_DATABASE_URL="postgresql+psycopg://postgres@127.0.0.1:$PGPORT/tracker_test"
"$@"
