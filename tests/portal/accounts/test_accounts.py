"""Accounts: sign-up and e-mail verification, agency membership, lockout, sessions, the
admin's second factor, password reset."""

import re

import pytest
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts import second_factor
from portal.accounts.models import MembershipRequest, User
from tests.factories import PASSWORD, AgencyFactory, AssessorFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

SIGN_UP = {
    "email": "Somsri.J@Highland.or.th ",
    "first_name": "สมศรี",
    "last_name": "ใจงาม",
    "position": "นักวิเคราะห์นโยบายและแผน",
    "phone": "053 328 496",
    "password1": "ดอยสูง-2569-ปลอดภัย",
    "password2": "ดอยสูง-2569-ปลอดภัย",
    "privacy_notice": "on",
}


def html(response):
    return response.content.decode()


@pytest.fixture(autouse=True)
def _fresh_rate_limit_counters():
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/\S+)", message.body).group(1)


# --- Sign-up and verification ------------------------------------------------------------


def test_sign_up_verify_then_sign_in(client, django_capture_on_commit_callbacks):
    # The verification e-mail is sent by a task enqueued after the sign-up commits.
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(reverse("portal:sign_up"), SIGN_UP)
    assert len(callbacks) == 1
    assert response["Location"] == reverse("portal:sign_up_done")
    user = User.objects.get()
    assert (user.username, user.email, user.is_active) == (
        "somsri.j@highland.or.th",
        "somsri.j@highland.or.th",
        False,
    )
    assert user.agency is None and user.role == "official"
    # Not verified yet: cannot sign in.
    login = {"username": user.email, "password": SIGN_UP["password1"]}
    assert SESSION_KEY not in client.session
    assert "ไม่ถูกต้อง" in html(client.post(reverse("portal:login"), login))
    [message] = mail.outbox
    assert message.to == [user.email] and "ยืนยันอีเมล" in message.subject
    page = html(client.get(link_in(message)))
    assert "ยืนยันอีเมลแล้ว" in page
    user.refresh_from_db()
    assert user.is_active
    assert "ลิงก์ยืนยันใช้ไม่ได้" in html(client.get(link_in(message)))  # one-shot
    response = client.post(reverse("portal:login"), login)
    assert response.status_code == 302 and client.session[SESSION_KEY] == str(user.pk)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"email": "somsri@gmail.com"}, "โปรดใช้อีเมลของหน่วยงานราชการ"),
        ({"email": "ไม่ใช่อีเมล"}, "อีเมลไม่ถูกต้อง"),
        ({"email": ""}, "โปรดกรอกอีเมลของหน่วยงาน"),
        ({"first_name": ""}, "โปรดกรอกชื่อ"),
        ({"first_name": "ก" * 151}, "ต้องไม่เกิน 150 ตัวอักษร"),
        ({"password2": "อย่างอื่น-2569"}, "รหัสผ่านทั้งสองช่องไม่ตรงกัน"),
        ({"password1": "12345678", "password2": "12345678"}, "password"),
    ],
)
def test_sign_up_bad_input(client, change, message):
    data = {**SIGN_UP, **change}
    page = html(client.post(reverse("portal:sign_up"), data))
    assert 'class="error-summary"' in page
    assert message in page or message == "password"
    if change.get("first_name"):
        assert change["first_name"] in page  # what was typed is kept
    assert not User.objects.exists() and not mail.outbox


