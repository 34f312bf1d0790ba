#!/usr/bin/env bash
# Nightly backup (tracker-backup.service): `flask backup` into DIR under a dated
# name, then delete backups older than BACKUP_KEEP_DAYS days (default 14),
# never the one just written. Run as the app's user with its environment
# (TRACKER_ENV, DATABASE_URL, ...), from the app's folder or with TRACKER_HOME.
#   deploy/backup.sh DIR
set -euo pipefail
umask 077

dir=${1:?usage: backup.sh DIR}
keep_days=${BACKUP_KEEP_DAYS:-14}
case $keep_days in
  '' | *[!0-9]*) echo "BACKUP_KEEP_DAYS must be a whole number of days; got '$keep_days'" >&2; exit 2 ;;
esac
home=${TRACKER_HOME:-$(cd "$(dirname "$0")/.." && pwd)}
flask=${TRACKER_FLASK:-$home/.venv/bin/flask}

mkdir -p "$dir"
target="$dir/tracker-$(date -u +%Y%m%d-%H%M%S).backup"
(cd "$home" && "$flask" backup "$target")

# Retention: dated backups older than keep_days days go; the new one stays whatever its age.
find "$dir" -maxdepth 1 -type f -name 'tracker-*.backup' -mtime "+$((keep_days - 1))" \
  ! -path "$target" -print -delete
echo "Kept $(find "$dir" -maxdepth 1 -type f -name 'tracker-*.backup' | wc -l) backup(s) in $dir."
