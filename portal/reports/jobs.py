"""The report machinery: the worker runs the builders the apps registered (kinds.py).

An app describes each kind of report it can build in its own `reports.py` and calls
`kinds.register(ReportKind(...))` (every app's `reports.py` is imported at start-up, see
PortalConfig.ready); this module asks nothing about what a report contains. The flow:

    request_report(user, kind, params)   checks the parameters and the permission, creates a
                                         Report (queued) — or returns the one already queued or
                                         running for the same kind and parameters — and
                                         enqueues the build after commit
    build(report_id)                     (the Celery task calls it) runs the builder and stores
                                         the file: ready, or failed with the error
    purge_expired()                      (periodic) deletes files older than the retention
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from portal.reports.models import Report

from .kinds import ReportDenied, ReportError, clean_value, find_kind, fingerprint, get_kind

logger = logging.getLogger(__name__)


def can_see(user, report: Report) -> bool:
    """Anyone allowed to see the data the report is made of (and who is signed in)."""
    if not (user.is_authenticated and user.is_active):
        return False
    kind = find_kind(report.kind)
    if kind is None:
        return False
    value = report.parameters.get(kind.parameter)
    return value is not None and kind.allowed(user, value)


def reports_of(user) -> QuerySet[Report]:
    """The reports a user asked for (their "my reports" list)."""
    if not (user.is_authenticated and user.is_active):
        return Report.objects.none()
    return Report.objects.filter(requested_by=user)


def request_report(user, kind_code: str, raw_value) -> tuple[Report, bool]:
    """Ask for a report. Returns (report, created): the same kind and parameters already
    queued or running is returned as is, not built a second time."""
    kind = get_kind(kind_code)
    if not kind.available_to(user):
        raise ReportDenied(_("คุณไม่มีสิทธิ์ขอรายงานชนิดนี้"))
    value = clean_value(kind, raw_value)
    if not kind.allowed(user, value):
        # The same answer whether the thing does not exist or is not theirs to see.
        raise ReportDenied(
            _("ไม่พบ%(what)s ที่เลือก หรือคุณไม่มีสิทธิ์เข้าถึง") % {"what": kind.parameter_label}
        )
    parameters = {kind.parameter: value}
    # The worker builds it in the language of the person asking (their names, their labels);
    # Thai, the default, is left implicit.
    language = translation.get_language()
    if language and language != settings.LANGUAGE_CODE:
        parameters["language"] = language
    print_ = fingerprint(kind.code, parameters)
    pending = Report.objects.filter(
        fingerprint=print_, state__in=[Report.State.QUEUED, Report.State.RUNNING]
    )
    existing = pending.first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            report = Report.objects.create(
                kind=kind.code, parameters=parameters, fingerprint=print_, requested_by=user
            )
    except IntegrityError:
        # Someone asked for the same report a moment ago: the constraint kept it single.
        existing = pending.first()
        if existing is None:
            raise
        return existing, False
    from portal.reports.tasks import build_report

    build_report.delay_on_commit(report.pk)
    return report, True


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


def requeue_stale(now=None, after: timedelta = timedelta(minutes=30)) -> int:
    """Reports queued (or left running by a lost worker) for too long are sent again."""
    from portal.reports.tasks import build_report

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
