"""PDPA: the versioned notice and its acknowledgement, a user's copy of their data, closing
an account, anonymising it after the retention period with the award records intact, and
the audit log."""

import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from rest_framework.authtoken.models import Token

from awards.models import Entry, Score
from portal.accounts.models import MembershipRequest, User
from portal.privacy import pdpa
from portal.privacy.audit import events_for, record_access
from portal.privacy.models import AccountClosure, AuditAction, AuditEvent, PrivacyAcknowledgement
from portal.privacy.tasks import anonymise_closed_accounts
from tests.factories import PASSWORD, EntryFactory, ScoreFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- The notice ------------------------------------------------------------------------------


def test_the_notice_is_public_thai_and_versioned(client):
    response = client.get(reverse("privacy:notice"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "ประกาศความเป็นส่วนตัว" in html
    assert f"ฉบับที่ {pdpa.current_notice().version}" in html
    assert "พ.ศ. 2562" in html and "2569" in html  # B.E. effective date
    version = pdpa.current_notice().version
    assert client.get(reverse("privacy:notice_version", args=[version])).status_code == 200
    assert client.get(reverse("privacy:notice_version", args=["1999.9"])).status_code == 404


def test_every_page_links_to_the_notice(client):
    assert reverse("privacy:notice") in client.get("/").content.decode()


def test_acknowledgement_is_stored_once_per_version():
    user = UserFactory()
    first = pdpa.record_acknowledgement(user)
    again = pdpa.record_acknowledgement(user)
    assert first.pk == again.pk
    assert first.notice_version == pdpa.current_notice().version
    assert pdpa.has_acknowledged_current(user)
    with pytest.raises(ValueError):
        pdpa.record_acknowledgement(user, "0000.0")


def test_a_user_acknowledges_the_current_notice_from_their_page(client):
    user = UserFactory()
    client.force_login(user)
    page = client.get(reverse("privacy:my_data")).content.decode()
    assert reverse("privacy:acknowledge") in page
    assert client.get(reverse("privacy:acknowledge")).status_code == 405
    client.post(reverse("privacy:acknowledge"))
    assert PrivacyAcknowledgement.objects.filter(user=user).count() == 1
    assert (
        reverse("privacy:acknowledge")
        not in client.get(reverse("privacy:my_data")).content.decode()
    )


# --- My data ---------------------------------------------------------------------------------


def test_a_user_downloads_their_own_data_as_json(client):
    user = UserFactory(first_name="สมศรี", last_name="ใจดี", phone="081 234 5678")
    EntryFactory(created_by=user, agency=user.agency, title="ผลงานของสมศรี")
    EntryFactory(title="ผลงานของคนอื่น")
    pdpa.record_acknowledgement(user)
    client.force_login(user)
    response = client.get(reverse("privacy:download"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "attachment" in response["Content-Disposition"]
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    data = json.loads(response.content)
    assert data["account"]["email"] == user.email
    assert data["account"]["first_name"] == "สมศรี"
    assert data["account"]["phone"] == "081 234 5678"
    assert [e["title"] for e in data["entries_created"]] == ["ผลงานของสมศรี"]
    assert data["privacy_acknowledgements"][0]["notice_version"] == pdpa.current_notice().version
    # The download itself is in the audit log.
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.EXPORT).count() == 1


def test_nobody_downloads_someone_elses_data(client):
    someone = UserFactory(email="someone@example.go.th")
    me = UserFactory()
    client.force_login(me)
    body = client.get(reverse("privacy:download"), {"user": someone.pk}).content.decode()
    assert someone.email not in body and me.email in body


@pytest.mark.parametrize("name", ["my_data", "download", "close_account"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(f"privacy:{name}"))
    assert response.status_code == 302
    assert reverse("portal:login") in response["Location"]


# --- Closing an account --------------------------------------------------------------------------


def test_closing_needs_the_password_and_a_confirmation_and_keeps_what_was_typed(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("privacy:close_account"), {"reason": "ย้ายหน่วยงาน", "password": "wrong"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "รหัสผ่านไม่ถูกต้อง" in html
    assert "โปรดยืนยันว่าต้องการปิดบัญชี" in html
    assert "error-summary" in html
    assert "ย้ายหน่วยงาน" in html
    user.refresh_from_db()
    assert user.is_active and not AccountClosure.objects.exists()


def test_closing_an_account_ends_sign_in_sessions_and_tokens_at_once(client):
    user = UserFactory()
    token = Token.objects.create(user=user)
    other_browser = Client()
    other_browser.force_login(user)
    client.force_login(user)
    response = client.post(
        reverse("privacy:close_account"),
        {"reason": "เกษียณอายุราชการ", "password": PASSWORD, "confirm": "on"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("privacy:closed")
    user.refresh_from_db()
    assert not user.is_active and not user.has_usable_password()
    closure = AccountClosure.objects.get(user=user)
    assert closure.reason == "เกษียณอายุราชการ" and closure.anonymised_at is None
    assert SESSION_KEY not in client.session
    # The session in another browser no longer authenticates either.
    assert other_browser.get(reverse("privacy:my_data")).status_code == 302
    assert not Token.objects.filter(key=token.key).exists()
    assert Client().login(username=user.username, password=PASSWORD) is False
    assert AuditEvent.objects.filter(actor=user, action=AuditAction.CLOSE_ACCOUNT).exists()


def test_reason_is_stripped_of_control_characters(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("privacy:close_account"),
        {"reason": "ลา\x00ออก", "password": PASSWORD, "confirm": "on"},
    )
    assert response.status_code == 200 and not AccountClosure.objects.exists()  # refused, no 500
    client.post(
        reverse("privacy:close_account"),
        {"reason": "ลา\x07ออก\x1b[31m\nขอบคุณ", "password": PASSWORD, "confirm": "on"},
    )
    assert AccountClosure.objects.get(user=user).reason == "ลาออก[31m\nขอบคุณ"


# --- Anonymising after the retention period ------------------------------------------------------


def close_days_ago(user, days):
    closure = pdpa.request_closure(user, "ลาออก")
    AccountClosure.objects.filter(pk=closure.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=days)
    )
    return closure


def test_nothing_is_anonymised_before_the_retention_period(settings):
    settings.ACCOUNT_RETENTION_DAYS = 90
    user = UserFactory(first_name="สมชาย")
    close_days_ago(user, 89)
    assert anonymise_closed_accounts.delay().get() == 0
    user.refresh_from_db()
    assert user.first_name == "สมชาย"


def test_personal_data_is_anonymised_but_entries_scores_and_results_stay(settings):
    settings.ACCOUNT_RETENTION_DAYS = 90
    official = UserFactory(first_name="สมชาย", last_name="รักดี", phone="089", position="นักวิเคราะห์")
    entry = EntryFactory(created_by=official, agency=official.agency, title="ผลงานเด่น")
    score = ScoreFactory(value=Decimal("7.50"), comment="ดีมาก")
    assessor = score.sheet.assignment.assessor
    MembershipRequest.objects.create(user=official, agency=official.agency, note="โทร 089")
    record_access(assessor, entry, AuditAction.VIEW)
    AuditEvent.objects.filter(actor=assessor).update(ip_address="10.1.2.3")
    old_email = official.email
    close_days_ago(official, 91)
    close_days_ago(assessor, 120)

    assert anonymise_closed_accounts.delay().get() == 2
    official.refresh_from_db()
    assert official.username == f"closed-{official.pk}"
    assert official.email != old_email and "invalid" in official.email
    assert (official.first_name, official.last_name, official.phone, official.position) == (
        "",
        "",
        "",
        "",
    )
    assert not official.is_active and not official.has_usable_password()
    assert MembershipRequest.objects.get(user=official).note == ""
    assert AuditEvent.objects.filter(actor=assessor, ip_address__isnull=False).count() == 0
    # The award's records are untouched.
    entry = Entry.objects.get(pk=entry.pk)
    assert entry.title == "ผลงานเด่น" and entry.created_by_id == official.pk
    score = Score.objects.get(pk=score.pk)
    assert score.value == Decimal("7.50") and score.comment == "ดีมาก"
    assert score.sheet.assignment.assessor_id == assessor.pk
    assert AccountClosure.objects.filter(anonymised_at__isnull=False).count() == 2
    # Idempotent: a second run (a retried task) changes nothing.
    assert anonymise_closed_accounts.delay().get() == 0
    assert User.objects.filter(username__startswith="closed-").count() == 2


def test_the_anonymising_task_is_scheduled(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["portal.anonymise_closed_accounts"]
    assert schedule["task"] == anonymise_closed_accounts.name
    assert "portal.privacy.tasks" in settings.CELERY_IMPORTS


# --- The audit log -------------------------------------------------------------------------------


def test_record_access_names_who_what_and_where(rf):
    staff = StaffFactory()
    entry = EntryFactory()
    request = rf.get("/", REMOTE_ADDR="192.0.2.7", HTTP_X_FORWARDED_FOR="203.0.113.9")
    event = record_access(staff, entry, AuditAction.DOWNLOAD, request=request)
    assert event.actor == staff
    assert event.content_type.model == "entry" and event.object_id == str(entry.pk)
    assert event.ip_address == "192.0.2.7"  # the client's own header is not believed
    assert list(events_for(entry)) == [event]


def test_the_audit_log_is_read_only_in_the_admin(client):
    admin_user = StaffFactory(is_superuser=True)
    record_access(admin_user, admin_user, AuditAction.EXPORT)
    client.force_login(admin_user)
    event = AuditEvent.objects.get()
    assert client.get(reverse("admin:portal_auditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:portal_auditevent_add")).status_code == 403
    response = client.post(
        reverse("admin:portal_auditevent_delete", args=[event.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    assert AuditEvent.objects.filter(pk=event.pk).exists()


# --- Wired into the other doors: sign-up, attachment downloads ---------------------------------

SIGN_UP = {
    "email": "somchai@highland.or.th",
    "first_name": "สมชาย",
    "last_name": "ใจดี",
    "password1": "ดอยสูง-2569-ปลอดภัย",
    "password2": "ดอยสูง-2569-ปลอดภัย",
}


def test_sign_up_requires_and_stores_the_acknowledgement(client):
    response = client.post(reverse("portal:sign_up"), SIGN_UP)
    assert response.status_code == 200
    assert "โปรดอ่านและรับทราบประกาศความเป็นส่วนตัวก่อนลงทะเบียน" in response.content.decode()
    assert not User.objects.exists()
    response = client.post(reverse("portal:sign_up"), {**SIGN_UP, "privacy_notice": "on"})
    assert response.status_code == 302
    user = User.objects.get(email="somchai@highland.or.th")
    [acknowledgement] = user.privacy_acknowledgements.all()
    assert acknowledgement.notice_version == pdpa.current_notice().version


def test_the_sign_up_page_links_to_the_notice(client):
    assert reverse("privacy:notice") in client.get(reverse("portal:sign_up")).content.decode()


def test_downloading_a_private_attachment_is_audited(client, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from awards.attachments import add_attachment

    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    official = UserFactory()
    entry = EntryFactory(agency=official.agency, created_by=official)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    attachment = add_attachment(entry, SimpleUploadedFile("ผลงาน.pdf", pdf), official)
    url = reverse("awards:attachment_download", args=[entry.public_id, attachment.pk])
    stranger = UserFactory()  # another agency's official
    client.force_login(stranger)
    assert client.get(url, REMOTE_ADDR="198.51.100.7").status_code == 404
    [refused] = events_for(attachment)
    assert (refused.actor, refused.action, refused.ip_address) == (
        stranger,
        AuditAction.DENIED,
        "198.51.100.7",
    )
    client.force_login(official)
    response = client.get(url, REMOTE_ADDR="192.0.2.44")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
    event = events_for(attachment).exclude(pk=refused.pk).get()
    assert (event.actor, event.action, event.ip_address) == (
        official,
        AuditAction.DOWNLOAD,
        "192.0.2.44",
    )
    # A guessed id of no file at all is a plain 404, with nothing to record.
    missing = reverse("awards:attachment_download", args=[entry.public_id, attachment.pk + 99])
    assert client.get(missing).status_code == 404
    assert events_for(attachment).count() == 2


def test_sign_up_is_rate_limited(client, settings):
    from django.core.cache import cache

    cache.clear()
    settings.RATELIMITS = {**settings.RATELIMITS, "sign_up": "2/h"}
    codes = [
        client.post(reverse("portal:sign_up"), {**SIGN_UP, "email": f"p{n}@x.go.th"}).status_code
        for n in range(3)
    ]
    assert codes[-1] == 429 and codes[:2] != [429, 429]
    assert client.get(reverse("portal:sign_up")).status_code == 200  # reading the form is free
    cache.clear()
