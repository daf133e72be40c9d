"""PDPA (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562): the versioned privacy notice and its
acknowledgement, a user's copy of their personal data, account closure, and the anonymising
of closed accounts after the retention period.

Anonymising keeps every entry, score, result and state change intact — they are records of
the award that other people rely on — and scrubs what identifies the person: names, e-mail,
phone, position, sign-in records, tokens, second-factor devices, free-text notes about them
and the IP addresses in their audit events. The user row itself stays (as "closed-<id>"),
because entries and score sheets point at it."""

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from portal.privacy.audit import record_access
from portal.privacy.models import AccountClosure, AuditAction, AuditEvent, PrivacyAcknowledgement

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notice:
    version: str
    effective_on: datetime.date
    template: str


# Newest first. A new version is a new template; old ones stay readable at /privacy/v/<v>/.
NOTICES = [
    Notice("2569.1", datetime.date(2026, 11, 21), "portal/privacy/notice_2569_1.html"),
]


def current_notice() -> Notice:
    return NOTICES[0]


def notice(version: str) -> Notice | None:
    return next((n for n in NOTICES if n.version == version), None)


def record_acknowledgement(user, version: str | None = None) -> PrivacyAcknowledgement:
    """The user acknowledged a version of the notice (the current one by default). Call it
    inside the sign-up transaction; calling it twice for one version changes nothing."""
    version = version or current_notice().version
    if notice(version) is None:
        raise ValueError(f"no privacy notice version {version!r}")
    acknowledgement, _created = PrivacyAcknowledgement.objects.get_or_create(
        user=user, notice_version=version
    )
    return acknowledgement


def has_acknowledged_current(user) -> bool:
    return PrivacyAcknowledgement.objects.filter(
        user=user, notice_version=current_notice().version
    ).exists()


# --- The user's own data -----------------------------------------------------------------------


# What the rest of the portal holds about a person (agency membership, entries, assessments…):
# each app or concern registers a function of the user returning its sections of the download,
# and optionally one that scrubs its free text about them when the account is anonymised
# (AppConfig.ready). This module imports none of them.
_app_personal_data: list[Callable[[object], dict]] = []
_app_anonymisers: list[Callable[[object], None]] = []


def register_personal_data(
    sections: Callable[[object], dict], anonymise: Callable[[object], None] | None = None
) -> None:
    _app_personal_data.append(sections)
    if anonymise is not None:
        _app_anonymisers.append(anonymise)


def personal_data(user) -> dict:
    """Everything the portal holds about the user as a person, for the JSON download
    (right of access and data portability, PDPA s. 30–31)."""
    closure = AccountClosure.objects.filter(user=user).first()
    data = {
        "exported_at": timezone.now(),
        "privacy_notice_version": current_notice().version,
        "account": {
            "username": user.username,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "position": user.position,
            "phone": user.phone,
            "role": user.role,
            "agency": str(user.agency) if user.agency_id else None,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "is_active": user.is_active,
        },
        "privacy_acknowledgements": [
            {"notice_version": a.notice_version, "acknowledged_at": a.acknowledged_at}
            for a in user.privacy_acknowledgements.order_by("acknowledged_at")
        ],
        "access_log": [
            {"action": e.action, "object": e.object_repr, "at": e.at, "ip_address": e.ip_address}
            for e in AuditEvent.objects.filter(actor=user).order_by("at")[:1000]
        ],
        "account_closure": (
            {"requested_at": closure.requested_at, "anonymised_at": closure.anonymised_at}
            if closure
            else None
        ),
    }
    for app_sections in _app_personal_data:
        data.update(app_sections(user))
    return data


# --- Closing an account ------------------------------------------------------------------------


def retention_days() -> int:
    return int(getattr(settings, "ACCOUNT_RETENTION_DAYS", 90))


@transaction.atomic
def request_closure(user, reason: str = "", request=None) -> AccountClosure:
    """Close the account now: no more sign-ins (every session and API token stops working);
    the personal data is anonymised after the retention period."""
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    closure, _created = AccountClosure.objects.get_or_create(
        user=user, defaults={"reason": reason[:2000]}
    )
    user.is_active = False
    user.set_unusable_password()  # changes the session hash: every session ends
    user.save(update_fields=["is_active", "password"])
    _delete_credentials(user)
    record_access(user, user, AuditAction.CLOSE_ACCOUNT, request)
    return closure


def _delete_credentials(user):
    if apps.is_installed("rest_framework.authtoken"):
        apps.get_model("authtoken", "Token").objects.filter(user=user).delete()
    if apps.is_installed("django_otp"):
        from django_otp import devices_for_user

        for device in list(devices_for_user(user, confirmed=None)):
            device.delete()


def due_closures(now=None):
    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days())
    return AccountClosure.objects.filter(anonymised_at__isnull=True, requested_at__lte=cutoff)


def anonymise(closure_id: int, now=None) -> bool:
    """Anonymise one closed account if its retention period is over. Idempotent: returns
    False (and does nothing) when it was already done or is not due yet."""
    now = now or timezone.now()
    with transaction.atomic():
        closure = (
            due_closures(now).select_for_update().select_related("user").filter(pk=closure_id)
        ).first()
        if closure is None:
            return False
        user = closure.user
        old_username = user.username
        user.username = f"closed-{user.pk}"
        user.email = f"closed-{user.pk}@invalid.invalid"
        user.first_name = user.last_name = user.position = user.phone = ""
        user.is_active = user.is_staff = user.is_superuser = False
        user.last_login = None
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
        for anonymise in _app_anonymisers:
            anonymise(user)
        AuditEvent.objects.filter(actor=user).update(ip_address=None)
        _delete_credentials(user)
        if apps.is_installed("axes"):
            for model in ("AccessAttempt", "AccessLog", "AccessFailureLog"):
                apps.get_model("axes", model).objects.filter(username=old_username).delete()
        closure.anonymised_at = now
        closure.save(update_fields=["anonymised_at"])
        record_access(None, user, AuditAction.ANONYMISE)
    logger.info("anonymised closed account", extra={"user_id": user.pk})
    return True


def anonymise_due_accounts(now=None) -> int:
    """Anonymise every closed account whose retention period is over (the periodic task)."""
    ids = list(due_closures(now).values_list("pk", flat=True))
    return sum(anonymise(closure_id, now) for closure_id in ids)
