"""The admin in a real browser, in Thai (issue 14): a B.E. date typed into the admin is read
back as the same B.E. date; the score sheet, the ranking and the site-visit screens have no
serious or critical axe-core violation. SCREENSHOT_DIR=/path keeps screenshots."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from awards import assessment
from awards.models import AssessmentRound, EntryState, SiteVisit
from tests.e2e.checks import screenshot, serious_violations
from tests.factories import (
    PASSWORD,
    AdminAssessorFactory,
    AdminStaffFactory,
    CriterionFactory,
    PanelFactory,
    ScreeningEntryFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ADMIN_HOME = re.compile(r".*/admin/(my-work/)?$")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def scene():
    staff = AdminStaffFactory(username="secretariat")
    assessor = AdminAssessorFactory(username="assessor-a")
    entry = ScreeningEntryFactory(
        state=EntryState.SUBMITTED,
        title="ศูนย์บริการร่วมแบบเบ็ดเสร็จระดับอำเภอ",
        summary="ลดเวลารอรับบริการจาก 15 วันเหลือ 3 วัน จำนวนผู้รับบริการเพิ่มขึ้น",
        problem="ประชาชนต้องเดินทางมาซ้ำหลายครั้ง " * 40,
    )
    titles = ["ความสำคัญของปัญหา", "ผลลัพธ์", "การมีส่วนร่วม", "ความยั่งยืน", "การขยายผล"]
    for order, title in enumerate(titles, 1):
        CriterionFactory(
            category=entry.category, order=order, title_th=title, weight=Decimal(20),
            max_score=Decimal(10),
        )  # fmt: skip
    sheet = assessment.assign(entry, assessor, AssessmentRound.SCREENING, staff).sheet
    visited = ScreeningEntryFactory(category=entry.category, state=EntryState.SHORTLISTED)
    CriterionFactory(category=entry.category, round=AssessmentRound.SITE_VISIT, order=1)
    chair = AdminAssessorFactory(username="chair")
    panel = PanelFactory(cycle=entry.category.cycle, chair=chair, name="คณะที่ 1")
    visit, _ = assessment.schedule_site_visit(
        visited, panel, timezone.now() + datetime.timedelta(days=5), staff, place="ที่ว่าการอำเภอ"
    )
    return {"sheet": sheet, "visit": visit, "category": entry.category}


def sign_in(browser, live_server, username, viewport=None):
    context = browser.new_context(
        locale="th-TH",
        base_url=live_server.url,
        viewport=viewport or {"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(ADMIN_HOME)  # an assessor's home is their work page (issue 18)
    return page


def test_a_be_date_typed_into_the_admin_reads_back_the_same(browser, live_server, scene):
    page = sign_in(browser, live_server, "secretariat")
    visit = scene["visit"]
    page.goto(f"/admin/awards/sitevisit/{visit.pk}/change/")
    assert page.get_by_label("ปี พ.ศ.").count() >= 1  # the era is said next to the field
    page.fill("#id_scheduled_at_0", "15")
    page.fill("#id_scheduled_at_1", "1")
    page.fill("#id_scheduled_at_2", "2026")  # a CE year where B.E. is expected: refused
    page.fill("#id_scheduled_at_3", "09:30")
    page.click("input[name=_continue]")
    assert "เป็นปี ค.ศ. หรือไม่" in page.locator(".errorlist").first.inner_text()
    visit.refresh_from_db()
    assert timezone.localtime(visit.scheduled_at).year != 2026 or visit.scheduled_at.month != 1

    page.fill("#id_scheduled_at_2", "2570")
    page.click("input[name=_continue]")
    page.wait_for_selector(".messagelist")
    assert page.input_value("#id_scheduled_at_0") == "15"
    assert page.input_value("#id_scheduled_at_1") == "1"
    assert page.input_value("#id_scheduled_at_2") == "2570"
    assert page.input_value("#id_scheduled_at_3") == "09:30"
    visit.refresh_from_db()
    local = timezone.localtime(visit.scheduled_at)
    assert (local.year, local.month, local.day) == (2027, 1, 15)  # stored CE/ISO
    page.goto("/admin/awards/sitevisit/")
    assert "15 มกราคม 2570" in page.inner_text("#result_list")
    assert serious_violations(page) == []
    screenshot(page, "issue14-sitevisit-list", full_page=True)


def test_score_sheet_ranking_and_site_visit_pass_axe(browser, live_server, scene):
    assessor = sign_in(browser, live_server, "assessor-a")
    assessor.goto(f"/admin/awards/scoresheet/{scene['sheet'].pk}/change/")
    scores = assessor.locator("input[name$='-value']")
    assert scores.count() == 5
    for index in range(5):
        score = scores.nth(index)
        assert score.get_attribute("min") == "0" and score.get_attribute("max") == "10"
        assert score.get_attribute("aria-label").startswith("คะแนน")
    entry_box = assessor.locator(".awards-sheet-entry")
    overflow = entry_box.evaluate("e => getComputedStyle(e).overflowY")
    assert overflow == "visible"  # the entry's text is not in an inner scroll box
    assert serious_violations(assessor) == []
    screenshot(assessor, "issue14-scoresheet", full_page=True)

    staff = sign_in(browser, live_server, "secretariat")
    staff.goto(f"/admin/awards/entry/ranking/?category={scene['category'].pk}")
    assert serious_violations(staff) == []
    staff.goto(f"/admin/awards/sitevisit/{scene['visit'].pk}/change/")
    assert serious_violations(staff) == []

    chair = sign_in(browser, live_server, "chair")
    chair.goto(f"/admin/awards/sitevisit/{scene['visit'].pk}/change/")
    assert serious_violations(chair) == []
    response = chair.goto("/admin/awards/entry/ranking/")
    assert response.status == 403 and "คุณไม่มีสิทธิ์เข้าถึงหน้านี้" in chair.content()
    assert SiteVisit.objects.count() == 1
