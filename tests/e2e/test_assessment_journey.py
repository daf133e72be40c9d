"""In a real browser: an assessor signs in to the admin, spots that an assigned entry resubmits
an earlier cycle's, scores it and is refused a conflicted one; the chair consolidates a site
visit; staff see the ranking and shortlist."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from awards import assessment
from awards.models import AssessmentRound, EntryState, Result, ScoreSheet
from tests.e2e.checks import serious_violations
from tests.factories import (
    PASSWORD,
    AdminAssessorFactory,
    AdminStaffFactory,
    AgencyFactory,
    CategoryFactory,
    CriterionFactory,
    CycleFactory,
    PanelFactory,
    ScreeningEntryFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ADMIN_HOME = re.compile(r".*/admin/(my-work/)?$")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False  # the TOTP step has its own tests


@pytest.fixture
def journey():
    staff = AdminStaffFactory(username="secretariat")
    assessor = AdminAssessorFactory(username="assessor-a")
    colleague = AdminAssessorFactory(username="assessor-b")
    entry = ScreeningEntryFactory(
        state=EntryState.SUBMITTED,
        title="ศูนย์บริการร่วมแบบเบ็ดเสร็จระดับอำเภอ",
        summary="ลดเวลารอรับบริการจาก 15 วันเหลือ 3 วัน",
    )
    category = entry.category
    for order, (title, weight) in enumerate([("ความสำคัญของปัญหา", 60), ("ผลลัพธ์", 40)], 1):
        CriterionFactory(
            category=category, order=order, title_th=title, weight=Decimal(weight),
            max_score=Decimal(10),
        )  # fmt: skip
    assessment.assign(entry, assessor, AssessmentRound.SCREENING, staff)
    # The same work entered two years earlier by another agency, not awarded: indexed when it
    # was saved (the task runs in-process after the commit).
    earlier = ScreeningEntryFactory(
        category=CategoryFactory(cycle=CycleFactory(year_be=2568)),
        agency=AgencyFactory(name_th="ที่ว่าการอำเภอตัวอย่าง"),
        state=EntryState.NOT_AWARDED,
        title="ศูนย์บริการร่วมแบบเบ็ดเสร็จประจำอำเภอ",
        summary="ประชาชนรอรับบริการสั้นลงจาก 15 วัน",
    )
    Result.objects.create(entry=earlier, award_level="not_awarded", decided_by=staff)
    own = ScreeningEntryFactory(
        category=category, agency=assessor.agency, title="ผลงานของหน่วยงานผู้ตรวจเอง"
    )
    colleague_sheet = assessment.assign(own, colleague, AssessmentRound.SCREENING, staff).sheet

    visited = ScreeningEntryFactory(category=category, state=EntryState.SHORTLISTED)
    CriterionFactory(category=category, round=AssessmentRound.SITE_VISIT, order=1)
    chair = AdminAssessorFactory(username="chair")
    panel = PanelFactory(cycle=category.cycle, chair=chair, name="คณะที่ 1")
    visit, _ = assessment.schedule_site_visit(
        visited, panel, timezone.now() + datetime.timedelta(days=5), staff, place="ที่ว่าการอำเภอ"
    )
    return locals()


def sign_in(browser, live_server, username):
    context = browser.new_context(locale="th-TH", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(ADMIN_HOME)  # an assessor's home is their work page (issue 18)
    return page


def test_assessor_chair_and_staff_work_through_the_admin(browser, live_server, journey):
    entry, own = journey["entry"], journey["own"]

    # The assessor scores the assigned entry, with the entry's text beside the rubric.
    page = sign_in(browser, live_server, "assessor-a")
    page.goto("/admin/awards/scoresheet/")
    assert page.locator("#result_list").inner_text().count(entry.reference) == 1
    assert own.reference not in page.content()
    page.click(f"text={entry.reference}")
    assert page.locator(".awards-sheet-entry").inner_text().count("ลดเวลารอรับบริการ") == 1
    earlier = journey["earlier"]
    past = page.locator(".similar-work--entries li")
    assert past.count() == 1  # the earlier entry, never this one
    spotted = past.inner_text()
    for shown in (earlier.title, earlier.reference, "ที่ว่าการอำเภอตัวอย่าง", "ปีรางวัล พ.ศ. 2568",
                  "ไม่ได้รับรางวัล"):  # fmt: skip
        assert shown in spotted
    assert serious_violations(page) == []
    page.fill("#id_scores-0-value", "12")  # above the maximum: refused next to the field
    page.fill("#id_scores-0-comment", "ปัญหาสำคัญ")
    page.click("input[name=_continue]")
    assert "คะแนนต้องอยู่ระหว่าง 0 ถึง 10" in page.locator(".errorlist").first.inner_text()
    page.fill("#id_scores-0-value", "8")
    page.click("input[name=_submit_sheet]")  # incomplete: kept as a draft
    assert "ไม่ครบ 1 เกณฑ์" in page.locator(".messagelist").inner_text()
    page.fill("#id_scores-1-value", "5")
    page.fill("#id_scores-1-comment", "มีตัวชี้วัดชัดเจน")
    page.click("input[name=_submit_sheet]")  # complete but not confirmed: still a draft
    assert "โปรดทำเครื่องหมายยืนยัน" in page.locator(".messagelist").inner_text()
    page.check("#id_confirm_submit")  # the confirmation is a labelled box: no script needed
    page.click("input[name=_submit_sheet]")
    assert "ส่งแบบให้คะแนนเรียบร้อยแล้ว" in page.locator(".messagelist").inner_text()
    sheet = ScoreSheet.objects.get(assignment__entry=entry)
    assert sheet.state == ScoreSheet.State.SUBMITTED

    # ...and is refused the conflicted one, whichever door they try.
    page.goto(f"/admin/awards/entry/{own.pk}/change/")
    assert page.url.endswith("/admin/my-work/")
    assert own.title not in page.content()
    page.goto(f"/admin/awards/scoresheet/{journey['colleague_sheet'].pk}/change/")
    assert page.url.endswith("/admin/my-work/")
    page.context.close()

    # The chair consolidates the site visit.
    page = sign_in(browser, live_server, "chair")
    page.goto(f"/admin/awards/sitevisit/{journey['visit'].pk}/change/")
    page.fill("#id_consolidated_score", "86.5")
    page.fill("#id_justification", "ผลลัพธ์ในพื้นที่สอดคล้องกับเอกสาร")
    page.select_option("#id_proposed_level", "outstanding")
    page.click("input[name=_save]")
    page.locator(".messagelist .success").wait_for()
    journey["visit"].refresh_from_db()
    assert journey["visit"].consolidated_score == Decimal("86.50")
    page.context.close()

    # Staff see the ranking and shortlist the entry.
    page = sign_in(browser, live_server, "secretariat")
    page.goto("/admin/awards/entry/")
    page.click("text=ลำดับคะแนนและคัดเลือก")
    page.select_option("#id_category", str(entry.category_id))
    page.click("input[value=แสดง]")
    row = page.locator("#ranking tbody tr", has_text=entry.reference)
    assert "68.00" in row.inner_text()  # 8/10 × 60 + 5/10 × 40
    row.locator("input[type=checkbox]").check()
    page.click("button[value=shortlist]")
    assert "คัดเลือกเข้ารอบลงพื้นที่ 1 ผลงาน" in page.locator(".messagelist").inner_text()
    entry.refresh_from_db()
    assert entry.state == EntryState.SHORTLISTED
    assert entry.state_changes.last().changed_by == journey["staff"]
    page.context.close()
