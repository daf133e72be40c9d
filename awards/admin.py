"""The admin of the award cycle: the secretariat's and the assessors' working tool.

Staff see everything; an assessor sees only their assignments, their own score sheets, the
entries assigned to them and their panels' site visits — in lists, change views, search,
filters, autocomplete, exports and actions alike — because every queryset here is cut down by
awards/permissions.py. The rules (who may be assigned, what a sheet needs to be submitted,
how a ranking is computed…) live in awards/assessment.py and awards/scoring.py; this module
only calls them. Nothing a result depends on can be deleted here; every change is kept by
django-simple-history (the "ประวัติ" button on every page).
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from portal.accounts.models import Role, User
from portal.admin import ReadOnlyAdmin
from portal.thai import format_date

from . import assessment, permissions, scoring, spreadsheets, submission
from .assessment import AssessmentError
from .models import (
    AssessmentRound,
    Assignment,
    Attachment,
    AwardLevel,
    Branch,
    Category,
    ConflictDeclaration,
    Criterion,
    Cycle,
    Entry,
    EntryState,
    EntryStateChange,
    Panel,
    PanelMember,
    Result,
    Score,
    ScoreSheet,
    SiteVisit,
)
from .scoring import ScoringError

# --- The site: officials never get in, even if someone ticked is_staff -------------------------


def _admin_has_permission(request):
    site = admin.site  # a lazy proxy: __class__ is the real site's class (OTP's, if swapped)
    return site.__class__.has_permission(site, request) and permissions.may_use_admin(request.user)


admin.site.has_permission = _admin_has_permission


def adopt(obj, saved) -> None:
    """The admin's form object becomes the row a domain function saved (for its log/redirect)."""
    obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    obj._state.adding = False
    obj._state.db = saved._state.db


