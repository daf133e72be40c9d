"""The assessment worked through the admin: scoring a sheet (draft, bad score, incomplete,
submitted), assigning, declaring conflicts, ranking and shortlisting, consolidating a visit,
deciding and announcing."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone, translation

from awards import assessment, scoring
from awards.models import (
    AssessmentRound,
    Assignment,
    ConflictDeclaration,
    CriterionLevel,
    EntryState,
    Result,
    ScoreSheet,
    SiteVisit,
)
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    CriterionFactory,
    PanelFactory,
    ScreeningEntryFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False  # the TOTP step of the admin has its own tests


D = Decimal


@pytest.fixture
def staff():
    return AdminStaffFactory()


@pytest.fixture
def sheet(staff):
    entry = ScreeningEntryFactory(title="ผลงานทดสอบการให้คะแนน", summary="สรุปที่ผู้ตรวจต้องอ่าน")
    for order, weight in ((1, 60), (2, 40)):
        CriterionFactory(
            category=entry.category, order=order, weight=D(weight), max_score=D(10),
            guidance="ดูจากหลักฐานเชิงประจักษ์",
        )  # fmt: skip
    assessor = AdminAssessorFactory()
    return assessment.assign(entry, assessor, AssessmentRound.SCREENING, staff).sheet


def sheet_post(sheet, values, comments, submit=False, confirmed=True):
    scores = list(sheet.scores.order_by("criterion__order"))
    data = {
        "overall_comment": "ภาพรวมดี",
        "scores-TOTAL_FORMS": str(len(scores)),
        "scores-INITIAL_FORMS": str(len(scores)),
        "scores-MIN_NUM_FORMS": "0",
        "scores-MAX_NUM_FORMS": "0",
    }
    for index, (score, value, comment) in enumerate(zip(scores, values, comments, strict=True)):
        data |= {
            f"scores-{index}-id": score.pk,
            f"scores-{index}-sheet": sheet.pk,
            f"scores-{index}-value": value,
            f"scores-{index}-comment": comment,
        }
    data["_submit_sheet" if submit else "_continue"] = "1"
    if submit and confirmed:
        data["confirm_submit"] = "1"
    return data


def url(obj):
    return reverse(f"admin:awards_{obj._meta.model_name}_change", args=[obj.pk])


def test_the_sheet_shows_the_entry_and_the_rubric_beside_it(client, sheet):
    client.force_login(sheet.assignment.assessor)
    page = client.get(url(sheet)).content.decode()
    assert "สรุปที่ผู้ตรวจต้องอ่าน" in page and "ดูจากหลักฐานเชิงประจักษ์" in page
    assert 'name="scores-0-value"' in page and 'name="_submit_sheet"' in page
    assert "admin-awards.css" in page


def test_the_sheet_says_what_each_score_means(client, sheet):
    criterion = sheet.scores.order_by("criterion__order").first().criterion
    CriterionLevel.objects.create(
        criterion=criterion, score=D(3), label_th="มีแนวทางบางส่วน", label_en="Partly",
        description="ดำเนินการแล้วในบางหน่วย",
    )  # fmt: skip
    CriterionLevel.objects.create(criterion=criterion, score=D(5), label_th="ทั่วทั้งองค์กร")
    client.force_login(sheet.assignment.assessor)
    page = client.get(url(sheet)).content.decode()
    levels = page[page.index('class="awards-criterion-levels"') :]
    assert levels.index("มีแนวทางบางส่วน") < levels.index("ทั่วทั้งองค์กร")
    assert "<dt>3</dt><dd><strong>มีแนวทางบางส่วน</strong> — ดำเนินการแล้วในบางหน่วย</dd>" in page
    assert page.count('class="awards-criterion-levels"') == 1  # only the criterion that has them
    client.cookies["django_language"] = "en"
    try:
        assert "<strong>Partly</strong>" in client.get(url(sheet)).content.decode()
    finally:  # the request left English active in this thread: later tests build PDFs in it
        translation.activate("th")


def test_a_criterion_level_above_the_maximum_is_refused_in_the_admin(client, staff, sheet):
    criterion = sheet.scores.first().criterion
    client.force_login(staff)
    page = client.post(
        reverse("admin:awards_criterion_change", args=[criterion.pk]),
        {
            "category": criterion.category_id, "round": criterion.round, "order": criterion.order,
            "title_th": criterion.title_th, "weight": criterion.weight,
            "max_score": criterion.max_score, "levels-TOTAL_FORMS": "1",
            "levels-INITIAL_FORMS": "0", "levels-0-score": "11", "levels-0-label_th": "เกิน",
        },
    )  # fmt: skip
    assert "คะแนนของระดับต้องไม่เกินคะแนนเต็มของเกณฑ์ (10)" in page.content.decode()
    assert not CriterionLevel.objects.exists()


def test_a_draft_is_saved_and_a_score_above_the_maximum_refused(client, sheet):
    client.force_login(sheet.assignment.assessor)
    response = client.post(url(sheet), sheet_post(sheet, ["7", ""], ["ชัดเจน", ""]))
    assert response.status_code == 302
    assert sheet.scores.get(criterion__order=1).value == D(7)
    response = client.post(url(sheet), sheet_post(sheet, ["11", "5"], ["เกิน", "ok"]))
    assert response.status_code == 200
    assert "คะแนนต้องอยู่ระหว่าง 0 ถึง 10" in response.content.decode()
    assert sheet.scores.get(criterion__order=1).value == D(7)  # nothing saved half-way
    assert sheet.scores.get(criterion__order=2).value is None


def test_an_incomplete_sheet_is_kept_as_a_draft_not_submitted(client, sheet):
    client.force_login(sheet.assignment.assessor)
    response = client.post(url(sheet), sheet_post(sheet, ["7", ""], ["ชัดเจน", ""], submit=True))
    assert response.status_code == 302 and response["Location"] == url(sheet)
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.DRAFT
    assert sheet.scores.get(criterion__order=1).value == D(7)
    assert any("ไม่ครบ 1 เกณฑ์" in str(m) for m in get_messages(response.wsgi_request))


def test_submitting_asks_for_a_confirmation_first(client, sheet):
    client.force_login(sheet.assignment.assessor)
    page = client.get(url(sheet)).content.decode()
    assert '<input type="checkbox" name="confirm_submit" id="id_confirm_submit" value="1">' in page
    assert '<label for="id_confirm_submit">' in page
    data = sheet_post(sheet, ["8", "5"], ["ดี", "พอใช้"], submit=True, confirmed=False)
    response = client.post(url(sheet), data)
    assert response.status_code == 302 and response["Location"] == url(sheet)
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.DRAFT and sheet.submitted_at is None
    assert sheet.scores.get(criterion__order=2).value == D(5)  # the scores kept as a draft
    assert any("โปรดทำเครื่องหมายยืนยัน" in str(m) for m in get_messages(response.wsgi_request))
    # An incomplete sheet is told what is missing, confirmed or not.
    data = sheet_post(sheet, ["8", ""], ["ดี", ""], submit=True, confirmed=False)
    response = client.post(url(sheet), data)
    assert any("ไม่ครบ 1 เกณฑ์" in str(m) for m in get_messages(response.wsgi_request))


def test_a_complete_sheet_is_submitted_and_then_read_only(client, sheet):
    assessor = sheet.assignment.assessor
    client.force_login(assessor)
    response = client.post(url(sheet), sheet_post(sheet, ["8", "5"], ["ดี", "พอใช้"], submit=True))
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED
    assert scoring.sheet_total(sheet) == D("68.00")  # 8/10 × 60 + 5/10 × 40
    assert sheet.history.first().history_user == assessor
    assert sheet.scores.first().history.first().history_user == assessor
    page = client.get(url(sheet)).content.decode()
    assert 'name="scores-0-value"' not in page
    assert "ประวัติการให้คะแนน" in page
    response = client.post(url(sheet), sheet_post(sheet, ["1", "1"], ["x", "x"]))
    assert response.status_code == 403
    assert scoring.sheet_total(ScoreSheet.objects.get(pk=sheet.pk)) == D("68.00")


def test_staff_assign_in_bulk_and_conflicts_are_refused(client, staff):
    entries = [ScreeningEntryFactory(state=EntryState.SUBMITTED) for _ in range(3)]
    clean = AdminAssessorFactory()
    own = AdminAssessorFactory(agency=entries[0].agency)
    client.force_login(staff)
    response = client.post(
        "/admin/awards/entry/",
        {
            "action": "assign",
            "_selected_action": [e.pk for e in entries],
            "round": AssessmentRound.SCREENING,
            "assessors": [clean.pk, own.pk],
            "apply": "1",
        },
    )
    assert response.status_code == 302
    assert Assignment.objects.filter(assessor=clean).count() == 3
    assert Assignment.objects.filter(assessor=own).count() == 2  # not their own agency's
    assert entries[0].state_changes.filter(to_state=EntryState.SCREENING).exists()
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("สังกัดหน่วยงานเจ้าของผลงาน" in m for m in messages)
    # the single assignment form refuses it too, next to the form
    response = client.post(
        "/admin/awards/assignment/add/",
        {"entry": entries[0].pk, "assessor": own.pk, "round": AssessmentRound.SCREENING},
    )
    assert response.status_code == 200
    assert "สังกัดหน่วยงานเจ้าของผลงาน" in response.content.decode()


def test_staff_assign_a_panel_and_see_the_load(client, staff):
    entry = ScreeningEntryFactory()
    panel = PanelFactory(cycle=entry.category.cycle)
    member = AdminAssessorFactory()
    panel.members.add(member)
    client.force_login(staff)
    client.post(
        "/admin/awards/entry/",
        {
            "action": "assign", "_selected_action": [entry.pk], "apply": "1",
            "round": AssessmentRound.SCREENING, "panel": panel.pk,
        },
    )  # fmt: skip
    assert set(Assignment.objects.values_list("assessor", flat=True)) == {member.pk, panel.chair_id}
    page = client.get(reverse("admin:awards_assignment_load")).content.decode()
    assert member.username in page and panel.chair.username in page
    page = client.get("/admin/awards/entry/").content.decode()
    assert "0 / 2" in page  # submitted sheets / reviews


def test_an_assessor_declares_a_conflict_for_themselves_only(client):
    me, other = AdminAssessorFactory(), AdminAssessorFactory()
    entry = ScreeningEntryFactory()
    client.force_login(me)
    response = client.post(
        "/admin/awards/conflictdeclaration/add/",
        {"assessor": other.pk, "agency": entry.agency.pk, "reason": "เคยทำงานที่นี่"},
    )
    assert response.status_code == 302
    declaration = ConflictDeclaration.objects.get()
    assert (declaration.assessor, declaration.agency) == (me, entry.agency)
    assert declaration.history.first().history_user == me
    response = client.post("/admin/awards/conflictdeclaration/add/", {"reason": "ไม่ระบุ"})
    assert "หน่วยงานหรือผลงานอย่างใดอย่างหนึ่ง" in response.content.decode()
    assert ConflictDeclaration.objects.count() == 1


def test_staff_rank_and_shortlist_with_who_and_when(client, staff, sheet):
    assessor = sheet.assignment.assessor
    sheet.scores.update(value=D(9), comment="ดีมาก")
    scoring.submit_sheet(sheet, assessor)
    entry = sheet.assignment.entry
    client.force_login(staff)
    ranking = reverse("admin:awards_entry_ranking") + f"?category={entry.category_id}&margin=10"
    page = client.get(ranking).content.decode()
    assert entry.reference in page and "90.00" in page
    export = client.get(ranking + "&export=xlsx")
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")
    response = client.post(ranking, {"do": "shortlist", "entry": [entry.pk]})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.SHORTLISTED
    change = entry.state_changes.last()
    assert (change.to_state, change.changed_by) == (EntryState.SHORTLISTED, staff)


@pytest.fixture
def visit(staff):
    entry = ScreeningEntryFactory(state=EntryState.SHORTLISTED)
    CriterionFactory(category=entry.category, round=AssessmentRound.SITE_VISIT, order=1)
    panel = PanelFactory(cycle=entry.category.cycle, chair=AdminAssessorFactory())
    panel.members.add(AdminAssessorFactory())
    visit, _ = assessment.schedule_site_visit(
        entry, panel, timezone.now() + datetime.timedelta(days=3), staff, is_online=True
    )
    return visit


def consolidation(score="85", justification="ผลลัพธ์สอดคล้องกับเอกสาร", level="outstanding"):
    return {"consolidated_score": score, "justification": justification, "proposed_level": level}


def test_staff_schedule_a_visit_through_the_admin(client, staff):
    entry = ScreeningEntryFactory(state=EntryState.SHORTLISTED)
    panel = PanelFactory(cycle=entry.category.cycle)
    client.force_login(staff)
    data = {
        "entry": entry.pk, "panel": panel.pk, "scheduled_at_0": "1", "scheduled_at_1": "12",
        "scheduled_at_2": str(timezone.localdate().year + 544), "scheduled_at_3": "10:00",
        "place": "", "notes": "",
    }  # fmt: skip
    response = client.post("/admin/awards/sitevisit/add/", data)
    assert "กรุณาระบุสถานที่" in response.content.decode()
    response = client.post("/admin/awards/sitevisit/add/", data | {"place": "ศาลากลางจังหวัด"})
    assert response.status_code == 302
    assert Assignment.objects.filter(entry=entry, round=AssessmentRound.SITE_VISIT).exists()


def test_the_chair_consolidates_in_the_admin_and_a_member_cannot(client, staff, visit):
    member = visit.panel.members.get()
    client.force_login(member)
    assert client.get(url(visit)).status_code == 200  # their panel's visit, read only
    assert client.post(url(visit), consolidation()).status_code == 403
    client.force_login(visit.panel.chair)
    response = client.post(url(visit), consolidation(justification=""))
    assert "กรุณาระบุเหตุผล" in response.content.decode()
    response = client.post(url(visit), consolidation())
    assert response.status_code == 302
    visit.refresh_from_db()
    assert (visit.consolidated_score, visit.consolidated_by) == (D("85.00"), visit.panel.chair)
    assert visit.entry.state_changes.last().to_state == EntryState.SITE_VISITED
    # staff record the committee's decision and announce
    client.force_login(staff)
    response = client.post(
        "/admin/awards/result/add/",
        {"entry": visit.entry.pk, "award_level": "outstanding", "remarks": "มติเอกฉันท์"},
    )
    assert response.status_code == 302
    result = Result.objects.get()
    assert (result.site_visit_score, result.decided_by) == (D("85.00"), staff)
    cycle = visit.entry.category.cycle
    client.post(
        "/admin/awards/cycle/", {"action": "announce_results", "_selected_action": [cycle.pk]}
    )
    cycle.refresh_from_db()
    assert cycle.results_published_at is not None


def test_another_panels_visit_is_out_of_reach(client, visit):
    stranger = AdminAssessorFactory()
    client.force_login(stranger)
    assert client.get(url(visit)).status_code == 302
    assert client.post(url(visit), consolidation()).status_code in (302, 403)
    assert not SiteVisit.objects.filter(consolidated_at__isnull=False).exists()


def test_the_cycle_results_spreadsheet_is_built_by_the_worker(
    client, staff, sheet, django_capture_on_commit_callbacks
):
    from portal.reports.models import Report

    category = sheet.assignment.entry.category
    client.force_login(staff)
    ranking = reverse("admin:awards_entry_ranking") + f"?category={category.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ranking, {"do": "report"})
    report = Report.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:detail", args=[report.public_id])
    report.refresh_from_db()
    assert (report.kind, report.requested_by, report.state) == ("results", staff, "ready")
    assert report.filename.endswith(".xlsx")
