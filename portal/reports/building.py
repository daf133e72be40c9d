"""The worker's side of the report machinery: claim a queued report, run the builder its kind
registered (kinds.py), store the file or the error; and delete files past their retention."""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from .kinds import ReportError, find_kind
from .models import Report

logger = logging.getLogger(__name__)


def claim(report_id: int) -> Report | None:
    """Mark a report running for this attempt; None if it is no longer to be built (ready,
    failed, expired or deleted). A message delivered twice finds nothing left to do."""
    now = timezone.now()
    with transaction.atomic():
        report = (
            Report.objects.select_for_update()
            .filter(pk=report_id, state__in=[Report.State.QUEUED, Report.State.RUNNING])
            .first()
        )
        if report is None:
            return None
        report.state = Report.State.RUNNING
        report.started_at = now
        report.attempts += 1
        report.save(update_fields=["state", "started_at", "attempts"])
    return report


def build(report_id: int) -> Report | None:
    """Build one report (called by the task). Errors a builder raises on purpose
    (ReportError) fail the report at once; other errors propagate so the task retries."""
    report = claim(report_id)
    if report is None:
        return None
    kind = find_kind(report.kind)
    if kind is None:
        return fail(report, _("ไม่มีรายงานชนิดนี้"))
    try:
        with translation.override(report.parameters.get("language", settings.LANGUAGE_CODE)):
            built = kind.build(report.parameters[kind.parameter])
    except ReportError as error:
        return fail(report, str(error))
    storage = Report._meta.get_field("file").storage
    old_name = report.file.name
    report.file.save(built.filename, ContentFile(built.content), save=False)
    report.filename = built.filename
    report.content_type = built.content_type
    report.size = len(built.content)
    report.state = Report.State.READY
    report.error = ""
    report.finished_at = timezone.now()
    report.save(
        update_fields=["file", "filename", "content_type", "size", "state", "error", "finished_at"]
    )
    if old_name and old_name != report.file.name:
        storage.delete(old_name)
    return report


def fail(report: Report, message: str) -> Report:
    report.state = Report.State.FAILED
    report.error = message[:2000]
    report.finished_at = timezone.now()
    report.save(update_fields=["state", "error", "finished_at"])
    logger.warning("report %s (%s) failed: %s", report.pk, report.kind, message)
    return report


def fail_by_id(report_id: int, message: str) -> None:
    report = Report.objects.filter(pk=report_id).first()
    if report is not None and report.is_pending:
        fail(report, message)


def purge_expired(now=None) -> int:
    """Delete the files of reports finished more than REPORT_RETENTION_DAYS ago (the row
    stays, marked expired, so the list says so); returns how many were purged."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.REPORT_RETENTION_DAYS)
    purged = 0
    for report in Report.objects.filter(
        finished_at__lt=cutoff, state__in=[Report.State.READY, Report.State.FAILED]
    ).iterator():
        if report.file:
            report.file.delete(save=False)
        report.state = Report.State.EXPIRED
        report.file = ""
        report.save(update_fields=["state", "file"])
        purged += 1
    return purged
