"""Queueing and delivering notifications.

notify(kind, about, recipients, occasion)   inside the caller's transaction: one row per
                                            recipient (in their language), skipping anyone
                                            already told on this occasion; each row is sent
                                            by a task after commit (nothing on rollback)
deliver(notification_id)                    the task's work: claim the row, send the e-mail,
                                            record sent, or the error and the attempt
requeue_stale()                             periodic: rows a lost message left queued
resend(notifications)                       staff's action in the outbox
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import translation

from portal.site_address import absolute

from . import kinds
from .models import Notification, NotificationSchedule, NotificationTemplate, parse_days

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Recipient:
    """A person to tell: a user (inbox and e-mail, in their language) or only an address
    (an entry's contact person, told in Thai)."""

    email: str
    language: str = settings.LANGUAGE_CODE
    name: str = ""
    user: object = None

    @classmethod
    def of_user(cls, user) -> "Recipient":
        return cls(
            email=user.email,
            language=getattr(user, "language", "") or settings.LANGUAGE_CODE,
            name=user.get_full_name() or user.username,
            user=user,
        )


def unique_recipients(recipients) -> list[Recipient]:
    """Each address once (a user wins over a bare address); no empty addresses."""
    chosen: dict[str, Recipient] = {}
    for recipient in recipients:
        key = (recipient.email or "").strip().lower()
        if key and (key not in chosen or (recipient.user and not chosen[key].user)):
            chosen[key] = recipient
    return list(chosen.values())


def wording(kind: kinds.NotificationKind, language: str) -> tuple[str, str]:
    """Subject and body templates of a kind in a language: staff's, else the shipped default
    (its Thai msgid translated)."""
    saved = NotificationTemplate.objects.filter(kind=kind.code, language=language).first()
    if saved is not None:
        return saved.subject, saved.body
    with translation.override(language):
        return str(kind.subject), str(kind.body)


def render(kind: kinds.NotificationKind, about, recipient: Recipient, texts=None):
    """(subject, body) for this recipient, in their language, with real values."""
    with translation.override(recipient.language):
        subject, body = texts or wording(kind, recipient.language)
        values = {
            "recipient_name": recipient.name or recipient.email,
            "site_url": absolute("/"),
            **kind.values(about, recipient),
        }
        return kinds.fill(subject, values).strip().replace("\n", " ")[:300], kinds.fill(
            body, values
        )


def notify(
    kind_code: str,
    about,
    recipients,
    occasion: str = "",
    link: str = "",
    attachments=None,
    texts=None,
) -> list[Notification]:
    """Queue one message of a kind about `about` to each recipient, once per occasion.

    Call it inside the transaction that makes the change: rolled back, nobody is told.
    `attachments(recipient)` may return text files [{"filename", "content_type", "content"}].
    `texts(language)` may give the (subject, body) templates instead of the kind's wording
    (a letter staff wrote for one sending)."""
    kind = kinds.get_kind(kind_code)
    content_type = ContentType.objects.get_for_model(about)
    made = []
    for recipient in unique_recipients(recipients):
        email = recipient.email.strip()
        already = Notification.objects.filter(
            kind=kind.code,
            content_type=content_type,
            object_id=about.pk,
            email__iexact=email,
            occasion=occasion,
        )
        if already.exists():
            continue
        subject, body = render(
            kind, about, recipient, texts=texts(recipient.language) if texts else None
        )
        try:
            with transaction.atomic():
                notification = Notification.objects.create(
                    kind=kind.code,
                    recipient=recipient.user,
                    email=email,
                    language=recipient.language,
                    subject=subject,
                    body=body,
                    attachments=attachments(recipient) if attachments else [],
                    content_type=content_type,
                    object_id=about.pk,
                    occasion=occasion,
                    link=link,
                )
        except IntegrityError:  # the same message queued a moment ago by another process
            continue
        made.append(notification)
        enqueue(notification.pk)
    return made


def enqueue(notification_id: int) -> None:
    """Send after commit. Robust: a broker that is down never turns the change that caused
    the message into an error; the periodic repair (tasks.requeue_stale) sends it later."""
    from .tasks import send_notification

    transaction.on_commit(lambda: send_notification.delay(notification_id), robust=True)


def resend(notifications) -> int:
    """Staff send rows again (a failed one, or a message someone lost): queued afresh."""
    pks = list(notifications.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=pks).update(
        state=Notification.State.QUEUED, claimed_at=None, attempts=0, last_error=""
    )
    for pk in pks:
        enqueue(pk)
    return len(pks)


def schedule_days(kind_code: str) -> tuple[int, ...]:
    """A reminder's days before its date: staff's schedule, else the kind's default."""
    saved = NotificationSchedule.objects.filter(kind=kind_code).first()
    if saved is not None:
        try:
            return parse_days(saved.days_before)
        except ValueError:
            logger.error("schedule of %s is unreadable: %r", kind_code, saved.days_before)
    return kinds.get_kind(kind_code).days_before


def reminder_due(days_left: int, schedule: tuple[int, ...]) -> int | None:
    """Which reminder of a schedule is due with `days_left` to go: the nearest one at or
    above it (a day beat missed is caught up by the next, never sent twice), or None."""
    due = [day for day in schedule if day >= days_left >= 0]
    return min(due) if due else None
