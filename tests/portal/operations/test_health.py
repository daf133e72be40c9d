import json
import logging

import pytest
from django.db import connection
from django.test import override_settings

from portal.operations.logs import JSONFormatter

pytestmark = pytest.mark.django_db

DEAD_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def test_healthz_reports_each_dependency(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["status"].startswith("ok") for check in body["checks"].values())
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_healthz_is_503_when_the_cache_is_unreachable(client, settings):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": DEAD_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    with override_settings(CACHES={**settings.CACHES, **caches}):
        response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["checks"]["cache"]["status"].startswith("error")
    assert body["checks"]["database"]["status"] == "ok"


def test_healthz_is_503_when_the_broker_is_unreachable(client, settings):
    settings.CELERY_BROKER_URL = DEAD_REDIS
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["broker"]["status"].startswith("error")


def test_readyz_is_200_when_every_migration_is_applied(client):
    response = client.get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json()["checks"]["migrations"]["status"] == "ok"


def test_readyz_is_503_while_a_migration_is_pending(client):
    from django.db.migrations.loader import MigrationLoader

    app_label, name = next(
        node for node in MigrationLoader(connection).graph.leaf_nodes() if node[0] == "portal"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "DELETE FROM django_migrations WHERE app = %s AND name = %s", [app_label, name]
        )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert f"portal.{name}" in response.json()["checks"]["migrations"]["status"]


@override_settings(DEBUG=False)
def test_readyz_needs_the_static_manifest_in_production(client, settings, tmp_path):
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "collectstatic" in response.json()["checks"]["static"]["status"]


def test_probes_are_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/").status_code == 301


def test_probes_only_answer_get(client):
    assert client.post("/healthz").status_code == 405


def test_json_log_lines_carry_extra_fields_and_thai_text():
    record = logging.LogRecord(
        "portal.test", logging.WARNING, __file__, 1, "ส่งผลงาน %s", ("LR-2569-000001",), None
    )
    record.entry_id = 42
    line = JSONFormatter().format(record)
    data = json.loads(line)
    assert data["level"] == "WARNING"
    assert data["logger"] == "portal.test"
    assert data["message"] == "ส่งผลงาน LR-2569-000001"
    assert data["entry_id"] == 42
    assert data["time"].endswith("+00:00")
    assert "\n" not in line


def test_log_format_json_is_chosen_by_the_environment():
    import os
    import subprocess
    import sys

    script = (
        "import django, logging; django.setup();"
        "logging.getLogger('portal.x').warning('สวัสดี', extra={'k': 1})"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "portal.settings", "LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    data = json.loads(result.stderr.strip().splitlines()[-1])
    assert data["message"] == "สวัสดี" and data["k"] == 1
