"""Background work of the award cycle (Celery). Tasks take ids, re-read the database, are
idempotent and retried with backoff; callers enqueue them after commit."""

import datetime
import smtplib

from celery import shared_task
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from portal.site_address import absolute

from .answers import contact_emails
from .models import Entry, EntryState

# A confirmation not sent this long after submission is considered lost and sent again.
CONFIRMATION_GRACE = datetime.timedelta(minutes=10)


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_submission_confirmation(self, entry_id: int) -> bool:
    """E-mail the submitter and the entry's contact person that the entry was received.

    Idempotent: the entry row is claimed (confirmation_sent_at) before sending, so a message
    delivered twice sends one e-mail; if sending fails the claim is released and the task is
    retried. Nothing is sent if the entry is no longer submitted."""
    claimed = Entry.objects.filter(
        pk=entry_id, state=EntryState.SUBMITTED, confirmation_sent_at__isnull=True
    ).update(confirmation_sent_at=timezone.now())
    if not claimed:
        return False
    entry = Entry.objects.select_related(
        "agency", "category__cycle", "category__branch", "submitted_by"
    ).get(pk=entry_id)
    try:
        _send(entry)
    except Exception:
        Entry.objects.filter(pk=entry_id).update(confirmation_sent_at=None)
        raise
    return True


def _send(entry: Entry) -> None:
    recipients = []
    for address in (getattr(entry.submitted_by, "email", ""), *contact_emails(entry)):
        if address and address.lower() not in {r.lower() for r in recipients}:
            recipients.append(address)
    if not recipients:
        return
    with translation.override("th"):
        path = reverse("awards:entry", kwargs={"public_id": entry.public_id})
        context = {"entry": entry, "url": absolute(path)}
        subject = render_to_string("awards/email/submitted_subject.txt", context).strip()
        body = render_to_string("awards/email/submitted.txt", context)
    EmailMessage(subject, body, to=recipients).send()


@shared_task
def send_missing_confirmations() -> int:
    """Periodic repair: a confirmation whose message was lost (broker down at submission,
    worker killed) is sent again. Looks back a week."""
    now = timezone.now()
    stale = Entry.objects.filter(
        state=EntryState.SUBMITTED,
        confirmation_sent_at__isnull=True,
        submitted_at__lt=now - CONFIRMATION_GRACE,
        submitted_at__gte=now - datetime.timedelta(days=7),
    ).values_list("pk", flat=True)
    count = 0
    for entry_id in stale:
        send_submission_confirmation.delay(entry_id)
        count += 1
    return count
