"""The assessor's home in the admin, "งานของฉัน": their sheets to do, drafts and submitted ones
with due dates, and their panels' coming site visits, one click to each (an assessor landing
on /admin/ is taken here); and the secretariat's progress per assessor and category, the late
ones first. What is counted is awards/progress.py's."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from .. import permissions, progress
from ..models import ScoreSheet
from .base import SITE_URLS, chosen_cycle

site = admin.site


def my_work_view(request):
    if not permissions.is_assessor(request.user):
        raise PermissionDenied
    context = {
        **site.each_context(request),
        "title": _("งานของฉัน"),
        "work": progress.my_work(request.user),
        "today": progress.today(),
    }
    return TemplateResponse(request, "admin/awards/my_work.html", context)


def progress_view(request):
    if not permissions.can_manage_assessment(request.user):
        raise PermissionDenied
    cycles, cycle = chosen_cycle(request)
    rows = progress.progress(cycle) if cycle else []
    context = {
        **site.each_context(request),
        "title": _("ความคืบหน้าการประเมิน"),
        "cycles": cycles,
        "cycle": cycle,
        "rows": rows,
        "late": sum(1 for row in rows if row.late),
        "opts": ScoreSheet._meta,
    }
    return TemplateResponse(request, "admin/awards/progress.html", context)


SITE_URLS.extend(
    [
        path("my-work/", site.admin_view(my_work_view), name="awards_my_work"),
        path("assessment-progress/", site.admin_view(progress_view), name="awards_progress"),
    ]
)
_site_index = site.index


def _index(request, extra_context=None):
    """The admin's home sends an assessor to their own work."""
    if permissions.is_assessor(request.user):
        return redirect("admin:awards_my_work")
    return _site_index(request, extra_context)


site.index = _index
