import datetime
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from awards import submission
from awards.models import Entry, EntryState, EntryStateChange
from awards.submission import SubmissionError, change_state, mark_submitted
from portal.notifications.models import Notification
from tests.awards.entry_helpers import close_cycle, complete, private_files  # noqa: F401
from tests.factories import (
    AgencyFactory,
    CategoryFactory,
    EntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def own_contact(entry):
    """The submitter is the entry's contact person: one confirmation, to one address."""
    entry.answers = {**entry.answers, "contact_email": entry.created_by.email}
    entry.save()
    return entry


def test_references_count_up_per_cycle():
    category = CategoryFactory()
    first = mark_submitted(EntryFactory(category=category), by=None)
    second = mark_submitted(EntryFactory(category=category), by=None)
    assert (first.reference, second.reference) == ("LR-2570-000001", "LR-2570-000002")


def test_every_state_change_is_recorded():
    entry = mark_submitted(EntryFactory(), by=None)
    change_state(entry, EntryState.SCREENING, by=None, note="เริ่มกลั่นกรอง")
    assert list(entry.state_changes.values_list("from_state", "to_state")) == [
        ("draft", "submitted"),
        ("submitted", "screening"),
    ]


def test_a_transition_the_rules_do_not_allow_is_refused():
    entry = EntryFactory()
    with pytest.raises(SubmissionError):
        change_state(entry, EntryState.AWARDED, by=None)
    entry.refresh_from_db()
    assert entry.state == EntryState.DRAFT
    assert not entry.state_changes.exists()


# --- Sections, saving, submitting, withdrawing, reopening ---


def status_of(entry, key):
    return submission.section_status(entry, submission.section_by_key(entry, key))


def test_a_section_is_not_started_in_progress_then_completed():
    entry = EntryFactory(title="", summary="", contact_name="", contact_email="", contact_phone="")
    assert status_of(entry, "basic") == "not_started"
    submission.save_section(entry, "basic", {"title": "ชื่อผลงาน", "summary": ""}, entry.created_by)
    entry.refresh_from_db()
    assert status_of(entry, "basic") == "in_progress"
    submission.save_section(entry, "basic", {"summary": "สรุป"}, entry.created_by)
    entry.refresh_from_db()
    assert status_of(entry, "basic") == "completed"
    # An optional field alone does not complete a section.
    submission.save_section(entry, "contact", {"contact_position": "นักวิเคราะห์"}, None)
    entry.refresh_from_db()
    assert status_of(entry, "contact") == "in_progress"
    assert status_of(entry, "sdgs") == "not_started"
    assert status_of(entry, "attachments") == "not_started"


def test_saving_keeps_html_as_text():
    entry = EntryFactory()
    script = "<script>alert('x')</script> & <b>ตัวหนา</b>"
    submission.save_section(entry, "problem", {"problem": script}, entry.created_by)
    entry.refresh_from_db()
    assert entry.answers.get("problem") == script


def test_text_longer_than_the_limit_is_refused_by_the_rule_itself():
    entry = EntryFactory()
    with pytest.raises(SubmissionError):
        submission.save_section(entry, "basic", {"summary": "ก" * 1501}, entry.created_by)
    entry.refresh_from_db()
    assert entry.answers.get("summary") == "สรุปผลงาน"


def test_after_the_deadline_a_draft_is_read_only():
    entry = close_cycle(EntryFactory())
    assert "ปิดรับสมัครแล้ว" in submission.editing_refusal(entry)
    with pytest.raises(SubmissionError, match="ปิดรับสมัครแล้ว"):
        submission.save_section(entry, "problem", {"problem": "แก้"}, entry.created_by)
    entry.refresh_from_db()
    assert entry.answers.get("problem") == "สภาพปัญหา"


def test_a_submitted_entry_is_frozen():
    entry = submission.submit(complete(EntryFactory()), by=None)
    with pytest.raises(SubmissionError, match="แก้ไขไม่ได้"):
        submission.save_section(entry, "problem", {"problem": "แก้เงียบ ๆ"}, entry.created_by)
    entry.refresh_from_db()
    assert entry.answers.get("problem") == "สภาพปัญหา"


def test_submit_refuses_an_incomplete_entry_and_names_the_sections():
    entry = EntryFactory(partners="")
    with pytest.raises(submission.IncompleteEntry) as refused:
        submission.submit(entry, entry.created_by)
    keys = [section.key for section in refused.value.sections]
    assert keys == ["partners", "sdgs", "attachments"]
    entry.refresh_from_db()
    assert (entry.state, entry.reference, entry.state_changes.count()) == ("draft", None, 0)


def test_submit_gives_a_reference_records_the_change_and_emails_after_commit(
    django_capture_on_commit_callbacks,
):
    entry = complete(EntryFactory(contact_email="contact@example.go.th"))
    with django_capture_on_commit_callbacks(execute=True):
        entry = submission.submit(entry, entry.created_by)
        assert mail.outbox == []  # queued as rows; sent only after commit (one per recipient)
    assert entry.state == "submitted" and entry.reference == "LR-2570-000001"
    change = entry.state_changes.get()
    assert (change.from_state, change.to_state, change.changed_by) == (
        "draft",
        "submitted",
        entry.created_by,
    )
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [entry.created_by.email, "contact@example.go.th"]
    )
    for message in mail.outbox:
        assert "LR-2570-000001" in message.subject and "LR-2570-000001" in message.body
        assert str(entry.public_id) in message.body
    rows = Notification.objects.filter(kind="entry_submitted", object_id=entry.pk)
    assert {row.state for row in rows} == {"sent"} and rows.count() == 2


