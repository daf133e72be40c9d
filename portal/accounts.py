"""Accounts: signing up with an official e-mail, verifying it, asking to join an agency and
deciding those requests, and the rules around signing in (lockout, second factor).

Views and forms call these functions; the rules live here only."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from .models import Agency, MembershipRequest, Role, User

# Government, university, military and state-enterprise domains in Thailand.
DEFAULT_OFFICIAL_EMAIL_DOMAINS = ("go.th", "ac.th", "mi.th", "or.th")


def official_email_message() -> str:
    return _("โปรดใช้อีเมลของหน่วยงานราชการ (ลงท้ายด้วย .go.th, .ac.th, .mi.th หรือ .or.th)")


class AccountError(Exception):
    """A rule refused the action; the message is for the user (Thai)."""


# --- Sign-up and e-mail verification ---------------------------------------------------------


def official_email_domains() -> tuple[str, ...]:
    return tuple(getattr(settings, "OFFICIAL_EMAIL_DOMAINS", DEFAULT_OFFICIAL_EMAIL_DOMAINS))


def is_official_email(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].strip().lower()
    return any(domain == d or domain.endswith("." + d) for d in official_email_domains())


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """One-shot: the token stops working once the account is active (or the e-mail changes)."""

    key_salt = "portal.accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.is_active}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


class AlreadyRegistered(Exception):
    """Sign-up with an address that has an account. The caller answers exactly as for a new
    address (the page must not tell who is registered) and tells the owner by e-mail
    (send_sign_up_notice)."""

    def __init__(self, user: User):
        super().__init__(user.pk)
        self.user = user


def _registered(email: str) -> User | None:
    return (
        User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email))
        .order_by("pk")
        .first()
    )


@transaction.atomic
def sign_up(*, email: str, password: str, first_name: str, last_name: str, **extra) -> User:
    """Create an inactive official account; it becomes usable once the e-mail is verified.
    The e-mail is also the user name. An address already registered raises AlreadyRegistered
    after the same work (a password hash) as a new account, so neither the answer nor its
    timing tells them apart."""
    email = normalise_email(email)
    if not is_official_email(email):
        raise AccountError(official_email_message())
    existing = _registered(email)
    if existing is not None:
        make_password(password)  # the cost of a new account's hash, thrown away
        raise AlreadyRegistered(existing)
    user = User(
        username=email,
        email=email,
        first_name=first_name.strip(),
        last_name=last_name.strip(),
        role=Role.OFFICIAL,
        is_active=False,
        position=extra.get("position", ""),
        phone=extra.get("phone", ""),
    )
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError as error:  # two sign-ups racing with the same address
        existing = _registered(email)
        if existing is None:
            raise
        raise AlreadyRegistered(existing) from error
    if extra.get("privacy_acknowledged"):
        from .privacy import record_acknowledgement

        record_acknowledgement(user)  # PDPA: which notice version, when (same transaction)
    return user


def awaiting_verification(user: User) -> bool:
    """Signed up, never verified: not active, never signed in, not closed."""
    from .pdpa_models import AccountClosure

    return (
        not user.is_active
        and user.last_login is None
        and user.has_usable_password()
        and not AccountClosure.objects.filter(user=user).exists()
    )


def send_sign_up_notice(user: User) -> bool:
    """Tell the owner of a registered address that someone tried to sign up with it: if it was
    them, sign in or reset the password (or, never verified, the verification link again).
    At most RATELIMITS["sign_up_notice"] per account, so sign-up can't be used to flood a
    mailbox. Returns whether it was sent."""
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    from .ratelimit import over_limit

    if not user.email or user.email.endswith(".invalid"):  # anonymised
        return False
    if over_limit("sign_up_notice", None, key=f"user{user.pk}") is not None:
        return False
    context = {
        "user": user,
        "sign_in_url": f"{settings.SITE_URL}{reverse('portal:login')}",
        "reset_url": f"{settings.SITE_URL}{reverse('portal:password_reset')}",
        "verify_url": verification_url(user) if awaiting_verification(user) else "",
    }
    send_mail(
        render_to_string("registration/sign_up_notice_subject.txt", context).strip(),
        render_to_string("registration/sign_up_notice.txt", context),
        None,
        [user.email],
    )
    return True


def verify_email(user: User, token: str) -> bool:
    """Activate the account if the token is valid. A used or expired token returns False."""
    if user.is_active or not email_verification_token.check_token(user, token):
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True


# --- Agencies and membership -----------------------------------------------------------------


def search_agencies(query: str, limit: int = 20) -> QuerySet[Agency]:
    """Agencies whose Thai name, English name or abbreviation contains the query."""
    query = (query or "").strip()
    if not query:
        return Agency.objects.none()
    return (
        Agency.objects.filter(is_active=True)
        .filter(
            Q(name_th__icontains=query)
            | Q(abbreviation__icontains=query)
            | Q(name_en__icontains=query)
        )
        .select_related("parent__parent")
        .order_by("name_th")[:limit]
    )


def pending_request(user) -> MembershipRequest | None:
    return user.membership_requests.filter(state=MembershipRequest.State.PENDING).first()


@transaction.atomic
def request_membership(user: User, agency: Agency, note: str = "") -> MembershipRequest:
    if user.agency_id:
        raise AccountError(_("บัญชีนี้เป็นสมาชิกของหน่วยงานแล้ว"))
    if not agency.is_active:
        raise AccountError(_("หน่วยงานนี้ไม่ได้ดำเนินงานแล้ว"))
    if pending_request(user) is not None:
        raise AccountError(_("มีคำขอที่รออนุมัติอยู่แล้ว โปรดรอผลการพิจารณา"))
    try:
        with transaction.atomic():
            return MembershipRequest.objects.create(user=user, agency=agency, note=note)
    except IntegrityError as error:  # a double click: the constraint keeps one pending
        raise AccountError(_("มีคำขอที่รออนุมัติอยู่แล้ว โปรดรอผลการพิจารณา")) from error


def coordinated_agency_ids(user) -> list[int]:
    """Agencies this user coordinates: an approved coordinator request for their own agency."""
    if not (user.is_authenticated and user.is_active and user.agency_id):
        return []
    return list(
        MembershipRequest.objects.filter(
            user=user,
            agency_id=user.agency_id,
            state=MembershipRequest.State.APPROVED,
            is_coordinator=True,
        ).values_list("agency_id", flat=True)
    )


def requests_decidable_by(user) -> QuerySet[MembershipRequest]:
    """Pending requests this user may approve: all for staff, their agency's for a coordinator."""
    pending = MembershipRequest.objects.filter(state=MembershipRequest.State.PENDING)
    if not (user.is_authenticated and user.is_active):
        return pending.none()
    if user.is_secretariat:
        return pending
    return pending.filter(agency_id__in=coordinated_agency_ids(user))


