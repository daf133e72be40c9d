"""Delivering one notification: the Celery task's work (tasks.send_notification)."""

import logging
from datetime import timedelta

from django.core.mail import EmailMessage
from django.db.models import F, Q
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

# A row still queued this long after it was made lost its message (broker down, worker killed).
STALE_AFTER = timedelta(minutes=10)
# Tries before a row is marked failed (staff can resend it from the outbox).
MAX_ATTEMPTS = 5


def deliver(notification_id: int) -> str:
    """Send one queued notification. Claims the row first, so a message delivered twice
    sends one e-mail; on failure the row keeps the error and the attempt and the exception
    propagates (the task retries)."""
    now = timezone.now()
    claimed = (
        Notification.objects.filter(pk=notification_id, state=Notification.State.QUEUED)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - STALE_AFTER))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return "skipped"
    notification = Notification.objects.get(pk=notification_id)
    try:
        message = EmailMessage(notification.subject, notification.body, to=[notification.email])
        for file in notification.attachments:
            message.attach(file["filename"], file["content"], file["content_type"])
        message.send()
    except Exception as error:
        give_up = notification.attempts >= MAX_ATTEMPTS
        Notification.objects.filter(pk=notification_id).update(
            claimed_at=None,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            state=Notification.State.FAILED if give_up else Notification.State.QUEUED,
        )
        logger.warning(
            "notification %s: attempt %s failed: %s", notification_id, notification.attempts, error
        )
        raise
    Notification.objects.filter(pk=notification_id).update(
        state=Notification.State.SENT, sent_at=timezone.now(), claimed_at=None
    )
    return "sent"
