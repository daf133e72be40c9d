"""Sending notifications (Celery): one task per row, and the periodic repair."""

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from . import delivery
from .models import Notification


@shared_task(bind=True, max_retries=delivery.MAX_ATTEMPTS - 1, acks_late=True)
def send_notification(self, notification_id: int) -> str:
    """Send one notification. Takes the id, re-reads the row; a failing mail server is retried
    with exponential backoff (2, 4, 8, 16 minutes), the row keeping each error; after the last
    try the row is failed and waits for staff's resend."""
    try:
        return delivery.deliver(notification_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            return "failed"
        countdown = 60 * 2 ** (self.request.retries + 1)
        # In-process (eager) mode a retry runs again at once; a worker waits `countdown`.
        return self.retry(exc=error, countdown=countdown, throw=not self.request.is_eager)


@shared_task
def send_queued_notifications() -> int:
    """Periodic (CELERY_BEAT_SCHEDULE): rows a lost message left queued are sent again."""
    return requeue_stale()


def requeue_stale(now=None) -> int:
    """Queued rows whose message was lost are sent again (the periodic repair)."""
    now = now or timezone.now()
    stale = Notification.objects.filter(
        state=Notification.State.QUEUED, created_at__lt=now - delivery.STALE_AFTER
    ).filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - delivery.STALE_AFTER))
    count = 0
    for pk in stale.values_list("pk", flat=True)[:1000]:
        send_notification.delay(pk)
        count += 1
    return count
