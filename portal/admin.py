"""The admin site's titles, and what every concern's admin shares. Each concern registers its
own models in its admin module (portal/<concern>/admin.py, imported by PortalConfig.ready)."""

from django.contrib import admin
from django.contrib.admin.options import BaseModelAdmin
from django.db import models
from django.utils.translation import gettext_lazy as _

from .forms import AdminThaiDateField, AdminThaiDateTimeField

admin.site.site_header = _("ผลงานเลิศรัฐ — ระบบบริหารจัดการ")
admin.site.site_title = _("ผลงานเลิศรัฐ")
admin.site.index_title = _("การบริหารจัดการรางวัลเลิศรัฐ")

# --- Dates: typed as day / month / B.E. year, as on the public forms ---------------------------
# Every ModelAdmin and inline — ours, auth's, the third-party apps' — builds its date and
# date-time fields here: portal.forms' B.E. fields (the era labelled next to the boxes, the
# same parse_be_date rules and Thai messages as the site). Storage stays ISO.
_django_formfield_for_dbfield = BaseModelAdmin.formfield_for_dbfield


def _formfield_for_dbfield(self, db_field, request, **kwargs):
    if isinstance(db_field, models.DateField) and not db_field.choices:
        if isinstance(db_field, models.DateTimeField):
            field_class = AdminThaiDateTimeField
        else:
            field_class = AdminThaiDateField
        return db_field.formfield(
            **{"form_class": field_class, "widget": field_class.widget, **kwargs}
        )
    return _django_formfield_for_dbfield(self, db_field, request, **kwargs)


BaseModelAdmin.formfield_for_dbfield = _formfield_for_dbfield


class ReadOnlyAdmin(admin.ModelAdmin):
    """Records nobody edits (audit trails, logs)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class RecordInline(admin.TabularInline):
    """Rows kept as a record under their parent (state changes, answers given, files): shown,
    never added, changed or deleted here. A subclass names `fields`; all are read-only."""

    extra = 0
    can_delete = False

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


def set_or_not_filter(field: str, title, set_label, unset_label, parameter: str):
    """A list filter on whether a date field is set (answered / not, released / not), in
    Thai: Django's own empty-field filter says "Empty" and "Not empty" in English."""

    class SetOrNotFilter(admin.SimpleListFilter):
        parameter_name = parameter

        def lookups(self, request, model_admin):
            return [("yes", set_label), ("no", unset_label)]

        def queryset(self, request, queryset):
            if self.value() in ("yes", "no"):
                return queryset.filter(**{f"{field}__isnull": self.value() == "no"})
            return queryset

    SetOrNotFilter.title = title
    return SetOrNotFilter
