"""An official invited to review the draft model project made from the agency's awarded entry
signs in from the invitation's link, forgets a guided question, fixes it and saves the
lessons learned — in a real browser, checked by axe-core."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from awards import scoring
from awards.models import EntryState
from cases.models import CaseStudy, Lesson
from tests.e2e.checks import screenshot, serious_violations
from tests.factories import PASSWORD, ScreeningEntryFactory, StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_official_reviews_the_draft_and_writes_the_lessons_learned(page):
    staff = StaffFactory()
    entry = ScreeningEntryFactory(
        title="ระบบนัดหมายออนไลน์ของโรงพยาบาลชุมชน", state=EntryState.SITE_VISITED
    )
    scoring.record_decision(entry, "outstanding", staff)
    scoring.announce_results(entry.category.cycle, staff)
    case = CaseStudy.objects.get(entry=entry)
    official = entry.created_by

    page.goto(reverse("cases:draft_review", kwargs={"pk": case.pk}))
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(official.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ตรวจร่างผลงานต้นแบบและถอดบทเรียน")
    expect(page.get_by_label("สรุปย่อ")).to_have_value("สรุปผลงาน")  # from the entry's answers
    assert serious_violations(page) == []
    screenshot(page, "draft-review", full_page=True)

    page.get_by_label("สรุปย่อ").fill("ผู้ป่วยนัดหมายล่วงหน้าได้จากบ้าน")
    page.get_by_label("ชื่อบทเรียน").fill("ถอดบทเรียนระบบนัดหมายออนไลน์")
    page.get_by_label("ความเป็นมา").fill("ผู้ป่วยต้องรอตั้งแต่เช้ามืด")
    page.get_by_label("ปัจจัยความสำเร็จ").fill("ผู้บริหารสนับสนุนและทีมไอทีของจังหวัด")
    page.get_by_role("button", name="บันทึกร่างและถอดบทเรียน").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("กระบวนการสำคัญ")
    assert not Lesson.objects.exists()
    assert serious_violations(page) == []

    summary.get_by_role("link").first.click()
    expect(page.get_by_label("กระบวนการสำคัญ")).to_be_focused()
    page.get_by_label("กระบวนการสำคัญ").fill("ออกแบบขั้นตอนร่วมกับผู้ป่วยแล้วทดลองใช้สามเดือน")
    page.get_by_role("button", name="บันทึกร่างและถอดบทเรียน").click()
    expect(page.get_by_text("บันทึกแล้ว เจ้าหน้าที่จะตรวจและเผยแพร่ต่อไป")).to_be_visible()
    assert serious_violations(page) == []
    lesson = Lesson.objects.get(case_study=case)
    assert lesson.author == official and not lesson.is_published
    case.refresh_from_db()
    assert case.summary == "ผู้ป่วยนัดหมายล่วงหน้าได้จากบ้าน" and not case.is_published
