from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from awards import levels
from awards.admin.base import level_filter

from . import tasks
from .models import (
    Adoption,
    CaseDocument,
    CasePhoto,
    CaseStudy,
    Lesson,
    SearchDocument,
    ThesaurusGroup,
    Topic,
)


@admin.action(description=_("เผยแพร่รายการที่เลือก"), permissions=["change"])
def publish(modeladmin, request, queryset):
    # Saved one by one so that history is kept and each is re-indexed after commit.
    changed = 0
    for obj in queryset.filter(is_published=False):
        obj.is_published = True
        obj.published_at = obj.published_at or timezone.now()
        obj.save()
        changed += 1
    modeladmin.message_user(
        request, ngettext("เผยแพร่ %d รายการ", "เผยแพร่ %d รายการ", changed) % changed
    )


@admin.action(description=_("หยุดเผยแพร่รายการที่เลือก"), permissions=["change"])
def unpublish(modeladmin, request, queryset):
    changed = 0
    for obj in queryset.filter(is_published=True):
        obj.is_published = False
        obj.save()
        changed += 1
    modeladmin.message_user(
        request, ngettext("หยุดเผยแพร่ %d รายการ", "หยุดเผยแพร่ %d รายการ", changed) % changed
    )


@admin.action(description=_("ทำดัชนีค้นหาใหม่"), permissions=["change"])
def reindex(modeladmin, request, queryset):
    task = tasks.index_case_study if queryset.model is CaseStudy else tasks.index_lesson
    ids = list(queryset.values_list("pk", flat=True))
    for pk in ids:
        task.delay_on_commit(pk)
    modeladmin.message_user(request, _("ส่งงานทำดัชนีแล้ว %d รายการ") % len(ids), messages.INFO)


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "slug"]
    search_fields = ["name_th", "name_en"]
    prepopulated_fields = {"slug": ["name_en"]}


class CasePhotoInline(admin.TabularInline):
    model = CasePhoto
    extra = 0


class CaseDocumentInline(admin.TabularInline):
    model = CaseDocument
    extra = 0


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0
    show_change_link = True
    fields = ["title", "slug", "is_published"]


class CaseStudyForm(forms.ModelForm):
    """The admin's fields (no Meta: the ModelAdmin makes it) with the award level picked from
    every level's code (awards/levels.py): past years' cases name levels no cycle here has."""

    award_level = forms.ChoiceField(
        label=_("ระดับรางวัล"),
        required=False,
        choices=lambda: [("", "---------"), *levels.code_choices()],
    )


@admin.register(CaseStudy)
class CaseStudyAdmin(SimpleHistoryAdmin):
    form = CaseStudyForm
    list_display = ["title", "agency", "year_be", "branch", "award_level_label", "is_published"]
    list_filter = [
        "is_published", "year_be", "branch", level_filter("award_level", _("ระดับรางวัล")),
        "topics",
    ]  # fmt: skip
    list_select_related = ["agency", "branch"]
    search_fields = ["title", "summary", "agency__name_th", "agency__abbreviation", "external_id"]
    autocomplete_fields = ["agency", "category", "entry"]
    filter_horizontal = ["provinces", "topics", "sdgs"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [LessonInline, CasePhotoInline, CaseDocumentInline]
    actions = [publish, unpublish, reindex]

    @admin.display(description=_("ระดับรางวัล"), ordering="award_level")
    def award_level_label(self, case):
        return case.award_level_label


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ["title", "case_study", "is_published", "published_at"]
    list_filter = ["is_published"]
    list_select_related = ["case_study"]
    search_fields = ["title", "case_study__title"]
    autocomplete_fields = ["case_study"]
    actions = [publish, unpublish, reindex]


@admin.register(SearchDocument)
class SearchDocumentAdmin(admin.ModelAdmin):
    """The search index, read-only: it is written by the worker (cases/tasks.py). Staff only:
    its entry rows hold entries' text."""

    list_display = [
        "__str__", "kind", "case_study", "entry", "boost", "source_updated_at", "indexed_at",
    ]  # fmt: skip
    list_filter = ["kind"]
    list_select_related = ["case_study", "entry"]
    search_fields = ["case_study__title"]
    readonly_fields = [f.name for f in SearchDocument._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ThesaurusGroup)
class ThesaurusGroupAdmin(SimpleHistoryAdmin):
    """Words a search treats as the same; an edit reaches every process's next query."""

    list_display = ["terms", "kind", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["terms"]


@admin.register(Adoption)
class AdoptionAdmin(SimpleHistoryAdmin):
    """Staff record or correct adoptions (ขยายผล) for any agency; officials record their own
    agency's on the public site (cases/spread.py). The rules are the model's (Adoption.clean)."""

    list_display = ["case_study", "agency", "province", "year_be", "recorded_by", "recorded_at"]
    list_filter = ["year_be", "province__region"]
    list_select_related = ["case_study", "agency", "province", "recorded_by"]
    search_fields = ["case_study__title", "agency__name_th", "agency__abbreviation", "note"]
    autocomplete_fields = ["case_study", "agency"]
    readonly_fields = ["recorded_by", "recorded_at"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)
