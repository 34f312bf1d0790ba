#!/usr/bin/env bash
# The reports and exports of an earlier revision and of this checkout, measured in
# turns on the same world: a paired comparison that machine load cannot tilt (a
# busy minute slows both sides of a round alike). Not part of make test.
#
#   DATABASE_URL=... bench/against.sh REV [ROUNDS] [MEASURE...]
#
# DATABASE_URL names a world made by `flask demo generate` and migrated to this
# checkout's head (make bench leaves its SQLite one at /tmp/tracker-bench.db).
# Each side runs its own bench/measure.py with this checkout's .venv, through
# bench/as_served.py (the app made as app.py makes it, whatever the revision's
# measure.py did); REV is checked out in a temporary git worktree, removed at the
# end. Prints each measurement as it comes, then each side's median seconds and
# new/old. Both sides read the same (migrated) schema, so what an index migration
# gains shows on both: compare such a change by measuring before and after it.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/against.sh REV [ROUNDS] [MEASURE...]}
rounds=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
measures=("$@")
[ ${#measures[@]} -gt 0 ] || measures=(income capacity progress income_export capacity_export)
: "${DATABASE_URL:?DATABASE_URL must name a generated world}"
case $DATABASE_URL in  # a relative SQLite path would be each checkout's own instance/ file
  sqlite:///[!/]*) echo "against.sh: give SQLite an absolute path (sqlite:////…)" >&2; exit 2 ;;
esac
export TRACKER_TODAY=${TRACKER_TODAY:-2026-11-23} TRACKER_ENV=${TRACKER_ENV:-development}
python=$PWD/.venv/bin/python
here=$PWD
old=$(mktemp -d /tmp/tracker-against.XXXXXX)
results=$(mktemp) errors=$(mktemp)
trap 'git worktree remove --force "$old" >/dev/null 2>&1 || rm -rf "$old"; git worktree prune; rm -f "$results" "$errors"' EXIT
git worktree add --detach -f "$old" "$rev" >/dev/null
for round in $(seq "$rounds"); do
  for name in "${measures[@]}"; do
    sides="old new"; [ $((round % 2)) -eq 0 ] && sides="new old"  # each side goes first in turn
    for side in $sides; do
      dir=$here; [ "$side" = old ] && dir=$old
      if ! line=$(cd "$dir" && PYTHONPATH=$dir "$python" "$here/bench/as_served.py" "$name" 2>"$errors" | tail -n 1); then
        echo "against.sh: $name failed on the $side side:" >&2; tail -n 5 "$errors" >&2; line='{}'
      fi
      [ -n "$line" ] || line='{}'
      echo "$round $name $side $line" | tee -a "$results"
    done
  done
done
"$python" - "$results" "$rev" <<'EOF'
import json, statistics, sys
seconds = {}
for line in open(sys.argv[1]):
    _round, name, side, data = line.split(" ", 3)
    value = json.loads(data).get("seconds")
    if value is not None:
        seconds.setdefault(name, {}).setdefault(side, []).append(value)
print(f"\n{'measure':<18}{sys.argv[2][:12]:>14}{'this checkout':>15}{'new/old':>9}")
for name, sides in seconds.items():
    old, new = (statistics.median(sides.get(s, [float("nan")])) for s in ("old", "new"))
    print(f"{name:<18}{old:>13.3f}s{new:>14.3f}s{new / old:>9.2f}")
EOF
