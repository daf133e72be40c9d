# Production settings for the stack `make prod-up` runs on this machine (sourced, not run).
# PostgreSQL and Redis are the machine's own; gunicorn serves plain HTTP on loopback, so the
# HTTPS redirect and Secure-only cookies are off here (a TLS proxy does that in a real
# deployment; `check --deploy` with the real values is clean, see tests/portal/test_settings.py).
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PROD_DIR="${PROD_DIR:-$ROOT/var/prod}"
mkdir -p "$PROD_DIR"
if [ ! -s "$PROD_DIR/secret_key" ]; then
  (umask 077 && "$ROOT/.venv/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' \
    > "$PROD_DIR/secret_key")
fi
export DEBUG=0
export SECRET_KEY="$(cat "$PROD_DIR/secret_key")"
export PROD_HOST="${PROD_HOST:-127.0.0.1}" PROD_PORT="${PROD_PORT:-8100}"
export ALLOWED_HOSTS="127.0.0.1,localhost"
export SITE_URL="http://$PROD_HOST:$PROD_PORT"
export PROD_DB="${PROD_DB:-lertrat_prod}"
export DATABASE_URL="${PROD_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/$PROD_DB}"
export REDIS_URL="${PROD_REDIS_URL:-redis://127.0.0.1:6379/2}"
export CELERY_BROKER_URL="${PROD_BROKER_URL:-redis://127.0.0.1:6379/3}"
export SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export VAR_DIR="$PROD_DIR" STATIC_ROOT="$PROD_DIR/static"
export MEDIA_ROOT="$PROD_DIR/media" PRIVATE_MEDIA_ROOT="$PROD_DIR/private"
export LOG_FORMAT=json
export WEB_WORKERS="${WEB_WORKERS:-4}" WEB_THREADS="${WEB_THREADS:-4}"
