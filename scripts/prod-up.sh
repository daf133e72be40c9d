#!/usr/bin/env bash
# Start the production stack on this machine: gunicorn (several workers), a Celery worker and
# Celery beat, on the local PostgreSQL (database lertrat_prod, created if absent) and Redis,
# with DEBUG off and static files collected for WhiteNoise (compressed, hashed manifest).
# Pid files and logs go to var/prod/ (PROD_DIR); `scripts/prod-down.sh` stops exactly these processes.
# SEED=1 loads the demo data (demo users have a published password: only for trials here).
set -euo pipefail
source "$(dirname "$0")/prod-env.sh"
cd "$ROOT"
BIN="$ROOT/.venv/bin"

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
if running "$PROD_DIR/gunicorn.pid" || running "$PROD_DIR/worker.pid" || running "$PROD_DIR/beat.pid"; then
  echo "prod-up: already running (scripts/prod-down.sh first)" >&2
  exit 1
fi

pg_isready -h 127.0.0.1 -p 5432 -q || { echo "prod-up: PostgreSQL is not running" >&2; exit 1; }
redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null || { echo "prod-up: Redis is not running" >&2; exit 1; }
if ! psql -h 127.0.0.1 -U postgres -Atc "SELECT 1 FROM pg_database WHERE datname='$PROD_DB'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $PROD_DB"
  echo "prod-up: created database $PROD_DB"
fi
mkdir -p "$MEDIA_ROOT" "$PRIVATE_MEDIA_ROOT"

"$BIN/python" manage.py migrate --noinput >"$PROD_DIR/migrate.log" 2>&1
"$BIN/python" manage.py collectstatic --noinput >"$PROD_DIR/collectstatic.log" 2>&1
if [ "${SEED:-0}" = 1 ]; then
  "$BIN/python" manage.py seed_demo --allow-production >"$PROD_DIR/seed.log" 2>&1
fi
"$BIN/python" manage.py check --deploy >"$PROD_DIR/check.log" 2>&1 || true

# Workers (WEB_WORKERS × WEB_THREADS threads), timeouts, keep-alive and each worker's warm-up
# before its first request: portal/gunicorn_conf.py, shared with the Dockerfile and compose.
"$BIN/gunicorn" portal.wsgi:application --config python:portal.gunicorn_conf --daemon \
  --bind "$PROD_HOST:$PROD_PORT" --pid "$PROD_DIR/gunicorn.pid" \
  --access-logfile "$PROD_DIR/access.log" --error-logfile "$PROD_DIR/gunicorn.log" --capture-output
"$BIN/celery" -A portal worker --detach --concurrency 2 --loglevel INFO -n "prod@%h" \
  --pidfile "$PROD_DIR/worker.pid" --logfile "$PROD_DIR/worker.log"
"$BIN/celery" -A portal beat --detach --loglevel INFO \
  --schedule "$PROD_DIR/celerybeat-schedule" \
  --pidfile "$PROD_DIR/beat.pid" --logfile "$PROD_DIR/beat.log"

for _ in $(seq 60); do
  if curl -fsS "http://$PROD_HOST:$PROD_PORT/readyz" >/dev/null 2>&1 \
     && curl -fsS "http://$PROD_HOST:$PROD_PORT/healthz" >/dev/null 2>&1; then
    for name in gunicorn worker beat; do
      running "$PROD_DIR/$name.pid" || { echo "prod-up: $name is not running ($PROD_DIR/$name.log)" >&2; exit 1; }
    done
    echo "prod-up: portal on $SITE_URL (logs and pids in $PROD_DIR/)"
    exit 0
  fi
  sleep 1
done
echo "prod-up: the portal did not become ready; see $PROD_DIR/*.log" >&2
curl -sS "http://$PROD_HOST:$PROD_PORT/healthz" >&2 || true
exit 1
