from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CaseDocument, CasePhoto, CaseStudy, Lesson, Topic


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


@admin.register(CaseStudy)
class CaseStudyAdmin(SimpleHistoryAdmin):
    list_display = ["title", "agency", "year_be", "branch", "award_level", "is_published"]
    list_filter = ["is_published", "year_be", "branch", "award_level", "topics"]
    list_select_related = ["agency", "branch"]
    search_fields = ["title", "summary", "agency__name_th", "agency__abbreviation", "external_id"]
    autocomplete_fields = ["agency", "category", "entry"]
    filter_horizontal = ["provinces", "topics", "sdgs"]
    readonly_fields = ["created_at", "updated_at"]
    inlines = [LessonInline, CasePhotoInline, CaseDocumentInline]


@admin.register(Lesson)
class LessonAdmin(SimpleHistoryAdmin):
    list_display = ["title", "case_study", "is_published", "published_at"]
    list_filter = ["is_published"]
    list_select_related = ["case_study"]
    search_fields = ["title", "case_study__title"]
    autocomplete_fields = ["case_study"]
