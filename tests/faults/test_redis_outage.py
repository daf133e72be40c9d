"""Redis (cache and broker) stops in the middle of the day: public pages still answer, a
submission is still saved and its number given, and the work that could not be queued (the
confirmation e-mail) is caught up by the periodic repair task once Redis is back.

Runs its own redis-server on a free port: the machine's shared Redis is never touched."""

import datetime
import shutil
import time

import pytest
from django.core import mail
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from awards.models import EntryState
from portal.celery import app
from portal.notifications import tasks
from portal.notifications.models import Notification
from tests.awards.entry_helpers import complete
from tests.factories import CaseStudyFactory, EntryFactory, UserFactory
from tests.processes import celery_publishing_to, free_port, start_redis, stop

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]


@pytest.fixture
def private_redis(settings):
    port = free_port()
    process = start_redis(port)
    url = f"redis://127.0.0.1:{port}/0"
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            # as in settings with REDIS_URL
            "BACKEND": "portal.operations.cache.FailSafeRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "faulttest",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        },
    }
    settings.CELERY_BROKER_URL = url
    saved_timeout = app.conf.broker_connection_timeout
    app.conf.broker_connection_timeout = 0.5
    state = {"process": process, "port": port}
    with celery_publishing_to(url):
        yield state
    stop(state["process"])
    app.conf.broker_connection_timeout = saved_timeout
    caches["default"].close()


def test_redis_down_pages_answer_submissions_are_saved_and_work_catches_up(client, private_redis):
    case = CaseStudyFactory(title="ต้นแบบการจัดการขยะ")
    official = UserFactory()
    entry = complete(EntryFactory(agency=official.agency, created_by=official))
    client.force_login(official)
    assert client.get("/").status_code == 200  # warm: Redis is up

    private_redis["process"].kill()
    private_redis["process"].wait()

    for url in ["/", "/cases/", f"/cases/{case.slug}/", "/cases/?q=ขยะ", "/lessons/", "/privacy/"]:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    assert client.get("/healthz").status_code == 503  # and the probe says why

    started = time.monotonic()
    response = client.post(reverse("awards:submit", args=[entry.public_id]))
    assert response.status_code == 302, response.status_code
    assert "/confirmation/" in response["Location"]
    assert time.monotonic() - started < 15  # a broker outage does not hang the request
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED and entry.reference
    assert mail.outbox == []  # the confirmation could not be queued

    # Redis returns; the periodic repair finds the submission whose message was lost.
    private_redis["process"] = start_redis(private_redis["port"])
    assert client.get("/healthz").status_code == 200
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=30))
    # Run the repair here, as beat's worker would, and what it queues in-process. Called, not
    # .delay().get(): an in-process worker started earlier in the run leaves Celery refusing
    # to join a result from what it takes for a task.
    app.conf.CELERY_TASK_ALWAYS_EAGER = True
    assert tasks.send_queued_notifications() == 2  # the submitter's and the contact's
    assert len(mail.outbox) >= 1 and entry.reference in mail.outbox[0].body
    assert set(Notification.objects.values_list("state", flat=True)) == {"sent"}


def test_cache_operations_share_one_redis_client():
    """Django made a redis-py client per operation (0.3 ms of CPU each); the pool is shared."""
    from portal.operations.cache import FailSafeRedisCache

    cache = FailSafeRedisCache("redis://127.0.0.1:1/0", {})
    assert cache._cache.get_client("a") is cache._cache.get_client("b", write=True)
