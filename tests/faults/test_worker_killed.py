"""A Celery worker dies in the middle of a task (the OOM killer, a host restart, `kill -9`):
the task's message was only taken, not acknowledged (acks_late), so the work is done again
and the result is the same as if nothing had happened.

Two ways to die, two ways back:
- a pool process killed (prefork): the worker sees its child lost and puts the message back
  at once (task_reject_on_worker_lost) — a new child builds the report;
- the whole worker killed (no goodbye to the broker): the message stays "unacked" in Redis
  until the visibility timeout, then the next worker to start takes it again.

Each test has a private redis-server as broker (the session's worker, on the shared broker,
never sees these messages) and real workers on the tests' PostgreSQL database."""

import os
import shutil
import signal
import time

import pytest
from django.conf import settings

from cases import search
from cases.models import SearchDocument
from portal.reports import requesting
from portal.reports.models import Report
from tests.conftest import ROOT, wait_until
from tests.factories import BranchFactory, CaseStudyFactory, StaffFactory
from tests.processes import (
    celery_publishing_to,
    children,
    free_port,
    start_celery_worker,
    start_redis,
    stop,
    worker_env,
)
from tests.report_files import pdf_contains, pdf_reader

pytestmark = [
    pytest.mark.worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

VISIBILITY_TIMEOUT = 3  # seconds, for these workers only (production: 3600)
LOG = ROOT / "var"


@pytest.fixture
def broker(settings):
    """A private broker; the test process publishes to it, its workers consume from it."""
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        if os.environ.get("REQUIRE_WORKER"):
            pytest.fail("REQUIRE_WORKER is set but the tests' database is not PostgreSQL")
        pytest.skip("a worker process needs PostgreSQL (it can't share SQLite's test database)")
    port = free_port()
    redis = start_redis(port)
    url = f"redis://127.0.0.1:{port}/0"
    workers = []

    def start_worker(pool="solo"):
        env = worker_env(
            settings.DATABASES["default"],
            CELERY_BROKER_URL=url,
            REDIS_URL="",
            CELERY_VISIBILITY_TIMEOUT=VISIBILITY_TIMEOUT,
        )
        worker = start_celery_worker(
            env, LOG / f"fault-worker-{len(workers)}.log", pool=pool, name=f"fault{len(workers)}"
        )
        workers.append(worker)
        return worker

    with celery_publishing_to(url):
        yield start_worker
    for worker in workers:
        stop(worker, signal.SIGKILL)
    stop(redis)


def log_of(worker) -> str:
    return open(worker.log_file.name, encoding="utf-8", errors="replace").read()


def test_worker_killed_while_indexing_a_case_indexes_it_when_a_worker_returns(broker):
    first = broker("solo")
    # A long story, so indexing (segmenting ~300,000 Thai letters) takes seconds: long
    # enough to be killed in the middle.
    paragraph = "ชุมชนร่วมกันพัฒนาระบบบริการประชาชนแบบเบ็ดเสร็จเพื่อลดขั้นตอนและระยะเวลารอคอย "
    case = CaseStudyFactory(
        title="ระบบประปาหมู่บ้านผาแดงหลวง",
        body=paragraph * 4_000 + "ตู้น้ำดื่มสะอาดพลังงานแสงอาทิตย์",
    )  # committed: the index task is now on the private broker
    assert wait_until(lambda: "index_case_study" in log_of(first), 30), log_of(first)
    time.sleep(0.5)
    os.kill(first.pid, signal.SIGKILL)  # no warm shutdown: the message stays unacked
    first.wait()
    assert not SearchDocument.objects.filter(case_study=case).exists(), (
        "the task finished before the kill; make the story longer"
    )

    # A worker restores, when it starts, the messages unacked for longer than the visibility
    # timeout: start it once that has passed (else it waits for its next periodic restore).
    time.sleep(VISIBILITY_TIMEOUT + 1)
    second = broker("solo")
    indexed = wait_until(
        lambda: SearchDocument.objects.filter(case_study=case, lesson=None).exists(), 180
    )
    assert indexed, log_of(second)
    assert SearchDocument.objects.filter(case_study=case, lesson=None).count() == 1
    found = search.search_cases(search.parse("ตู้น้ำดื่มสะอาด"))
    assert list(found.values_list("case_study_id", flat=True)) == [case.pk]


def test_pool_process_killed_while_building_a_report_builds_it_again(broker):
    branch = BranchFactory()
    titles = [f"ผลงานต้นแบบลำดับที่ {n} ด้านการบริการประชาชน" for n in range(1, 16)]
    for title in titles:
        CaseStudyFactory(
            title=title, year_be=2567, branch=branch, award_level="good",
            body="การพัฒนาบริการประชาชนอย่างต่อเนื่อง " * 300,
        )  # fmt: skip
    worker = broker("prefork")
    report, _ = requesting.request_report(StaffFactory(), "compendium", 2567)

    running = wait_until(
        lambda: Report.objects.filter(pk=report.pk, state=Report.State.RUNNING).exists(), 60
    )
    assert running, log_of(worker)
    (pool_process,) = children(worker.pid)
    os.kill(pool_process, signal.SIGKILL)
    report.refresh_from_db()
    assert report.state == Report.State.RUNNING and not report.file, "built before the kill"

    ready = wait_until(
        lambda: Report.objects.filter(pk=report.pk, state=Report.State.READY).exists(), 180
    )
    report.refresh_from_db()
    assert ready, (report.state, report.error, log_of(worker))
    try:
        assert report.attempts == 2  # killed once, built once
        content = report.file.read()
        assert pdf_contains(content, *titles)
        assert len(pdf_reader(content).outline) >= len(titles)
        assert "WorkerLostError" in log_of(worker)
        assert Report.objects.count() == 1
    finally:
        report.file.delete(save=False)


def test_the_default_visibility_timeout_outlasts_the_longest_task():
    # The production value must outlast the longest task, or a slow report is started twice.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] >= 600
