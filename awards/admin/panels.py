"""Panels, conflict-of-interest declarations and assignments of entries to assessors."""

from django import forms
from django.contrib import admin
from django.contrib.admin import RelatedOnlyFieldListFilter
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import assessment, permissions
from ..assessment import AssessmentError
from ..models import (
    Assignment,
    ConflictDeclaration,
    Panel,
    PanelMember,
)
from .base import ScopedAdmin, adopt, chosen_cycle


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
        cycles, cycle = chosen_cycle(request)
        context = {
            **self.admin_site.each_context(request),
            "title": _("ภาระงานผู้ตรวจประเมิน"),
            "opts": self.model._meta,
            "cycles": cycles,
            "cycle": cycle,
            "rows": assessment.assessor_load(cycle) if cycle else [],
        }
        return TemplateResponse(request, "admin/awards/assignment/load.html", context)
