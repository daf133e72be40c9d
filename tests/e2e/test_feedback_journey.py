"""Staff release a category's feedback in the admin; the agency reads it on its entry's page
and downloads the PDF the worker built — without an assessor's name or a score."""

import pytest
from playwright.sync_api import expect

from awards import feedback, scoring
from awards.models import Feedback
from tests.awards.test_scoring import rubric_of_two, scored_sheet
from tests.e2e.checks import serious_violations
from tests.factories import (
    PASSWORD,
    AdminStaffFactory,
    AssessorFactory,
    ScreeningEntryFactory,
    UserFactory,
)
from tests.report_files import pdf_text, private_storage, skeleton  # noqa: F401 (a fixture)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("private_storage"),
]


def test_staff_release_feedback_and_the_agency_reads_and_downloads_it(browser, live_server):
    staff = AdminStaffFactory(username="staff-feedback")
    entry = ScreeningEntryFactory(title="ระบบนัดหมายออนไลน์")
    criteria = rubric_of_two(entry.category)
    assessor = AssessorFactory(first_name="ประเสริฐ", last_name="ผู้ประเมินลับ")
    sheet = scored_sheet(entry, criteria, (9, 3), assessor=assessor)
    sheet.scores.filter(criterion=criteria[0]).update(comment="ลดเวลารอคอยได้จริง")
    scoring.record_decision(entry, "not_awarded", staff)
    scoring.announce_results(entry.category.cycle, staff)
    feedback.draft_announced()
    official = UserFactory(username="official-feedback", agency=entry.agency)

    # Staff release the category's feedback from the admin list.
    context = browser.new_context(locale="th-TH", base_url=live_server.url)
    admin_page = context.new_page()
    admin_page.goto("/admin/login/?next=/admin/awards/feedback/")
    admin_page.fill("#id_username", staff.username)
    admin_page.fill("#id_password", PASSWORD)
    admin_page.click("input[type=submit]")
    admin_page.wait_for_url("**/admin/awards/feedback/")
    admin_page.check("input.action-select")
    admin_page.select_option("select[name=action]", "release_categories")
    admin_page.click("button[name=index]")
    expect(admin_page.locator(".messagelist")).to_contain_text("เผยแพร่ 1 รายการ")
    assert Feedback.objects.get().released_at is not None
    context.close()

    # The agency reads it and downloads the PDF.
    context = browser.new_context(locale="th-TH", base_url=live_server.url, accept_downloads=True)
    page = context.new_page()
    page.goto(f"/accounts/login/?next=/entries/{entry.public_id}/")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(official.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", name="ข้อเสนอแนะจากการประเมิน")).to_be_visible()
    expect(page.locator("main")).to_contain_text("ลดเวลารอคอยได้จริง")
    assert "ผู้ประเมินลับ" not in page.content() and "9.00" not in page.content()
    assert serious_violations(page) == []
    page.get_by_role("link", name="ดาวน์โหลดข้อเสนอแนะ (PDF)").click()
    page.get_by_role("button", name="จัดทำรายงาน").click()
    link = page.get_by_role("link", name="ดาวน์โหลด", exact=False)
    expect(link).to_be_visible(timeout=60_000)
    with page.expect_download() as download:
        link.click()
    content = open(download.value.path(), "rb").read()
    text = skeleton(pdf_text(content))
    assert skeleton("ลดเวลารอคอยได้จริง") in text and skeleton("ผู้ประเมินลับ") not in text
    context.close()
