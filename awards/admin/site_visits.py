"""Site visits (scheduling and the panel's consolidated score) and results."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .. import (
    assessment,
    attachments,
    levels,
    permissions,
    scoring,
    site_visit_calendar,
    site_visit_evidence,
)
from ..assessment import AssessmentError
from ..models import (
    AwardLevel,
    Result,
    SiteVisit,
    SiteVisitChecklistItem,
    SiteVisitEvidence,
)
from ..scoring import ScoringError
from ..views import private_file_response
from .base import SITE_URLS, ScopedAdmin, _report_outcome, adopt, level_filter

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
        return fields + ["consolidated_by", "consolidated_at", "panel_results", "evidence_link"]

    def get_readonly_fields(self, request, obj=None):
        mode = self._mode(request, obj)
        extra = [
            "consolidated_by", "consolidated_at", "panel_results", "proposed_level_label",
            "evidence_link",
        ]  # fmt: skip
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

    @admin.display(description=gettext_lazy("หลักฐานจากการลงพื้นที่"))
    def evidence_link(self, visit):
        return format_html(
            '<a href="{}">{}</a> ({})',
            reverse("admin:awards_site_visit_evidence", args=[visit.pk]),
            _("รายการตรวจ รูปภาพ และไฟล์ของการลงพื้นที่"),
            _("%(files)d ไฟล์") % {"files": visit.evidence.count()},
        )

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


# --- On-site evidence: the checklist, photos and files (the panel's and staff's only) ----------


def _visible_visit(request, visit_id: int) -> SiteVisit:
    visit = (
        permissions.site_visits_visible_to(request.user)
        .select_related("entry__category", "panel")
        .filter(pk=visit_id)
        .first()
    )
    if visit is None:
        raise Http404  # another panel's visit does not exist for this user
    return visit


def evidence_view(request, visit_id: int):
    visit = _visible_visit(request, visit_id)
    may_record = permissions.can_record_visit_evidence(request.user, visit)
    errors = {}
    if request.method == "POST" and may_record:
        try:
            if request.POST.get("do") == "upload":
                upload = request.FILES.get("file")
                if upload is None:
                    raise site_visit_evidence.EvidenceError(_("กรุณาเลือกไฟล์"))
                site_visit_evidence.add_evidence(
                    visit, upload, request.user, request.POST.get("description", "")
                )
                messages.success(request, _("บันทึกไฟล์ “%(name)s” แล้ว") % {"name": upload.name})
            else:
                ticked = {
                    item.pk: (
                        f"done-{item.pk}" in request.POST,
                        request.POST.get(f"note-{item.pk}", ""),
                    )
                    for item in site_visit_evidence.checklist_items(visit)
                }
                site_visit_evidence.record_checklist(visit, ticked, request.user)
                messages.success(request, _("บันทึกรายการตรวจแล้ว"))
            return HttpResponseRedirect(request.path)
        except site_visit_evidence.EvidenceError as error:
            errors[request.POST.get("do", "checklist")] = str(error)
    context = {
        **admin.site.each_context(request),
        "title": _("หลักฐานจากการลงพื้นที่: %(visit)s") % {"visit": visit},
        "visit": visit,
        "checklist": site_visit_evidence.checklist(visit),
        "files": visit.evidence.select_related("uploaded_by"),
        "may_record": may_record,
        "limits": _("รับ %(types)s ไฟล์ละไม่เกิน %(size)s")
        % {
            "types": attachments.accepted_types_text(),
            "size": filesizeformat(attachments.limits_for(None).max_bytes),
        },
        "errors": errors,
        "posted": request.POST if errors else {},
    }
    return TemplateResponse(request, "admin/awards/sitevisit/evidence.html", context)


def evidence_download(request, visit_id: int, pk: int):
    visit = _visible_visit(request, visit_id)
    return private_file_response(get_object_or_404(SiteVisitEvidence, visit=visit, pk=pk))


SITE_URLS += [
    path(
        "site-visit-evidence/<int:visit_id>/",
        admin.site.admin_view(evidence_view),
        name="awards_site_visit_evidence",
    ),
    path(
        "site-visit-evidence/<int:visit_id>/<int:pk>/",
        admin.site.admin_view(evidence_download),
        name="awards_site_visit_evidence_file",
    ),
]


@admin.register(SiteVisitChecklistItem)
class SiteVisitChecklistItemAdmin(SimpleHistoryAdmin):
    """The checklist as data: staff write the items per cycle or category."""

    list_display = ["text_th", "cycle", "category", "order"]
    list_filter = ["cycle"]
    search_fields = ["text_th", "text_en"]

    def has_module_permission(self, request):
        return permissions.is_secretariat(request.user)

    def has_add_permission(self, request):
        return permissions.is_secretariat(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    has_change_permission = has_delete_permission = has_view_permission


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
