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

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from portal.reports.models import Report

from .kinds import ReportDenied, clean_value, find_kind, fingerprint, get_kind

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
    from .tasks import build_report

    build_report.delay_on_commit(report.pk)
    return report, True
