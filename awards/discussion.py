"""The panel's discussion of an entry: remarks that only the entry's own assessors (assigned,
not conflicted) and staff read and write, and the chair's note of the consensus that goes
with the screening decision. Who may is decided in permissions.py; this module keeps the
rules of writing (a remark is not empty; the consensus is the chair's, before the decision)."""

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from . import permissions
from .models import ConsensusNote, Entry, PanelComment
from .scoring import recorded_by

MAX_LENGTH = 5000


class DiscussionError(Exception):
    """The message is for the user (Thai)."""


def _clean(text: str, empty_message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise DiscussionError(empty_message)
    if len(text) > MAX_LENGTH:
        raise DiscussionError(_("ยาวเกิน %(n)d ตัวอักษร") % {"n": MAX_LENGTH})
    return text


def comments(user, entry: Entry) -> QuerySet[PanelComment]:
    """The entry's discussion, if the user is of its panel (or staff); else nothing."""
    if not permissions.can_discuss(user, entry):
        return PanelComment.objects.none()
    return PanelComment.objects.filter(entry=entry).select_related("author")


@transaction.atomic
def post_comment(entry: Entry, by, body: str) -> PanelComment:
    if not permissions.can_discuss(by, entry):
        raise DiscussionError(_("เฉพาะผู้ตรวจประเมินของผลงานนี้และเจ้าหน้าที่เท่านั้นที่ร่วมหารือได้"))
    comment = PanelComment(entry=entry, author=by, body=_clean(body, _("กรุณาพิมพ์ความเห็น")))
    recorded_by(comment, by).save()
    return comment


@transaction.atomic
def write_consensus(entry: Entry, by, note: str) -> ConsensusNote:
    """The chair writes (or rewrites) the consensus note while the entry is in screening."""
    if not permissions.can_write_consensus(by, entry):
        raise DiscussionError(_("บันทึกข้อสรุปได้เฉพาะประธานคณะที่ประเมินผลงานนี้ ระหว่างการกลั่นกรอง"))
    text = _clean(note, _("กรุณาพิมพ์ข้อสรุปของคณะ"))
    consensus = ConsensusNote.objects.select_for_update().filter(entry=entry).first()
    consensus = consensus or ConsensusNote(entry=entry)
    consensus.note, consensus.written_by, consensus.written_at = text, by, timezone.now()
    recorded_by(consensus, by).save()
    return consensus
