"""A full disk or an unwritable media folder during an upload: a clear Thai error next to the
field, nothing half-saved (no attachment row, no stray file), the entry itself intact."""

import pytest
from django.urls import reverse

from awards.models import Attachment
from tests.factories import EntryFactory, UserFactory

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def broken_private_storage(monkeypatch, tmp_path):
    # A "folder" that is really a file: every write fails with an OSError, as on a full or
    # read-only disk (chmod cannot simulate that for root, who runs CI). The field's storage
    # object is built once at import, so its location is redirected in place.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    storage = Attachment._meta.get_field("file").storage
    monkeypatch.setitem(storage.__dict__, "base_location", str(blocker / "private"))
    monkeypatch.setitem(storage.__dict__, "location", str(blocker / "private"))
    return tmp_path


def test_an_upload_to_an_unwritable_folder_is_a_clear_error_and_saves_nothing(
    client, broken_private_storage
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    official = UserFactory()
    entry = EntryFactory(agency=official.agency, created_by=official, title="ผลงานเดิม")
    client.force_login(official)
    response = client.post(
        reverse("awards:attachments", args=[entry.public_id]),
        {"file": SimpleUploadedFile("รายงาน.pdf", PDF), "description": "รายงานผล"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "บันทึกไฟล์ไม่สำเร็จ" in html
    assert "error-summary" in html
    assert 'value="รายงานผล"' in html  # what the user typed is kept
    assert not Attachment.objects.exists()
    assert [p.name for p in broken_private_storage.iterdir()] == ["not-a-folder"]
    entry.refresh_from_db()
    assert entry.title == "ผลงานเดิม"
