"""Shared fixtures: Celery mode, a real worker process, and a real browser."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings

from tests.processes import start_celery_worker, stop, worker_env

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config):
    from django.test import override_settings

    # TLS is terminated in front of the portal; static files come straight from static/
    # (no collectstatic manifest needed to test). override_settings resets cached storages.
    override_settings(
        SECURE_SSL_REDIRECT=False,
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
        WHITENOISE_USE_FINDERS=True,
        WHITENOISE_AUTOREFRESH=True,
        # Rate limits off unless a test sets one (tests/portal/operations/test_ratelimit.py):
        # every test client shares one address and one cache.
        RATELIMITS={},
        # The admin's second factor is off by default in tests (force_login'd staff);
        # tests/portal/accounts/test_accounts.py turns it on and proves it is enforced.
        ADMIN_REQUIRE_2FA=False,
        # Every test's anonymous API calls share one address and one cache: no throttling
        # unless a test asks for it (tests/portal/api/test_api.py).
        API_ANON_THROTTLE_RATE="1000000/minute",
    ).enable()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: pages are cached per search-index generation,
    which a test's rolled-back transaction never bumps, so a page an earlier test cached
    would be served to the next one (the outcome then depended on the order of the tests)."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _thai_by_default():
    """Each test starts in the site's default language: a test that activated English (a
    request with Accept-Language, translation.activate) must not leave the next one reading
    English messages where it expects Thai (the outcome then depended on the order)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _celery_mode(request):
    """Tasks run in-process unless a test asks for the real worker (@pytest.mark.worker)."""
    from portal.celery import app

    eager = request.node.get_closest_marker("worker") is None
    previous = app.conf.task_always_eager
    # The app reads Django settings with the CELERY_ namespace, and the namespaced key wins
    # over `task_always_eager` (setting the short name had no effect when a broker is set).
    app.conf.CELERY_TASK_ALWAYS_EAGER = eager or settings.CELERY_TASK_ALWAYS_EAGER
    yield
    app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture(scope="session")
def celery_worker_process(django_db_setup, django_db_blocker):
    """A real `celery worker` process on the configured broker, using the test database.

    Needs PostgreSQL (a worker can't share SQLite's in-memory test database) and a broker.
    """
    db = settings.DATABASES["default"]
    broker = os.environ.get("CELERY_BROKER_URL", "")
    if db["ENGINE"] != "django.db.backends.postgresql" or not broker:
        if os.environ.get("REQUIRE_WORKER"):
            pytest.fail("REQUIRE_WORKER is set but there is no PostgreSQL database and broker")
        pytest.skip("needs PostgreSQL and CELERY_BROKER_URL (a real worker)")
    env = worker_env(db)
    subprocess.run(
        [sys.executable, "-m", "celery", "-A", "portal", "purge", "-f"],
        cwd=ROOT, env=env, capture_output=True, check=False,
    )  # fmt: skip
    try:
        worker = start_celery_worker(env, ROOT / "var" / "test-worker.log")
    except RuntimeError as error:
        pytest.fail(str(error))
    yield worker
    stop(worker)


def wait_until(predicate, timeout: float = 30.0, interval: float = 0.25):
    """Poll until predicate() is truthy (work done by another process)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    return predicate()


# --- Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or shutil.which("chromium") is None:
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"REQUIRE_BROWSER is set but {CHROMIUM} is missing")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls made by the
    # test itself are still synchronous and safe.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(locale="th-TH", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()
