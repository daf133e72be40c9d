"""The admin site's titles, and what every concern's admin shares. Each concern registers its
own models in its admin module (portal/<concern>/admin.py, imported by PortalConfig.ready)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

admin.site.site_header = _("ผลงานเลิศรัฐ — ระบบบริหารจัดการ")
admin.site.site_title = _("ผลงานเลิศรัฐ")
admin.site.index_title = _("การบริหารจัดการรางวัลเลิศรัฐ")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody edits (audit trails, logs)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
