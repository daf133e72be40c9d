from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Assignment,
    Attachment,
    Branch,
    Category,
    ConflictDeclaration,
    Criterion,
    Cycle,
    Entry,
    EntryStateChange,
    Panel,
    PanelMember,
    Result,
    Score,
    ScoreSheet,
    SiteVisit,
)


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name_th", "name_en", "code", "order"]
    search_fields = ["name_th", "name_en", "code"]


@admin.register(Cycle)
class CycleAdmin(SimpleHistoryAdmin):
    list_display = [
        "year_be",
        "title",
        "applications_open_at",
        "applications_close_at",
        "results_published_at",
    ]
    search_fields = ["title", "year_be"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["name_th", "branch", "cycle", "code", "order"]
    list_filter = ["cycle", "branch"]
    list_select_related = ["branch", "cycle"]
    search_fields = ["name_th", "name_en", "code"]
    inlines = [CriterionInline]


@admin.register(Criterion)
class CriterionAdmin(SimpleHistoryAdmin):
    list_display = ["title_th", "category", "round", "order", "weight", "max_score"]
    list_filter = ["round", "category__cycle", "category__branch"]
    list_select_related = ["category__branch", "category__cycle"]
    search_fields = ["title_th", "title_en", "category__name_th"]


class AttachmentInline(admin.TabularInline):
    model = Attachment
    extra = 0
    fields = ["original_name", "content_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False


class EntryStateChangeInline(admin.TabularInline):
    model = EntryStateChange
    extra = 0
    fields = ["changed_at", "from_state", "to_state", "changed_by", "note"]
    readonly_fields = fields
    can_delete = False


@admin.register(Entry)
class EntryAdmin(SimpleHistoryAdmin):
    list_display = ["reference", "title", "agency", "category", "state", "submitted_at"]
    list_filter = ["state", "category__cycle", "category__branch"]
    list_select_related = ["agency", "category__branch", "category__cycle"]
    search_fields = ["reference", "title", "agency__name_th", "agency__abbreviation"]
    autocomplete_fields = ["agency", "category"]
    readonly_fields = [
        "reference",
        "public_id",
        "created_by",
        "created_at",
        "submitted_at",
        "submitted_by",
    ]
    filter_horizontal = ["sdgs"]
    inlines = [AttachmentInline, EntryStateChangeInline]


@admin.register(EntryStateChange)
class EntryStateChangeAdmin(admin.ModelAdmin):
    list_display = ["entry", "from_state", "to_state", "changed_by", "changed_at"]
    list_filter = ["to_state"]
    list_select_related = ["entry", "changed_by"]
    search_fields = ["entry__reference", "entry__title"]


@admin.register(Attachment)
class AttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["original_name", "entry", "content_type", "size", "uploaded_at"]
    list_select_related = ["entry"]
    search_fields = ["original_name", "entry__reference", "entry__title"]


class PanelMemberInline(admin.TabularInline):
    model = PanelMember
    extra = 1
    autocomplete_fields = ["assessor"]


@admin.register(Panel)
class PanelAdmin(SimpleHistoryAdmin):
    list_display = ["name", "cycle", "chair"]
    list_filter = ["cycle"]
    list_select_related = ["cycle", "chair"]
    search_fields = ["name"]
    autocomplete_fields = ["chair"]
    inlines = [PanelMemberInline]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(SimpleHistoryAdmin):
    list_display = ["assessor", "agency", "entry", "declared_at"]
    list_select_related = ["assessor", "agency", "entry"]
    search_fields = ["assessor__email", "agency__name_th", "entry__reference"]
    autocomplete_fields = ["assessor", "agency", "entry"]


@admin.register(Assignment)
class AssignmentAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "assessor", "round", "panel", "assigned_at"]
    list_filter = ["round", "panel__cycle"]
    list_select_related = ["entry", "assessor", "panel__cycle"]
    search_fields = ["entry__reference", "entry__title", "assessor__email"]
    autocomplete_fields = ["entry", "assessor", "panel"]


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0


@admin.register(ScoreSheet)
class ScoreSheetAdmin(SimpleHistoryAdmin):
    list_display = ["assignment", "state", "submitted_at"]
    list_filter = ["state", "assignment__round"]
    list_select_related = ["assignment__entry", "assignment__assessor"]
    search_fields = ["assignment__entry__reference", "assignment__assessor__email"]
    inlines = [ScoreInline]


@admin.register(SiteVisit)
class SiteVisitAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "panel", "scheduled_at", "is_online", "proposed_level"]
    list_filter = ["is_online", "proposed_level", "panel__cycle"]
    list_select_related = ["entry", "panel__cycle"]
    search_fields = ["entry__reference", "entry__title", "place"]
    autocomplete_fields = ["entry", "panel"]


@admin.register(Result)
class ResultAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "award_level", "screening_score", "site_visit_score", "decided_at"]
    list_filter = ["award_level", "entry__category__cycle", "entry__category__branch"]
    list_select_related = ["entry"]
    search_fields = ["entry__reference", "entry__title", "entry__agency__name_th"]
    autocomplete_fields = ["entry"]
