"""What every screen of the award admin shares: who may enter the admin at all, the
assessor-scoped base class and the staff-only actions."""

from django.contrib import admin, messages
from django.http import HttpResponse
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin

from .. import assessment, levels, permissions, spreadsheets
from ..models import Cycle


def _admin_has_permission(request):
    site = admin.site  # a lazy proxy: __class__ is the real site's class (OTP's, if swapped)
    return site.__class__.has_permission(site, request) and permissions.may_use_admin(request.user)


admin.site.has_permission = _admin_has_permission

# Pages of the award admin that belong to no model (the assessor's work, progress, an entry's
# discussion): the screens' modules add them here, under the admin site's own URLs and login.
SITE_URLS: list = []
_site_get_urls = admin.site.get_urls
admin.site.get_urls = lambda: [*SITE_URLS, *_site_get_urls()]


class LevelListFilter(admin.SimpleListFilter):
    """A filter by an award level's code, each offered by its name (levels are data, not
    choices) in rank order, from the rows the admin shows. Subclasses name the field."""

    def lookups(self, request, model_admin):
        shown = model_admin.get_queryset(request).order_by()
        codes = shown.exclude(**{self.parameter_name: ""}).values_list(
            self.parameter_name, flat=True
        )
        return [(code, levels.label(code)) for code in sorted(set(codes), key=levels.rank)]

    def queryset(self, request, queryset):
        return queryset.filter(**{self.parameter_name: self.value()}) if self.value() else queryset


def level_filter(field: str, title) -> type[LevelListFilter]:
    return type(f"{field}_filter", (LevelListFilter,), {"parameter_name": field, "title": title})


def adopt(obj, saved) -> None:
    """The admin's form object becomes the row a domain function saved (for its log/redirect)."""
    obj.__dict__.update({k: v for k, v in saved.__dict__.items() if k != "_state"})
    obj._state.adding = False
    obj._state.db = saved._state.db


def chosen_cycle(request):
    """The cycles, newest first, and the one asked for by ?cycle= (else the newest)."""
    cycles = Cycle.objects.order_by("-year_be")
    cycle = None
    if request.GET.get("cycle", "").isdigit():
        cycle = cycles.filter(pk=request.GET["cycle"]).first()
    return cycles, cycle or cycles.first()


def xlsx_response(workbook, filename: str) -> HttpResponse:
    response = HttpResponse(spreadsheets.workbook_bytes(workbook), content_type=spreadsheets.XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _report_outcome(model_admin, request, outcome: assessment.BulkOutcome, done_message: str):
    if outcome.done:
        model_admin.message_user(request, done_message % {"count": len(outcome.done)})
    for subject, reason in outcome.refused[:20]:
        entry = subject[0] if isinstance(subject, tuple) else subject
        label = getattr(entry, "reference", None) or str(entry)
        model_admin.message_user(request, f"{label}: {reason}", messages.WARNING)
    if len(outcome.refused) > 20:
        model_admin.message_user(
            request, _("และอีก %(n)d รายการที่ทำไม่ได้") % {"n": len(outcome.refused) - 20}
        )


class ScopedAdmin(SimpleHistoryAdmin):
    """Rows are what awards.permissions lets the user see; an object outside them does not
    exist for this user (404 by URL, absent from lists, search, filters and autocomplete).
    Nothing is deletable: results depend on it, and the database PROTECTs it too."""

    def visible(self, user):
        return self.model.objects.all()

    def get_queryset(self, request):
        return permissions.restrict(super().get_queryset(request), self.visible(request.user))

    def _reachable(self, request, obj) -> bool:
        return obj is None or self.visible(request.user).filter(pk=obj.pk).exists()

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._reachable(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._reachable(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions


class OwnRowsMixin:
    """Rows an assessor declares about themselves (expertise, unavailable days): staff keep
    anyone's; an assessor sees and writes only their own, without choosing whose."""

    own_field = "assessor"

    def visible(self, user):
        if permissions.can_manage_assessment(user):
            return self.model.objects.all()
        return self.model.objects.filter(**{f"{self.own_field}_id": user.pk})

    def get_exclude(self, request, obj=None):
        if permissions.can_manage_assessment(request.user):
            return super().get_exclude(request, obj)
        return [*(super().get_exclude(request, obj) or []), self.own_field]

    def save_model(self, request, obj, form, change):
        if not permissions.can_manage_assessment(request.user):
            setattr(obj, self.own_field, request.user)
        super().save_model(request, obj, form, change)


class StaffActionsMixin:
    """Bulk actions that organise the assessment are offered to staff only (and the domain
    refuses them to anyone else anyway)."""

    staff_actions: list[str] = []

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.can_manage_assessment(request.user):
            for name in self.staff_actions:
                actions.pop(name, None)
        return actions
