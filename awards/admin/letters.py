"""Letters to agencies (the secretariat's screen): compose a letter to a selection of entries
from the `letter` template, read every letter as its recipient will (the change page's
preview), then send with the list's action; the list shows each letter's progress in the
outbox. The rules are awards/letters.py."""

from django import forms
from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from portal.notifications import kinds, sending
from portal.notifications.models import Notification

from .. import letters, notices, permissions
from ..models import Letter

PREVIEW_LIMIT = 50  # letters shown on the page; the count says how many go


class LetterForm(forms.ModelForm):
    class Meta:
        model = Letter
        fields = [
            "title", "cycle", "category", "state", "subject", "body", "subject_en", "body_en",
        ]  # fmt: skip

    def clean(self):
        data = super().clean()
        category, cycle = data.get("category"), data.get("cycle")
        if category and cycle and category.cycle_id != cycle.pk:
            self.add_error("category", _("ประเภทรางวัลนี้ไม่อยู่ในปีรางวัลที่เลือก"))
        try:
            letters.check_text(
                *(data.get(name) or "" for name in ("subject", "body", "subject_en", "body_en"))
            )
        except kinds.TemplateError as error:
            raise forms.ValidationError(str(error)) from error
        return data


@admin.register(Letter)
class LetterAdmin(SimpleHistoryAdmin):
    form = LetterForm
    list_display = ["title", "cycle", "category", "state", "sent_at", "outbox_progress"]
    list_filter = ["cycle", "sent_at"]
    search_fields = ["title", "subject"]
    list_select_related = ["cycle", "category__cycle"]
    readonly_fields = ["placeholders", "outbox_progress", "preview", "created_by", "sent_at"]
    actions = ["send"]

    def has_module_permission(self, request):
        return permissions.is_secretariat(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user)

    def has_add_permission(self, request):
        return permissions.is_secretariat(request.user)

    def has_change_permission(self, request, obj=None):
        # A letter once sent is the record of what went: read only.
        sent = obj is not None and obj.sent_at is not None
        return permissions.is_secretariat(request.user) and not sent

    def has_delete_permission(self, request, obj=None):
        return False

    def get_changeform_initial_data(self, request):
        """A new letter starts from the `letter` template (staff's wording, else shipped)."""
        initial = super().get_changeform_initial_data(request)
        initial.setdefault("subject", sending.wording(notices.LETTER, "th")[0])
        initial.setdefault("body", sending.wording(notices.LETTER, "th")[1])
        return initial

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("ตัวแทนข้อความที่ใช้ได้"))
    def placeholders(self, obj):
        names = {**notices.LETTER.placeholders, **kinds.COMMON_PLACEHOLDERS}
        return format_html(
            "<ul>{}</ul>",
            format_html_join("", "<li><code>{{{}}}</code> {}</li>", sorted(names.items())),
        )

    @admin.display(description=_("ความคืบหน้าในกล่องจดหมายออก"))
    def outbox_progress(self, obj):
        if obj is None or obj.pk is None or obj.sent_at is None:
            return _("ยังไม่ได้ส่ง")
        counts = letters.progress(obj)
        labels = dict(Notification.State.choices)
        url = reverse("admin:portal_notification_changelist")
        query = urlencode({"kind": notices.LETTER.code, "occasion": letters.occasion(obj)})
        return format_html(
            '<a href="{}?{}">{}</a>',
            url,
            query,
            " · ".join(f"{labels[state]} {count:,}" for state, count in counts.items()),
        )

    @admin.display(description=_("ตัวอย่างจดหมายถึงผู้รับจริง"))
    def preview(self, obj):
        if obj is None or obj.pk is None:
            return _("บันทึกแล้วจะแสดงจดหมายของผู้รับแต่ละคนให้ตรวจก่อนส่ง")
        try:
            rendered = letters.preview(obj)
        except letters.LetterError as error:
            return format_html('<p class="errornote">{}</p>', error)
        shown = rendered[:PREVIEW_LIMIT]
        heading = ngettext(
            "จะส่งจดหมาย %(count)d ฉบับ (แสดง %(shown)d ฉบับแรก)",
            "จะส่งจดหมาย %(count)d ฉบับ (แสดง %(shown)d ฉบับแรก)",
            len(rendered),
        ) % {"count": len(rendered), "shown": len(shown)}
        return format_html(
            "<p>{}</p>{}",
            heading,
            format_html_join(
                "",
                '<section class="letter-preview"><h3>{} — {} ({})</h3>'
                '<p><strong>{}</strong></p><pre class="preview">{}</pre></section>',
                (
                    (
                        one.entry.reference,
                        one.recipient.email,
                        one.recipient.language,
                        one.subject,
                        one.body,
                    )
                    for one in shown
                ),
            ),
        )

    @admin.action(description=_("ส่งจดหมายที่เลือก (ตรวจตัวอย่างในหน้าจดหมายก่อน)"))
    def send(self, request, queryset):
        for letter in queryset.select_related("cycle"):
            try:
                count = letters.send(letter, request.user)
            except letters.LetterError as error:
                self.message_user(request, f"{letter}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(letter)s: ส่งเข้ากล่องจดหมายออก %(count)d ฉบับ",
                        "%(letter)s: ส่งเข้ากล่องจดหมายออก %(count)d ฉบับ",
                        count,
                    )
                    % {"letter": letter, "count": count},
                    messages.SUCCESS,
                )
