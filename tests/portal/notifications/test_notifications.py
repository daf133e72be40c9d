"""The notification machinery (portal/notifications): rows queued in the caller's
transaction and sent after commit, once per occasion, retried, in the recipient's language;
templates with checked placeholders; the inbox and the staff outbox."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from portal.notifications import delivery, kinds, sending
from portal.notifications.models import Notification, NotificationTemplate, parse_days
from tests.factories import AdminAssessorFactory, AdminStaffFactory, CycleFactory, UserFactory

from .mail_servers import FlakyBackend

pytestmark = pytest.mark.django_db

# A kind of the tests' own, about a cycle (any model would do).
KIND = kinds.register(
    kinds.NotificationKind(
        code="test_notice",
        label="การแจ้งเตือนทดสอบ",
        audience="ผู้ทดสอบ",
        subject="เรื่องทดสอบ ปี {cycle_year}",
        body="เรียน {recipient_name}\nปีรางวัล {cycle_year}",
        placeholders={"cycle_year": "ปี"},
        values=lambda cycle, recipient: {"cycle_year": str(cycle.year_be)},
        sample=lambda: CycleFactory(),
    )
)


def tell(user, cycle, occasion=""):
    return sending.notify("test_notice", cycle, [sending.Recipient.of_user(user)], occasion)


def test_sent_after_commit_once_and_recorded(django_capture_on_commit_callbacks):
    user, cycle = UserFactory(), CycleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        [row] = tell(user, cycle)
        assert mail.outbox == []  # nothing before commit
        assert tell(user, cycle) == []  # the same occasion again: not queued twice
    row.refresh_from_db()
    assert (row.state, row.attempts, row.sent_at is not None) == ("sent", 1, True)
    [message] = mail.outbox
    assert message.to == [user.email] and message.subject == "เรื่องทดสอบ ปี 2570"
    assert delivery.deliver(row.pk) == "skipped"  # a message delivered twice sends one e-mail
    assert len(mail.outbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert len(tell(user, cycle, occasion="next-round")) == 1  # another occasion: told
    assert len(mail.outbox) == 2


def test_nothing_is_queued_or_sent_when_the_change_rolls_back(django_capture_on_commit_callbacks):
    user, cycle = UserFactory(), CycleFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            tell(user, cycle)
            raise RuntimeError("the change failed")
    assert callbacks == [] and not Notification.objects.exists() and mail.outbox == []


@override_settings(EMAIL_BACKEND="tests.portal.notifications.mail_servers.FlakyBackend")
def test_a_failing_mail_server_is_retried_and_the_row_says_so(django_capture_on_commit_callbacks):
    user, cycle = UserFactory(), CycleFactory()
    FlakyBackend.failures_left = 2
    with django_capture_on_commit_callbacks(execute=True):
        [row] = tell(user, cycle)
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("sent", 3)
    assert "SMTPServerDisconnected" in row.last_error  # the earlier failures are recorded
    assert len(mail.outbox) == 1


@override_settings(EMAIL_BACKEND="tests.portal.notifications.mail_servers.FlakyBackend")
def test_a_mail_server_that_never_answers_fails_the_row_and_staff_resend_it(
    client, django_capture_on_commit_callbacks
):
    user, cycle = UserFactory(), CycleFactory()
    FlakyBackend.failures_left = 99
    with django_capture_on_commit_callbacks(execute=True):
        [row] = tell(user, cycle)
    row.refresh_from_db()
    assert (row.state, row.attempts) == ("failed", delivery.MAX_ATTEMPTS)
    assert "Connection unexpectedly closed" in row.last_error and mail.outbox == []

    FlakyBackend.failures_left = 0  # the server is back: staff resend from the outbox
    client.force_login(AdminStaffFactory())
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:portal_notification_changelist"),
            {"action": "resend", "_selected_action": [row.pk]},
        )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.state == "sent" and len(mail.outbox) == 1


def test_a_lost_message_is_sent_by_the_periodic_repair(
    monkeypatch, django_capture_on_commit_callbacks
):
    from kombu.exceptions import OperationalError

    from portal.notifications import tasks

    user, cycle = UserFactory(), CycleFactory()

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to redis")

    with monkeypatch.context() as patched:
        patched.setattr(tasks.send_notification, "delay", broker_down)
        with django_capture_on_commit_callbacks(execute=True):  # the change still commits
            [row] = tell(user, cycle)
    assert Notification.objects.get(pk=row.pk).state == "queued" and mail.outbox == []
    assert tasks.send_queued_notifications() == 0  # not yet stale
    Notification.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - delivery.STALE_AFTER - datetime.timedelta(minutes=1)
    )
    assert tasks.send_queued_notifications() == 1
    assert Notification.objects.get(pk=row.pk).state == "sent" and len(mail.outbox) == 1
    assert tasks.send_queued_notifications() == 0  # sent: not again


def test_each_recipient_is_written_to_in_their_language(django_capture_on_commit_callbacks):
    thai, english, cycle = UserFactory(), UserFactory(language="en"), CycleFactory()
    NotificationTemplate.objects.create(
        kind="test_notice",
        language="en",
        subject="Test notice {cycle_year}",
        body="Dear {recipient_name}",
    )
    with django_capture_on_commit_callbacks(execute=True):
        sending.notify("test_notice", cycle, map(sending.Recipient.of_user, [thai, english]))
    by_address = {message.to[0]: message for message in mail.outbox}
    assert by_address[thai.email].subject == "เรื่องทดสอบ ปี 2570"
    assert by_address[english.email].subject == "Test notice 2570"
    assert Notification.objects.get(email=english.email).language == "en"


def test_placeholders_are_checked():
    kinds.check_template(KIND, "ปี {cycle_year}", "{recipient_name} {site_url} {{ตามตัว}}")
    with pytest.raises(kinds.TemplateError, match=r"ไม่รู้จักตัวแทนข้อความ \{nope\}"):
        kinds.check_template(KIND, "ปี {cycle_year}", "{nope}")
    with pytest.raises(kinds.TemplateError, match="วงเล็บปีกกา"):
        kinds.check_template(KIND, "ปี {cycle_year", "")
    for bad in ["{cycle_year.__class__}", "{cycle_year!r}", "{cycle_year:>10}", "{0}"]:
        with pytest.raises(kinds.TemplateError, match="ไม่ถูกต้อง"):
            kinds.check_template(KIND, bad, "")


def test_every_shipped_default_uses_only_its_own_placeholders_in_both_languages():
    from django.utils import translation

    import awards.notices  # noqa: F401

    assert {kind.code for kind in kinds.all_kinds()} >= {
        "entry_submitted", "assessor_assigned", "entry_reopened", "entry_shortlisted",
        "site_visit_scheduled", "site_visit_changed", "result_announced",
        "deadline_approaching", "score_sheet_due", "score_sheet_overdue", "staff_digest",
    }  # fmt: skip
    for kind in kinds.all_kinds():
        for language in ("th", "en"):
            with translation.override(language):
                kinds.check_template(kind, str(kind.subject), str(kind.body))


def test_staff_template_with_an_unknown_placeholder_is_refused_and_nothing_saved(client):
    client.force_login(AdminStaffFactory())
    url = reverse("admin:portal_notificationtemplate_add")
    form = {"kind": "test_notice", "language": "th", "subject": "ปี {cycle_year}"}
    response = client.post(url, {**form, "body": "เรียน {agency_name}"})
    assert response.status_code == 200
    assert "ไม่รู้จักตัวแทนข้อความ {agency_name}" in response.content.decode()
    assert not NotificationTemplate.objects.exists()

    response = client.post(url, {**form, "body": "เรียน {recipient_name}"})
    assert response.status_code == 302
    template = NotificationTemplate.objects.get()
    assert template.history.count() == 1  # who changed the wording, and when
    page = client.get(reverse("admin:portal_notificationtemplate_change", args=[template.pk]))
    content = page.content.decode()
    assert "ปี 2570" in content and "{cycle_year}" in content  # preview with real data; the names


def test_the_outbox_is_the_secretariats_only(client):
    user, cycle = UserFactory(), CycleFactory()
    tell(user, cycle)
    url = reverse("admin:portal_notification_changelist")
    client.force_login(AdminAssessorFactory())
    assert client.get(url).status_code == 403
    client.force_login(AdminStaffFactory())
    response = client.get(url, {"state": "queued", "q": user.email})
    assert response.status_code == 200 and "เรื่องทดสอบ ปี 2570" in response.content.decode()
    assert "เรื่องทดสอบ" not in client.get(url, {"state": "sent"}).content.decode()


def test_the_inbox_shows_ones_own_with_the_unread_count_and_marks_read_on_open(client):
    user, other, cycle = UserFactory(), UserFactory(), CycleFactory()
    [mine] = tell(user, cycle)
    [theirs] = tell(other, cycle)
    client.force_login(user)
    home = client.get("/").content.decode()
    assert "การแจ้งเตือน" in home and 'class="badge unread-count">1<' in home
    inbox = client.get(reverse("notifications:inbox")).content.decode()
    assert "เรื่องทดสอบ ปี 2570" in inbox and "ยังไม่อ่าน" in inbox
    assert client.get(reverse("notifications:detail", args=[theirs.pk])).status_code == 404
    page = client.get(reverse("notifications:detail", args=[mine.pk]))
    assert page.status_code == 200 and "ปีรางวัล 2570" in page.content.decode()
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None and theirs.read_at is None
    assert "unread-count" not in client.get("/").content.decode()
    client.logout()
    assert client.get(reverse("notifications:inbox")).status_code == 302  # sign in first


def test_signing_in_remembers_the_language_for_notifications(client):
    from django.utils import translation

    from tests.factories import PASSWORD

    user = UserFactory()
    client.cookies["django_language"] = "en"
    # The middleware activates English in this thread: put Thai back for the tests after.
    with translation.override("th"):
        client.post(reverse("portal:login"), {"username": user.username, "password": PASSWORD})
    user.refresh_from_db()
    assert user.language == "en"


def test_reminder_schedules():
    assert parse_days("1, 14,7") == (14, 7, 1)
    for bad in ["", "x", "-1", "๗", "400"]:
        with pytest.raises(ValueError):
            parse_days(bad)
    schedule = (14, 7, 1)
    assert [sending.reminder_due(days, schedule) for days in (20, 14, 10, 7, 5, 1, 0, -1)] == [
        None, 14, 14, 7, 7, 1, 1, None
    ]  # fmt: skip


def test_a_persons_notifications_are_in_their_data_and_go_with_a_closed_account():
    from portal.privacy import pdpa

    user, cycle = UserFactory(), CycleFactory()
    tell(user, cycle)
    data = pdpa.personal_data(user)
    assert [row["subject"] for row in data["notifications"]] == ["เรื่องทดสอบ ปี 2570"]
    closure = pdpa.request_closure(user)
    assert pdpa.anonymise(closure.pk, now=timezone.now() + datetime.timedelta(days=365))
    assert not Notification.objects.exists()
