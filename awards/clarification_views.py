"""The agency's side of the clarification round: read a question, answer it (text and files).
The rules are in clarifications.py; this module parses the request and renders."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.forms import PortalFormMixin

from . import attachments, clarifications, permissions
from .models import Clarification


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class AnswerForm(PortalFormMixin, forms.Form):
    answer = forms.CharField(
        label=gettext_lazy("คำชี้แจง"),
        max_length=clarifications.ANSWER_MAX_LENGTH,
        widget=forms.Textarea,
    )
    files = MultipleFileField(
        label=gettext_lazy("ไฟล์ประกอบคำชี้แจง (ถ้ามี)"),
        required=False,
        help_text=lazy(attachments.limits_text, str)(),
    )


@login_required
def clarification(request, public_id, pk):
    """A question about the user's agency's entry; anyone else's is a 404."""
    item = get_object_or_404(
        Clarification.objects.select_related("entry__agency", "entry__category__cycle"),
        pk=pk,
        entry__public_id=public_id,
        entry__in=permissions.entries_of_own_agency(request.user),
    )
    refusal = clarifications.answer_refusal(item, request.user)
    form = None
    if refusal is None:
        form = AnswerForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
        if request.method == "POST" and form.is_valid():
            try:
                clarifications.answer(
                    item, request.user, form.cleaned_data["answer"], form.cleaned_data["files"]
                )
            except clarifications.ClarificationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, _("ส่งคำชี้แจงแล้ว"))
                return redirect("awards:entry", public_id=public_id)
    context = {"entry": item.entry, "clarification": item, "form": form, "refusal": refusal}
    return render(request, "awards/clarification.html", context)
