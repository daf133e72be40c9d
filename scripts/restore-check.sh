#!/usr/bin/env bash
# Prove that a backup restores: dump the database and media (scripts/backup.sh), restore the
# dump into a scratch database and the media into a scratch folder, then compare the row
# count of every table, the applied migrations and the checksum of every file.
# Usage: scripts/restore-check.sh [DATABASE_NAME]    (default lertrat_prod)
# Exits non-zero on any difference; drops the scratch database and folder either way.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DB="${1:-${PROD_DB:-lertrat_prod}}"
export PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/var/prod/media}"
PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-$ROOT/var/prod/private}"
export MEDIA_ROOT PRIVATE_MEDIA_ROOT
SCRATCH_DB="${DB}_restore_check_$$"
SCRATCH_DIR="$(mktemp -d)"
cleanup() { dropdb --if-exists "$SCRATCH_DB" 2>/dev/null || true; rm -rf "$SCRATCH_DIR"; }
trap cleanup EXIT

mapfile -t backup < <("$ROOT/scripts/backup.sh" "$DB")
dump="${backup[0]}" files="${backup[1]}"
echo "restore-check: backed up $DB → $(basename "$dump") ($(du -h "$dump" | cut -f1)), $(basename "$files")"

createdb "$SCRATCH_DB"
pg_restore --no-owner --exit-on-error --dbname="$SCRATCH_DB" "$dump"

counts() {  # every table of the public schema with its exact row count, sorted
  local db="$1" table
  for table in $(psql -d "$db" -Atc "SELECT tablename FROM pg_tables WHERE schemaname='public' ORDER BY 1"); do
    printf '%s %s\n' "$table" "$(psql -d "$db" -Atc "SELECT count(*) FROM \"$table\"")"
  done
}
counts "$DB" >"$SCRATCH_DIR/source.txt"
counts "$SCRATCH_DB" >"$SCRATCH_DIR/restored.txt"
if ! diff -u "$SCRATCH_DIR/source.txt" "$SCRATCH_DIR/restored.txt"; then
  echo "restore-check: FAILED — row counts differ (was the database written meanwhile?)" >&2
  exit 1
fi
tables=$(wc -l <"$SCRATCH_DIR/source.txt")
rows=$(awk '{s+=$2} END {print s+0}' "$SCRATCH_DIR/source.txt")

# The restored database carries the same schema history (applied migrations), row for row.
applied() { psql -d "$1" -Atc "SELECT app || '.' || name FROM django_migrations ORDER BY 1"; }
if ! diff -q <(applied "$DB") <(applied "$SCRATCH_DB") >/dev/null; then
  echo "restore-check: FAILED — applied migrations differ" >&2
  exit 1
fi
# And the portal itself reads it: a query through the ORM on the restored database.
DATABASE_URL="postgres://$PGUSER@$PGHOST:$PGPORT/$SCRATCH_DB" DJANGO_SETTINGS_MODULE=portal.settings \
  "$ROOT/.venv/bin/python" -c "import django; django.setup(); from portal.models import User; User.objects.count()"

mkdir -p "$SCRATCH_DIR/files"
tar -xzf "$files" -C "$SCRATCH_DIR/files"
checksums() { (cd "$1" && find . -type f -print0 | sort -z | xargs -0 -r sha256sum); }
checksums "$(dirname "$MEDIA_ROOT")/$(basename "$MEDIA_ROOT")" >"$SCRATCH_DIR/m1.txt"
checksums "$SCRATCH_DIR/files/$(basename "$MEDIA_ROOT")" >"$SCRATCH_DIR/m2.txt"
checksums "$PRIVATE_MEDIA_ROOT" >"$SCRATCH_DIR/p1.txt"
checksums "$SCRATCH_DIR/files/$(basename "$PRIVATE_MEDIA_ROOT")" >"$SCRATCH_DIR/p2.txt"
if ! diff -q "$SCRATCH_DIR/m1.txt" "$SCRATCH_DIR/m2.txt" >/dev/null \
   || ! diff -q "$SCRATCH_DIR/p1.txt" "$SCRATCH_DIR/p2.txt" >/dev/null; then
  echo "restore-check: FAILED — restored files differ from the originals" >&2
  exit 1
fi
nfiles=$(( $(wc -l <"$SCRATCH_DIR/m1.txt") + $(wc -l <"$SCRATCH_DIR/p1.txt") ))
echo "restore-check: OK — $tables tables, $rows rows and $nfiles files restored identically, same migrations"