@transaction.atomic
def decide_membership(
    request_id: int, by: User, approve: bool, note: str = ""
) -> MembershipRequest:
    membership = requests_decidable_by(by).select_for_update().filter(pk=request_id).first()
    if membership is None:
        raise PermissionDenied(_("ไม่มีสิทธิ์พิจารณาคำขอนี้ หรือคำขอนี้ได้รับการพิจารณาแล้ว"))
    membership.state = (
        MembershipRequest.State.APPROVED if approve else MembershipRequest.State.REJECTED
    )
    membership.decided_by = by
    membership.decided_at = timezone.now()
    if note:
        membership.note = f"{membership.note}\n{note}".strip()
    membership.save()
    if approve:
        member = membership.user
        member.agency = membership.agency
        member.save(update_fields=["agency"])
    return membership


# --- Signing in: lockout and the second factor --------------------------------------------------


def lockout_username(request, credentials=None) -> str | None:
    """The user name django-axes counts failed sign-ins under (AXES_USERNAME_CALLABLE).

    Whatever was typed is stored in axes' tables, so it is bounded here: control characters
    (PostgreSQL refuses NUL) removed and cut to a user name's length (a 300-character "name"
    broke the varchar(255) write and turned a wrong password into a 500)."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "data", request.POST).get("username")
    if typed is None:
        return None
    cleaned = "".join(ch for ch in str(typed) if ch.isprintable())
    return cleaned[: User._meta.get_field("username").max_length]


class LockoutBackend(AxesStandaloneBackend):
    """django-axes on every web sign-in (the site's and the admin's login forms).

    authenticate() without a request is not a web sign-in (a shell, the test client's
    login()): nothing to count there, so it is passed on to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


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
    the API, session or token (portal.api_policy.SecondFactor*Authentication)."""
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
    answer for themselves (403 JSON, portal.api_policy), for a session and a token alike.

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


def safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def verification_url(user: User) -> str:
    from django.utils.encoding import force_bytes
    from django.utils.http import urlsafe_base64_encode

    path = reverse(
        "portal:verify_email",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": email_verification_token.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def send_verification_email(user: User) -> None:
    from django.core.mail import send_mail
    from django.template.loader import render_to_string

    context = {"user": user, "url": verification_url(user)}
    send_mail(
        render_to_string("registration/verify_email_subject.txt", context).strip(),
        render_to_string("registration/verify_email.txt", context),
        None,
        [user.email],
    )


# --- The second factor: devices, recovery codes, API tokens --------------------------------------

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

    from .audit import AuditAction, record_access

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
