"""Entries, their attachments and state history; the ranking and bulk-assignment screens."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.accounts.models import Role, User
from portal.admin import ReadOnlyAdmin, RecordInline

from .. import (
    assessment,
    calibration,
    entry_forms,
    levels,
    permissions,
    scoring,
    spreadsheets,
    submission,
)
from ..assessment import AssessmentError
from ..models import (
    AssessmentRound,
    Attachment,
    Category,
    ConsensusNote,
    EligibilityAnswer,
    Entry,
    EntryState,
    EntryStateChange,
    Panel,
    ScoreSheet,
)
from ..scoring import ScoringError
from .base import ScopedAdmin, StaffActionsMixin, _report_outcome, xlsx_response
from .cycles import request_results_report


def attachment_url(attachment: Attachment) -> str | None:
    try:
        return reverse(
            "awards:attachment_download", args=[attachment.entry.public_id, attachment.pk]
        )
    except NoReverseMatch:
        return None


class AttachmentInline(RecordInline):
    model = Attachment
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]

    @admin.display(description=gettext_lazy("ไฟล์"))
    def download(self, attachment):
        url = attachment_url(attachment)
        if url is None:
            return attachment.original_name
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class EligibilityAnswerInline(RecordInline):
    """What the official answered to the category's eligibility questions when starting."""

    model = EligibilityAnswer
    fields = ["question", "answer", "answered_by", "answered_at"]


class EntryStateChangeInline(RecordInline):
    model = EntryStateChange
    fields = ["changed_at", "from_state", "to_state", "changed_by", "note"]