def xlsx_response(workbook, filename: str) -> HttpResponse:
    response = HttpResponse(spreadsheets.workbook_bytes(workbook), content_type=spreadsheets.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _report_outcome(model_admin, request, outcome: assessment.BulkOutcome, done_message: str):
    if outcome.done:
        model_admin.message_user(request, done_message % {"count": len(outcome.done)})
    for subject, reason in outcome.refused[:20]:
        entry = subject[0] if isinstance(subject, tuple) else subject
        label = getattr(entry, "reference", None) or str(entry)
        model_admin.message_user(request, f"{label}: {reason}", messages.WARNING)
    if len(outcome.refused) > 20:
        model_admin.message_user(
            request, _("และอีก %(n)d รายการที่ทำไม่ได้") % {"n": len(outcome.refused) - 20}
        )


class ScopedAdmin(SimpleHistoryAdmin):
    """Rows are what awards.permissions lets the user see; an object outside them does not
    exist for this user (404 by URL, absent from lists, search, filters and autocomplete).
    Nothing is deletable: results depend on it, and the database PROTECTs it too."""

    def visible(self, user):
        return self.model.objects.all()

    def get_queryset(self, request):
        return permissions.restrict(super().get_queryset(request), self.visible(request.user))

    def _reachable(self, request, obj) -> bool:
        return obj is None or self.visible(request.user).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._reachable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._reachable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class StaffActionsMixin:
    """Bulk actions that organise the assessment are offered to staff only (and the domain
    refuses them to anyone else anyway)."""

    staff_actions: list[str] = []

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.can_manage_assessment(request.user):
            for name in self.staff_actions:
                actions.pop(name, None)
        return actions


# --- Cycles, categories, rubrics --------------------------------------------------------------


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


# --- Entries ----------------------------------------------------------------------------------


def attachment_url(attachment: Attachment) -> str | None:
    try:
        return reverse(
            "awards:attachment_download", args=[attachment.entry.public_id, attachment.pk]
        )
    except NoReverseMatch:
        return None


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["download", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("ไฟล์"))
    def download(self, attachment):
        url = attachment_url(attachment)
        if url is None:
            return attachment.original_name
        return format_html('<a href="{}">{}</a>', url, attachment.original_name)


class EntryStateChangeInline(admin.TabularInline):
    model = EntryStateChange
    extra = 0
    fields = ["changed_at", "from_state", "to_state", "changed_by", "note"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


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
    ]
    filter_horizontal = ["sdgs"]
    inlines = [AttachmentInline, EntryStateChangeInline]
    actions = ["start_screening", "assign", "shortlist", "not_shortlisted", "submit_entries"]
    staff_actions = actions
    change_form_template = "admin/awards/entry/change_form.html"
    change_list_template = "admin/awards/entry/change_list.html"

    # The officials' rules (awards/submission.py) apply here too: an entry's content changes
    # only while it is an open draft; a submitted one is reopened through the recorded rule.
    CONTENT = ["title", "summary", "problem", "solution", "started_on", "results", "indicators"]
    CONTENT += ["partners", "sdgs", "contact_name", "contact_position", "contact_email"]
    CONTENT += ["contact_phone", "category", "agency", "reopened_until"]

    def get_readonly_fields(self, request, obj=None):
        fields = [*super().get_readonly_fields(request, obj), "reopen_link"]
        if obj is not None and submission.editing_refusal(obj):
            fields += [name for name in self.CONTENT if name not in fields]
        return fields

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
                scoring.record_decision(entry, AwardLevel.NOT_AWARDED, request.user)
                outcome.done.append(entry)
            except ScoringError as error:
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


# --- Panels, conflicts, assignments ----------------------------------------------------------


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 1
    autocomplete_fields = ["assessor"]

    def has_delete_permission(self, request, obj=None):
        return permissions.can_manage_assessment(request.user)


@admin.register(Panel)
class PanelAdmin(ScopedAdmin):
    list_display = ["name", "cycle", "chair", "member_count"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "chair"]
    search_fields = ["name"]
    autocomplete_fields = ["chair"]
    inlines = [PanelMemberInline]

    def visible(self, user):
        return permissions.panels_visible_to(user)

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members_n=Count("panelmember"))

    @admin.display(description=gettext_lazy("จำนวนสมาชิก"))
    def member_count(self, panel):
        return panel.members_n


