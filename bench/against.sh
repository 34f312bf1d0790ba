#!/usr/bin/env bash
# The reports and exports of an earlier revision and of this checkout, measured in
# turns on the same world: a paired comparison that machine load cannot tilt (a
# busy minute slows both sides of a round alike). Not part of make test.
#
#   DATABASE_URL=... bench/against.sh REV [ROUNDS] [MEASURE...]
#
# DATABASE_URL names a world made by `flask demo generate` (make bench leaves one:
# instance/bench.db, or a PostgreSQL database). Each side runs its own
# bench/measure.py with this checkout's .venv, through bench/as_served.py (the app
# made as app.py makes it, whatever the revision's measure.py did); REV is checked
# out in a temporary git worktree, removed at the end. Prints each measurement as it comes, then the
# median seconds of each side and new/old.
set -euo pipefail
cd "$(dirname "$0")/.."
rev=${1:?usage: bench/against.sh REV [ROUNDS] [MEASURE...]}
rounds=${2:-3}
shift $(( $# < 2 ? $# : 2 ))
measures=("$@")
[ ${#measures[@]} -gt 0 ] || measures=(income capacity progress income_export capacity_export)
: "${DATABASE_URL:?DATABASE_URL must name a generated world}"
export TRACKER_TODAY=${TRACKER_TODAY:-2026-11-23} TRACKER_ENV=${TRACKER_ENV:-development}
python=$PWD/.venv/bin/python
here=$PWD
old=$(mktemp -d /tmp/tracker-against.XXXXXX)
trap 'git worktree remove --force "$old" >/dev/null 2>&1 || rm -rf "$old"' EXIT
git worktree add --detach -f "$old" "$rev" >/dev/null 2>&1
results=$(mktemp)
for round in $(seq "$rounds"); do
  for name in "${measures[@]}"; do
    for side in old new; do
      dir=$PWD; [ "$side" = old ] && dir=$old
      line=$(cd "$dir" && PYTHONPATH=$dir "$python" "$here/bench/as_served.py" "$name" 2>/dev/null | tail -n 1) || line='{}'
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
