"""Reports: staff may ask for one here too; the worker builds it."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import kinds, requesting
from .models import Report


class ReportRequestForm(forms.ModelForm):
    value = forms.CharField(label=_("รายงานเรื่อง (รหัสหรือปี พ.ศ.)"), max_length=20)

    class Meta:
        model = Report
        fields = ["kind"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["kind"] = forms.ChoiceField(
            label=_("ชนิดรายงาน"),
            choices=[(kind.code, kind.label) for kind in kinds.kinds_for(user)],
        )

    def clean(self):
        data = super().clean()
        try:
            kind = kinds.get_kind(data.get("kind", ""))
            value = kinds.clean_value(kind, data.get("value"))
            if not kind.allowed(self.user, value):
                raise kinds.ReportDenied(_("ไม่พบข้อมูลที่เลือก หรือคุณไม่มีสิทธิ์เข้าถึง"))
        except kinds.ReportError as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(Report)
class ReportAdmin(admin.ModelAdmin):
    list_display = ["created_at", "kind", "parameters", "requested_by", "state", "finished_at"]
    list_filter = ["state", "kind"]
    list_select_related = ["requested_by"]
    readonly_fields = [f.name for f in Report._meta.fields]
    date_hierarchy = "created_at"

    def get_queryset(self, request):
        return super().get_queryset(request).filter(requested_by=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        form = ReportRequestForm

        class BoundForm(form):
            def __init__(self, *args, **kw):
                super().__init__(*args, user=request.user, **kw)

        return BoundForm

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": ["kind", "value"]})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        report, _created = requesting.request_report(
            request.user, form.cleaned_data["kind"], form.cleaned_data["value"]
        )
        obj.pk, obj.public_id = report.pk, report.public_id
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        from django.shortcuts import redirect

        return redirect("reports:detail", public_id=obj.public_id)
