"""The clarification round in the admin: staff, or the chair of a panel assessing an entry, ask
its agency a question with a due date (clarifications.ask: the agency is told); the answer
comes from the agency's side."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import set_or_not_filter

from .. import clarifications, permissions
from ..models import Clarification


def askable_entries(user):
    """Entries this user may ask about now (undecided ones of clarifications' rule)."""
    return permissions.entries_of_chair_or_staff(user).filter(
        state__in=clarifications.ASKABLE_STATES
    )


class AskForm(forms.ModelForm):
    class Meta:
        model = Clarification
        fields = ["entry", "question", "due_at"]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            clarifications.check_ask(
                data["entry"], self.user, data.get("question"), data.get("due_at")
            )
        except clarifications.ClarificationError as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(Clarification)
class ClarificationAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "question", "due_at", "asked_by", "answered_at"]
    list_filter = [
        set_or_not_filter("answered_at", _("การตอบ"), _("ตอบแล้ว"), _("ยังไม่ได้ตอบ"), "answered")
    ]
    search_fields = ["entry__reference", "entry__title", "question", "answer"]
    list_select_related = ["entry", "asked_by"]
    raw_id_fields = ["entry"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if permissions.is_secretariat(request.user):
            return queryset
        return queryset.filter(entry__in=permissions.entries_of_chair_or_staff(request.user))

    def _may(self, request):
        # No query here (the admin asks on every page): which entries is the queryset's rule.
        return permissions.may_use_admin(request.user)

    def has_module_permission(self, request):
        return self._may(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request)

    def has_add_permission(self, request):
        return self._may(request)

    def has_change_permission(self, request, obj=None):
        return False  # a question asked stays as asked (history); the answer is the agency's

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "entry":
            kwargs["queryset"] = askable_entries(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        kwargs["form"] = AskForm
        form = super().get_form(request, obj, change=change, **kwargs)

        class BoundAskForm(form):
            user = request.user

        return BoundAskForm

    def save_model(self, request, obj, form, change):
        asked = clarifications.ask(
            form.cleaned_data["entry"],
            request.user,
            form.cleaned_data["question"],
            form.cleaned_data["due_at"],
        )
        obj.pk = asked.pk
