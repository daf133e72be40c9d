"""Liveness and readiness probes for load balancers and orchestrators.

/healthz — are the database, the cache and the Celery broker reachable right now?
/readyz  — may this process take traffic: database reachable and every migration applied
           (and, in production, the static files manifest built)?

Both answer JSON, 200 when every check passes and 503 otherwise, without sessions, CSRF or
templates (they must work when the database is the thing that is down). They are exempt
from the HTTPS redirect (settings.SECURE_REDIRECT_EXEMPT) because probes speak plain HTTP.
"""

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)

BROKER_TIMEOUT = 2.0  # seconds; a probe must answer quickly even when the broker is gone


def check_database() -> str:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_cache() -> str:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was written")
    cache.delete(key)
    return "ok"


def check_broker() -> str:
    from portal.celery import app

    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "ok (no broker: tasks run in-process)"
    with app.connection_for_write(settings.CELERY_BROKER_URL) as connection:
        connection.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    return "ok"


def check_migrations() -> str:
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        pending = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
        raise RuntimeError(f"{len(plan)} migration(s) not applied: {pending}")
    return "ok"


def check_static_manifest() -> str:
    from django.contrib.staticfiles.storage import staticfiles_storage

    manifest_name = getattr(staticfiles_storage, "manifest_name", None)
    if manifest_name is None:
        return "ok (no manifest storage)"
    if not staticfiles_storage.exists(manifest_name):
        raise RuntimeError("collectstatic has not been run")
    return "ok"


def run_checks(checks: dict) -> tuple[bool, dict]:
    results, healthy = {}, True
    for name, check in checks.items():
        started = time.monotonic()
        try:
            status = check()
        except Exception as error:  # a probe reports every failure, it never raises
            healthy = False
            status = f"error: {type(error).__name__}: {error}"[:300]
            logger.warning("health check %s failed", name, extra={"check": name, "error": status})
        results[name] = {"status": status, "ms": round((time.monotonic() - started) * 1000, 1)}
    return healthy, results


def _respond(checks: dict) -> JsonResponse:
    healthy, results = run_checks(checks)
    return JsonResponse(
        {"status": "ok" if healthy else "error", "checks": results},
        status=200 if healthy else 503,
        json_dumps_params={"ensure_ascii": False},
    )


@never_cache
@require_GET
def healthz(request):
    return _respond({"database": check_database, "cache": check_cache, "broker": check_broker})


@never_cache
@require_GET
def readyz(request):
    checks = {"database": check_database, "migrations": check_migrations}
    if not settings.DEBUG:
        checks["static"] = check_static_manifest
    return _respond(checks)
