"""Reports on the site: ask for one, watch it being built (htmx polling), download it.

Thin: the rules (who may ask for what, deduplication) are in portal/reports/requesting.py."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.privacy.audit import AuditAction, record_access
from portal.reports.models import Report

from . import kinds, requesting

POLL_SECONDS = 2


def _visible_report(request, public_id) -> Report:
    report = get_object_or_404(Report, public_id=public_id)
    if not requesting.can_see(request.user, report):
        # Reports carry unpublished entries and scores: a refused look is audited.
        record_access(request.user, report, AuditAction.DENIED, request)
        raise Http404
    return report


@login_required
@require_GET
def report_list(request):
    return render(
        request,
        "portal/reports/list.html",
        {
            "reports": requesting.reports_of(request.user)[:50],
            "kinds": kinds.kinds_for(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_new(request, kind):
    try:
        report_kind = kinds.get_kind(kind)
    except kinds.ReportError:
        raise Http404 from None
    if not report_kind.available_to(request.user):
        raise Http404
    error = None
    chosen = request.POST.get("value") if request.method == "POST" else request.GET.get("value")
    if request.method == "POST":
        try:
            report, created = requesting.request_report(request.user, kind, chosen)
        except kinds.ReportError as exc:
            error = str(exc)
        else:
            if not created:
                messages.info(request, _("รายงานนี้กำลังจัดทำอยู่แล้ว ไม่ต้องขอซ้ำ"))
            return redirect("reports:detail", public_id=report.public_id)
    options = [(str(value), label) for value, label in report_kind.options(request.user)]
    return render(
        request,
        "portal/reports/new.html",
        {"kind": report_kind, "options": options, "chosen": chosen or "", "error": error},
        status=400 if error else 200,
    )


@login_required
@require_GET
def report_detail(request, public_id):
    report = _visible_report(request, public_id)
    template = "portal/reports/_status.html" if request.htmx else "portal/reports/detail.html"
    return render(
        request,
        template,
        {"report": report, "kind": kinds.get_kind(report.kind), "poll_seconds": POLL_SECONDS},
    )


@login_required
@require_GET
def report_download(request, public_id):
    report = _visible_report(request, public_id)
    if report.state != Report.State.READY or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    record_access(request.user, report, AuditAction.DOWNLOAD, request)
    response = FileResponse(
        handle, as_attachment=True, filename=report.filename, content_type=report.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
