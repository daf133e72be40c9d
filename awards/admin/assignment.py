"""Assisted assignment: staff choose a category, a round, assessors per entry and a load cap;
the solver (awards/assignment.py) proposes; the preview shows each assessor's load, each
entry's coverage and what could not be covered and why; staff untick what they do not want
and commit. Committed batches are listed with who and when, and undone before scoring starts.
Also the assessors' declared expertise and the rounds' due dates, which staff keep here."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import assignment, permissions
from ..assessment import AssessmentError
from ..models import (
    AssessmentRound,
    AssessorProfile,
    AssignmentBatch,
    Category,
    RoundDueDate,
)
from .base import OwnRowsMixin, ScopedAdmin


class ProposeForm(forms.Form):
    category = forms.ModelChoiceField(
        label=gettext_lazy("ประเภทรางวัล"),
        queryset=Category.objects.select_related("cycle", "branch").order_by(
            "-cycle__year_be", "branch__order", "order"
        ),
    )
    round = forms.ChoiceField(label=gettext_lazy("รอบการประเมิน"), choices=AssessmentRound.choices)
    per_entry = forms.IntegerField(
        label=gettext_lazy("ผู้ตรวจประเมินต่อผลงาน"),
        min_value=1,
        max_value=assignment.MAX_PER_ENTRY,
        initial=3,
    )
    cap = forms.IntegerField(
        label=gettext_lazy("ภาระงานสูงสุดต่อคน (ทั้งปีรางวัลในรอบนี้)"),
        min_value=1,
        max_value=assignment.MAX_CAP,
        initial=20,
    )


def parse_pairs(values) -> list[tuple[int, int]]:
    """ "entry:assessor" values of the preview's ticked boxes; anything else is dropped."""
    pairs = []
    for value in values:
        entry_id, _sep, assessor_id = value.partition(":")
        if entry_id.isdigit() and assessor_id.isdigit():
            pairs.append((int(entry_id), int(assessor_id)))
    return pairs


@admin.register(AssignmentBatch)
class AssignmentBatchAdmin(ScopedAdmin):
    list_display = ["category", "round", "per_entry", "cap", "size", "committed_by"]
    list_display += ["committed_at", "undone_at"]
    list_filter = ["round", "category__cycle"]
    list_select_related = ["category__branch", "category__cycle", "committed_by"]
    readonly_fields = ["category", "round", "per_entry", "cap", "made", "committed_by"]
    readonly_fields += ["committed_at", "undone_by", "undone_at"]
    actions = ["undo"]
    change_list_template = "admin/awards/assignmentbatch/change_list.html"

    def visible(self, user):
        if permissions.can_manage_assessment(user):
            return AssignmentBatch.objects.all()
        return AssignmentBatch.objects.none()

    def has_add_permission(self, request):
        return False  # made by committing a proposal

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=gettext_lazy("จำนวนคู่"))
    def size(self, batch):
        return len(batch.made)

    @admin.action(description=gettext_lazy("ยกเลิกชุดการมอบหมายที่เลือก (ก่อนเริ่มให้คะแนน)"))
    def undo(self, request, queryset):
        for batch in queryset:
            try:
                count = assignment.undo(batch, request.user)
            except AssessmentError as error:
                self.message_user(request, f"{batch}: {error}", messages.ERROR)
            else:
                self.message_user(request, _("ยกเลิกการมอบหมายแล้ว %(n)d รายการ") % {"n": count})

    def get_urls(self):
        own = [
            path(
                "propose/",
                self.admin_site.admin_view(self.propose_view),
                name="awards_assignmentbatch_propose",
            )
        ]
        return own + super().get_urls()

    def propose_view(self, request):
        if not permissions.can_manage_assessment(request.user):
            raise PermissionDenied
        data = request.POST if request.method == "POST" else request.GET
        form = ProposeForm(data if "category" in data else None)
        context = {
            **self.admin_site.each_context(request),
            "title": _("เสนอการมอบหมายงานอัตโนมัติ"),
            "opts": self.model._meta,
            "form": form,
        }
        if form.is_valid():
            settings = form.cleaned_data
            if request.method == "POST":
                return self._commit(request, settings)
            try:
                context["proposal"] = assignment.propose(
                    settings["category"], settings["round"], settings["per_entry"], settings["cap"]
                )
            except AssessmentError as error:
                form.add_error(None, str(error))
        return TemplateResponse(request, "admin/awards/assignmentbatch/propose.html", context)

    def _commit(self, request, settings):
        try:
            key = uuid.UUID(request.POST.get("proposal", ""))
        except ValueError:
            self.message_user(request, _("ข้อเสนอไม่ถูกต้อง กรุณาเสนอใหม่"), messages.ERROR)
            return HttpResponseRedirect(request.path)
        try:
            batch, new, outcome = assignment.commit(
                key,
                settings["category"],
                settings["round"],
                parse_pairs(request.POST.getlist("pair")),
                request.user,
                settings["per_entry"],
                settings["cap"],
            )
        except AssessmentError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(request.path)
        self.message_user(request, _("มอบหมายแล้ว %(n)d รายการ") % {"n": len(new)})
        for subject, reason in outcome.refused[:20]:
            self.message_user(request, f"{subject[0]} · {subject[1]}: {reason}", messages.WARNING)
        return HttpResponseRedirect(reverse("admin:awards_assignmentbatch_change", args=[batch.pk]))


@admin.register(AssessorProfile)
class AssessorProfileAdmin(OwnRowsMixin, ScopedAdmin):
    list_display = ["assessor", "region"]
    list_filter = ["region", "branches"]
    search_fields = ["assessor__username", "assessor__first_name", "assessor__last_name"]
    autocomplete_fields = ["assessor"]
    filter_horizontal = ["branches"]

    def has_add_permission(self, request):
        # One profile each: an assessor who has one edits it.
        return super().has_add_permission(request) and (
            permissions.can_manage_assessment(request.user)
            or not AssessorProfile.objects.filter(assessor_id=request.user.pk).exists()
        )


@admin.register(RoundDueDate)
class RoundDueDateAdmin(ScopedAdmin):
    list_display = ["cycle", "category", "round", "due_on"]
    list_filter = ["cycle", "round"]
    list_select_related = ["cycle", "category"]
    autocomplete_fields = ["category"]

    def visible(self, user):
        if permissions.can_manage_assessment(user):
            return RoundDueDate.objects.all()
        return RoundDueDate.objects.none()
