from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import reports
from .models import SDG, Agency, MembershipRequest, Province, Report, User
from .pdpa_models import AccountClosure, AuditEvent, PrivacyAcknowledgement
from .second_factor_models import VerifiedApiToken

admin.site.site_header = _("ผลงานเลิศรัฐ — ระบบบริหารจัดการ")
admin.site.site_title = _("ผลงานเลิศรัฐ")
admin.site.index_title = _("การบริหารจัดการรางวัลเลิศรัฐ")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "get_full_name", "role", "agency", "is_staff", "is_active"]
    list_filter = ["role", "is_staff", "is_active"]
    list_select_related = ["agency"]
    search_fields = ["username", "email", "first_name", "last_name", "agency__name_th"]
    autocomplete_fields = ["agency"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("บทบาทในระบบรางวัล"), {"fields": ("role", "agency", "position", "phone")}),
    )
    actions = ["reset_second_factor"]

    @admin.action(
        description=_("รีเซ็ตการยืนยันตัวตนขั้นที่สอง (ผู้ใช้ทำอุปกรณ์และรหัสสำรองหาย)"),
        permissions=["change"],
    )
    def reset_second_factor(self, request, queryset):
        """The recovery path: only staff whose own session proved the second factor
        (accounts.reset_second_factor checks), each reset written to the audit log."""
        from django.core.exceptions import PermissionDenied

        from .accounts import reset_second_factor

        done = 0
        for user in queryset:
            try:
                reset_second_factor(user, by=request.user, request=request)
            except PermissionDenied as error:
                self.message_user(request, str(error), level="error")
                return
            done += 1
        self.message_user(
            request,
            _("รีเซ็ตแล้ว %(n)d บัญชี: เข้าระบบครั้งถัดไปต้องตั้งค่าแอปยืนยันตัวตนใหม่") % {"n": done},
        )


@admin.register(VerifiedApiToken)
class VerifiedApiTokenAdmin(admin.ModelAdmin):
    """Which API tokens carry a second factor: made only by accounts.issue_api_token from a
    verified session, so read-only here (deleting one takes the second factor off a token)."""

    list_display = ["user", "device_id", "verified_at"]  # never the key (the token's pk)
    list_display_links = None
    list_select_related = ["token__user"]
    search_fields = ["token__user__username", "token__user__email"]

    @admin.display(description=_("ผู้ใช้"))
    def user(self, obj):
        return obj.token.user

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "code", "region"]
    list_filter = ["region"]
    search_fields = ["name_th", "name_en", "code"]


@admin.register(SDG)
class SDGAdmin(admin.ModelAdmin):
    list_display = ["number", "name_th", "name_en"]
    search_fields = ["name_th", "name_en"]


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "abbreviation", "kind", "parent", "province", "is_active"]
    list_filter = ["kind", "is_active", "province__region"]
    list_select_related = ["parent", "province"]
    search_fields = ["name_th", "name_en", "abbreviation"]
    autocomplete_fields = ["parent", "province"]


@admin.register(MembershipRequest)
class MembershipRequestAdmin(SimpleHistoryAdmin):
    list_display = ["user", "agency", "state", "is_coordinator", "requested_at", "decided_by"]
    list_filter = ["state", "is_coordinator"]
    list_select_related = ["user", "agency", "decided_by"]
    search_fields = ["user__email", "user__username", "agency__name_th", "agency__abbreviation"]
    autocomplete_fields = ["user", "agency"]
    # A decision goes through accounts.decide_membership (sets the member's agency, records
    # who and when), never by editing the state field.
    readonly_fields = ["state", "requested_at", "decided_by", "decided_at"]
    actions = ["approve", "reject"]

    def _decide(self, request, queryset, approve: bool):
        from django.core.exceptions import PermissionDenied

        from .accounts import decide_membership

        decided = 0
        for membership in queryset:
            try:
                decide_membership(membership.pk, by=request.user, approve=approve)
                decided += 1
            except PermissionDenied as error:
                self.message_user(request, f"{membership}: {error}", level="error")
        if decided:
            self.message_user(request, _("พิจารณาแล้ว %(n)d คำขอ") % {"n": decided})

    @admin.action(description=_("อนุมัติคำขอที่เลือก"))
    def approve(self, request, queryset):
        self._decide(request, queryset, approve=True)

    @admin.action(description=_("ไม่อนุมัติคำขอที่เลือก"))
    def reject(self, request, queryset):
        self._decide(request, queryset, approve=False)


# --- PDPA and the audit log: read-only in the admin -------------------------------------------


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "content_type", "object_repr", "ip_address"]
    list_filter = ["action", "content_type"]
    search_fields = ["object_repr", "object_id", "actor__username"]
    list_select_related = ["actor", "content_type"]
    date_hierarchy = "at"


@admin.register(PrivacyAcknowledgement)
class PrivacyAcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["user", "notice_version", "acknowledged_at"]
    list_filter = ["notice_version"]
    search_fields = ["user__username", "user__email"]


@admin.register(AccountClosure)
class AccountClosureAdmin(ReadOnlyAdmin):
    list_display = ["user", "requested_at", "anonymised_at"]
    list_filter = ["anonymised_at"]


# --- Reports (portal/reports.py): staff may ask for one here too; the worker builds it ---------


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
            choices=[(kind.code, kind.label) for kind in reports.kinds_for(user)],
        )

    def clean(self):
        data = super().clean()
        try:
            kind = reports.get_kind(data.get("kind", ""))
            value = reports.clean_value(kind, data.get("value"))
            if not kind.allowed(self.user, value):
                raise reports.ReportDenied(_("ไม่พบข้อมูลที่เลือก หรือคุณไม่มีสิทธิ์เข้าถึง"))
        except reports.ReportError as error:
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
        report, _created = reports.request_report(
            request.user, form.cleaned_data["kind"], form.cleaned_data["value"]
        )
        obj.pk, obj.public_id = report.pk, report.public_id
        obj._state.adding = False

    def response_add(self, request, obj, post_url_continue=None):
        from django.shortcuts import redirect

        return redirect("reports:detail", public_id=obj.public_id)
