"""Cycles, branches, categories and their rubrics (criteria): the secretariat's set-up screens."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .. import scoring
from ..models import (
    Branch,
    Category,
    Criterion,
    Cycle,
)
from ..scoring import ScoringError


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "code", "order"]
    search_fields = ["name_th", "name_en", "code"]


@admin.register(Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = [
        "year_be",
        "title",
        "applications_open_at",
        "applications_close_at",
        "results_published_at",
    ]
    search_fields = ["title", "year_be"]
    readonly_fields = ["results_published_at"]
    actions = ["announce_results", "results_report"]

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=gettext_lazy("ประกาศผลของปีรางวัลที่เลือก"))
    def announce_results(self, request, queryset):
        for cycle in queryset:
            try:
                scoring.announce_results(cycle, request.user)
                self.message_user(request, _("ประกาศผล %(cycle)s แล้ว") % {"cycle": cycle})
            except ScoringError as error:
                self.message_user(request, str(error), messages.ERROR)

    @admin.action(description=gettext_lazy("สร้างไฟล์ผลการประเมินทั้งปี (Excel) ในเบื้องหลัง"))
    def results_report(self, request, queryset):
        return request_results_report(self, request, queryset.first())


def request_results_report(model_admin, request, cycle):
    """The whole cycle's results are built by the worker (portal's report machinery)."""
    from portal.reports.kinds import ReportError
    from portal.reports.requesting import request_report

    try:
        report, _created = request_report(request.user, "results", cycle.pk)
    except ReportError as error:
        model_admin.message_user(request, str(error), messages.ERROR)
        return None
    return redirect("reports:detail", public_id=report.public_id)


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "branch", "cycle", "code", "order"]
    list_filter = ["cycle", "branch"]
    list_select_related = ["branch", "cycle"]
    search_fields = ["name_th", "name_en", "code"]
    inlines = [CriterionInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["title_th", "category", "round", "order", "weight", "max_score"]
    list_filter = ["round", "category__cycle", "category__branch"]
    list_select_related = ["category__branch", "category__cycle"]
    search_fields = ["title_th", "title_en", "category__name_th"]
