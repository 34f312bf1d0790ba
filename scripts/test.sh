#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite and on a throwaway PostgreSQL.
# The two runs go side by side (one per core) and their output is printed in turn.
# The browser journeys (tests/e2e) run once, in the SQLite run: they test pages, and
# every rule they pass through is tested on PostgreSQL by the unit, web and API tests.
# The deployment tests (tests/deploy, its browser journey included) need PostgreSQL
# and run in the PostgreSQL run only.
# Extra arguments go to pytest (e.g. scripts/test.sh -k invoices).
set -uo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
start=$(date +%s)

echo "== ruff (lint + bandit security rules)"
$BIN/ruff check . || exit 1

logs=$(mktemp -d /tmp/tracker-tests.XXXXXX)
echo "== tests on SQLite and on PostgreSQL, side by side (logs in $logs)"
( env -u TEST_DATABASE_URL -u DATABASE_URL $BIN/pytest -q -p no:cacheprovider --durations=8 "$@" >"$logs/sqlite.log" 2>&1
  echo $? >"$logs/sqlite.rc" ) &
( scripts/with-postgres.sh $BIN/pytest -q -p no:cacheprovider --durations=8 -m "not e2e or deploy" "$@" >"$logs/postgres.log" 2>&1
  echo $? >"$logs/postgres.rc" ) &
wait

status=0
for run in sqlite postgres; do
  echo "== tests on $run"
  cat "$logs/$run.log"
  rc=$(cat "$logs/$run.rc" 2>/dev/null || echo 1)
  if [ "$rc" -ne 0 ]; then echo "== tests on $run FAILED (pytest exit $rc)"; status=1; fi
done
[ $status -eq 0 ] && rm -rf "$logs"
echo "== make test $([ $status -eq 0 ] && echo passed || echo FAILED) in $(( $(date +%s) - start )) s"
exit $status
