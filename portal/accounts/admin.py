from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import MembershipRequest, User


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