def test_submitting_twice_is_one_submission(django_capture_on_commit_callbacks):
    entry = complete(own_contact(EntryFactory()))
    with django_capture_on_commit_callbacks(execute=True):
        first = submission.submit(entry, entry.created_by)
        second = submission.submit(entry, entry.created_by)
    assert first.reference == second.reference
    assert EntryStateChange.objects.filter(entry=entry).count() == 1
    assert len(mail.outbox) == 1


def test_a_resubmission_after_a_reopen_is_confirmed_again(django_capture_on_commit_callbacks):
    entry = complete(own_contact(EntryFactory()))
    with django_capture_on_commit_callbacks(execute=True):
        entry = submission.submit(entry, entry.created_by)
    staff = StaffFactory()
    submission.reopen(entry, staff, timezone.now() + datetime.timedelta(days=3), "แก้ตัวชี้วัด")
    with django_capture_on_commit_callbacks(execute=True):
        submission.submit(Entry.objects.get(pk=entry.pk), entry.created_by)
    kinds = [row.kind for row in Notification.objects.order_by("pk")]
    assert kinds == ["entry_submitted", "entry_reopened", "entry_submitted"]


def test_submit_after_the_deadline_is_refused():
    entry = close_cycle(complete(EntryFactory()))
    with pytest.raises(SubmissionError, match="ปิดรับสมัครแล้ว"):
        submission.submit(entry, entry.created_by)
    entry.refresh_from_db()
    assert entry.state == "draft" and entry.reference is None


def test_the_clock_is_read_after_the_lock_so_a_submission_racing_the_deadline_loses():
    """A request that started before the deadline but got the lock after it is refused."""
    entry = complete(EntryFactory())
    closes = entry.category.cycle.applications_close_at
    with pytest.raises(SubmissionError, match="ปิดรับสมัครแล้ว"):
        submission.submit(entry, entry.created_by, clock=lambda: closes)
    just_before = closes - datetime.timedelta(microseconds=1)
    entry = submission.submit(entry, entry.created_by, clock=lambda: just_before)
    assert entry.submitted_at == just_before


def test_withdraw_until_screening_starts_and_it_is_recorded():
    official = UserFactory()
    entry = submission.submit(complete(EntryFactory(agency=official.agency)), official)
    submission.withdraw(entry, official, note="ขอส่งปีหน้า")
    entry.refresh_from_db()
    assert entry.state == "withdrawn"
    last = entry.state_changes.last()
    assert (last.from_state, last.to_state, last.changed_by, last.note) == (
        "submitted",
        "withdrawn",
        official,
        "ขอส่งปีหน้า",
    )


def test_no_withdrawal_once_screening_started():
    entry = submission.submit(complete(EntryFactory()), None)
    cycle = entry.category.cycle
    cycle.screening_starts_on = timezone.localdate()
    cycle.save()
    entry.refresh_from_db()
    with pytest.raises(SubmissionError, match="ถอนใบสมัคร"):
        submission.withdraw(entry, None)
    change_state(entry, "screening", by=None)
    cycle.screening_starts_on = None
    cycle.save()
    with pytest.raises(SubmissionError):
        submission.withdraw(Entry.objects.get(pk=entry.pk), None)


