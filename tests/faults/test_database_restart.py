"""PostgreSQL restarts (an upgrade, a failover, a crash) under a running portal: while it is
down every request that needs it gets a quick, clean "try again shortly" (503 with
Retry-After, Thai page, JSON for the API) instead of a 500 or a hung worker — public pages
already rendered keep being served from the page cache; when it is back the same gunicorn
processes serve again, without being restarted.

The portal here is real: gunicorn with production settings on a private PostgreSQL cluster
(initdb on a free port), so stopping that cluster touches nothing else on the machine."""

import json
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import quote, urlencode

import pytest

from tests.processes import (
    ROOT,
    PostgresCluster,
    children,
    free_port,
    postgres_bin,
    stop,
    wait_for_port,
)

pytestmark = pytest.mark.skipif(
    postgres_bin("initdb") is None, reason="needs PostgreSQL's server binaries (initdb)"
)


BROWSER = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))


def fetch(url: str, data: dict | None = None, timeout: float = 15.0):
    """(status, headers, body) — error statuses included, as a browser would see them."""
    request = urllib.request.Request(
        url,
        data=urlencode(data).encode() if data is not None else None,
        headers={"Accept-Language": "th", "Referer": url},
    )
    try:
        with BROWSER.open(request, timeout=timeout) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


@pytest.fixture
def portal(tmp_path):
    cluster = PostgresCluster()
    cluster.start()
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.live_settings",
        "DATABASE_URL": cluster.url,
        "DB_CONN_MAX_AGE": "600",  # persistent connections: they must survive the restart
        "DB_CONNECT_TIMEOUT": "3",
        "DEBUG": "0",
        "SECRET_KEY": "fault-test-" + "k" * 50,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "REDIS_URL": "",
        "CELERY_BROKER_URL": "",
        "VAR_DIR": str(tmp_path),
    }
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT, env=env, check=True, capture_output=True,
    )  # fmt: skip
    log = open(tmp_path / "gunicorn.log", "w")  # noqa: SIM115
    gunicorn = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "portal.wsgi:application", "--bind",
         f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "gthread", "--threads", "2",
         "--timeout", "30"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    wait_for_port(port, 60)
    yield {"url": f"http://127.0.0.1:{port}", "cluster": cluster, "gunicorn": gunicorn}
    stop(gunicorn, signal.SIGTERM)
    log.close()
    cluster.destroy()


PAGES = ["/", "/cases/", "/cases/?q=" + quote("น้ำ"), "/lessons/"]
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_postgresql_restart_fails_requests_cleanly_then_the_same_portal_recovers(portal):
    url, cluster = portal["url"], portal["cluster"]
    for path in PAGES * 2:  # every worker thread holds a persistent connection now
        assert fetch(url + path)[0] == 200, path
    workers_before = sorted(children(portal["gunicorn"].pid))

    cluster.stop()
    # Pages already rendered may still be served from the page cache (per process here);
    # anything else that needs the database is a quick, clean 503.
    for path in PAGES:
        status, headers, body = fetch(url + path)
        assert status in (200, 503), (path, status, body[:300])
        if status == 503:
            assert headers["Retry-After"] == "30" and "ระบบขัดข้องชั่วคราว" in body
    for word in ["ป่าชุมชน", "โรงพยาบาล", "ประปาหมู่บ้าน", "ธนาคารขยะ"]:  # never rendered
        for path in ["/cases/?q=", "/lessons/?q="]:
            started = time.monotonic()
            status, headers, body = fetch(url + path + quote(word))
            assert status == 503, (path, word, status, body[:300])
            assert time.monotonic() - started < 10, path  # refused fast, not hung
            assert headers["Retry-After"] == "30"
            assert "ระบบขัดข้องชั่วคราว" in body and "Traceback" not in body
    # The sign-in form needs no database; signing in does.
    status, _, form = fetch(url + "/accounts/login/")
    assert status == 200
    credentials = {"username": "someone@opdc.go.th", "password": "not-the-password"}
    status, headers, body = fetch(
        url + "/accounts/login/", {**credentials, "csrfmiddlewaretoken": CSRF.search(form)[1]}
    )
    assert status == 503 and "ระบบขัดข้องชั่วคราว" in body, (status, body[:300])
    status, headers, body = fetch(url + "/api/v1/cases/")
    assert status == 503 and headers["Content-Type"].startswith("application/json")
    assert json.loads(body)["detail"]
    status, _, body = fetch(url + "/healthz")
    assert status == 503
    assert json.loads(body)["checks"]["database"]["status"].startswith("error")

    cluster.start()
    for path in PAGES * 3:  # every thread's broken connection is replaced, none is reused
        status, _, body = fetch(url + path)
        assert status == 200, (path, status, body[:300])
    assert fetch(url + "/healthz")[0] == 200
    status, _, form = fetch(url + "/accounts/login/")
    status, _, body = fetch(
        url + "/accounts/login/", {**credentials, "csrfmiddlewaretoken": CSRF.search(form)[1]}
    )
    assert status == 200 and "รหัสผ่านไม่ถูกต้อง" in body  # a wrong password, answered normally
    assert portal["gunicorn"].poll() is None
    assert sorted(children(portal["gunicorn"].pid)) == workers_before  # nobody restarted
