"""What a panel records on site (issue 18 item 5): photos and files, checked like an entry's
attachments (type by content, size) and stored privately, and the checklist — items that are
data per cycle (every category) or per category, ticked on each visit with what was found.
Only the visit's panel and staff see or record them (permissions.site_visits_visible_to,
permissions.can_record_visit_evidence); the visited agency never does."""

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from . import attachments, permissions
from .models import SiteVisit, SiteVisitCheck, SiteVisitChecklistItem, SiteVisitEvidence


class EvidenceError(attachments.AttachmentError):
    """Evidence refused; the message says why (Thai)."""


def _require_recorder(visit: SiteVisit, by) -> None:
    if not permissions.can_record_visit_evidence(by, visit):
        raise EvidenceError(_("เฉพาะคณะผู้ตรวจประเมินของการลงพื้นที่นี้และเจ้าหน้าที่เท่านั้นที่บันทึกหลักฐานได้"))


@transaction.atomic
def add_evidence(visit: SiteVisit, upload, by, description: str = "") -> SiteVisitEvidence:
    """A photo or file from the visit: refused when empty, too large or not a type the portal
    takes (by its content, whatever its name says)."""
    _require_recorder(visit, by)
    try:
        mime = attachments.check_file(upload, attachments.limits_for(None))
        return attachments.store_file(SiteVisitEvidence(visit=visit), upload, mime, by, description)
    except attachments.AttachmentError as error:
        raise EvidenceError(str(error)) from error


def checklist_items(visit: SiteVisit):
    """The items of the visit's cycle that apply to its entry: cycle-wide ones and its
    category's own."""
    category = visit.entry.category
    return (
        SiteVisitChecklistItem.objects.filter(cycle_id=category.cycle_id)
        .filter(Q(category__isnull=True) | Q(category=category))
        .order_by("order", "pk")
    )


def checklist(visit: SiteVisit) -> list[tuple[SiteVisitChecklistItem, SiteVisitCheck | None]]:
    checks = {check.item_id: check for check in visit.checks.all()}
    return [(item, checks.get(item.pk)) for item in checklist_items(visit)]


@transaction.atomic
def record_checklist(visit: SiteVisit, ticked: dict[int, tuple[bool, str]], by) -> int:
    """Record each item's tick and note ({item id: (done, note)}); an item that does not apply
    to the visit is refused, nothing saved. Returns how many rows changed."""
    _require_recorder(visit, by)
    applicable = {item.pk: item for item in checklist_items(visit)}
    unknown = set(ticked) - set(applicable)
    if unknown:
        raise EvidenceError(_("รายการตรวจที่เลือกไม่ใช่ของการลงพื้นที่นี้"))
    changed = 0
    for pk, (done, note) in ticked.items():
        note = (note or "").strip()
        if len(note) > 500:
            raise EvidenceError(
                _("สิ่งที่พบของ “%(item)s” ต้องไม่เกิน 500 ตัวอักษร") % {"item": applicable[pk]}
            )
        check = SiteVisitCheck.objects.filter(visit=visit, item_id=pk).first()
        if check is None:
            if not done and not note:
                continue
            check = SiteVisitCheck(visit=visit, item_id=pk)
        elif (check.done, check.note) == (done, note):
            continue
        check.done, check.note = done, note
        check._history_user = by
        check.save()
        changed += 1
    return changed
