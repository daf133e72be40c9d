"""The portal's Celery tasks: building reports, and the periodic clean-up of old ones."""

import logging

from celery import shared_task
from django.db import DatabaseError
from django.utils.translation import gettext as _

from . import reports

logger = logging.getLogger(__name__)

MAX_RETRIES = 3


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def build_report(self, report_id: int) -> str:
    """Build one report. Takes the id only and re-reads the row; a report already built
    (a message delivered twice) is left alone. Unexpected errors (the database, the disk)
    are retried with exponential backoff; after the last try the report is marked failed
    with the error, so the person waiting sees it instead of a spinner forever."""
    try:
        report = reports.build(report_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.exception("report %s failed after %s tries", report_id, self.max_retries + 1)
            reports.fail_by_id(report_id, _("จัดทำรายงานไม่สำเร็จ: %(error)s") % {"error": error})
            return "failed"
        countdown = 2 ** (self.request.retries + 1)
        if isinstance(error, DatabaseError):
            logger.warning("report %s: database error, retrying in %ss", report_id, countdown)
        # In-process (eager) mode a retry runs again at once; a worker waits `countdown`.
        return self.retry(exc=error, countdown=countdown, throw=not self.request.is_eager)
    return report.state if report is not None else "skipped"


@shared_task
def purge_expired_reports() -> dict:
    """Periodic (settings.CELERY_BEAT_SCHEDULE): delete files past REPORT_RETENTION_DAYS and
    send again the reports a lost message left queued."""
    return {"purged": reports.purge_expired(), "requeued": reports.requeue_stale()}


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_verification_email(self, user_id: int) -> str:
    """The sign-up's verification e-mail, off the request path. A user already verified or
    gone (a message delivered twice, a closed account) gets nothing; a mail server that
    refuses is retried with backoff."""
    from .accounts import send_verification_email as send
    from .models import User

    user = User.objects.filter(pk=user_id, is_active=False).first()
    if user is None:
        return "skipped"
    try:
        send(user)
    except OSError as error:  # smtplib's errors are OSErrors
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 2)) from error
    return "sent"


@shared_task(bind=True, max_retries=5, acks_late=True)
def send_sign_up_notice(self, user_id: int) -> str:
    """Someone signed up with a registered address: tell its owner (off the request path, as
    a new account's verification e-mail is, so the answer takes as long either way)."""
    from .accounts import send_sign_up_notice as send
    from .models import User

    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return "skipped"
    try:
        sent = send(user)
    except OSError as error:  # smtplib's errors are OSErrors
        raise self.retry(exc=error, countdown=2 ** (self.request.retries + 2)) from error
    return "sent" if sent else "skipped"