def test_staff_reopen_is_recorded_and_lets_the_agency_edit_and_resubmit_after_the_deadline():
    staff = StaffFactory()
    entry = submission.submit(complete(EntryFactory()), None)
    reference = entry.reference
    close_cycle(entry)
    until = timezone.now() + datetime.timedelta(days=3)
    with pytest.raises(SubmissionError):
        submission.reopen(entry, UserFactory(), until, "ขอแก้ไข")  # an official may not
    with pytest.raises(SubmissionError, match="เหตุผล"):
        submission.reopen(entry, staff, until, "")
    entry = submission.reopen(entry, staff, until, "แก้ไขตัวเลขผลลัพธ์ตามหนังสือหน่วยงาน")
    change = entry.state_changes.last()
    assert (change.from_state, change.to_state, change.changed_by) == ("submitted", "draft", staff)
    assert change.note == "แก้ไขตัวเลขผลลัพธ์ตามหนังสือหน่วยงาน"
    submission.save_section(entry, "results", {"results": "ผลลัพธ์ใหม่"}, entry.created_by)
    entry = submission.submit(Entry.objects.get(pk=entry.pk), entry.created_by)
    assert entry.state == "submitted" and entry.reference == reference


def test_create_entry_with_the_same_token_twice_is_one_entry():
    official = UserFactory()
    category = CategoryFactory()
    token = uuid.uuid4()
    first = submission.create_entry(category, official.agency, official, public_id=token)
    second = submission.create_entry(category, official.agency, official, public_id=token)
    assert first.pk == second.pk and Entry.objects.count() == 1
    with pytest.raises(SubmissionError):  # another agency replaying the token gets nothing
        submission.create_entry(category, AgencyFactory(), official, public_id=token)


def test_create_entry_refuses_a_closed_cycle_and_a_user_without_agency():
    category = CategoryFactory()
    cycle = category.cycle
    cycle.applications_open_at = timezone.now() - datetime.timedelta(days=60)
    cycle.applications_close_at = timezone.now() - datetime.timedelta(days=1)
    cycle.save()
    official = UserFactory()
    with pytest.raises(SubmissionError, match="ไม่ได้เปิดรับสมัคร"):
        submission.create_entry(category, official.agency, official)
    with pytest.raises(SubmissionError):
        submission.create_entry(CategoryFactory(), None, official)
    assert not Entry.objects.exists()


def test_next_milestone_for_the_dashboard():
    entry = EntryFactory()
    label, when = submission.next_milestone(entry)
    assert label == "ปิดรับสมัคร" and when == entry.category.cycle.applications_close_at


@pytest.mark.django_db(transaction=True)
def test_concurrent_submits_make_one_submission_and_distinct_references():
    """Several requests at once (double clicks, two colleagues): one state change per entry,
    and two entries never share a reference. Real row locks: PostgreSQL only."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (row locks across connections)")
    import threading

    category = CategoryFactory()
    entries = [complete(EntryFactory(category=category)) for _ in range(3)]
    barrier = threading.Barrier(6)
    errors = []

    def submit_one(entry):
        try:
            barrier.wait()
            submission.submit(Entry.objects.get(pk=entry.pk), entry.created_by)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit_one, args=(e,)) for e in entries for _ in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    references = sorted(Entry.objects.values_list("reference", flat=True))
    assert references == ["LR-2570-000001", "LR-2570-000002", "LR-2570-000003"]
    assert EntryStateChange.objects.count() == 3


def test_a_broker_down_at_submission_loses_nothing(django_capture_on_commit_callbacks, monkeypatch):
    """The submission is saved and answered; the periodic repair sends the e-mail later."""
    from kombu.exceptions import OperationalError

    from portal.notifications import delivery, tasks

    entry = complete(own_contact(EntryFactory()))

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.send_notification, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            entry = submission.submit(entry, entry.created_by)
    entry.refresh_from_db()
    assert entry.state == "submitted" and mail.outbox == []
    assert tasks.send_queued_notifications.delay().get() == 0  # within the grace period
    Notification.objects.update(
        created_at=timezone.now() - delivery.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    assert tasks.send_queued_notifications.delay().get() == 1
    assert len(mail.outbox) == 1 and entry.reference in mail.outbox[0].subject
    assert tasks.send_queued_notifications.delay().get() == 0  # sent: not again


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_sends_the_confirmation(celery_worker_process):
    from tests.conftest import wait_until

    entry = complete(EntryFactory())
    submission.submit(entry, entry.created_by)  # autocommit: enqueued at once
    sent = wait_until(
        lambda: Notification.objects.filter(
            kind="entry_submitted", object_id=entry.pk, state="sent"
        ).exists()
    )
    assert sent
