from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import SDG, Agency, Province


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
