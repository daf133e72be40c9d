"""The second factor (TOTP, django-otp; recovery codes): who must prove it, the one decision
whether a session or API token has (second_factor_satisfied), the middleware that applies it to
every page, and devices, recovery codes and API tokens."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from portal.accounts.models import Role

from .exceptions import AccountError


def second_factor_required(user) -> bool:
    """Staff and assessors must prove a second factor (TOTP or a recovery code) before
    anything privileged, unless the deployment turned it off (settings.ADMIN_REQUIRE_2FA, off
    with DEBUG)."""
    if not getattr(settings, "ADMIN_REQUIRE_2FA", True):
        return False
    return bool(
        user.is_authenticated
        and (user.is_staff or user.is_superuser or user.role in (Role.STAFF, Role.ASSESSOR))
    )


def is_verified(user) -> bool:
    """This session (django_otp's OTPMiddleware) or this API token (SecondFactorToken-
    Authentication) proved a second factor."""
    check = getattr(user, "is_verified", None)
    return bool(check is not None and check())


def second_factor_satisfied(user) -> bool:
    """THE decision: may this identity (a session's user, or an API token's) use what its
    role allows? Everyone may, except a staff member or assessor who has not proved a second
    factor — they are treated as unverified everywhere: web pages (SecondFactorMiddleware),
    the API, session or token (portal.accounts.api_authentication)."""
    return not second_factor_required(user) or is_verified(user)


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_step(user, next_url: str = "") -> str:
    """Where an unverified user proves the second factor: the code, or — only for someone
    who has no device yet — setting one up."""
    step = "portal:otp_verify" if has_confirmed_device(user) else "portal:otp_setup"
    return f"{reverse(step)}?{urlencode({'next': next_url})}" if next_url else reverse(step)


# What an unverified staff member or assessor may still open: the public site, signing in and
# out, the second factor's own steps, the privacy notice. Everything else is privileged by
# default (deny unless listed), whatever its path.
OPEN_WITHOUT_SECOND_FACTOR_NAMESPACES = frozenset({"cases"})


OPEN_WITHOUT_SECOND_FACTOR_VIEWS = frozenset(
    {
        "healthz",
        "readyz",
        "set_language",
        "admin:logout",
        "portal:login",
        "portal:logout",
        "portal:sign_up",
        "portal:sign_up_done",
        "portal:verify_email",
        "portal:password_reset",
        "portal:password_reset_done",
        "portal:password_reset_confirm",
        "portal:password_reset_complete",
        "portal:otp_verify",
        "portal:otp_setup",  # only while the user has no device (otp_setup checks)
        "portal:otp_qrcode",
        "privacy:notice",
        "privacy:notice_version",
        "privacy:closed",
    }
)


def open_without_second_factor(match, view_func) -> bool:
    from django.views.static import serve

    if view_func is serve:  # public MEDIA_URL files under DEBUG (private files never are)
        return True
    if match is None:
        return False
    namespace = match.namespaces[0] if match.namespaces else None
    return (
        match.view_name in OPEN_WITHOUT_SECOND_FACTOR_VIEWS
        or namespace in OPEN_WITHOUT_SECOND_FACTOR_NAMESPACES
    )


def is_api_view(view_func) -> bool:
    from rest_framework.views import APIView

    view_class = getattr(view_func, "cls", None)
    return isinstance(view_class, type) and issubclass(view_class, APIView)


class SecondFactorMiddleware:
    """Web pages: a signed-in staff member or assessor who has not proved a second factor in
    this session is sent to the code step (set-up if they have no device) from every page
    that is not open to everyone (OPEN_WITHOUT_SECOND_FACTOR_*): the admin, reports, entries
    and their private files, membership decisions, their own account's pages. API views
    answer for themselves (403 JSON, portal.accounts.api_authentication), for a session and a
    token alike.

    Runs after django_otp's OTPMiddleware, which gives request.user.is_verified()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or second_factor_satisfied(user) or is_api_view(view_func):
            return None
        if open_without_second_factor(getattr(request, "resolver_match", None), view_func):
            return None
        next_url = request.get_full_path() if request.method == "GET" else ""
        return redirect(second_factor_step(user, next_url))


RECOVERY_CODE_COUNT = 10


def confirmed_devices(user):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id")


def may_enrol(user) -> bool:
    """A device may be added by a session that proved the second factor, or — the first
    device only — by a password. A user with a confirmed device who has not proved it gets the
    code step, never a fresh secret (staff reset a lost one: reset_second_factor)."""
    return is_verified(user) or not has_confirmed_device(user)


