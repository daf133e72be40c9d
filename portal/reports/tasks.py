"""Building reports, and the periodic clean-up of old ones."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import DatabaseError
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from . import building
from .models import Report

logger = logging.getLogger(__name__)

MAX_RETRIES = 3


@shared_task(bind=True, max_retries=MAX_RETRIES, acks_late=True)
def build_report(self, report_id: int) -> str:
    """Build one report. Takes the id only and re-reads the row; a report already built
    (a message delivered twice) is left alone. Unexpected errors (the database, the disk)
    are retried with exponential backoff; after the last try the report is marked failed
    with the error, so the person waiting sees it instead of a spinner forever."""
    try:
        report = building.build(report_id)
    except Exception as error:
        if self.request.retries >= self.max_retries:
            logger.exception("report %s failed after %s tries", report_id, self.max_retries + 1)
            building.fail_by_id(report_id, _("จัดทำรายงานไม่สำเร็จ: %(error)s") % {"error": error})
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
    return {"purged": building.purge_expired(), "requeued": requeue_stale()}


def requeue_stale(now=None, after: timedelta = timedelta(minutes=30)) -> int:
    """Reports queued (or left running by a lost worker) for too long are sent again."""
    now = now or timezone.now()
    stale = Report.objects.filter(
        Q(state=Report.State.QUEUED, created_at__lt=now - after)
        | Q(state=Report.State.RUNNING, started_at__lt=now - after)
    ).values_list("pk", flat=True)
    count = 0
    for pk in stale:
        build_report.delay(pk)
        count += 1
    return count
