#!/usr/bin/env bash
# Fuzz afresh (not part of make test): the schemathesis API fuzz and the form-post
# fuzz with random (not derandomised) examples and more of them, on SQLite and,
# with --postgres, on a throwaway PostgreSQL server.
#   bench/fuzz_random.sh [--postgres] [EXAMPLES]      (default 300 examples per operation)
set -euo pipefail
cd "$(dirname "$0")/.."
wrap=()
if [ "${1:-}" = "--postgres" ]; then wrap=(scripts/with-postgres.sh); shift; fi
export FUZZ_RANDOM=1 FUZZ_EXAMPLES="${1:-300}"
echo "schemathesis + form fuzz: FUZZ_RANDOM=1 FUZZ_EXAMPLES=$FUZZ_EXAMPLES ${wrap:+on PostgreSQL}"
exec "${wrap[@]}" .venv/bin/pytest -q -p no:cacheprovider tests/fuzz