class DeclarationForm(forms.ModelForm):
    class Meta:
        model = ConflictDeclaration
        fields = ["assessor", "agency", "entry", "reason"]

    def clean(self):
        data = super().clean()
        assessor = data.get("assessor") or self.by
        if not self.errors:
            try:
                assessment.check_declaration(
                    assessor, self.by, data.get("reason", ""), data.get("agency"), data.get("entry")
                )
            except AssessmentError as error:
                raise ValidationError(str(error)) from error
        return data


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(ScopedAdmin):
    form = DeclarationForm
    list_display = ["assessor", "agency", "entry", "reason", "declared_at"]
    list_select_related = ["assessor", "agency", "entry"]
    list_filter = [("assessor", RelatedOnlyFieldListFilter)]
    search_fields = ["assessor__username", "agency__name_th", "entry__reference", "entry__title"]
    autocomplete_fields = ["assessor", "agency", "entry"]

    def visible(self, user):
        return permissions.conflicts_visible_to(user)

    def get_fields(self, request, obj=None):
        if permissions.can_manage_assessment(request.user):
            return ["assessor", "agency", "entry", "reason"]
        return ["agency", "entry", "reason"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.by = request.user
        return form

    def has_change_permission(self, request, obj=None):
        return False  # a declaration stands; history keeps it

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        declared = assessment.declare_conflict(
            data.get("assessor") or request.user,
            request.user,
            data["reason"],
            agency=data.get("agency"),
            entry=data.get("entry"),
        )
        adopt(obj, declared)


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["entry", "assessor", "round", "panel"]

    def clean(self):
        data = super().clean()
        if not self.errors:
            try:
                assessment.check_assignable(
                    data["entry"], data["assessor"], data["round"], data.get("panel")
                )
            except AssessmentError as error:
                raise ValidationError(str(error)) from error
        return data


@admin.register(Assignment)
class AssignmentAdmin(ScopedAdmin):
    form = AssignmentForm
    list_display = ["entry", "assessor", "round", "panel", "sheet_state", "assigned_at"]
    list_filter = [
        "round",
        "entry__category__cycle",
        ("panel", RelatedOnlyFieldListFilter),
        ("assessor", RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["entry", "assessor", "panel__cycle", "sheet"]
    search_fields = ["entry__reference", "entry__title", "assessor__username"]
    autocomplete_fields = ["entry", "assessor", "panel"]

    def visible(self, user):
        return permissions.assignments_visible_to(user)

    def has_change_permission(self, request, obj=None):
        return False  # assignments are made or not; never edited

    @admin.display(description=gettext_lazy("แบบให้คะแนน"))
    def sheet_state(self, assignment):
        sheet = getattr(assignment, "sheet", None)
        if sheet is None:
            return "-"
        url = reverse("admin:awards_scoresheet_change", args=[sheet.pk])
        return format_html('<a href="{}">{}</a>', url, sheet.get_state_display())

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        made = assessment.assign(
            data["entry"], data["assessor"], data["round"], request.user, panel=data.get("panel")
        )
        adopt(obj, made)

    def get_urls(self):
        own = [
            path("load/", self.admin_site.admin_view(self.load_view), name="awards_assignment_load")
        ]
        return own + super().get_urls()

    def load_view(self, request):
        if not permissions.can_manage_assessment(request.user):
            raise PermissionDenied
        cycles = Cycle.objects.order_by("-year_be")
        cycle = None
        if request.GET.get("cycle", "").isdigit():
            cycle = cycles.filter(pk=request.GET["cycle"]).first()
        cycle = cycle or cycles.first()
        context = {
            **self.admin_site.each_context(request),
            "title": _("ภาระงานผู้ตรวจประเมิน"),
            "opts": self.model._meta,
            "cycles": cycles,
            "cycle": cycle,
            "rows": assessment.assessor_load(cycle) if cycle else [],
        }
        return TemplateResponse(request, "admin/awards/assignment/load.html", context)


# --- Score sheets ----------------------------------------------------------------------------


class ScoreForm(forms.ModelForm):
    class Meta:
        model = Score
        fields = ["value", "comment"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2, "cols": 40})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A row of the tabular inline has no <label>: each input names its criterion, and the
        # score box says its range (the server checks it again in clean_value).
        criterion = getattr(self.instance, "criterion", None)
        if criterion is None:
            return
        value, comment = self.fields["value"].widget, self.fields["comment"].widget
        maximum = format(criterion.max_score.normalize(), "f")
        value.attrs.update(
            {
                "min": "0",
                "max": maximum,
                "aria-label": _("คะแนน (0–%(max)s): %(criterion)s")
                % {"max": maximum, "criterion": criterion},
            }
        )
        comment.attrs["aria-label"] = _("ความเห็น: %(criterion)s") % {"criterion": criterion}

    def clean_value(self):
        value = self.cleaned_data.get("value")
        try:
            scoring.check_score(self.instance.criterion, value)
        except ScoringError as error:
            raise ValidationError(str(error)) from error
        return value


class ScoreInline(admin.TabularInline):
    model = Score
    form = ScoreForm
    extra = 0
    can_delete = False
    fields = ["criterion_info", "value", "comment"]
    readonly_fields = ["criterion_info"]
    verbose_name = gettext_lazy("เกณฑ์")
    verbose_name_plural = gettext_lazy("คะแนนรายเกณฑ์")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("criterion")

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return (
            obj is not None
            and super().has_change_permission(request, obj)
            and permissions.can_score(request.user, obj)
        )

    @admin.display(description=gettext_lazy("เกณฑ์"))
    def criterion_info(self, score):
        criterion = score.criterion
        return format_html(
            '<strong>{}</strong><div class="awards-criterion-meta">{}</div>'
            '<div class="awards-criterion-guidance">{}</div>',
            str(criterion),
            _("คะแนนเต็ม %(max)s · น้ำหนัก %(weight)s")
            % {
                "max": format(criterion.max_score.normalize(), "f"),
                "weight": format(criterion.weight.normalize(), "f"),
            },
            criterion.guidance,
        )


# Score sheets exported within the request; a whole cycle is built by the worker (reports).
EXPORT_LIMIT = 1000
ENTRY_SECTIONS = ["summary", "problem", "solution", "results", "indicators", "partners"]


@admin.register(ScoreSheet)
class ScoreSheetAdmin(ScopedAdmin):
    list_display = ["entry", "assessor", "round", "state", "total", "submitted_at"]
    list_filter = [
        "state",
        "assignment__round",
        "assignment__entry__category__cycle",
        ("assignment__assessor", RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["assignment__entry", "assignment__assessor"]
    search_fields = [
        "assignment__entry__reference",
        "assignment__entry__title",
        "assignment__assessor__username",
    ]
    fieldsets = [
        (None, {"fields": ["entry_link", "state", "submitted_at", "total", "overall_comment"]}),
        (gettext_lazy("ประวัติการให้คะแนน"), {"classes": ["collapse"], "fields": ["score_history"]}),
    ]
    readonly_fields = ["entry_link", "state", "submitted_at", "total", "score_history"]
    inlines = [ScoreInline]
    actions = ["export_xlsx"]
    change_form_template = "admin/awards/scoresheet/change_form.html"

    def visible(self, user):
        return permissions.sheets_visible_to(user)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch("scores", queryset=Score.objects.select_related("criterion"))
            )
        )

    def has_add_permission(self, request):
        return False  # sheets are opened by assignments

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return super().has_change_permission(request)
        return super().has_change_permission(request, obj) and permissions.can_score(
            request.user, obj
        )

    @admin.display(description=gettext_lazy("ผลงาน"), ordering="assignment__entry__reference")
    def entry(self, sheet):
        entry = sheet.assignment.entry
        return f"{entry.reference} {entry.title}"

    @admin.display(description=gettext_lazy("ผู้ตรวจประเมิน"))
    def assessor(self, sheet):
        return sheet.assignment.assessor

    @admin.display(description=gettext_lazy("รอบ"), ordering="assignment__round")
    def round(self, sheet):
        return sheet.assignment.get_round_display()

    @admin.display(description=gettext_lazy("คะแนนรวมถ่วงน้ำหนัก (เต็ม 100)"))
    def total(self, sheet):
        return scoring.sheet_total(sheet)

    @admin.display(description=gettext_lazy("ผลงาน"))
    def entry_link(self, sheet):
        entry = sheet.assignment.entry
        url = reverse("admin:awards_entry_change", args=[entry.pk])
        return format_html('<a href="{}">{} {}</a>', url, entry.reference, entry.title)

    @admin.display(description=gettext_lazy("ประวัติการให้คะแนน"))
    def score_history(self, sheet):
        records = (
            Score.history.filter(sheet_id=sheet.pk)
            .select_related("history_user", "criterion")
            .order_by("-history_date")[:50]
        )
        rows = [
            (
                format_date(record.history_date, with_time=True),
                str(record.history_user or "-"),
                str(record.criterion),
                record.value if record.value is not None else "-",
                record.comment[:80],
            )
            for record in records
        ]
        if not rows:
            return "-"
        return format_html(
            '<table class="awards-table"><tbody>{}</tbody></table>',
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
            ),
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        sheet = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if sheet is not None:
            entry = sheet.assignment.entry
            extra.update(
                sheet_entry=entry,
                sheet_sections=[
                    (Entry._meta.get_field(name).verbose_name, getattr(entry, name))
                    for name in ENTRY_SECTIONS
                    if getattr(entry, name)
                ],
                sheet_attachments=[
                    (attachment, attachment_url(attachment))
                    for attachment in entry.attachments.all()
                ],
                can_submit_sheet=permissions.can_score(request.user, sheet),
            )
        return super().change_view(request, object_id, form_url, extra)

    def response_change(self, request, obj):
        if "_submit_sheet" in request.POST:
            try:
                scoring.submit_sheet(obj, request.user)
            except ScoringError as error:
                self.message_user(request, str(error), messages.ERROR)
                return HttpResponseRedirect(request.path)
            self.message_user(request, _("ส่งแบบให้คะแนนเรียบร้อยแล้ว"), messages.SUCCESS)
            return redirect("admin:awards_scoresheet_changelist")
        return super().response_change(request, obj)

    @admin.action(description=gettext_lazy("ส่งออกแบบให้คะแนนที่เลือก (Excel)"))
    def export_xlsx(self, request, queryset):
        if queryset.count() > EXPORT_LIMIT:
            self.message_user(
                request,
                _("ส่งออกได้ครั้งละไม่เกิน %(limit)d แบบ ผลทั้งปีให้สร้างไฟล์ในเบื้องหลังจากหน้าลำดับคะแนน")
                % {"limit": EXPORT_LIMIT},
                messages.ERROR,
            )
            return None
        return xlsx_response(
            spreadsheets.build_score_sheets_workbook(queryset), "score-sheets.xlsx"
        )


# --- Site visits and results -------------------------------------------------------------------


class SiteVisitForm(forms.ModelForm):
    class Meta:
        model = SiteVisit
        fields = [
            "entry",
            "panel",
            "scheduled_at",
            "place",
            "is_online",
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
                data.get("consolidated_score"),
                data.get("justification", ""),
                data.get("proposed_level", ""),
            )
            for name, message in errors.items():
                self.add_error(name, message)
        return data


CONSOLIDATION_FIELDS = ["consolidated_score", "justification", "proposed_level"]
SCHEDULE_FIELDS = ["entry", "panel", "scheduled_at", "place", "is_online", "notes"]


@admin.register(SiteVisit)
class SiteVisitAdmin(ScopedAdmin):
    form = SiteVisitForm
    list_display = [
        "entry",
        "panel",
        "scheduled_at",
        "where",
        "consolidated_score",
        "proposed_level",
        "consolidated_at",
    ]
    list_filter = ["is_online", "proposed_level", "panel__cycle"]
    list_select_related = ["entry", "panel__cycle"]
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
        return fields + ["consolidated_by", "consolidated_at", "panel_results"]

    def get_readonly_fields(self, request, obj=None):
        mode = self._mode(request, obj)
        extra = ["consolidated_by", "consolidated_at", "panel_results"]
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
            form.base_fields["proposed_level"].required = True
        return form

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
                notes=data.get("notes", ""),
            )  # fmt: skip
            adopt(obj, visit)
            _report_outcome(self, request, outcome, _("มอบหมายคณะลงพื้นที่ %(count)d คน"))
        elif form.mode == "consolidate":
            scoring.consolidate_site_visit(
                obj, request.user, data["consolidated_score"], data["justification"],
                data["proposed_level"],
            )  # fmt: skip
        else:
            super().save_model(request, obj, form, change)


class ResultForm(forms.ModelForm):
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
    list_display = ["entry", "award_level", "screening_score", "site_visit_score", "decided_at"]
    list_filter = ["award_level", "entry__category__cycle", "entry__category__branch"]
    list_select_related = ["entry"]
    search_fields = ["entry__reference", "entry__title", "entry__agency__name_th"]
    autocomplete_fields = ["entry"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        form.by = request.user
        return form

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
