"""Attachments of an entry: what may be uploaded (checked by content, not by the file's name),
how big and how many (settings.ATTACHMENT_MAX_BYTES / ATTACHMENT_MAX_COUNT), stored privately
under a generated name (models.attachment_path), removable only while the entry is editable.

The web form, the admin and the API all call add_attachment()/remove_attachment()."""

import hashlib
import logging
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Attachment, Entry, Question, QuestionKind, StoredFile
from .submission import SubmissionError, editing_refusal

logger = logging.getLogger(__name__)

# What we accept, by the type the content says it is (MIME → a name users know).
ALLOWED_TYPES = {
    "application/pdf": "PDF",
    "image/jpeg": "JPG",
    "image/png": "PNG",
    "image/gif": "GIF",
    "image/webp": "WebP",
    "application/msword": "Word",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word",
    "application/vnd.ms-excel": "Excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel",
    "application/vnd.ms-powerpoint": "PowerPoint",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PowerPoint",
    "application/vnd.oasis.opendocument.text": "OpenDocument",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument",
}
SIGNATURE_BYTES = 8192


class AttachmentError(SubmissionError):
    """An upload refused; the message names the file and says what to do (Thai)."""


# The groups a form's attachments question may restrict itself to (Question.file_types).
FILE_TYPE_GROUPS = {
    "pdf": {"application/pdf"},
    "image": {mime for mime in ALLOWED_TYPES if mime.startswith("image/")},
    "office": {mime for mime in ALLOWED_TYPES if mime != "application/pdf"}
    - {mime for mime in ALLOWED_TYPES if mime.startswith("image/")},
}
GROUP_NAMES = {
    "pdf": "PDF",
    "image": gettext_lazy("รูปภาพ (JPG, PNG, GIF, WebP)"),
    "office": gettext_lazy("เอกสาร Word, Excel, PowerPoint หรือ OpenDocument"),
}


@dataclass(frozen=True)
class Limits:
    """What one attachments question accepts: the question's own limits within the site's."""

    max_count: int
    max_bytes: int
    types: frozenset[str]
    groups: tuple[str, ...]


def limits_for(question: Question | None) -> Limits:
    count, size = settings.ATTACHMENT_MAX_COUNT, settings.ATTACHMENT_MAX_BYTES
    groups = ()
    if question is not None:
        count = min(count, question.max_files or count)
        size = min(size, (question.max_file_mb or size) * 1024 * 1024)
        groups = tuple(
            g
            for g in (part.strip() for part in question.file_types.split(","))
            if g in FILE_TYPE_GROUPS
        )
    types = (
        frozenset().union(*(FILE_TYPE_GROUPS[g] for g in groups))
        if groups
        else frozenset(ALLOWED_TYPES)
    )
    return Limits(count, size, types, groups)


def accepted_types_text(limits: Limits | None = None) -> str:
    if limits is None or not limits.groups:
        return _(
            "PDF, รูปภาพ (JPG, PNG, GIF, WebP) และเอกสาร Word, Excel, PowerPoint หรือ OpenDocument"
        )
    return ", ".join(str(GROUP_NAMES[g]) for g in limits.groups)


def limits_text(limits: Limits | None = None) -> str:
    limits = limits or limits_for(None)
    return _("ไฟล์ละไม่เกิน %(size)s ไม่เกิน %(count)s ไฟล์ต่อผลงาน") % {
        "size": filesizeformat(limits.max_bytes),
        "count": limits.max_count,
    }


def attachments_question(entry: Entry, code: str | None = None) -> Question | None:
    """The attachments question a file answers: the one named, else the form's first."""
    from .submission import sections

    for section in sections(entry.form):
        for question in section.question_list:
            if question.kind == QuestionKind.ATTACHMENTS and code in (None, question.code):
                return question
    return None


def sniff_type(upload) -> str | None:
    """The MIME type the content declares (magic numbers), whatever the name says."""
    upload.seek(0)
    head = upload.read(SIGNATURE_BYTES)
    upload.seek(0)
    kind = filetype.guess(head)
    return kind.mime if kind else None


def check_upload(entry: Entry, upload, question: Question | None = None) -> str:
    """Refuse an empty, too large, wrong-type file, or one too many for its question; returns
    the MIME type."""
    limits = limits_for(question)
    files = entry.attachments.filter(question=question.code if question else "")
    if files.count() >= limits.max_count:
        raise AttachmentError(
            _("แนบไฟล์ได้ไม่เกิน %(max)s ไฟล์ต่อผลงาน โปรดลบไฟล์ที่ไม่ใช้ก่อนแนบไฟล์ใหม่")
            % {"max": limits.max_count}
        )
    return check_file(upload, limits)


