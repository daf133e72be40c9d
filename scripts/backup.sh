#!/usr/bin/env bash
# Back up the portal: the PostgreSQL database (pg_dump custom format) and the media folders
# (public media and private attachments/reports) into BACKUP_DIR (default var/backups).
# Usage: scripts/backup.sh [DATABASE_NAME]    (default lertrat_prod)
# Prints the two file names it wrote; scripts/restore-check.sh proves they restore.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DB="${1:-${PROD_DB:-lertrat_prod}}"
PGHOST="${PGHOST:-127.0.0.1}" PGPORT="${PGPORT:-5432}" PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER
MEDIA_ROOT="${MEDIA_ROOT:-$ROOT/var/prod/media}"
PRIVATE_MEDIA_ROOT="${PRIVATE_MEDIA_ROOT:-$ROOT/var/prod/private}"
BACKUP_DIR="${BACKUP_DIR:-$ROOT/var/backups}"
stamp="$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$BACKUP_DIR" && chmod 700 "$BACKUP_DIR"
dump="$BACKUP_DIR/$DB-$stamp.dump"
files="$BACKUP_DIR/$DB-media-$stamp.tar.gz"
umask 077
pg_dump --format=custom --no-owner --file="$dump" "$DB"
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"
tar -czf "$files" -C "$(dirname "$MEDIA_ROOT")" "$(basename "$MEDIA_ROOT")" \
    -C "$(dirname "$PRIVATE_MEDIA_ROOT")" "$(basename "$PRIVATE_MEDIA_ROOT")"
echo "$dump"
echo "$files"
