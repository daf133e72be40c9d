"""An official sees the unread count, reads the clarification question in their inbox and
answers it with a file in a real browser; the inbox and the answer page pass axe-core."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards import clarifications
from awards.models import Attachment, Clarification, EntryState
from tests.awards.entry_helpers import PDF_BYTES
from tests.e2e.checks import serious_violations
from tests.factories import PASSWORD, ScreeningEntryFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def storage(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path, base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


def test_an_official_answers_a_clarification_from_the_inbox(page, storage, tmp_path):
    entry = ScreeningEntryFactory(title="ระบบติดตามแปลงเกษตร")
    official = UserFactory(username="official", agency=entry.agency)
    clarifications.ask(
        entry, StaffFactory(), "ขอสถิติผู้ใช้บริการปี 2568", timezone.now() + datetime.timedelta(days=7)
    )
    page.goto("/accounts/login/?next=/notifications/")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(official.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("การแจ้งเตือน")
    expect(page.locator(".unread-count")).to_contain_text("1")
    assert serious_violations(page) == []
    page.get_by_role("link", name=f"ขอคำชี้แจงผลงาน {entry.reference}", exact=False).click()
    expect(page.locator(".notification-body")).to_contain_text("ขอสถิติผู้ใช้บริการปี 2568")
    expect(page.locator(".unread-count")).to_have_count(0)  # read once opened
    page.get_by_role("link", name="ไปที่รายการนี้").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("คำถามขอคำชี้แจง")
    assert serious_violations(page) == []
    page.get_by_role("button", name="ส่งคำชี้แจง").click()  # empty: a Thai error, nothing saved
    expect(page.locator(".field-error").first).to_be_visible()
    page.get_by_label("คำชี้แจง", exact=True).fill("ผู้ใช้บริการ 12,000 ราย ตามไฟล์แนบ")
    statistics = tmp_path / "สถิติ.pdf"
    statistics.write_bytes(PDF_BYTES)
    page.get_by_label("ไฟล์ประกอบคำชี้แจง (ถ้ามี)").set_input_files(str(statistics))
    page.get_by_role("button", name="ส่งคำชี้แจง").click()

    expect(page.locator(".messages")).to_contain_text("ส่งคำชี้แจงแล้ว")
    expect(page.locator("main")).to_contain_text("ผู้ใช้บริการ 12,000 ราย ตามไฟล์แนบ")
    answered = Clarification.objects.get()
    assert answered.answered_by == official and answered.attachments.count() == 1
    entry.refresh_from_db()
    assert entry.state == EntryState.SCREENING
