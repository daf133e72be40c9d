from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import SDG, Agency, MembershipRequest, Province, User

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
    readonly_fields = ["requested_at", "decided_by", "decided_at"]
