"""Background work of the award cycle (Celery). Tasks take ids, re-read the database, are
idempotent and retried with backoff; callers enqueue them after commit (delay_on_commit)."""

import smtplib

from celery import shared_task
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .models import Entry, EntryState


@shared_task(
    bind=True,
    autoretry_for=(smtplib.SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=8,
)
def send_submission_confirmation(self, entry_id: int) -> bool:
    """E-mail the submitter and the entry's contact person that the entry was received.

    Idempotent: one e-mail per submission (entry, reference, time), even if the message is
    delivered twice; nothing is sent if the entry is no longer submitted."""
    entry = (
        Entry.objects.select_related(
            "agency", "category__cycle", "category__branch", "submitted_by"
        )
        .filter(pk=entry_id)
        .first()
    )
    if entry is None or entry.state != EntryState.SUBMITTED or entry.submitted_at is None:
        return False
    key = f"entry-confirmation:{entry.pk}:{entry.reference}:{entry.submitted_at.timestamp()}"
    if cache.get(key):
        return False
    recipients = []
    for address in (getattr(entry.submitted_by, "email", ""), entry.contact_email):
        if address and address.lower() not in {r.lower() for r in recipients}:
            recipients.append(address)
    if not recipients:
        return False
    with translation.override("th"):
        context = {
            "entry": entry,
            "url": settings.SITE_URL
            + reverse("awards:entry", kwargs={"public_id": entry.public_id}),
        }
        subject = render_to_string("awards/email/submitted_subject.txt", context).strip()
        body = render_to_string("awards/email/submitted.txt", context)
    EmailMessage(subject, body, to=recipients).send()
    cache.set(key, True, timeout=60 * 60 * 24 * 30)
    return True