class BulkAssignForm(forms.Form):
    round = forms.ChoiceField(label=gettext_lazy("รอบการประเมิน"), choices=AssessmentRound.choices)
    panel = forms.ModelChoiceField(
        label=gettext_lazy("มอบหมายให้ทั้งคณะ"),
        queryset=Panel.objects.select_related("cycle"),
        required=False,
    )
    assessors = forms.ModelMultipleChoiceField(
        label=gettext_lazy("หรือมอบหมายให้ผู้ตรวจประเมินรายบุคคล"),
        queryset=User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("username"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self):
        data = super().clean()
        if not data.get("panel") and not data.get("assessors"):
            raise ValidationError(_("กรุณาเลือกคณะผู้ตรวจประเมิน หรือผู้ตรวจประเมินอย่างน้อยหนึ่งคน"))
        return data


@admin.register(Entry)
class EntryAdmin(StaffActionsMixin, ScopedAdmin):
    list_display = ["reference", "title", "agency", "category", "state", "reviews", "submitted_at"]
    list_filter = ["state", "category__cycle", "category__branch", "category"]
    list_select_related = ["agency", "category__branch", "category__cycle"]
    search_fields = ["reference", "title", "agency__name_th", "agency__abbreviation"]
    autocomplete_fields = ["agency", "category"]
    readonly_fields = [
        "reference",
        "public_id",
        "state",
        "created_by",
        "created_at",
        "submitted_at",
        "submitted_by",
        "form",
        "answer_sheet",
    ]
    exclude = ["answers"]
    inlines = [AttachmentInline, EligibilityAnswerInline, EntryStateChangeInline]

    def get_inlines(self, request, obj):
        # A new entry has answered nothing yet: no (read-only) eligibility answers to show.
        return [i for i in self.inlines if obj is not None or i is not EligibilityAnswerInline]

    actions = ["start_screening", "assign", "shortlist", "not_shortlisted", "submit_entries"]
    staff_actions = actions
    change_form_template = "admin/awards/entry/change_form.html"
    change_list_template = "admin/awards/entry/change_list.html"

    # The officials' rules (awards/submission.py) apply here too: an entry's content changes
    # only while it is an open draft; a submitted one is reopened through the recorded rule.
    # The answers are shown, not edited here: they are written through the agency's form
    # (save_section checks each against the entry's form version).
    CONTENT = ["title", "category", "agency", "reopened_until"]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "reopen_link"]
        if obj is not None and submission.editing_refusal(obj):
            fields += [name for name in self.CONTENT if name not in fields]
        return fields

    def save_model(self, request, obj, form, change):
        if not change:  # an entry made here answers its category's form, as the agency's do
            obj.form = entry_forms.form_for_new_entry(obj.category)
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=gettext_lazy("คำตอบ"))
    def answer_sheet(self, entry):
        if entry.pk is None:
            return "-"
        return render_to_string(
            "admin/awards/entry/answers.html", {"answers": submission.answer_sheet(entry)}
        )

    @admin.display(description=gettext_lazy("เปิดให้หน่วยงานแก้ไข"))
    def reopen_link(self, entry):
        if entry.pk is None or entry.state not in (EntryState.SUBMITTED, EntryState.SCREENING):
            return "-"
        url = reverse("awards:reopen", kwargs={"public_id": entry.public_id})
        return format_html('<a href="{}">{}</a>', url, _("เปิดให้หน่วยงานแก้ไขและส่งใหม่…"))

    @admin.action(description=gettext_lazy("ส่งผลงานที่เลือกในนามหน่วยงาน (ตรวจกำหนดส่งและความครบถ้วน)"))
    def submit_entries(self, request, queryset):
        done = 0
        for entry in queryset.select_related("category__cycle"):
            try:
                submission.submit(entry, request.user)
            except submission.SubmissionError as error:
                self.message_user(request, f"{entry}: {error}", messages.ERROR)
            else:
                done += 1
        if done:
            self.message_user(request, _("ส่งแล้ว %(count)d ผลงาน") % {"count": done})

    def visible(self, user):
        return permissions.entries_visible_to(user)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.can_manage_assessment(request.user):
            queryset = queryset.annotate(
                review_count=Count("assignments", distinct=True),
                submitted_count=Count(
                    "assignments",
                    filter=Q(assignments__sheet__state=ScoreSheet.State.SUBMITTED),
                    distinct=True,
                ),
            )
        return queryset

    def get_list_display(self, request):
        if permissions.can_manage_assessment(request.user):
            return self.list_display
        return [name for name in self.list_display if name != "reviews"]

    @admin.display(description=gettext_lazy("แบบที่ส่งแล้ว / มอบหมาย"))
    def reviews(self, entry):
        return f"{entry.submitted_count} / {entry.review_count}"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra = dict(extra_context or {})
        entry = self.get_object(request, object_id)
        if entry is not None:
            extra["entry_assessments"] = self.assessments(request.user, entry)
        return super().change_view(request, object_id, form_url, extra)

    def assessments(self, user, entry) -> list[tuple]:
        """The assignments on this entry that the user may see, with their sheets' totals."""
        assignments = (
            permissions.assignments_visible_to(user)
            .filter(entry=entry)
            .select_related("assessor", "sheet")
            .prefetch_related("sheet__scores__criterion")
            .order_by("round", "assessor__username")
        )
        rows = []
        for assignment in assignments:
            sheet = getattr(assignment, "sheet", None)
            rows.append(
                (
                    assignment.get_round_display(),
                    assignment.assessor,
                    sheet.get_state_display() if sheet else "-",
                    scoring.sheet_total(sheet) if sheet else None,
                    reverse("admin:awards_scoresheet_change", args=[sheet.pk]) if sheet else None,
                )
            )
        return rows

    def get_urls(self):
        own = [
            path(
                "ranking/",
                self.admin_site.admin_view(self.ranking_view),
                name="awards_entry_ranking",
            ),
        ]
        return own + super().get_urls()

    # Actions ---------------------------------------------------------------------------------

    @admin.action(description=gettext_lazy("เริ่มกลั่นกรองเอกสารผลงานที่เลือก"))
    def start_screening(self, request, queryset):
        outcome = assessment.start_screening(queryset, request.user)
        _report_outcome(self, request, outcome, _("เริ่มกลั่นกรอง %(count)d ผลงาน"))

    @admin.action(description=gettext_lazy("มอบหมายผลงานที่เลือกให้ผู้ตรวจประเมินหรือคณะ"))
    def assign(self, request, queryset):
        form = BulkAssignForm(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["panel"]:
                    outcome = assessment.assign_to_panel(
                        queryset, data["panel"], data["round"], request.user
                    )
                else:
                    outcome = assessment.assign_many(
                        queryset, data["assessors"], data["round"], request.user
                    )
            except AssessmentError as error:
                self.message_user(request, str(error), messages.ERROR)
                return None
            _report_outcome(self, request, outcome, _("มอบหมายแล้ว %(count)d รายการ"))
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("มอบหมายผลงานให้ผู้ตรวจประเมิน"),
            "opts": self.model._meta,
            "form": form,
            "entries": queryset.select_related("agency"),
            "action": "assign",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/awards/entry/assign.html", context)

    @admin.action(description=gettext_lazy("คัดเลือกเข้ารอบลงพื้นที่ (Shortlist)"))
    def shortlist(self, request, queryset):
        outcome = assessment.shortlist(queryset, request.user)
        _report_outcome(self, request, outcome, _("คัดเลือกเข้ารอบลงพื้นที่ %(count)d ผลงาน"))

    @admin.action(description=gettext_lazy("ไม่ผ่านการกลั่นกรอง (ไม่ได้รับรางวัล)"))
    def not_shortlisted(self, request, queryset):
        outcome = assessment.BulkOutcome()
        for entry in queryset:
            try:
                scoring.record_decision(entry, levels.not_awarded_code(entry), request.user)
                outcome.done.append(entry)
            except (ScoringError, levels.LevelError) as error:
                outcome.refused.append((entry, str(error)))
        _report_outcome(self, request, outcome, _("บันทึกไม่ผ่านการกลั่นกรอง %(count)d ผลงาน"))

    # Ranking ---------------------------------------------------------------------------------

    def ranking_view(self, request):
        if not permissions.can_manage_assessment(request.user):
            raise PermissionDenied
        categories = Category.objects.select_related("cycle", "branch").order_by(
            "-cycle__year_be", "branch__order", "order"
        )
        category = None
        if request.GET.get("category", "").isdigit():
            category = categories.filter(pk=request.GET["category"]).first()
        round_ = request.GET.get("round")
        if round_ not in AssessmentRound.values:
            round_ = AssessmentRound.SCREENING
        margin_text = request.GET.get("margin", "").strip()
        try:
            margin = scoring.disagreement_margin(margin_text or None)
        except ArithmeticError:
            margin = scoring.disagreement_margin()
            self.message_user(request, _("เกณฑ์ความต่างต้องเป็นตัวเลข"), messages.ERROR)
        if category and request.method == "POST":
            return self._ranking_post(request, category)
        if category and request.GET.get("export") == "xlsx":
            workbook = spreadsheets.build_ranking_workbook(category, margin)
            return xlsx_response(workbook, f"ranking-{category.cycle.year_be}-{category.code}.xlsx")
        rows = scoring.ranking(category, round_, margin) if category else []
        # The chair's consensus note beside each entry, for the screening decision.
        notes = dict(
            ConsensusNote.objects.filter(entry__category=category).values_list("entry_id", "note")
        )
        for row in rows:
            row.consensus = notes.get(row.entry.pk, "")
        context = {
            **self.admin_site.each_context(request),
            "title": _("ลำดับคะแนนรายประเภท"),
            "opts": self.model._meta,
            "categories": categories,
            "category": category,
            "round": round_,
            "rounds": AssessmentRound.choices,
            "margin": margin,
            "rows": rows,
            "flagged": sum(1 for row in rows if row.disagreement),
            "calibration_method": calibration.method(),
            "screening": EntryState.SCREENING,
        }
        return TemplateResponse(request, "admin/awards/entry/ranking.html", context)

    def _ranking_post(self, request, category):
        if request.POST.get("do") == "report":
            response = request_results_report(self, request, category.cycle)
            if response is not None:
                return response
        else:
            ids = [value for value in request.POST.getlist("entry") if value.isdigit()]
            entries = Entry.objects.filter(category=category, pk__in=ids)
            if not ids:
                self.message_user(request, _("กรุณาเลือกผลงานอย่างน้อยหนึ่งรายการ"), messages.ERROR)
            else:
                outcome = assessment.shortlist(entries, request.user)
                _report_outcome(self, request, outcome, _("คัดเลือกเข้ารอบลงพื้นที่ %(count)d ผลงาน"))
        return HttpResponseRedirect(request.get_full_path())


@admin.register(EntryStateChange)
class EntryStateChangeAdmin(ReadOnlyAdmin):
    """Every state change, with who and when: made only by submission.change_state."""

    list_display = ["entry", "from_state", "to_state", "changed_by", "changed_at"]
    list_filter = ["to_state"]
    list_select_related = ["entry", "changed_by"]
    search_fields = ["entry__reference", "entry__title"]


@admin.register(Attachment)
class AttachmentAdmin(ScopedAdmin):
    list_display = ["original_name", "entry", "content_type", "size", "uploaded_at"]
    list_select_related = ["entry"]
    search_fields = ["original_name", "entry__reference", "entry__title"]

    def visible(self, user):
        return Attachment.objects.filter(entry__in=permissions.entries_visible_to(user))

    def has_add_permission(self, request):
        return False  # attachments come through the entry's own form (awards/attachments.py)

    def has_change_permission(self, request, obj=None):
        return False