def without_csrf_token(page: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_sign_up_does_not_tell_whether_an_address_is_registered(
    client, django_capture_on_commit_callbacks
):
    """The finding: sign-up said "this e-mail is already registered". Now a registered and a
    new address get the same answer; the owner of the registered one is told by e-mail."""
    owner = UserFactory(email="somsri.j@highland.or.th")
    fresh = {**SIGN_UP, "email": "somchai.k@highland.or.th"}
    with django_capture_on_commit_callbacks(execute=True):
        new = client.post(reverse("portal:sign_up"), fresh, follow=True)
        known = client.post(reverse("portal:sign_up"), SIGN_UP, follow=True)
    assert new.redirect_chain == known.redirect_chain == [(reverse("portal:sign_up_done"), 302)]
    assert without_csrf_token(html(new)) == without_csrf_token(html(known))
    assert "ลงทะเบียนไว้แล้ว" not in html(known)
    assert User.objects.filter(email__iexact=owner.email).count() == 1
    verification, notice = mail.outbox
    assert verification.to == ["somchai.k@highland.or.th"] and "ยืนยันอีเมล" in verification.subject
    assert notice.to == [owner.email] and "พยายามลงทะเบียน" in notice.subject
    assert reverse("portal:login") in notice.body
    assert reverse("portal:password_reset") in notice.body
    assert SIGN_UP["password1"] not in notice.body
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)  # nothing about the account changed


def test_a_never_verified_owner_gets_the_verification_link_again(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:sign_up"), SIGN_UP)
        client.post(reverse("portal:sign_up"), SIGN_UP)  # lost the first e-mail, tries again
    first, notice = mail.outbox
    assert notice.to == first.to and "พยายามลงทะเบียน" in notice.subject
    assert "ยืนยันอีเมลแล้ว" in html(client.get(link_in(notice)))
    assert User.objects.get().is_active


def test_sign_up_notices_are_limited_per_account(
    client, settings, django_capture_on_commit_callbacks
):
    settings.RATELIMITS = {"sign_up_notice": "2/h"}
    owner = UserFactory(email="somsri.j@highland.or.th")
    for n in range(5):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("portal:sign_up"), SIGN_UP, REMOTE_ADDR=f"192.0.2.{n}")
        assert response["Location"] == reverse("portal:sign_up_done")
    assert [m.to for m in mail.outbox] == [[owner.email]] * 2


