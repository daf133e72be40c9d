from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import MembershipRequest, User, VerifiedApiToken


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

        from .second_factor import reset_second_factor

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

        from .membership import decide_membership

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
