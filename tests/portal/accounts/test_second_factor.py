"""The second factor by role, not by path — from the attacker's side.

A staff member or an assessor signed in with a password only (a stolen password) must get
nothing privileged anywhere: not the admin, not the API (session or token), not reports,
reopening, membership decisions or private files; and must not be able to replace the second
factor. The one decision is portal.accounts.second_factor_satisfied."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from awards import submission
from awards.models import EntryState
from portal.accounts import exceptions, second_factor
from portal.accounts.models import MembershipRequest
from portal.privacy.models import AuditEvent
from portal.reports import requesting
from portal.reports.models import Report
from tests.awards.entry_helpers import complete, private_files  # noqa: F401 (a fixture)
from tests.factories import (
    PASSWORD,
    AdminAssessorFactory,
    AdminStaffFactory,
    AssessorFactory,
    AssignmentFactory,
    CriterionFactory,
    EntryFactory,
    ScoreFactory,
    ScoreSheetFactory,
    StaffFactory,
    UserFactory,
)
from tests.report_files import private_storage  # noqa: F401 (a fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files", "private_storage")]

REFUSED_API = "ยืนยันตัวตนขั้นที่สอง"


@pytest.fixture(autouse=True)
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def code(device) -> str:
    device.refresh_from_db()
    device.last_t = -1  # one code per 30-second window; tests prove several in one window
    device.save(update_fields=["last_t"])
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


def enrol(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


def password_only(user):
    """A browser that signed in with the user's password through the sign-in page only."""
    from django.test import Client

    client = Client()
    response = client.post(
        reverse("portal:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 302
    return client


def verified(user):
    """The same, then a code from the user's app on the verify step."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or enrol(user)
    client = password_only(user)
    response = client.post(reverse("portal:otp_verify"), {"token": code(device), "next": "/"})
    assert response["Location"] == "/"
    return client


def to_verify_step(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith(
        reverse("portal:otp_verify")
    )


# --- Replacing the second factor with a password ------------------------------------------------


@pytest.mark.parametrize("factory", [StaffFactory, AssessorFactory])
def test_a_password_alone_cannot_set_up_a_new_device(factory):
    user = factory()
    enrol(user)
    attacker = password_only(user)
    response = attacker.get(reverse("portal:otp_setup"))
    assert to_verify_step(response)  # the code step, never a fresh secret
    assert attacker.get(reverse("portal:otp_qrcode")).status_code in (302, 403)
    response = attacker.post(reverse("portal:otp_setup"), {"token": "123456", "next": "/admin/"})
    assert to_verify_step(response)
    assert list(TOTPDevice.objects.filter(user=user).values_list("confirmed", flat=True)) == [True]
    assert to_verify_step(attacker.get("/admin/"))


def test_a_verified_session_adds_a_second_device():
    user = StaffFactory()
    enrol(user)
    client = verified(user)
    assert client.get(reverse("portal:otp_setup")).status_code == 200
    new = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("portal:otp_setup"), {"token": code(new), "next": "/admin/"})
    assert response.status_code == 302
    assert TOTPDevice.objects.filter(user=user, confirmed=True).count() == 2


def test_the_first_device_gets_recovery_codes_shown_once():
    user = AssessorFactory()
    client = password_only(user)
    assert client.get("/admin/")["Location"].startswith(reverse("portal:otp_setup"))
    client.get(reverse("portal:otp_setup"))
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("portal:otp_setup"), {"token": code(device), "next": "/admin/"})
    assert response["Location"].startswith(reverse("portal:otp_recovery_codes"))
    page = client.get(response["Location"]).content.decode()
    codes = list(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(codes) == second_factor.RECOVERY_CODE_COUNT and all(c in page for c in codes)
    again = client.get(reverse("portal:otp_recovery_codes")).content.decode()
    assert not any(c in again for c in codes)  # shown once
    admin_home = client.get("/admin/", follow=True)  # an assessor lands on their work page
    assert admin_home.status_code == 200 and admin_home.request["PATH_INFO"].startswith("/admin/")


def test_a_recovery_code_works_once_only():
    user = StaffFactory()
    enrol(user)
    first, *_ = second_factor.new_recovery_codes(user)
    client = password_only(user)
    response = client.post(reverse("portal:otp_verify"), {"token": first.upper(), "next": "/"})
    assert response["Location"] == "/"
    assert client.get(reverse("portal:membership_requests")).status_code == 200
    other = password_only(user)
    response = other.post(reverse("portal:otp_verify"), {"token": first, "next": "/"})
    assert response.status_code == 200 and "รหัสไม่ถูกต้อง" in response.content.decode()
    assert to_verify_step(other.get(reverse("portal:membership_requests")))
    assert second_factor.recovery_codes_left(user) == second_factor.RECOVERY_CODE_COUNT - 1


def test_recovery_codes_are_regenerated_only_from_a_verified_session():
    user = StaffFactory()
    enrol(user)
    old = second_factor.new_recovery_codes(user)
    assert to_verify_step(password_only(user).post(reverse("portal:otp_recovery_codes")))
    assert sorted(StaticToken.objects.values_list("token", flat=True)) == sorted(old)
    client = verified(user)
    client.post(reverse("portal:otp_recovery_codes"))
    new = set(StaticToken.objects.values_list("token", flat=True))
    assert len(new) == second_factor.RECOVERY_CODE_COUNT and not new & set(old)


# --- Seeing and removing devices -----------------------------------------------------------------


def test_devices_are_listed_and_removed_only_by_their_owner_with_a_fresh_code():
    owner, other = StaffFactory(), AssessorFactory()
    phone, tablet = enrol(owner), enrol(owner)
    tablet.name = "tablet"
    tablet.save()
    theirs = enrol(other)
    # A password-only session of the owner: the verify step, nothing removed.
    attacker = password_only(owner)
    assert to_verify_step(attacker.get(reverse("portal:otp_devices")))
    remove = reverse("portal:otp_device_remove", args=[tablet.pk])
    assert to_verify_step(attacker.post(remove, {"token": "123456"}))
    # Another user, verified: someone else's device is not theirs to see or remove.
    stranger = verified(other)
    page = stranger.get(reverse("portal:otp_devices")).content.decode()
    assert "tablet" not in page
    response = stranger.post(remove, {"token": code(theirs)})
    assert response.status_code == 404
    # The owner, verified: a wrong code removes nothing; a fresh one removes the tablet.
    client = verified(owner)
    page = client.get(reverse("portal:otp_devices")).content.decode()
    assert "phone" in page and "tablet" in page
    client.post(remove, {"token": "000000"})
    assert TOTPDevice.objects.filter(pk=tablet.pk).exists()
    client.post(remove, {"token": code(phone)})
    assert not TOTPDevice.objects.filter(pk=tablet.pk).exists()
    # The last device is never removed here (add another first, or staff reset it).
    response = client.post(
        reverse("portal:otp_device_remove", args=[phone.pk]), {"token": code(phone)}, follow=True
    )
    assert TOTPDevice.objects.filter(pk=phone.pk).exists()
    assert "ลบอุปกรณ์เครื่องสุดท้ายไม่ได้" in response.content.decode()


def test_staff_reset_a_lost_second_factor_from_a_verified_session_and_it_is_audited():
    staff, assessor = AdminStaffFactory(is_superuser=True), AssessorFactory()
    enrol(assessor)
    second_factor.new_recovery_codes(assessor)
    changelist = reverse("admin:portal_user_changelist")
    action = {"action": "reset_second_factor", "_selected_action": [assessor.pk]}
    assert to_verify_step(password_only(staff).post(changelist, action))
    assert TOTPDevice.objects.filter(user=assessor).exists()
    client = verified(staff)
    assert client.post(changelist, action).status_code == 302
    assert not TOTPDevice.objects.filter(user=assessor).exists()
    assert second_factor.recovery_codes_left(assessor) == 0
    event = AuditEvent.objects.get(action="reset_2fa")
    assert (event.actor, event.object_id) == (staff, str(assessor.pk))
    # Only a verified secretariat member may, even when called directly.
    with pytest.raises(PermissionDenied):
        second_factor.reset_second_factor(staff, by=assessor)


# --- Every privileged surface ------------------------------------------------------------------


@pytest.fixture
def world(django_capture_on_commit_callbacks):
    """An agency's submitted entry with a private file, an assessor assigned to it with a
    draft score sheet, a pending membership request, and a cycle's results spreadsheet."""
    staff, assessor = AdminStaffFactory(), AdminAssessorFactory()
    entry = submission.submit(complete(EntryFactory()), None)
    assert entry.state == EntryState.SUBMITTED
    assignment = AssignmentFactory(entry=entry, assessor=assessor)
    sheet = ScoreSheetFactory(assignment=assignment)
    criterion = CriterionFactory(category=entry.category, order=1)
    ScoreFactory(sheet=sheet, criterion=criterion, value=None, comment="")
    membership = MembershipRequest.objects.create(
        user=UserFactory(agency=None), agency=entry.agency
    )
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = requesting.request_report(staff, "results", entry.category.cycle_id)
    report.refresh_from_db()
    assert report.state == Report.State.READY, report.error
    for user in (staff, assessor):
        enrol(user)
    return {
        "staff": staff,
        "assessor": assessor,
        "entry": entry,
        "sheet": sheet,
        "membership": membership,
        "report": report,
        "attachment": entry.attachments.get(),
    }


def staff_pages(world) -> list[tuple[str, str, dict | None]]:
    entry = world["entry"]
    until = timezone.localdate() + datetime.timedelta(days=30)
    reopen = reverse("awards:reopen", kwargs={"public_id": entry.public_id})
    return [
        ("get", "/admin/", None),
        ("get", "/admin/awards/scoresheet/", None),
        ("get", reopen, None),
        ("post", reopen, {"until_0": str(until.day), "until_1": str(until.month),
                          "until_2": str(until.year + 543), "note": "แก้ไข"}),
        ("get", reverse("portal:membership_requests"), None),
        ("post", reverse("portal:decide_membership_request", args=[world["membership"].pk]),
         {"decision": "approve"}),
        ("get", reverse("awards:attachment_download",
                        kwargs={"public_id": entry.public_id, "pk": world["attachment"].pk}), None),
        ("get", reverse("reports:list"), None),
        ("get", reverse("reports:download", args=[world["report"].public_id]), None),
        ("get", reverse("portal:api_token"), None),
    ]  # fmt: skip


def assessor_pages(world) -> list[tuple[str, str, dict | None]]:
    entry = world["entry"]
    return [
        ("get", "/admin/", None),
        ("get", f"/admin/awards/scoresheet/{world['sheet'].pk}/change/", None),
        ("get", reverse("awards:attachment_download",
                        kwargs={"public_id": entry.public_id, "pk": world["attachment"].pk}), None),
        ("get", reverse("portal:api_token"), None),
    ]  # fmt: skip


def state(world):
    world["entry"].refresh_from_db()
    world["membership"].refresh_from_db()
    world["sheet"].refresh_from_db()
    return (world["entry"].state, world["membership"].state, world["sheet"].overall_comment)


@pytest.mark.parametrize("role", ["staff", "assessor"])
def test_a_password_only_session_reaches_no_privileged_page(world, role):
    before = state(world)
    client = password_only(world[role])
    pages = staff_pages(world) if role == "staff" else assessor_pages(world)
    for method, path, data in pages:
        response = getattr(client, method)(path, data or {})
        assert to_verify_step(response), (method, path, response.status_code)
    assert state(world) == before
    assert not AuditEvent.objects.filter(action="download").exists()
    assert not Token.objects.exists()


@pytest.mark.parametrize("role", ["staff", "assessor"])
def test_a_verified_session_reaches_them(world, role):
    client = verified(world[role])
    pages = staff_pages(world) if role == "staff" else assessor_pages(world)
    for method, path, data in pages:
        response = getattr(client, method)(path, data or {})
        assert response.status_code in (200, 302), (method, path, response.status_code)
        assert not to_verify_step(response), (method, path)
    if role == "staff":
        assert state(world)[:2] == (EntryState.DRAFT, MembershipRequest.State.APPROVED)
    assert AuditEvent.objects.filter(action="download").exists()


def test_an_unverified_session_still_has_the_public_site_and_signing_out(world):
    client = password_only(world["staff"])
    for path in ("/", reverse("cases:case_list"), reverse("privacy:notice")):
        assert client.get(path).status_code == 200, path
    assert client.get(reverse("portal:otp_verify")).status_code == 200
    assert client.post(reverse("portal:logout")).status_code == 302
    assert "_auth_user_id" not in client.session


# --- The API: session and token -----------------------------------------------------------------


def api_calls(world):
    sheet = world["sheet"]
    return [
        ("get", "/api/v1/score-sheets/", None),
        ("get", f"/api/v1/score-sheets/{sheet.pk}/", None),
        ("patch", f"/api/v1/score-sheets/{sheet.pk}/", {"overall_comment": "แก้โดยผู้บุกรุก"}),
        ("get", "/api/v1/assignments/", None),
    ]


def session_api(client) -> APIClient:
    api = APIClient(enforce_csrf_checks=False)
    api.cookies = client.cookies
    return api


def test_the_api_refuses_a_password_only_session_and_a_token_issued_without_the_code(world):
    assessor = world["assessor"]
    plain_token = Token.objects.create(user=assessor)  # e.g. made in the admin, or before 2FA
    by_session = session_api(password_only(assessor))
    by_token = APIClient(headers={"Authorization": f"Token {plain_token.key}"})
    for api in (by_session, by_token):
        for method, path, data in api_calls(world):
            response = getattr(api, method)(path, data, format="json")
            assert response.status_code == 403, (method, path, response.status_code)
            assert REFUSED_API in response.json()["detail"]
    world["sheet"].refresh_from_db()
    assert world["sheet"].overall_comment != "แก้โดยผู้บุกรุก"
    # The public API still answers without credentials.
    assert APIClient().get("/api/v1/cycles/").status_code == 200


def test_a_password_only_session_cannot_issue_a_token():
    user = AssessorFactory()
    enrol(user)
    response = password_only(user).post(reverse("portal:api_token"))
    assert to_verify_step(response)
    assert not Token.objects.filter(user=user).exists()
    with pytest.raises(exceptions.AccountError):
        second_factor.issue_api_token(user)  # the rule, not only the page


def test_the_api_answers_a_verified_session_and_a_token_issued_from_one(world):
    assessor = world["assessor"]
    client = verified(assessor)
    response = client.post(reverse("portal:api_token"))
    token = Token.objects.get(user=assessor)
    assert token.key in response.content.decode() and second_factor.token_is_verified(token)
    by_token = APIClient(headers={"Authorization": f"Token {token.key}"})
    for api in (session_api(client), by_token):
        for method, path, data in api_calls(world):
            response = getattr(api, method)(path, data, format="json")
            assert response.status_code == 200, (method, path, response.content)
    world["sheet"].refresh_from_db()
    assert world["sheet"].overall_comment == "แก้โดยผู้บุกรุก"  # (here: by its own assessor)


def test_a_token_stops_carrying_the_second_factor_when_staff_reset_it(world):
    assessor = world["assessor"]
    verified(assessor).post(reverse("portal:api_token"))
    token = Token.objects.get(user=assessor)
    staff = world["staff"]
    staff.otp_device = TOTPDevice.objects.get(user=staff)
    staff.is_verified = lambda: True
    second_factor.reset_second_factor(assessor, by=staff)
    api = APIClient(headers={"Authorization": f"Token {token.key}"})
    assert api.get("/api/v1/score-sheets/").status_code == 403


def test_officials_are_unaffected(settings):
    official = UserFactory()
    client = password_only(official)
    assert client.get(reverse("awards:dashboard")).status_code == 200
    client.post(reverse("portal:api_token"))
    token = Token.objects.get(user=official)
    api = APIClient(headers={"Authorization": f"Token {token.key}"})
    assert api.get("/api/v1/entries/").status_code == 200


def test_with_the_requirement_off_nothing_asks_for_a_code(settings, world):
    settings.ADMIN_REQUIRE_2FA = False
    client = password_only(world["staff"])
    admin_home = client.get("/admin/", follow=True)  # an assessor lands on their work page
    assert admin_home.status_code == 200 and admin_home.request["PATH_INFO"].startswith("/admin/")
    assert client.get(reverse("portal:membership_requests")).status_code == 200