def test_sign_up_is_limited_per_client(client, settings):
    settings.RATELIMITS = {"sign_up": "2/h"}
    codes = [client.post(reverse("portal:sign_up"), SIGN_UP).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_html_in_names_is_kept_as_text(client):
    client.post(reverse("portal:sign_up"), {**SIGN_UP, "first_name": "<b>สม</b>"})
    assert User.objects.get().first_name == "<b>สม</b>"


# --- Membership ---------------------------------------------------------------------------


@pytest.fixture
def newcomer(client):
    user = UserFactory(agency=None)
    client.force_login(user)
    return user


def test_search_agencies_by_thai_name_or_abbreviation(client, newcomer):
    agency = AgencyFactory(name_th="สถาบันวิจัยและพัฒนาพื้นที่สูง", abbreviation="สวพส.")
    for query in ("สวพส", "พื้นที่สูง"):
        page = html(client.get(reverse("portal:membership"), {"q": query}))
        assert agency.name_th in page and f'value="{agency.pk}"' in page
    assert "ไม่พบหน่วยงาน" in html(client.get(reverse("portal:membership"), {"q": "ไม่มีจริง"}))


def test_request_membership_then_staff_approves(client, newcomer):
    agency = AgencyFactory(abbreviation="สวพส.")
    response = client.post(
        reverse("portal:membership"), {"q": "สวพส", "agency": agency.pk, "note": "กองแผนงาน"}
    )
    assert response.status_code == 302
    request = MembershipRequest.objects.get()
    assert (request.user, request.agency, request.state) == (newcomer, agency, "pending")
    assert "รออนุมัติ" in html(client.get(reverse("portal:membership")))
    # A second request while one waits: refused, still one.
    client.post(reverse("portal:membership"), {"q": "สวพส", "agency": agency.pk})
    assert MembershipRequest.objects.count() == 1
    staff = StaffFactory()
    client.force_login(staff)
    assert newcomer.email in html(client.get(reverse("portal:membership_requests")))
    client.post(
        reverse("portal:decide_membership_request", args=[request.pk]), {"decision": "approve"}
    )
    request.refresh_from_db()
    newcomer.refresh_from_db()
    assert request.state == "approved" and request.decided_by == staff
    assert request.decided_at is not None and newcomer.agency == agency


def test_a_tampered_agency_id_is_refused(client, newcomer):
    AgencyFactory(abbreviation="สวพส.")
    for value in ("999999", "abc", ""):
        page = html(client.post(reverse("portal:membership"), {"q": "สวพส", "agency": value}))
        assert 'class="error-summary"' in page
    assert not MembershipRequest.objects.exists()


def test_the_agency_coordinator_decides_only_for_their_agency(client):
    coordinator = UserFactory()
    MembershipRequest.objects.create(
        user=coordinator,
        agency=coordinator.agency,
        state="approved",
        is_coordinator=True,
        decided_at="2026-01-01T00:00:00Z",
    )
    mine = MembershipRequest.objects.create(
        user=UserFactory(agency=None), agency=coordinator.agency
    )
    theirs = MembershipRequest.objects.create(user=UserFactory(agency=None), agency=AgencyFactory())
    client.force_login(coordinator)
    page = html(client.get(reverse("portal:membership_requests")))
    assert mine.user.email in page and theirs.user.email not in page
    decide = "portal:decide_membership_request"
    client.post(reverse(decide, args=[theirs.pk]), {"decision": "approve"})
    client.post(reverse(decide, args=[mine.pk]), {"decision": "reject"})
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert theirs.state == "pending" and theirs.user.agency is None
    assert mine.state == "rejected" and mine.decided_by == coordinator


@pytest.mark.parametrize("role", ["official", "assessor", "anonymous"])
def test_nobody_else_decides_membership(client, role):
    request = MembershipRequest.objects.create(
        user=UserFactory(agency=None), agency=AgencyFactory()
    )
    if role != "anonymous":
        client.force_login({"official": UserFactory, "assessor": AssessorFactory}[role]())
    response = client.get(reverse("portal:membership_requests"))
    assert response.status_code in (302, 403)
    client.post(
        reverse("portal:decide_membership_request", args=[request.pk]), {"decision": "approve"}
    )
    request.refresh_from_db()
    assert request.state == "pending"


# --- Lockout and sessions ------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_sign_in_with_a_thai_message(client):
    user = UserFactory()
    wrong = {"username": user.username, "password": "ผิด"}
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(reverse("portal:login"), wrong)
        assert response.status_code == 200 and "ไม่ถูกต้อง" in html(response)
    assert client.post(reverse("portal:login"), wrong).status_code == 429
    # Locked: even the right password is refused, with a clear Thai message.
    response = client.post(
        reverse("portal:login"), {"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    page = html(response)
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in page and "15 นาที" in page
    assert SESSION_KEY not in client.session
    # Another account from the same address is not locked.
    other = UserFactory()
    response = client.post(
        reverse("portal:login"), {"username": other.username, "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_admin_login_is_locked_too(client):
    staff = StaffFactory()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("admin:login"), {"username": staff.username, "password": "ผิด"})
    response = client.post(
        reverse("admin:login"), {"username": staff.username, "password": PASSWORD}
    )
    assert response.status_code == 429
    assert "ระงับการเข้าสู่ระบบชั่วคราว" in html(response)


def test_sessions_expire(client):
    assert settings.SESSION_COOKIE_AGE <= 8 * 60 * 60
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    user = UserFactory()
    client.post(reverse("portal:login"), {"username": user.username, "password": PASSWORD})
    assert client.session.get_expire_at_browser_close()
    assert client.session.get_expiry_age() <= settings.SESSION_COOKIE_AGE


# --- The admin's second factor -------------------------------------------------------------


@pytest.fixture
def two_factor(settings):
    settings.ADMIN_REQUIRE_2FA = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a wrong code just before the right one (see below)


def code(device) -> str:
    return f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}"


@pytest.mark.parametrize("factory", [StaffFactory, AssessorFactory])
def test_staff_and_assessors_set_up_and_then_prove_a_second_factor(client, two_factor, factory):
    user = factory()
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("portal:otp_setup"))
    page = html(client.get(response["Location"]))
    assert "ตั้งค่าการยืนยันตัวตนสองขั้นตอน" in page
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert device.key.upper() not in page  # the secret is shown base32, never the hex key
    qr = client.get(reverse("portal:otp_qrcode"))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    wrong = html(client.post(reverse("portal:otp_setup"), {"token": "000000", "next": "/admin/"}))
    assert "รหัสไม่ถูกต้อง" in wrong
    response = client.post(reverse("portal:otp_setup"), {"token": code(device), "next": "/admin/"})
    # Enrolled: the recovery codes are shown once, then on to the admin.
    assert response["Location"].startswith(reverse("portal:otp_recovery_codes"))
    assert "/admin/" in html(client.get(response["Location"]))
    admin_home = client.get("/admin/", follow=True)  # an assessor lands on their work page
    assert admin_home.status_code == 200 and admin_home.request["PATH_INFO"].startswith("/admin/")
    # A new session: the password alone is not enough, the code is asked again.
    client.logout()
    client.force_login(user)
    response = client.get("/admin/awards/entry/")
    assert response["Location"].startswith(reverse("portal:otp_verify"))
    assert "รหัสต้องเป็นตัวเลข" in html(client.post(reverse("portal:otp_verify"), {"token": "abcdef"}))
    device.refresh_from_db()
    device.last_t = -1  # the same 30-second window may be used once; allow the test to reuse it
    device.save()
    response = client.post(
        reverse("portal:otp_verify"), {"token": code(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("admin:index")  # no open redirect
    admin_home = client.get("/admin/", follow=True)  # an assessor lands on their work page
    assert admin_home.status_code == 200 and admin_home.request["PATH_INFO"].startswith("/admin/")


def test_without_the_requirement_staff_reach_the_admin_directly(client, settings):
    settings.ADMIN_REQUIRE_2FA = False
    client.force_login(StaffFactory())
    admin_home = client.get("/admin/", follow=True)  # an assessor lands on their work page
    assert admin_home.status_code == 200 and admin_home.request["PATH_INFO"].startswith("/admin/")


def test_the_requirement_defaults_on_without_debug():
    import os
    import subprocess
    import sys

    script = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.ADMIN_REQUIRE_2FA)"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "ADMIN_REQUIRE_2FA"}}
    run = lambda extra: subprocess.run(  # noqa: E731
        [sys.executable, "-c", script],
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings", **extra},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    ).stdout.strip()
    assert run({}) == "True"
    assert run({"DEBUG": "1"}) == "False"
    assert run({"DEBUG": "1", "ADMIN_REQUIRE_2FA": "1"}) == "True"


def test_officials_are_not_asked_for_a_second_factor(client, two_factor):
    client.force_login(UserFactory())
    assert not second_factor.second_factor_required(UserFactory())
    assert client.get(reverse("awards:dashboard")).status_code == 200


# --- Password reset ------------------------------------------------------------------------


def test_password_reset_in_thai(client):
    user = UserFactory(email="reset@example.go.th")
    page = html(client.get(reverse("portal:password_reset")))
    assert "ลืมรหัสผ่าน" in page
    assert "โปรดกรอกอีเมล" in html(client.post(reverse("portal:password_reset"), {"email": ""}))
    response = client.post(reverse("portal:password_reset"), {"email": user.email})
    assert response["Location"] == reverse("portal:password_reset_done")
    [message] = mail.outbox
    assert "ตั้งรหัสผ่านใหม่" in message.subject
    response = client.get(link_in(message), follow=True)
    page = html(response)
    assert "ตั้งรหัสผ่านใหม่" in page
    form_url = response.redirect_chain[-1][0]
    page = html(client.post(form_url, {"new_password1": "a", "new_password2": "b"}))
    assert "รหัสผ่านทั้งสองช่องไม่ตรงกัน" in page
    new = "ภูเขาสูง-ทะเลกว้าง-2569"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("portal:password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    # Unknown address: the same answer, no e-mail (no account enumeration).
    response = client.post(reverse("portal:password_reset"), {"email": "nobody@example.go.th"})
    assert response["Location"] == reverse("portal:password_reset_done") and len(mail.outbox) == 1


def test_a_reset_flood_for_one_account_sends_few_e_mails(client, settings):
    """The finding: 12 reset e-mails in a row were sent. With the default limits, 12 requests
    for one account — each from a different address — send at most the per-account limit."""
    import portal.settings as defaults
    from portal.operations.ratelimit import parse_rate

    settings.RATELIMITS = defaults.RATELIMITS  # the deployment's defaults, not the tests' none
    user = UserFactory(email="reset@example.go.th")
    codes = [
        client.post(
            reverse("portal:password_reset"), {"email": user.email}, REMOTE_ADDR=f"192.0.2.{n}"
        ).status_code
        for n in range(12)
    ]
    per_account, _ = parse_rate(defaults.RATELIMITS["password_reset_account"])
    assert len(mail.outbox) == per_account <= 3
    assert codes == [302] * per_account + [429] * (12 - per_account)


@pytest.mark.parametrize("registered", [True, False])
def test_password_reset_is_limited_per_account_alike_for_unknown_addresses(
    client, settings, registered
):
    """Counted by the address typed, registered or not: the 429 tells nothing."""
    settings.RATELIMITS = {"password_reset_account": "2/h"}
    if registered:
        UserFactory(email="reset@example.go.th")
    responses = [
        client.post(
            reverse("portal:password_reset"),
            {"email": "Reset@Example.go.th" if n % 2 else "reset@example.go.th"},
            REMOTE_ADDR=f"192.0.2.{n}",
        )
        for n in range(3)
    ]
    assert [r.status_code for r in responses] == [302, 302, 429]
    assert 1 <= int(responses[-1]["Retry-After"]) <= 3600
    assert "มีคำขอมากเกินไป" in html(responses[-1])
    assert len(mail.outbox) == (2 if registered else 0)
    # Another account is not affected.
    other = client.post(reverse("portal:password_reset"), {"email": "other@example.go.th"})
    assert other.status_code == 302


def test_password_reset_is_limited_per_client_address(client, settings):
    settings.RATELIMITS = {"password_reset": "3/h"}
    codes = [
        client.post(
            reverse("portal:password_reset"),
            {"email": f"u{n}@example.go.th"},
            REMOTE_ADDR="192.0.2.1",
        ).status_code
        for n in range(4)
    ]
    assert codes == [302, 302, 302, 429]
    assert client.get(reverse("portal:password_reset"), REMOTE_ADDR="192.0.2.1").status_code == 200
    other = client.post(
        reverse("portal:password_reset"), {"email": "u9@example.go.th"}, REMOTE_ADDR="192.0.2.2"
    )
    assert other.status_code == 302


def test_a_coordinator_sees_pending_requests_on_the_dashboard(client):
    coordinator = UserFactory()
    MembershipRequest.objects.create(
        user=coordinator,
        agency=coordinator.agency,
        state="approved",
        is_coordinator=True,
        decided_at="2026-01-01T00:00:00Z",
    )
    MembershipRequest.objects.create(user=UserFactory(agency=None), agency=coordinator.agency)
    client.force_login(coordinator)
    page = html(client.get(reverse("awards:dashboard")))
    assert "รอท่านพิจารณา 1 รายการ" in page and reverse("portal:membership_requests") in page
    client.force_login(UserFactory(agency=coordinator.agency))  # a plain member: no link
    assert reverse("portal:membership_requests") not in html(
        client.get(reverse("awards:dashboard"))
    )


def test_a_hostile_user_name_at_sign_in_is_an_error_not_a_crash(client):
    # Typed names are stored by the lockout: over-long or with NUL they must not break the write.
    for username in ["ก" * 400, "abc\x00def", "\x1b[31m" * 50]:
        response = client.post(reverse("portal:login"), {"username": username, "password": "x"})
        assert response.status_code == 200
        assert "error-summary" in html(response)
