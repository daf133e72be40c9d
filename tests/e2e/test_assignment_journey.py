"""In a real browser (issue 18): staff propose an assignment for a category, read the preview
(loads, coverage), commit it; an assessor signs in, lands on their work page, opens the sheet
in one click, scores and submits it. Each page passes axe-core (no serious or critical)."""

import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from awards.models import (
    AssessmentRound,
    Assignment,
    AssignmentBatch,
    EntryState,
    RoundDueDate,
    ScoreSheet,
)
from tests.e2e.checks import screenshot, serious_violations
from tests.factories import (
    PASSWORD,
    AdminAssessorFactory,
    AdminStaffFactory,
    CategoryFactory,
    CriterionFactory,
    ScreeningEntryFactory,
)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
ADMIN_HOME = re.compile(r".*/admin/(my-work/)?$")


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def scene():
    AdminStaffFactory(username="secretariat")
    for username in ("assessor-x", "assessor-y"):
        AdminAssessorFactory(username=username, first_name=username, last_name="ทดสอบ")
    category = CategoryFactory(name_th="นวัตกรรมการบริการ")
    for order, (title, weight) in enumerate([("ความสำคัญของปัญหา", 60), ("ผลลัพธ์", 40)], 1):
        CriterionFactory(
            category=category, order=order, title_th=title, weight=Decimal(weight),
            max_score=Decimal(10),
        )  # fmt: skip
    entries = [
        ScreeningEntryFactory(category=category, state=EntryState.SUBMITTED, title=f"ผลงานที่ {n}")
        for n in range(3)
    ]
    RoundDueDate.objects.create(
        cycle=category.cycle, round=AssessmentRound.SCREENING,
        due_on=timezone.localdate() + datetime.timedelta(days=14),
    )  # fmt: skip
    return category, entries


def sign_in(browser, live_server, username):
    context = browser.new_context(locale="th-TH", base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(20_000)
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(ADMIN_HOME)
    return page


def test_staff_commit_a_proposal_and_an_assessor_scores_from_their_work_page(
    browser, live_server, scene
):
    category, entries = scene

    page = sign_in(browser, live_server, "secretariat")
    page.goto("/admin/awards/assignment/")
    page.click("text=เสนอการมอบหมายงานอัตโนมัติ")
    page.select_option("#id_category", str(category.pk))
    page.select_option("#id_round", AssessmentRound.SCREENING)
    page.fill("#id_per_entry", "1")
    page.fill("#id_cap", "5")
    page.click("input[value=เสนอการมอบหมาย]")
    assert "เสนอ 3 คู่ สำหรับผลงาน 3 รายการ" in page.locator("#proposal-summary").inner_text()
    loads = page.locator("#loads").inner_text()
    assert "assessor-x" in loads and "assessor-y" in loads
    assert page.locator("#coverage input[type=checkbox]:checked").count() == 3
    assert not Assignment.objects.exists()  # the preview saved nothing
    assert serious_violations(page) == []
    screenshot(page, "assignment-preview", full_page=True)
    page.click("button[value=commit]")
    assert "มอบหมายแล้ว 3 รายการ" in page.locator(".messagelist").inner_text()
    batch = AssignmentBatch.objects.get()
    assert batch.committed_by.username == "secretariat" and len(batch.made) == 3
    page.context.close()

    assignment = Assignment.objects.filter(batch=batch).select_related("assessor").first()
    page = sign_in(browser, live_server, assignment.assessor.username)
    assert page.url.endswith("/admin/my-work/")
    assert assignment.entry.title in page.locator("#to-do").inner_text()
    assert serious_violations(page) == []
    screenshot(page, "my-work", full_page=True)
    page.locator("#to-do a", has_text=assignment.entry.title).click()
    page.fill("#id_scores-0-value", "8")
    page.fill("#id_scores-0-comment", "ปัญหาสำคัญต่อประชาชน")
    page.fill("#id_scores-1-value", "5")
    page.fill("#id_scores-1-comment", "ตัวชี้วัดชัดเจน")
    page.get_by_label("ยืนยันการส่ง").check()  # submitting cannot be undone: confirmed first
    page.click("input[name=_submit_sheet]")
    assert "ส่งแบบให้คะแนนเรียบร้อยแล้ว" in page.locator(".messagelist").inner_text()
    assert ScoreSheet.objects.get(assignment=assignment).state == ScoreSheet.State.SUBMITTED
    page.goto("/admin/")
    page.wait_for_url("**/admin/my-work/")
    assert assignment.entry.title in page.locator("#submitted").inner_text()
    page.context.close()
