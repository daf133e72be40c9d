"""Score sheets: the assessor's scoring screen and the exports of scores."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.thai import format_date

from .. import permissions, scoring, similar_work, spreadsheets
from ..models import (
    Score,
    ScoreSheet,
)
from ..scoring import ScoringError
from ..submission import entry_text
from .base import ScopedAdmin, xlsx_response
from .entries import attachment_url


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
    template = "admin/awards/scoresheet/scores_inline.html"  # a block per criterion (phones)
    extra = 0
    can_delete = False
    fields = ["criterion_info", "value", "comment"]
    readonly_fields = ["criterion_info"]
    verbose_name = gettext_lazy("เกณฑ์")
    verbose_name_plural = gettext_lazy("คะแนนรายเกณฑ์")

    def get_queryset(self, request):
        return (
            super().get_queryset(request).select_related("criterion")
            .prefetch_related("criterion__levels")
        )  # fmt: skip

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
        # What each score means (the rubric's labelled levels), so assessors read a 3 alike.
        rows = [
            (f"{level.score.normalize():f}", level.display_label,
             format_html(" — {}", level.description) if level.description else "")
            for level in criterion.levels.all()
        ]  # fmt: skip
        score_levels = rows and format_html(
            '<dl class="awards-criterion-levels">{}</dl>',
            format_html_join("", "<dt>{}</dt><dd><strong>{}</strong>{}</dd>", rows),
        )
        return format_html(
            '<strong>{}</strong><div class="awards-criterion-meta">{}</div>'
            '<div class="awards-criterion-guidance">{}</div>{}',
            str(criterion),
            _("คะแนนเต็ม %(max)s · น้ำหนัก %(weight)s")
            % {
                "max": format(criterion.max_score.normalize(), "f"),
                "weight": format(criterion.weight.normalize(), "f"),
            },
            criterion.guidance,
            score_levels or "",
        )


# The box an assessor ticks to confirm an irreversible submit (the template names it too).
CONFIRM_FIELD = "confirm_submit"

# Score sheets exported within the request; a whole cycle is built by the worker (reports).
EXPORT_LIMIT = 1000


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
        """The entry's answers (its form version's questions, in order) beside the rubric."""
        sheet = self.get_object(request, object_id)
        extra = dict(extra_context or {})
        if sheet is not None:
            entry = sheet.assignment.entry
            extra.update(
                sheet_entry=entry,
                sheet_sections=entry_text(entry),
                sheet_attachments=[
                    (attachment, attachment_url(attachment))
                    for attachment in entry.attachments.all()
                ],
                can_submit_sheet=permissions.can_score(request.user, sheet),
                similar_work=similar_work.similar_to(entry, request.user),
                confirm_field=CONFIRM_FIELD,
            )
        return super().change_view(request, object_id, form_url, extra)

    def response_change(self, request, obj):
        if "_submit_sheet" in request.POST:
            # Submitting cannot be undone: the assessor ticks a confirmation first (no script
            # needed). Without it the scores just saved stay a draft; an incomplete sheet is
            # told what is missing first (submit_sheet below).
            saved = ScoreSheet.objects.get(pk=obj.pk)  # the scores as just saved, not prefetched
            if not request.POST.get(CONFIRM_FIELD) and not scoring.missing_criteria(saved):
                self.message_user(
                    request,
                    _("ยังไม่ได้ส่ง: โปรดทำเครื่องหมายยืนยันก่อนส่งแบบให้คะแนน (คะแนนบันทึกเป็นร่างแล้ว)"),
                    messages.ERROR,
                )
                return HttpResponseRedirect(request.path)
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