def check_file(upload, limits: Limits) -> str:
    """Refuse an empty, too large or wrong-type file (by its content); returns the MIME type."""
    name = upload.name or _("ไม่มีชื่อ")
    if not upload.size:
        raise AttachmentError(_("ไฟล์ “%(name)s” ว่างเปล่า โปรดเลือกไฟล์ที่มีเนื้อหา") % {"name": name})
    if upload.size > limits.max_bytes:
        raise AttachmentError(
            _("ไฟล์ “%(name)s” มีขนาด %(size)s ใหญ่เกินกำหนด (ไม่เกิน %(max)s ต่อไฟล์)")
            % {
                "name": name,
                "size": filesizeformat(upload.size),
                "max": filesizeformat(limits.max_bytes),
            }
        )
    mime = sniff_type(upload)
    if mime not in limits.types:
        raise AttachmentError(
            _("ไฟล์ “%(name)s” ไม่ใช่ชนิดที่รับ (ตรวจจากเนื้อหาไฟล์ ไม่ใช่จากชื่อไฟล์) รับเฉพาะ %(types)s")
            % {"name": name, "types": accepted_types_text(limits)}
        )
    return mime


def _sha256(upload) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


@transaction.atomic
def add_attachment(
    entry: Entry,
    upload,
    by,
    description: str = "",
    question: str | None = None,
    is_public: bool = False,
) -> Attachment:
    """Attach a file to an editable entry, answering an attachments question of its form (the
    code given, else the form's first). The entry row is locked so two uploads at once cannot
    both slip under the count limit."""
    # of=("self",): lock the entry row only. Locking the joined cycle row too serialised every
    # upload behind each submission and deadlocked against submit() (cycle, then entry).
    locked = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("category__cycle", "form")
        .get(pk=entry.pk)
    )
    refusal = editing_refusal(locked)
    if refusal:
        raise AttachmentError(refusal)
    answering = attachments_question(locked, question)
    if answering is None:
        raise AttachmentError(_("แบบฟอร์มของผลงานนี้ไม่มีคำถามที่รับไฟล์แนบ"))
    return store_attachment(
        locked, upload, by, description, question=answering, is_public=is_public
    )


def store_attachment(
    locked: Entry,
    upload,
    by,
    description: str = "",
    clarification=None,
    question=None,
    is_public: bool = False,
):
    """Check and store a file of an entry whose row the caller has locked (add_attachment
    for a draft, answering `question`; clarifications.answer for an answer's files, after
    submission)."""
    mime = check_upload(locked, upload, question)
    attachment = Attachment(
        entry=locked,
        question=question.code if question else "",
        clarification=clarification,
        is_public=is_public,
    )
    return store_file(attachment, upload, mime, by, description)


def store_file(row: StoredFile, upload, mime: str, by, description: str = "") -> StoredFile:
    """Save a checked upload privately under the row's generated name, then the row; nothing
    half-saved (no row without its file, no file without its row)."""
    row.original_name = (upload.name or "file").replace("/", "_").replace("\\", "_")[-255:]
    row.content_type = mime
    row.size = upload.size
    row.sha256 = _sha256(upload)
    row.description = (description or "").strip()[:255]
    row.uploaded_by = by
    try:
        row.file.save("upload", upload, save=False)  # named by the model's upload_to
    except OSError as error:  # disk full, folder unwritable: say so, save nothing
        logger.error("file not stored: %s", error, extra={"model": row._meta.label})
        raise AttachmentError(
            _("บันทึกไฟล์ไม่สำเร็จเนื่องจากระบบจัดเก็บไฟล์ขัดข้อง ข้อมูลอื่นยังอยู่ครบ โปรดลองใหม่ภายหลัง")
        ) from error
    row._history_user = by
    try:
        row.save()
    except Exception:
        row.file.delete(save=False)  # nothing half-saved: no orphan file
        raise
    return row


@transaction.atomic
def remove_attachment(attachment: Attachment, by) -> None:
    locked = (
        Entry.objects.select_for_update(of=("self",))
        .select_related("category__cycle")
        .get(pk=attachment.entry_id)
    )
    refusal = editing_refusal(locked)
    if refusal:
        raise AttachmentError(refusal)
    stored = attachment.file.name
    attachment._history_user = by
    attachment.delete()
    storage = Attachment._meta.get_field("file").storage
    transaction.on_commit(lambda: storage.delete(stored))
