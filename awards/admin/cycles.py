"""Cycles, branches, categories and their rubrics (criteria): the secretariat's set-up screens."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .. import cycles, levels, scoring
from ..models import (
    AwardLevel,
    Branch,
    Category,
    Criterion,
    CriterionLevel,
    Cycle,
    EligibilityQuestion,
    EligibilityRule,
    Result,
)
from ..scoring import ScoringError


class AwardLevelForm(forms.ModelForm):
    class Meta:
        model = AwardLevel
        fields = ["branch", "code", "name_th", "name_en", "kind", "rank", "description"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            for name in ("cycle", "branch", "code"):
                if name in self.fields:  # the inline sets the cycle itself
                    setattr(self.instance, name, data.get(name))
            reason = levels.clash(self.instance)
            if reason:
                raise ValidationError({"code": reason})
        return data


class AwardLevelInline(admin.TabularInline):
    """A cycle's award levels: what chairs may propose and the committee decide, per branch."""

    model = AwardLevel
    form = AwardLevelForm
    extra = 0
    fields = ["branch", "code", "name_th", "name_en", "kind", "rank"]

    def has_delete_permission(self, request, obj=None):
        # Levels of a cycle with decisions stay (a result names its level by code).
        return obj is None or not Result.objects.filter(entry__category__cycle=obj).exists()


@admin.register(AwardLevel)
class AwardLevelAdmin(SimpleHistoryAdmin):
    """Every level, the standing ones (no cycle: names of history's codes) included."""

    form = AwardLevelForm
    list_display = ["name_th", "name_en", "code", "cycle", "branch", "kind", "rank"]
    list_filter = ["cycle", "branch", "kind"]
    list_select_related = ["cycle", "branch"]
    search_fields = ["name_th", "name_en", "code"]

    def get_fields(self, request, obj=None):
        return ["cycle", *AwardLevelForm.Meta.fields]

    def get_form(self, request, obj=None, **kwargs):
        kwargs["fields"] = self.get_fields(request, obj)
        return super().get_form(request, obj, **kwargs)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and levels.in_use(obj.code, obj.cycle_id):
            return False
        return super().has_delete_permission(request, obj)


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
        "is_draft",
    ]
    list_filter = ["is_draft"]
    search_fields = ["title", "year_be"]
    readonly_fields = ["results_published_at"]
    actions = ["copy_to_next_year", "announce_results", "results_report"]
    inlines = [AwardLevelInline]

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:  # a new cycle starts with the standard levels, to adjust below
            levels.add_levels(obj)

    @admin.action(description=gettext_lazy("คัดลอกเป็นปีรางวัลถัดไป (ฉบับร่างให้ปรับแก้)"))
    def copy_to_next_year(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("เลือกปีรางวัลที่จะคัดลอกหนึ่งปี"), messages.ERROR)
            return None
        try:
            copy = cycles.copy_cycle(queryset.get(), request.user)
        except cycles.CopyError as error:
            self.message_user(request, str(error), messages.ERROR)
            return None
        self.message_user(
            request,
            _("สร้างปีรางวัล พ.ศ. %(year)s จากปีก่อนแล้ว โปรดตรวจสอบวันที่ ประเภท เกณฑ์ และคณะ")
            % {"year": copy.year_be},
        )
        return redirect("admin:awards_cycle_change", copy.pk)

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
    show_change_link = True  # its score levels are on the criterion's own page


class CriterionLevelInline(admin.TabularInline):
    """What each score of the criterion means, shown to assessors on the score sheet."""

    model = CriterionLevel
    extra = 0
    fields = ["score", "label_th", "label_en", "description"]


class EligibilityQuestionInline(admin.TabularInline):
    model = EligibilityQuestion
    extra = 0
    fields = ["order", "text_th", "text_en", "eligible_answer", "refusal_th", "refusal_en"]


class EligibilityRuleInline(admin.TabularInline):
    model = EligibilityRule
    extra = 0
    fields = ["kind", "years"]


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "branch", "cycle", "code", "order"]
    list_filter = ["cycle", "branch"]
    list_select_related = ["branch", "cycle"]
    search_fields = ["name_th", "name_en", "code"]
    inlines = [CriterionInline, EligibilityQuestionInline, EligibilityRuleInline]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["title_th", "category", "round", "order", "weight", "max_score"]
    list_filter = ["round", "category__cycle", "category__branch"]
    list_select_related = ["category__branch", "category__cycle"]
    search_fields = ["title_th", "title_en", "category__name_th"]
    inlines = [CriterionLevelInline]
