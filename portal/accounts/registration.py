"""Signing up with an official e-mail and verifying it: the rules the sign-up pages call."""

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from portal.accounts.models import Role, User
from portal.site_address import absolute

from .exceptions import AccountError

# Government, university, military and state-enterprise domains in Thailand.
DEFAULT_OFFICIAL_EMAIL_DOMAINS = ("go.th", "ac.th", "mi.th", "or.th")


def official_email_message() -> str:
    return _("โปรดใช้อีเมลของหน่วยงานราชการ (ลงท้ายด้วย .go.th, .ac.th, .mi.th หรือ .or.th)")


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
        "sign_in_url": absolute(reverse("portal:login")),
        "reset_url": absolute(reverse("portal:password_reset")),
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
    return absolute(path)


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
