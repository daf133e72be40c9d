"""The site-visit calendar (by day; a cycle, a province, a panel) with clash warnings, and the
assessors' declared unavailable days. Staff see every visit, an assessor their panels'."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.agencies.models import Province

from .. import permissions, site_visit_calendar
from ..models import Cycle, Panel, SiteVisit, Unavailability
from .base import SITE_URLS, OwnRowsMixin, ScopedAdmin

site = admin.site


class CalendarFilter(forms.Form):
    cycle = forms.ModelChoiceField(
        label=gettext_lazy("ปีรางวัล"), queryset=Cycle.objects.all(), required=False
    )
    province = forms.ModelChoiceField(
        label=gettext_lazy("จังหวัด"), queryset=Province.objects.all(), required=False
    )
    panel = forms.ModelChoiceField(
        label=gettext_lazy("คณะ"), queryset=Panel.objects.none(), required=False
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["panel"].queryset = permissions.panels_visible_to(user).select_related("cycle")


def calendar_view(request):
    if not (permissions.is_secretariat(request.user) or permissions.is_assessor(request.user)):
        raise PermissionDenied
    form = CalendarFilter(request.GET or None, user=request.user)
    chosen = form.cleaned_data if form.is_valid() else {}
    context = {
        **site.each_context(request),
        "title": _("ปฏิทินการลงพื้นที่ตรวจประเมิน"),
        "opts": SiteVisit._meta,
        "form": form,
        "days": site_visit_calendar.calendar(
            request.user, chosen.get("cycle"), chosen.get("province"), chosen.get("panel")
        ),
    }
    return TemplateResponse(request, "admin/awards/site_visit_calendar.html", context)


SITE_URLS.append(
    path("site-visit-calendar/", site.admin_view(calendar_view), name="awards_site_visit_calendar")
)


@admin.register(Unavailability)
class UnavailabilityAdmin(OwnRowsMixin, ScopedAdmin):
    list_display = ["assessor", "starts_on", "ends_on", "reason"]
    list_select_related = ["assessor"]
    autocomplete_fields = ["assessor"]
