#!/usr/bin/env bash
# make bench: generate the national-scale world on SQLite and on a throwaway
# PostgreSQL, then measure every target of issues 7 and 19 on both and print one
# table (bench/table.py). Not part of make test.
#   BENCH_DAYS=1000000 (support days)  BENCH_HTTP_SECONDS=30  BENCH_DBS="sqlite postgresql"
#   BENCH_MIX=0 (skip the readers-and-writers mix)  BENCH_MIX_WRITE_INTERVAL=1 (s per writer)
#   BENCH_MIX_STRESS=0 (skip the stress mix)  BENCH_MIX_STRESS_INTERVAL=0.25
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=$PWD/.venv/bin
export PYTHONPATH=$PWD FLASK_APP=app.py TRACKER_TODAY=${TRACKER_TODAY:-2026-11-23}
# The scripts below build the app in-process (not under `flask`): say which environment.
export TRACKER_ENV=${TRACKER_ENV:-development}
DAYS=${BENCH_DAYS:-1000000}
OUT=${BENCH_OUT:-bench/results}
PASSWORD="bench passphrase $(date +%s)"
mkdir -p "$OUT"
echo "$PASSWORD" > "$OUT/password"  # bench sign-ins, to re-run one step by hand
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }

measure_all() {  # $1 = label; DATABASE_URL is set
  local label=$1 results="$OUT/$1.jsonl" started
  : > "$results"
  echo "== $label: flask db upgrade"
  $BIN/flask db upgrade >/dev/null 2>&1
  echo "== $label: flask demo generate --days $DAYS"
  BENCH_DAYS=$DAYS $BIN/python bench/measure.py generate | tee -a "$results"
  echo "== $label: flask check"
  $BIN/flask check | tee "$OUT/$label.check.txt"
  echo "== $label: bench fixtures"
  $BIN/python bench/prepare.py "$OUT/$label.fixtures.json" "$PASSWORD"
  export BENCH_FIXTURES="$OUT/$label.fixtures.json"
  for name in income capacity progress draft_issue income_export capacity_export; do
    echo "== $label: $name"
    $BIN/python bench/measure.py "$name" | tee -a "$results"
  done
  echo "== $label: HTTP under load"
  $BIN/python bench/http_load.py "$BENCH_FIXTURES" "$PASSWORD" | tee -a "$results"
  echo "== $label: import of 100,000 rows (changes the data, so last)"
  $BIN/python bench/measure.py import_100k | tee -a "$results"
}

for db in ${BENCH_DBS:-sqlite postgresql}; do
  case $db in
    sqlite)
      rm -f /tmp/tracker-bench.db /tmp/tracker-bench.db-wal /tmp/tracker-bench.db-shm
      DATABASE_URL=sqlite:////tmp/tracker-bench.db measure_all sqlite ;;
    postgresql)
      export -f measure_all; export BIN DAYS OUT PASSWORD
      scripts/with-postgres.sh bash -c 'DATABASE_URL=$TEST_DATABASE_URL measure_all postgresql' ;;
  esac
done
$BIN/python bench/table.py "$OUT"