def unconfirmed_device(user):
    """The TOTP device being set up (created on first visit, kept until confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    if not may_enrol(user):
        raise PermissionDenied(_("ยืนยันตัวตนขั้นที่สองก่อนเพิ่มอุปกรณ์"))
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        count = confirmed_devices(user).count()
        name = _("แอปยืนยันตัวตน") + (f" {count + 1}" if count else "")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=False)
    return device


def confirm_device(user, token: str):
    """Confirm the device being set up with a token from the app; returns it or None."""
    device = unconfirmed_device(user)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def recovery_device(user):
    from django_otp.plugins.otp_static.models import StaticDevice

    return StaticDevice.objects.filter(user=user).first()


def recovery_codes_left(user) -> int:
    device = recovery_device(user)
    return device.token_set.count() if device is not None else 0


@transaction.atomic
def new_recovery_codes(user) -> list[str]:
    """RECOVERY_CODE_COUNT single-use codes, replacing any earlier ones. Shown once."""
    from django_otp.plugins.otp_static.models import StaticDevice, StaticToken

    device = recovery_device(user) or StaticDevice.objects.create(
        user=user, name=_("รหัสสำรอง"), confirmed=True
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def verify_second_factor(user, token: str):
    """The confirmed device that accepts this token, or None (throttled by django-otp): a code
    from an authenticator app, or a recovery code (used up by this)."""
    token = (token or "").replace(" ", "").replace("-", "").lower()
    if token.isdigit():
        for device in confirmed_devices(user):
            if device.verify_token(token):
                return device
        return None
    device = recovery_device(user)
    if device is not None and device.verify_token(token):
        return device
    return None


def _forget_verified_tokens(user, device_ids=None) -> None:
    from .models import VerifiedApiToken

    marks = VerifiedApiToken.objects.filter(token__user=user)
    if device_ids is not None:
        marks = marks.filter(device_id__in=device_ids)
    marks.delete()


@transaction.atomic
def remove_device(user, device_pk: int, token: str) -> None:
    """Remove one of the user's own authenticator apps. Needs a verified session (the view)
    and, at the moment of removing, a fresh code (or a recovery code), so an unattended
    session can't quietly drop a factor. The last app is never removed here: add the new one
    first, or — every device lost — staff reset the second factor."""
    from django.http import Http404

    device = confirmed_devices(user).select_for_update().filter(pk=device_pk).first()
    if device is None:
        raise Http404
    if confirmed_devices(user).count() <= 1:
        raise AccountError(
            _(
                "ลบอุปกรณ์เครื่องสุดท้ายไม่ได้ โปรดเพิ่มแอปยืนยันตัวตนเครื่องใหม่ก่อน "
                "หากอุปกรณ์ทั้งหมดสูญหาย โปรดติดต่อเจ้าหน้าที่ให้รีเซ็ตการยืนยันตัวตนขั้นที่สอง"
            )
        )
    if verify_second_factor(user, token) is None:
        raise AccountError(_("รหัสไม่ถูกต้องหรือหมดอายุแล้ว โปรดกรอกรหัสล่าสุดจากแอป"))
    _forget_verified_tokens(user, [device.persistent_id])
    device.delete()


@transaction.atomic
def reset_second_factor(user, by, request=None) -> None:
    """The recovery path for a user who lost every device: staff with a verified session
    remove all of the user's devices and recovery codes (audited). The user's next sign-in
    sets up a new app — do it with them, since until then a password enrols one. Their API
    token stops carrying the second factor; their verified sessions become unverified."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.privacy.audit import AuditAction, record_access

    if not (by.is_active and by.is_secretariat and second_factor_satisfied(by)):
        raise PermissionDenied(_("เฉพาะเจ้าหน้าที่ที่ยืนยันตัวตนขั้นที่สองแล้วเท่านั้น"))
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    _forget_verified_tokens(user)
    record_access(by, user, AuditAction.RESET_SECOND_FACTOR, request=request)


@transaction.atomic
def issue_api_token(user):
    """A new API token for the signed-in user (the old one stops working). Staff and
    assessors get one only from a verified session, and the token carries that; without it a
    token of theirs would give nothing privileged (second_factor_satisfied)."""
    from rest_framework.authtoken.models import Token

    from .models import VerifiedApiToken

    if not second_factor_satisfied(user):
        raise AccountError(_("ยืนยันตัวตนขั้นที่สองก่อนออกโทเค็น"))
    Token.objects.filter(user=user).delete()
    token = Token.objects.create(user=user)
    device = getattr(user, "otp_device", None)
    if is_verified(user) and device is not None:
        VerifiedApiToken.objects.create(token=token, device_id=device.persistent_id)
    return token


def token_is_verified(token) -> bool:
    from .models import VerifiedApiToken

    return VerifiedApiToken.objects.filter(token=token).exists()
