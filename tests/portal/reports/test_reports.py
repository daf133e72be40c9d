"""The report machinery (portal/reports/: requesting.py, building.py, tasks.py; the /reports/
pages)."""

import dataclasses
import datetime

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from portal.privacy.audit import AuditAction, events_for
from portal.reports import kinds, requesting, tasks
from portal.reports.models import Report
from portal.reports.tasks import MAX_RETRIES, build_report, purge_expired_reports
from tests.conftest import wait_until
from tests.factories import (
    CaseStudyFactory,
    EntryFactory,
    StaffFactory,
    UserFactory,
)
from tests.report_files import pdf_contains, private_storage  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


@pytest.fixture
def official():
    return UserFactory()


@pytest.fixture
def entry(official):
    return EntryFactory(agency=official.agency, title="ระบบนัดหมายออนไลน์ของโรงพยาบาล")


def ask(user, kind, value, callbacks):
    with callbacks(execute=True):
        return requesting.request_report(user, kind, value)


def test_asking_creates_a_report_that_the_worker_builds_after_commit(
    official, entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report, created = requesting.request_report(official, "entry", entry.pk)
        # Nothing is built inside the request's transaction.
        assert Report.objects.get(pk=report.pk).state == Report.State.QUEUED
    assert created and len(callbacks) == 1
    assert report.requested_by == official and report.parameters == {"entry": entry.pk}
    callbacks[0]()
    report.refresh_from_db()
    assert report.state == Report.State.READY
    assert report.finished_at and report.started_at and report.attempts == 1
    assert report.filename.endswith(".pdf") and report.content_type == "application/pdf"
    assert report.file.name.startswith(f"reports/{report.public_id}/")
    content = report.file.read()
    assert report.size == len(content)
    assert pdf_contains(content, "ระบบนัดหมายออนไลน์ของโรงพยาบาล")


def test_the_same_report_asked_twice_while_queued_is_built_once(
    official, entry, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first, created_first = requesting.request_report(official, "entry", entry.pk)
        second, created_second = requesting.request_report(official, "entry", str(entry.pk))
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Report.objects.count() == 1
    assert len(callbacks) == 1  # one task enqueued, not two


def test_the_database_refuses_a_second_pending_copy(official, entry):
    from django.db import IntegrityError, transaction

    print_ = kinds.fingerprint("entry", {"entry": entry.pk})
    Report.objects.create(kind="entry", parameters={}, fingerprint=print_, requested_by=official)
    with pytest.raises(IntegrityError), transaction.atomic():
        Report.objects.create(
            kind="entry", parameters={}, fingerprint=print_, requested_by=official
        )


def test_a_ready_report_can_be_asked_for_again(official, entry, django_capture_on_commit_callbacks):
    first, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    second, created = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    assert created and first.pk != second.pk


def test_a_delivered_twice_message_does_not_rebuild(
    official, entry, django_capture_on_commit_callbacks
):
    report, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    name, attempts = report.file.name, report.attempts
    assert build_report.delay(report.pk).get() == "skipped"
    report.refresh_from_db()
    assert (report.file.name, report.attempts) == (name, attempts)


def test_a_report_left_running_by_a_dead_worker_is_built_again(official, entry):
    print_ = kinds.fingerprint("entry", {"entry": entry.pk})
    report = Report.objects.create(
        kind="entry",
        parameters={"entry": entry.pk},
        fingerprint=print_,
        requested_by=official,
        state=Report.State.RUNNING,
        attempts=1,
    )
    build_report.delay(report.pk)
    report.refresh_from_db()
    assert report.state == Report.State.READY and report.attempts == 2


def test_a_builder_refusal_fails_the_report_with_its_message(
    official, entry, django_capture_on_commit_callbacks
):
    report, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    entry_id = entry.pk
    Report.objects.filter(pk=report.pk).update(state=Report.State.QUEUED, file="")
    entry.state_changes.all().delete()
    type(entry).objects.filter(pk=entry_id).delete()
    build_report.delay(report.pk)
    report.refresh_from_db()
    assert report.state == Report.State.FAILED
    assert report.error == "ไม่พบผลงานนี้"


def test_unexpected_errors_are_retried_then_fail(
    official, entry, monkeypatch, django_capture_on_commit_callbacks
):
    calls = []

    def broken(value):
        calls.append(value)
        raise OSError("disk full")

    kind = kinds.get_kind("entry")
    monkeypatch.setitem(kinds._registry, "entry", dataclasses.replace(kind, build=broken))
    report, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    report.refresh_from_db()
    assert len(calls) == MAX_RETRIES + 1
    assert report.state == Report.State.FAILED
    assert "disk full" in report.error


def test_purge_deletes_files_past_retention_and_keeps_recent_ones(
    official,
    entry,
    django_capture_on_commit_callbacks,
    private_storage,  # noqa: F811  (the fixture imported above)
):
    old, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    recent, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    old.refresh_from_db()
    recent.refresh_from_db()
    old_name = old.file.name
    Report.objects.filter(pk=old.pk).update(
        finished_at=timezone.now() - datetime.timedelta(days=settings.REPORT_RETENTION_DAYS + 1)
    )
    result = purge_expired_reports.delay().get()
    assert result["purged"] == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert old.state == Report.State.EXPIRED and not old.file
    assert not private_storage.exists(old_name)
    assert recent.state == Report.State.READY and private_storage.exists(recent.file.name)


def test_purge_is_scheduled_periodically():
    schedule = settings.CELERY_BEAT_SCHEDULE["portal.purge_expired_reports"]
    assert schedule["task"] == purge_expired_reports.name


def test_stale_queued_reports_are_sent_again(official, entry):
    report = Report.objects.create(
        kind="entry",
        parameters={"entry": entry.pk},
        fingerprint=kinds.fingerprint("entry", {"entry": entry.pk}),
        requested_by=official,
    )
    Report.objects.filter(pk=report.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    assert tasks.requeue_stale() == 1
    report.refresh_from_db()
    assert report.state == Report.State.READY


# --- Permissions ---------------------------------------------------------------------------------


def test_an_official_cannot_ask_for_another_agencys_entry(entry):
    stranger = UserFactory()
    with pytest.raises(kinds.ReportDenied):
        requesting.request_report(stranger, "entry", entry.pk)
    assert not Report.objects.exists()


@pytest.mark.parametrize("value", ["", "abc", "-1", "0", None, "1e9", "๑"])
def test_bad_parameters_are_refused_with_a_thai_message(official, entry, value):
    with pytest.raises(kinds.ReportError) as error:
        requesting.request_report(official, "entry", value)
    assert "ผลงาน" in str(error.value)


def test_unknown_kind_is_refused(official):
    with pytest.raises(kinds.ReportError):
        requesting.request_report(official, "no-such-kind", 1)


def test_only_the_secretariat_may_ask_for_the_compendium_and_the_results(official):
    CaseStudyFactory(year_be=2567)
    for kind, value in (("compendium", 2567), ("results", 1)):
        with pytest.raises(kinds.ReportDenied):
            requesting.request_report(official, kind, value)
    codes = {kind.code for kind in kinds.kinds_for(official)}
    assert "compendium" not in codes and "results" not in codes
    assert {"compendium", "results"} <= {kind.code for kind in kinds.kinds_for(StaffFactory())}


def test_pages_need_sign_in(client, official, entry, django_capture_on_commit_callbacks):
    report, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    for url in (
        reverse("reports:list"),
        reverse("reports:new", args=["entry"]),
        reverse("reports:detail", args=[report.public_id]),
        reverse("reports:download", args=[report.public_id]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_someone_else_cannot_see_or_download_a_report(
    client, official, entry, django_capture_on_commit_callbacks
):
    report, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    stranger = UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("reports:detail", args=[report.public_id])).status_code == 404
    assert client.get(reverse("reports:download", args=[report.public_id])).status_code == 404
    assert client.get(reverse("reports:list")).context["reports"].count() == 0
    # Both refusals are in the audit log; nothing was downloaded.
    assert [(e.actor, e.action) for e in events_for(report)] == [
        (stranger, AuditAction.DENIED),
        (stranger, AuditAction.DENIED),
    ]


def test_the_secretariat_may_download_an_entry_report(
    client, official, entry, django_capture_on_commit_callbacks
):
    report, _ = ask(official, "entry", entry.pk, django_capture_on_commit_callbacks)
    staff = StaffFactory()
    client.force_login(staff)
    assert client.get(reverse("reports:download", args=[report.public_id])).status_code == 200
    [event] = events_for(report)
    assert (event.actor, event.action) == (staff, AuditAction.DOWNLOAD)


def test_official_cannot_open_the_compendium_form(client, official):
    client.force_login(official)
    assert client.get(reverse("reports:new", args=["compendium"])).status_code == 404
    assert client.get(reverse("reports:new", args=["nope"])).status_code == 404


# --- Pages ---------------------------------------------------------------------------------------


def test_request_form_then_progress_then_download(
    client, official, entry, django_capture_on_commit_callbacks
):
    client.force_login(official)
    page = client.get(reverse("reports:new", args=["entry"]))
    assert page.status_code == 200
    assert f'<option value="{entry.pk}"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("reports:new", args=["entry"]), {"value": entry.pk})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.public_id])

    # While queued, the status fragment asks htmx to poll again.
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert "<html" not in html and 'hx-trigger="every 2s"' in html
    assert "รอคิว" in html
    assert client.get(reverse("reports:download", args=[report.public_id])).status_code == 404

    for callback in callbacks:
        callback()
    fragment = client.get(response["Location"], headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment  # polling stops
    assert reverse("reports:download", args=[report.public_id]) in fragment

    download = client.get(reverse("reports:download", args=[report.public_id]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["Cache-Control"] == "private, no-store"
    assert pdf_contains(b"".join(download.streaming_content), entry.title)

    listing = client.get(reverse("reports:list")).content.decode()
    assert report.filename in listing and "พร้อมดาวน์โหลด" in listing


def test_bad_choice_shows_the_error_next_to_the_field_and_in_a_summary(client, official, entry):
    client.force_login(official)
    response = client.post(reverse("reports:new", args=["entry"]), {"value": "abc"})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'class="error-summary"' in html and 'class="field-error"' in html
    assert "กรุณาเลือกผลงานที่สมัคร" in html
    assert not Report.objects.exists()


def test_asking_twice_through_the_page_says_it_is_already_under_way(
    client, official, entry, django_capture_on_commit_callbacks
):
    client.force_login(official)
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("reports:new", args=["entry"]), {"value": entry.pk})
        response = client.post(
            reverse("reports:new", args=["entry"]), {"value": entry.pk}, follow=True
        )
    assert Report.objects.count() == 1
    assert "กำลังจัดทำอยู่แล้ว" in response.content.decode()


def test_failed_report_page_shows_the_error(client, official, entry):
    report = Report.objects.create(
        kind="entry",
        parameters={"entry": entry.pk},
        fingerprint="x",
        requested_by=official,
        state=Report.State.FAILED,
        error="ไม่พบผลงานนี้",
        finished_at=timezone.now(),
    )
    client.force_login(official)
    html = client.get(reverse("reports:detail", args=[report.public_id])).content.decode()
    assert "ไม่สำเร็จ" in html and "ไม่พบผลงานนี้" in html and "hx-trigger" not in html


# --- A real worker ------------------------------------------------------------------------------


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_report(celery_worker_process, official, entry):
    report, _ = requesting.request_report(official, "entry", entry.pk)
    ready = wait_until(
        lambda: Report.objects.filter(pk=report.pk, state=Report.State.READY).exists(), 90
    )
    assert ready, Report.objects.get(pk=report.pk).error


def test_staff_ask_for_a_report_in_the_admin(client, django_capture_on_commit_callbacks):
    case = CaseStudyFactory(title="ผลงานจากหน้าผู้ดูแลระบบ")
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    bad = client.post("/admin/portal/report/add/", {"kind": "case_study", "value": "x"})
    assert bad.status_code == 200 and "กรุณาเลือก" in bad.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            "/admin/portal/report/add/", {"kind": "case_study", "value": case.pk}
        )
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.public_id])
    report.refresh_from_db()
    assert report.requested_by == staff and report.state == Report.State.READY
    listing = client.get("/admin/portal/report/").content.decode()
    assert str(report.parameters["case_study"]) in listing
