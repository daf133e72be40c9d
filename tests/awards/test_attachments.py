"""Attachment rules (awards/attachments.py): type by content, size and count from settings,
generated names, Thai messages, nothing half-saved."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from awards import attachments
from awards.models import Attachment
from awards.submission import submit
from tests.awards.entry_helpers import (  # noqa: F401 (private_files is a fixture)
    PDF_BYTES,
    PNG_BYTES,
    close_cycle,
    complete,
    pdf,
    private_files,
)
from tests.factories import EntryFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


def upload(name, content, declared="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=declared)


def office_file(kind: str) -> bytes:
    """A real Office Open XML document, built the way Word / Excel write them."""
    if kind == "xlsx":
        from openpyxl import Workbook

        buffer = io.BytesIO()
        Workbook().save(buffer)
        return buffer.getvalue()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("_rels/.rels", "<Relationships/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "mime"),
    [
        ("a.pdf", PDF_BYTES, "application/pdf"),
        ("photo.PNG", PNG_BYTES, "image/png"),
        ("photo.jpg", b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 50, "image/jpeg"),
        (
            "สรุป.docx",
            office_file("docx"),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            "ตัวชี้วัด.xlsx",
            office_file("xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("ไม่มีนามสกุล", PDF_BYTES, "application/pdf"),  # the name does not matter
    ],
)
def test_accepted_types_are_recognised_by_content(name, content, mime):
    entry = EntryFactory()
    attachment = attachments.add_attachment(entry, upload(name, content), entry.created_by)
    assert attachment.content_type == mime
    assert attachment.original_name == name and attachment.size == len(content)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),  # a Windows program named .pdf
        ("page.pdf", b"<!doctype html><script>alert(1)</script>"),
        ("notes.docx", b"just text, not a document"),
        ("archive.pdf", b"PK\x03\x04" + b"\x00" * 100),  # a bare zip, not an office file
        ("vector.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
    ],
)
def test_other_content_is_refused_whatever_the_name(name, content):
    entry = EntryFactory()
    with pytest.raises(attachments.AttachmentError, match="ไม่ใช่ชนิดที่รับ"):
        attachments.add_attachment(entry, upload(name, content, "application/pdf"), None)
    assert not Attachment.objects.exists()


def test_an_empty_file_is_refused():
    entry = EntryFactory()
    with pytest.raises(attachments.AttachmentError, match="ว่างเปล่า"):
        attachments.add_attachment(entry, upload("ว่าง.pdf", b""), entry.created_by)


def test_size_limit_comes_from_settings(settings):
    settings.ATTACHMENT_MAX_BYTES = len(PDF_BYTES)
    entry = EntryFactory()
    attachments.add_attachment(entry, pdf(), entry.created_by)  # exactly the limit: fine
    with pytest.raises(attachments.AttachmentError, match="ใหญ่เกินกำหนด"):
        attachments.add_attachment(entry, pdf(content=PDF_BYTES + b" "), entry.created_by)
    assert entry.attachments.count() == 1


def test_count_limit_comes_from_settings(settings):
    settings.ATTACHMENT_MAX_COUNT = 2
    entry = EntryFactory()
    for _ in range(2):
        attachments.add_attachment(entry, pdf(), entry.created_by)
    with pytest.raises(attachments.AttachmentError, match="ไม่เกิน 2 ไฟล์"):
        attachments.add_attachment(entry, pdf(), entry.created_by)
    assert entry.attachments.count() == 2


def test_stored_under_a_generated_name_with_a_checksum():
    stored = Attachment._meta.get_field("file").storage
    entry = EntryFactory()
    attachment = attachments.add_attachment(
        entry, upload("../../../etc/passwd.pdf", PDF_BYTES), entry.created_by, "  รายงาน  "
    )
    assert attachment.original_name == "passwd.pdf"  # the path is never kept
    assert attachment.file.name.startswith(f"attachments/{entry.public_id}/")
    assert "passwd" not in attachment.file.name
    assert stored.open(attachment.file.name).read() == PDF_BYTES
    import hashlib

    assert attachment.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert attachment.description == "รายงาน"


def test_no_change_to_the_files_of_a_submitted_or_closed_entry():
    entry = complete(EntryFactory())
    submitted = submit(entry, entry.created_by)
    with pytest.raises(attachments.AttachmentError, match="แก้ไขไม่ได้"):
        attachments.add_attachment(submitted, pdf(), None)
    with pytest.raises(attachments.AttachmentError):
        attachments.remove_attachment(submitted.attachments.get(), None)
    draft = close_cycle(complete(EntryFactory()))
    with pytest.raises(attachments.AttachmentError, match="ปิดรับสมัครแล้ว"):
        attachments.add_attachment(draft, pdf(), None)
    assert Attachment.objects.count() == 2


def test_a_failed_save_leaves_no_orphan_file(monkeypatch):
    stored = Attachment._meta.get_field("file").storage
    entry = EntryFactory()

    def broken_save(self, *args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(RuntimeError):
        attachments.add_attachment(entry, pdf(), entry.created_by)
    folder = f"attachments/{entry.public_id}"
    assert not stored.exists(folder) or stored.listdir(folder)[1] == []


def test_the_messages_say_what_is_accepted_and_the_limits(settings):
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    settings.ATTACHMENT_MAX_COUNT = 10
    assert (
        "PDF" in attachments.accepted_types_text() and "Word" in attachments.accepted_types_text()
    )
    assert attachments.limits_text() == "ไฟล์ละไม่เกิน 10.0\xa0MB ไม่เกิน 10 ไฟล์ต่อผลงาน"
