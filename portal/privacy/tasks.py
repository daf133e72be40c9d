"""Periodic PDPA work (scheduled in settings.CELERY_BEAT_SCHEDULE)."""

from celery import shared_task


@shared_task(
    name="portal.privacy.anonymise_closed_accounts",
    autoretry_for=(Exception,),
    retry_backoff=True,
    max_retries=5,
    acks_late=True,
)
def anonymise_closed_accounts() -> int:
    """Idempotent: each account is re-read and anonymised at most once."""
    from portal.privacy.pdpa import anonymise_due_accounts

    return anonymise_due_accounts()
