#!/usr/bin/env bash
# The whole suite: lint, then every test on SQLite and again on PostgreSQL.
# Extra arguments go to pytest (e.g. scripts/test.sh -k invoices).
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
start=$(date +%s)

echo "== ruff (lint + bandit security rules)"
$BIN/ruff check .

echo "== tests on SQLite"
env -u TEST_DATABASE_URL -u DATABASE_URL $BIN/pytest -q -p no:cacheprovider "$@"

echo "== tests on PostgreSQL"
scripts/with-postgres.sh $BIN/pytest -q -p no:cacheprovider "$@"

echo "== make test passed in $(( $(date +%s) - start )) s"
