"""An entry's panel discussion (remarks among its assessors and staff) and its chair's
consensus note for the screening decision, on a page of its own beside the entry and the
score sheet. The rules are awards/discussion.py's; who may, permissions.py's."""

from django.contrib import admin, messages
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext as _

from .. import discussion, permissions
from ..models import ConsensusNote, Entry, PanelComment
from .base import SITE_URLS, ScopedAdmin

site = admin.site


def discussion_view(request, entry_id: int):
    entry = Entry.objects.select_related("agency", "category").filter(pk=entry_id).first()
    if entry is None or not permissions.can_discuss(request.user, entry):
        raise Http404  # another panel's entry does not exist for this user
    may_conclude = permissions.can_write_consensus(request.user, entry)
    errors = {}
    if request.method == "POST":
        try:
            if request.POST.get("do") == "consensus":
                discussion.write_consensus(entry, request.user, request.POST.get("note", ""))
                messages.success(request, _("บันทึกข้อสรุปของคณะแล้ว"))
            else:
                discussion.post_comment(entry, request.user, request.POST.get("body", ""))
                messages.success(request, _("เพิ่มความเห็นแล้ว"))
            return HttpResponseRedirect(request.path)
        except discussion.DiscussionError as error:
            errors[request.POST.get("do", "comment")] = str(error)
    context = {
        **site.each_context(request),
        "title": _("การหารือของคณะ: %(entry)s") % {"entry": entry},
        "entry": entry,
        "comments": discussion.comments(request.user, entry),
        "consensus": ConsensusNote.objects.filter(entry=entry).select_related("written_by").first(),
        "may_conclude": may_conclude,
        "errors": errors,
        "posted": request.POST if errors else {},
    }
    return TemplateResponse(request, "admin/awards/discussion.html", context)


SITE_URLS.append(
    path(
        "entry-discussion/<int:entry_id>/",
        site.admin_view(discussion_view),
        name="awards_entry_discussion",
    )
)


class DiscussionListAdmin(ScopedAdmin):
    """Remarks and consensus notes as lists (staff: all; an assessor: their entries'), read
    only: they are written on the entry's discussion page."""

    list_select_related = ["entry"]
    search_fields = ["entry__reference", "entry__title"]

    def visible(self, user):
        return self.model.objects.filter(entry__in=permissions.entries_visible_to(user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PanelComment)
class PanelCommentAdmin(DiscussionListAdmin):
    list_display = ["entry", "author", "body", "written_at"]


@admin.register(ConsensusNote)
class ConsensusNoteAdmin(DiscussionListAdmin):
    list_display = ["entry", "note", "written_by", "written_at"]
