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

from portal.accounts.models import MembershipRequest, Role, User
from portal.agencies.models import Agency

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
        from portal.privacy.pdpa import record_acknowledgement

        record_acknowledgement(user)  # PDPA: which notice version, when (same transaction)
    return user


def awaiting_verification(user: User) -> bool:
    """Signed up, never verified: not active, never signed in, not closed."""
    from portal.privacy.models import AccountClosure

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

    from portal.operations.ratelimit import over_limit

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
        render_to_string("portal/accounts/sign_up_notice_subject.txt", context).strip(),
        render_to_string("portal/accounts/sign_up_notice.txt", context),
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
    """Staff and assessors must prove a second factor (TOTP) before using the admin, unless
    the deployment turned it off (settings.ADMIN_REQUIRE_2FA, off with DEBUG)."""
    if not getattr(settings, "ADMIN_REQUIRE_2FA", True):
        return False
    return bool(
        user.is_authenticated
        and (user.is_staff or user.is_superuser or user.role in (Role.STAFF, Role.ASSESSOR))
    )


def has_confirmed_device(user) -> bool:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


class AdminSecondFactorMiddleware:
    """Sends a signed-in staff member or assessor who has not proved a second factor in this
    session from any admin page to the TOTP step (set-up first if they have no device).

    Runs after django_otp's OTPMiddleware, which gives request.user.is_verified()."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        admin_prefix = reverse("admin:index")
        user = getattr(request, "user", None)
        if (
            user is not None
            and request.path.startswith(admin_prefix)
            and second_factor_required(user)
            and not user.is_verified()
        ):
            step = "portal:otp_verify" if has_confirmed_device(user) else "portal:otp_setup"
            return redirect(f"{reverse(step)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


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
        render_to_string("portal/accounts/verify_email_subject.txt", context).strip(),
        render_to_string("portal/accounts/verify_email.txt", context),
        None,
        [user.email],
    )


# --- The second factor: setting up and proving a TOTP device ------------------------------------


def unconfirmed_device(user):
    """The TOTP device being set up (created on first visit, kept until confirmed)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=_("แอปยืนยันตัวตน"), confirmed=False)
    return device


def confirm_device(user, token: str):
    """Confirm the device being set up with a token from the app; returns it or None."""
    device = unconfirmed_device(user)
    if not device.verify_token(token):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return device


def verify_second_factor(user, token: str):
    """The confirmed device that accepts this token, or None (throttled by django-otp)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(token):
            return device
    return None
