"""The clarification round: staff or a panel chair ask an agency a question about a submitted
entry, with a due date; the agency answers (text and files) without the entry returning to
draft or its screening being undone. The question and the answer are part of the entry's
record (its page, its PDF, the assessors' score sheet), kept by django-simple-history."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notices, permissions
from .attachments import AttachmentError, store_attachment
from .models import Clarification, Entry, EntryState

# Entry states in which a question may be asked: submitted and not yet decided.
ASKABLE_STATES = (
    EntryState.SUBMITTED,
    EntryState.SCREENING,
    EntryState.SHORTLISTED,
    EntryState.SITE_VISITED,
)

ANSWER_MAX_LENGTH = 8000  # characters: as long as the longest answer of the project form


class ClarificationError(Exception):
    """A rule of the clarification round refused the action; the message is for the user."""


def may_ask(user, entry: Entry) -> bool:
    return permissions.entries_of_chair_or_staff(user).filter(pk=entry.pk).exists()


def may_answer(user, entry: Entry) -> bool:
    return permissions.entries_of_own_agency(user).filter(pk=entry.pk).exists()


def check_ask(entry: Entry, by, question: str, due_at) -> None:
    """Raise ClarificationError (Thai) unless `by` may ask this question now."""
    if not may_ask(by, entry):
        raise ClarificationError(
            _("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. หรือประธานคณะที่ประเมินผลงานนี้ขอคำชี้แจงได้")
        )
    if entry.state not in ASKABLE_STATES:
        raise ClarificationError(
            _("ขอคำชี้แจงได้เฉพาะผลงานที่ส่งแล้วและยังไม่มีผลการตัดสิน (สถานะปัจจุบัน: %(state)s)")
            % {"state": EntryState(entry.state).label}
        )
    if not (question or "").strip():
        raise ClarificationError(_("กรุณาระบุคำถาม"))
    if due_at is None or due_at <= timezone.now():
        raise ClarificationError(_("กำหนดตอบต้องอยู่ในอนาคต"))


@transaction.atomic
def ask(entry: Entry, by, question: str, due_at) -> Clarification:
    """Ask the agency; it is told (notification) with the question and the due date."""
    entry = Entry.objects.select_for_update().select_related("agency").get(pk=entry.pk)
    check_ask(entry, by, question, due_at)
    clarification = Clarification(
        entry=entry, question=question.strip(), due_at=due_at, asked_by=by
    )
    clarification._history_user = by
    clarification.save()
    notices.clarification_requested(clarification)
    return clarification


def answer_refusal(clarification: Clarification, user, at=None) -> str | None:
    """Why this user cannot answer now (Thai), or None."""
    if not may_answer(user, clarification.entry):
        return _("ไม่พบคำถามนี้")
    if clarification.answered_at is not None:
        return _("ตอบคำถามนี้แล้ว")
    if (at or timezone.now()) >= clarification.due_at:
        return _("เลยกำหนดตอบแล้ว โปรดติดต่อสำนักงาน ก.พ.ร.")
    return None


@transaction.atomic
def answer(clarification: Clarification, by, text: str, files=()) -> Clarification:
    """The agency's answer: text, and files checked like any attachment (type by content,
    size, count). All or nothing: a refused file saves no part of the answer."""
    entry = Entry.objects.select_for_update(of=("self",)).get(pk=clarification.entry_id)
    clarification = Clarification.objects.select_for_update().get(pk=clarification.pk)
    refusal = answer_refusal(clarification, by)
    if refusal:
        raise ClarificationError(refusal)
    text = (text or "").strip()
    if not text:
        raise ClarificationError(_("กรุณาพิมพ์คำชี้แจง"))
    if len(text) > ANSWER_MAX_LENGTH:
        raise ClarificationError(
            _("คำชี้แจงยาวเกิน %(max)s ตัวอักษร") % {"max": f"{ANSWER_MAX_LENGTH:,}"}
        )
    try:
        for upload in files:
            store_attachment(entry, upload, by, _("คำชี้แจง"), clarification=clarification)
    except AttachmentError as error:
        raise ClarificationError(str(error)) from error
    clarification.answer = text
    clarification.answered_by = by
    clarification.answered_at = timezone.now()
    clarification._history_user = by
    clarification.save()
    notices.clarification_answered(clarification)
    return clarification
