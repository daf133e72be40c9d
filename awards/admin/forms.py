"""Entry forms (แบบฟอร์มใบสมัคร): the secretariat sets up a category's questions — sections,
then questions placed in them — previews them as the agency will see them, and makes a new
version when one is locked (the first entry answering it was submitted). Staff only; the
rules (locking, versions, what an answer may be) are awards/entry_forms.py and answers.py."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from .. import entry_forms, permissions, submission
from ..forms import AttachmentForm, SectionForm
from ..models import Entry, EntryForm, FormSection, Question, QuestionKind


class LockedFormInline:
    """Rows of a locked version are shown, never changed (a new version is made instead)."""

    def _open(self, request, obj):
        return permissions.is_secretariat(request.user) and (obj is None or not obj.is_locked)

    def get_extra(self, request, obj=None, **kwargs):
        return 1 if self._open(request, obj) else 0  # one blank row to add with

    def has_add_permission(self, request, obj=None):
        return self._open(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(request, obj) and super().has_delete_permission(request, obj)


class FormSectionInline(LockedFormInline, admin.TabularInline):
    model = FormSection
    fields = ["order", "key", "title_th", "title_en", "help_th", "help_en"]


class QuestionInline(LockedFormInline, admin.StackedInline):
    model = Question
    fields = [
        ("section", "order", "code", "kind", "required"),
        ("label_th", "label_en"),
        ("help_th", "help_en"),
        ("max_length", "max_rows"),
        ("options", "multiple"),
        ("max_files", "max_file_mb", "file_types"),
    ]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "section":
            # Only this form's sections (add sections, save, then place questions in them).
            form_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = FormSection.objects.filter(form_id=form_id or 0)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(EntryForm)
class EntryFormAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "category", "version", "locked_at", "entry_count", "preview_link"]
    list_filter = ["category__cycle", "category__branch"]
    list_select_related = ["category__cycle", "category__branch"]
    search_fields = ["name", "category__name_th", "category__code"]
    autocomplete_fields = ["category"]
    fields = ["category", "name", "version", "locked_at", "lock_state", "preview_link"]
    readonly_fields = ["version", "locked_at", "lock_state", "preview_link"]
    inlines = [FormSectionInline, QuestionInline]
    actions = ["make_new_version"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(entry_total=Count("entries"))

    def has_module_permission(self, request):
        return permissions.is_secretariat(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return permissions.is_secretariat(request.user) and super().has_view_permission(
            request, obj
        )

    def has_change_permission(self, request, obj=None):
        allowed = permissions.is_secretariat(request.user)
        return allowed and not (obj and obj.is_locked) and super().has_change_permission(request)

    def has_add_permission(self, request):
        return permissions.is_secretariat(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False  # entries answer it; a form is replaced by a new version, never removed

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "category"] if obj is not None else fields

    def save_model(self, request, obj, form, change):
        if not change:  # a new form is the category's next version
            latest = obj.category.entry_forms.order_by("-version").first()
            obj.version = latest.version + 1 if latest else 1
        super().save_model(request, obj, form, change)

    def response_change(self, request, obj):
        for problem in entry_forms.problems(obj):
            self.message_user(request, problem, messages.WARNING)
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        for problem in entry_forms.problems(obj):
            self.message_user(request, problem, messages.WARNING)
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description=gettext_lazy("ผลงานที่ตอบ"), ordering="entry_total")
    def entry_count(self, form):
        return form.entry_total

    @admin.display(description=gettext_lazy("สถานะ"))
    def lock_state(self, form):
        if form.pk is None or not form.is_locked:
            return _("แก้ไขได้ (ยังไม่มีผลงานที่ส่งแล้ว)")
        return _(
            "ล็อกแล้ว: มีผลงานส่งตามฉบับนี้ จึงแก้ไขไม่ได้ เลือกแบบฟอร์มนี้ในรายการแล้วใช้คำสั่ง “สร้างฉบับใหม่เพื่อแก้ไข”"
        )

    @admin.display(description=gettext_lazy("ตัวอย่าง"))
    def preview_link(self, form):
        if form.pk is None:
            return "-"
        url = reverse("admin:awards_entryform_preview", args=[form.pk])
        return format_html('<a href="{}">{}</a>', url, _("ดูตัวอย่างอย่างที่หน่วยงานเห็น"))

    @admin.action(description=gettext_lazy("สร้างฉบับใหม่เพื่อแก้ไข (ผลงานที่เริ่มแล้วคงใช้ฉบับเดิม)"))
    def make_new_version(self, request, queryset):
        if not permissions.is_secretariat(request.user):
            raise PermissionDenied
        for form in queryset:
            copy = entry_forms.new_version(form)
            self.message_user(
                request,
                _("สร้าง %(form)s แล้ว ผลงานใหม่จะตอบฉบับนี้") % {"form": copy},
                messages.SUCCESS,
            )
        return None

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [
            path("<int:form_id>/preview/", preview, name="awards_entryform_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, form_id):
        """Every section as the agency's section page renders it, for an empty entry."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = get_object_or_404(EntryForm.objects.select_related("category__cycle"), pk=form_id)
        entry = Entry(form=form, category=form.category, title="", answers={})
        pages = [
            {
                "section": section,
                "form": SectionForm(entry, section, prefix=section.key),
                "files": [
                    (question, AttachmentForm(question=question, prefix=question.code))
                    for question in section.question_list
                    if question.kind == QuestionKind.ATTACHMENTS
                ],
            }
            for section in submission.sections(form)
        ]
        return TemplateResponse(
            request,
            "awards/form_preview.html",
            {
                "entry_form": form,
                "pages": pages,
                "back": reverse("admin:awards_entryform_change", args=[form.pk]),
            },
        )
