"""Feedback to agencies in the admin: staff (and the chair of a panel that assessed an entry)
edit the drafted points; staff release a category's feedback (action) and draft what is
missing ("ร่างข้อเสนอแนะ")."""

from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST
from simple_history.admin import SimpleHistoryAdmin

from portal.admin import set_or_not_filter

from .. import feedback, permissions
from ..models import Category, Feedback, FeedbackPoint


class PointInline(admin.TabularInline):
    model = FeedbackPoint
    fields = ["criterion", "strengths", "improvements"]
    readonly_fields = ["criterion"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is not None and feedback.may_edit(request.user, obj)

    def has_view_permission(self, request, obj=None):
        return permissions.may_use_admin(request.user)


@admin.register(Feedback)
class FeedbackAdmin(SimpleHistoryAdmin):
    list_display = ["entry", "category", "released_at"]
    list_filter = [
        set_or_not_filter(
            "released_at", _("การเผยแพร่"), _("เผยแพร่แล้ว"), _("ยังไม่เผยแพร่"), "released"
        ),
        "entry__category__cycle",
        "entry__category",
    ]
    search_fields = ["entry__reference", "entry__title"]
    list_select_related = ["entry__category__cycle", "entry__category__branch"]
    fields = ["entry", "released_at", "released_by"]
    readonly_fields = fields
    inlines = [PointInline]
    actions = ["release_categories"]
    change_list_template = "admin/awards/feedback/change_list.html"

    @admin.display(description=_("ประเภทรางวัล"))
    def category(self, obj):
        return obj.entry.category

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.filter(entry__in=permissions.entries_of_chair_or_staff(request.user))

    def has_module_permission(self, request):
        return permissions.may_use_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.may_use_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return obj is not None and feedback.may_edit(request.user, obj)

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        actions = super().get_actions(request)
        if not permissions.is_secretariat(request.user):
            actions.pop("release_categories", None)
        return actions

    @admin.action(description=_("เผยแพร่ข้อเสนอแนะทั้งประเภทรางวัลของรายการที่เลือก"))
    def release_categories(self, request, queryset):
        categories = Category.objects.filter(
            pk__in=queryset.values("entry__category_id")
        ).select_related("cycle")
        for category in categories:
            try:
                count = feedback.release(category, request.user)
            except feedback.FeedbackError as error:
                self.message_user(request, f"{category}: {error}", messages.ERROR)
            else:
                self.message_user(
                    request,
                    ngettext(
                        "%(category)s: เผยแพร่ %(count)d รายการ",
                        "%(category)s: เผยแพร่ %(count)d รายการ",
                        count,
                    )
                    % {"category": category, "count": count},
                    messages.SUCCESS,
                )

    def get_urls(self):
        return [
            path(
                "draft/",
                self.admin_site.admin_view(require_POST(self.draft_view)),
                name="awards_feedback_draft",
            ),
            *super().get_urls(),
        ]

    def draft_view(self, request):
        if not permissions.is_secretariat(request.user):
            return redirect("admin:index")
        count = feedback.draft_announced()
        self.message_user(
            request,
            ngettext("ร่างข้อเสนอแนะ %(count)d รายการ", "ร่างข้อเสนอแนะ %(count)d รายการ", count)
            % {"count": count},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:awards_feedback_changelist"))
