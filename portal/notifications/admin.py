"""The staff outbox (every message, its state and error, resend), the templates staff edit
per kind and language (checked placeholders, a preview with real data, history), and the
reminder schedules. The secretariat's screens: assessors never see them."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import ReadOnlyAdmin

from . import kinds, sending
from .models import Notification, NotificationSchedule, NotificationTemplate


def _secretariat(request) -> bool:
    return getattr(request.user, "is_secretariat", False)


class SecretariatOnly:
    def has_module_permission(self, request):
        return _secretariat(request)

    def has_view_permission(self, request, obj=None):
        return _secretariat(request)


class SecretariatEdits(SecretariatOnly):
    def has_add_permission(self, request):
        return _secretariat(request)

    def has_change_permission(self, request, obj=None):
        return _secretariat(request)

    def has_delete_permission(self, request, obj=None):
        return _secretariat(request)


class KindFilter(admin.SimpleListFilter):
    title = _("ชนิด")
    parameter_name = "kind"

    def lookups(self, request, model_admin):
        return kinds.kind_choices()

    def queryset(self, request, queryset):
        return queryset.filter(kind=self.value()) if self.value() else queryset


@admin.register(Notification)
class NotificationAdmin(SecretariatOnly, ReadOnlyAdmin):
    list_display = [
        "created_at",
        "kind_label",
        "subject",
        "email",
        "language",
        "state",
        "attempts",
        "sent_at",
        "read_at",
    ]
    list_filter = ["state", KindFilter, "language"]
    search_fields = [
        "subject",
        "email",
        "recipient__username",
        "recipient__first_name",
        "recipient__last_name",
        "occasion",
    ]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [f.name for f in Notification._meta.fields if f.name != "attachments"] + [
        "attachment_names"
    ]
    exclude = ["attachments"]
    actions = ["resend"]

    @admin.display(description=_("ชนิด"))
    def kind_label(self, obj):
        return obj.kind_label

    @admin.display(description=_("ไฟล์แนบ"))
    def attachment_names(self, obj):
        return ", ".join(file["filename"] for file in obj.attachments) or "—"

    @admin.action(description=_("ส่งอีกครั้ง"))
    def resend(self, request, queryset):
        count = sending.resend(queryset)
        self.message_user(
            request,
            ngettext("ส่งอีกครั้ง %(count)d รายการ", "ส่งอีกครั้ง %(count)d รายการ", count)
            % {"count": count},
            messages.SUCCESS,
        )


class TemplateForm(forms.ModelForm):
    kind = forms.ChoiceField(label=_("ชนิดการแจ้งเตือน"), choices=kinds.kind_choices)

    class Meta:
        model = NotificationTemplate
        fields = ["kind", "language", "subject", "body"]


@admin.register(NotificationTemplate)
class NotificationTemplateAdmin(SecretariatEdits, SimpleHistoryAdmin):
    form = TemplateForm
    list_display = ["__str__", "subject", "updated_at"]
    list_filter = [KindFilter, "language"]
    search_fields = ["subject", "body"]
    readonly_fields = ["placeholders", "preview"]

    def get_changeform_initial_data(self, request):
        """ "Add" starts from the shipped wording of the kind and language asked for."""
        initial = super().get_changeform_initial_data(request)
        kind = kinds.find_kind(initial.get("kind", ""))
        language = initial.get("language") or settings.LANGUAGE_CODE
        if kind is not None:
            initial["subject"], initial["body"] = sending.wording(kind, language)
        return initial

    @admin.display(description=_("ตัวแทนข้อความที่ใช้ได้"))
    def placeholders(self, obj):
        kind = kinds.find_kind(obj.kind) if obj and obj.pk else None
        if kind is None:
            return _("บันทึกแล้วจะแสดงตัวแทนข้อความของชนิดที่เลือก")
        names = {**kind.placeholders, **kinds.COMMON_PLACEHOLDERS}
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><code>{{{}}}</code> {}</li>", sorted(names.items())),
        )

    @admin.display(description=_("ตัวอย่าง (ข้อมูลจริงล่าสุด)"))
    def preview(self, obj):
        kind = kinds.find_kind(obj.kind) if obj and obj.pk else None
        if kind is None:
            return "—"
        about = kind.sample()
        if about is None:
            return _("ยังไม่มีข้อมูลจริงของการแจ้งเตือนชนิดนี้ให้แสดงตัวอย่าง")
        recipient = sending.Recipient(email="-", language=obj.language, name=_("ผู้รับตัวอย่าง"))
        subject, body = sending.render(kind, about, recipient, texts=(obj.subject, obj.body))
        return format_html('<p><strong>{}</strong></p><pre class="preview">{}</pre>', subject, body)


class ScheduleForm(forms.ModelForm):
    kind = forms.ChoiceField(
        label=_("ชนิดการแจ้งเตือน"),
        choices=lambda: [(k.code, k.label) for k in kinds.all_kinds() if k.days_before],
    )

    class Meta:
        model = NotificationSchedule
        fields = ["kind", "days_before"]


@admin.register(NotificationSchedule)
class NotificationScheduleAdmin(SecretariatEdits, SimpleHistoryAdmin):
    form = ScheduleForm
    list_display = ["__str__", "days_before"]
