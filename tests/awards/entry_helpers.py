"""Helpers for the entry tests: real files (by content) and a complete draft."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from awards.attachments import add_attachment
from portal.agencies.models import SDG

PDF_BYTES = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def pdf(name="รายงานผล.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def sdgs(*numbers):
    """The SDGs of the migrations' reference data; a transactional test that ran earlier may
    have flushed them, so they are put back when missing."""
    return [
        SDG.objects.get_or_create(
            number=number, defaults={"name_th": f"เป้าหมายที่ {number}", "name_en": f"Goal {number}"}
        )[0]
        for number in numbers
    ]


def complete(entry, by=None):
    """Fill what the factory leaves out (SDGs, one attachment): every section completed."""
    entry.answers = {**entry.answers, "sdgs": ["1", "16"]}
    entry.save(update_fields=["answers"])
    add_attachment(entry, pdf(), by or entry.created_by)
    return entry


def close_cycle(entry):
    cycle = entry.category.cycle
    cycle.applications_open_at = timezone.now() - datetime.timedelta(days=60)
    cycle.applications_close_at = timezone.now() - datetime.timedelta(minutes=1)
    cycle.save()
    entry.refresh_from_db()
    return entry


@pytest.fixture
def private_files(monkeypatch, tmp_path):
    """Attachments go to a temporary private folder instead of var/private."""
    from django.core.files.storage import FileSystemStorage

    from awards.models import Attachment

    storage = FileSystemStorage(location=tmp_path / "private", base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage
