"""Site visits (scheduling and the panel's consolidated score) and results."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .. import assessment, levels, permissions, scoring, site_visit_calendar
from ..assessment import AssessmentError
from ..models import (
    AwardLevel,
    Result,
    SiteVisit,
)
from ..scoring import ScoringError
from .base import ScopedAdmin, _report_outcome, adopt, level_filter

# --- Site visits and results -------------------------------------------------------------------


class SiteVisitForm(forms.ModelForm):
    online_url = forms.URLField(
        label=gettext_lazy("ลิงก์ประชุมออนไลน์"),
        required=False,
        assume_scheme="https",
        help_text=gettext_lazy("หน่วยงานที่รับการตรวจเห็นลิงก์นี้"),
    )

    class Meta:
        model = SiteVisit
        fields = [
            "entry",
            "panel",
            "scheduled_at",
            "place",
            "is_online",
            "online_url",
            "notes",
            "consolidated_score",
            "justification",
            "proposed_level",
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        if self.mode == "schedule":
            try:
                assessment.check_site_visit(
                    data["entry"], data["panel"], self.by, data.get("place", ""),
                    data.get("is_online", False),
                )  # fmt: skip
            except AssessmentError as error:
                raise ValidationError(str(error)) from error
        elif self.mode == "consolidate":
            errors = scoring.consolidation_errors(
                self.instance,
                data.get("consolidated_score"),
                data.get("justification", ""),
                data.get("proposed_level", ""),
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data


CONSOLIDATION_FIELDS = ["consolidated_score", "justification", "proposed_level"]
SCHEDULE_FIELDS = ["entry", "panel", "scheduled_at", "place", "is_online", "online_url", "notes"]


@admin.register(SiteVisit)
class SiteVisitAdmin(ScopedAdmin):
    form = SiteVisitForm
    list_display = [
        "entry",
        "panel",
        "scheduled_at",
        "where",
        "consolidated_score",
        "proposed_level_label",
        "consolidated_at",
    ]
    list_filter = [
        "is_online", level_filter("proposed_level", gettext_lazy("ระดับรางวัลที่เสนอ")),
        "panel__cycle",
    ]  # fmt: skip
    list_select_related = ["entry__category__cycle", "entry__category__branch", "panel__cycle"]
    search_fields = ["entry__reference", "entry__title", "place"]
    autocomplete_fields = ["entry", "panel"]
    change_form_template = "admin/awards/sitevisit/change_form.html"

    def visible(self, user):
        return permissions.site_visits_visible_to(user)

    def _mode(self, request, obj):
        if obj is None:
            return "schedule"
        if permissions.can_consolidate(request.user, obj):
            return "consolidate"
        if permissions.can_manage_assessment(request.user) and obj.consolidated_at is None:
            return "reschedule"
        return "view"

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and self._mode(request, obj) != "view"

    def get_fields(self, request, obj=None):
        fields = SCHEDULE_FIELDS + CONSOLIDATION_FIELDS
        if obj is None:
            return SCHEDULE_FIELDS
        if self._mode(request, obj) != "consolidate":  # read only: the level by its name
            fields = [name.replace("proposed_level", "proposed_level_label") for name in fields]
        return fields + ["consolidated_by", "consolidated_at", "panel_results"]

    def get_readonly_fields(self, request, obj=None):
        mode = self._mode(request, obj)
        extra = ["consolidated_by", "consolidated_at", "panel_results", "proposed_level_label"]
        if mode == "schedule":
            return []
        if mode == "consolidate":
            return SCHEDULE_FIELDS + extra
        if mode == "reschedule":
            return ["entry", "panel"] + CONSOLIDATION_FIELDS + extra
        return SCHEDULE_FIELDS + CONSOLIDATION_FIELDS + extra

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.mode = self._mode(request, obj)
        form.by = request.user
        if form.mode == "consolidate" and "consolidated_score" in form.base_fields:
            suggested = scoring.suggested_site_visit_score(obj)
            form.base_fields["consolidated_score"].help_text = (
                _("ค่าเฉลี่ยของแบบที่คณะส่งแล้ว: %(score)s") % {"score": suggested}
                if suggested is not None
                else _("ยังไม่มีแบบให้คะแนนของคณะที่ส่งแล้ว")
            )
            # Only the levels of the entry's cycle and branch (the domain checks it again).
            form.base_fields["proposed_level"] = forms.ChoiceField(
                label=form.base_fields["proposed_level"].label,
                choices=[("", "---------"), *levels.choices_for(obj.entry.category)],
            )
        return form

    @admin.display(description=gettext_lazy("ระดับรางวัลที่เสนอ"), ordering="proposed_level")
    def proposed_level_label(self, visit):
        return levels.label_of(visit)

    @admin.display(description=gettext_lazy("สถานที่"))
    def where(self, visit):
        return _("ออนไลน์") if visit.is_online else visit.place

    @admin.display(description=gettext_lazy("คะแนนของคณะ (รอบลงพื้นที่)"))
    def panel_results(self, visit):
        rows = [
            (
                str(sheet.assignment.assessor),
                sheet.get_state_display(),
                scoring.sheet_total(sheet),
            )
            for sheet in scoring.panel_sheets(visit)
        ]
        if not rows:
            return _("ยังไม่มีแบบให้คะแนน")
        return format_html(
            '<table class="awards-table"><tbody>{}</tbody></table><p>{}</p>',
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
            _("ค่าเฉลี่ยของแบบที่ส่งแล้ว: %(score)s")
            % {"score": scoring.suggested_site_visit_score(visit) or "-"},
        )

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if form.mode == "schedule":
            visit, outcome = assessment.schedule_site_visit(
                data["entry"], data["panel"], data["scheduled_at"], request.user,
                place=data.get("place", ""), is_online=data.get("is_online", False),
                notes=data.get("notes", ""), online_url=data.get("online_url", ""),
            )  # fmt: skip
            adopt(obj, visit)
            for warning in site_visit_calendar.clashes([visit]).get(visit.pk, []):
                self.message_user(request, warning, messages.WARNING)
            _report_outcome(self, request, outcome, _("มอบหมายคณะลงพื้นที่ %(count)d คน"))
        elif form.mode == "consolidate":
            scoring.consolidate_site_visit(
                obj, request.user, data["consolidated_score"], data["justification"],
                data["proposed_level"],
            )  # fmt: skip
        else:
            super().save_model(request, obj, form, change)


def undecided_level_choices():
    """The levels of cycles not yet announced, grouped by cycle and branch: the form can't know
    the entry before it is chosen, so the domain refuses a level of another cycle or branch."""
    groups = {}
    rows = AwardLevel.objects.filter(
        cycle__isnull=False, cycle__results_published_at__isnull=True
    ).select_related("cycle", "branch")
    for level in rows.order_by("-cycle__year_be", "branch__order", "rank"):
        branch = level.branch.display_name if level.branch_id else _("ทุกสาขา")
        group = f"{level.cycle.year_be} · {branch}"
        groups.setdefault(group, []).append((level.code, level.display_name))
    return [("", "---------"), *groups.items()]


class ResultForm(forms.ModelForm):
    award_level = forms.ChoiceField(
        label=gettext_lazy("ระดับรางวัล"), choices=undecided_level_choices
    )

    class Meta:
        model = Result
        fields = ["entry", "award_level", "remarks"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                scoring.check_decision(data["entry"], data["award_level"], self.by)
            except ScoringError as error:
                raise ValidationError(str(error)) from error
        return data


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    form = ResultForm
    list_display = [
        "entry", "award_level_label", "screening_score", "site_visit_score", "decided_at",
    ]  # fmt: skip
    list_filter = [
        level_filter("award_level", gettext_lazy("ระดับรางวัล")),
        "entry__category__cycle", "entry__category__branch",
    ]  # fmt: skip
    list_select_related = ["entry__category__cycle", "entry__category__branch"]
    search_fields = ["entry__reference", "entry__title", "entry__agency__name_th"]
    autocomplete_fields = ["entry"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.by = request.user
        return form

    @admin.display(description=gettext_lazy("ระดับรางวัล"), ordering="award_level")
    def award_level_label(self, result):
        return levels.label_of(result)

    def has_change_permission(self, request, obj=None):
        return False  # a decision stands; a new cycle of decisions is a new record

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        result = scoring.record_decision(
            data["entry"], data["award_level"], request.user, data.get("remarks", "")
        )
        adopt(obj, result)
