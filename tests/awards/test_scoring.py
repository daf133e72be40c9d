"""awards/scoring.py: weighted totals, submitting sheets, ranking, consolidation, decisions."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from awards import assessment, scoring
from awards.models import (
    AssessmentRound,
    Assignment,
    ConflictDeclaration,
    EntryState,
    Result,
    Score,
    ScoreSheet,
    SiteVisit,
)
from awards.scoring import ScoringError
from tests.factories import (
    AssessorFactory,
    CategoryFactory,
    CriterionFactory,
    PanelFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


def test_weighted_total_is_normalised_to_100():
    # 8/10 × 60 + 4/5 × 40 = 80 of 100
    assert scoring.weighted_total([(D(8), D(60), D(10)), (D(4), D(40), D(5))]) == D("80.00")
    # weights 3 and 1 (sum 4): (10/10 × 3 + 0/10 × 1) / 4 × 100 = 75
    assert scoring.weighted_total([(D(10), D(3), D(10)), (D(0), D(1), D(10))]) == D("75.00")
    # a missing value counts as zero; thirds are rounded half up to the cent
    assert scoring.weighted_total([(D(1), D(1), D(3)), (None, D(0), D(1))]) == D("33.33")
    assert scoring.weighted_total([]) is None


def rubric_of_two(category, round=AssessmentRound.SCREENING):
    return [
        CriterionFactory(category=category, round=round, order=1, weight=D(60), max_score=D(10)),
        CriterionFactory(category=category, round=round, order=2, weight=D(40), max_score=D(5)),
    ]


def scored_sheet(entry, criteria, values, state=ScoreSheet.State.SUBMITTED, assessor=None):
    assignment = Assignment.objects.create(
        entry=entry, assessor=assessor or AssessorFactory(), round=criteria[0].round
    )
    sheet = ScoreSheet.objects.create(
        assignment=assignment,
        state=state,
        submitted_at=timezone.now() if state == ScoreSheet.State.SUBMITTED else None,
    )
    Score.objects.bulk_create(
        Score(sheet=sheet, criterion=c, value=D(v), comment="ดี")
        for c, v in zip(criteria, values, strict=True)
    )
    return sheet


def test_ranking_on_a_known_set_of_sheets():
    category = CategoryFactory()
    criteria = rubric_of_two(category)
    a, b, c, d = (ScreeningEntryFactory(category=category) for _ in range(4))
    for values in [(8, 4), (6, 5), (10, 2)]:  # 80, 76, 76
        scored_sheet(a, criteria, values)
    for values in [(9, 5), (5, 1)]:  # 94, 38
        scored_sheet(b, criteria, values)
    for values in [(7, 3), (7, 3)]:  # 66, 66
        scored_sheet(c, criteria, values)
    # Neither a draft nor the sheet of an assessor who later declared a conflict counts.
    scored_sheet(c, criteria, (0, 0), state=ScoreSheet.State.DRAFT)
    late = scored_sheet(a, criteria, (0, 0))
    ConflictDeclaration.objects.create(
        assessor=late.assignment.assessor, entry=a, reason="พบภายหลังว่าเป็นที่ปรึกษาโครงการ"
    )
    # A withdrawn or draft entry is not ranked at all.
    ScreeningEntryFactory(category=category, state=EntryState.WITHDRAWN)

    rows = scoring.ranking(category, margin=D(15))

    assert [row.entry for row in rows] == [a, b, c, d]
    summary = [(r.rank, r.sheets, r.mean, r.median, r.spread, r.disagreement) for r in rows]
    assert summary == [
        (1, 3, D("77.33"), D("76.00"), D("4.00"), False),
        (2, 2, D("66.00"), D("66.00"), D("56.00"), True),
        (2, 2, D("66.00"), D("66.00"), D("0.00"), False),
        (None, 0, None, None, None, False),
    ]
    assert rows[0].criterion_means == {criteria[0].pk: D("8.00"), criteria[1].pk: D("3.67")}
    # The margin is configurable: at 60 points nobody disagrees.
    assert not any(row.disagreement for row in scoring.ranking(category, margin=60))


def test_margin_comes_from_settings_by_default(settings):
    settings.ASSESSMENT_DISAGREEMENT_MARGIN = "3.5"
    assert scoring.disagreement_margin() == D("3.5")
    assert scoring.disagreement_margin("20") == D("20")


@pytest.fixture
def assigned_sheet():
    staff = StaffFactory()
    entry = ScreeningEntryFactory(state=EntryState.SUBMITTED)
    criteria = rubric_of_two(entry.category)
    assessor = AssessorFactory()
    assignment = assessment.assign(entry, assessor, AssessmentRound.SCREENING, by=staff)
    return assignment.sheet, criteria, assessor


def test_assignment_opens_a_sheet_with_one_row_per_criterion(assigned_sheet):
    sheet, criteria, _ = assigned_sheet
    assert [s.criterion for s in sheet.scores.order_by("criterion__order")] == criteria
    assert sheet.scores.filter(value__isnull=True).count() == 2


def test_an_incomplete_sheet_cannot_be_submitted(assigned_sheet):
    sheet, criteria, assessor = assigned_sheet
    sheet.scores.filter(criterion=criteria[0]).update(value=D(7), comment="ชัดเจน")
    with pytest.raises(ScoringError, match="ไม่ครบ 1 เกณฑ์"):
        scoring.submit_sheet(sheet, by=assessor)
    sheet.scores.filter(criterion=criteria[1]).update(value=D(3))  # a value but no comment
    with pytest.raises(ScoringError, match="ไม่ครบ 1 เกณฑ์"):
        scoring.submit_sheet(sheet, by=assessor)
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.DRAFT and sheet.submitted_at is None


def test_a_complete_sheet_is_submitted_once_by_its_own_assessor(assigned_sheet):
    sheet, _, assessor = assigned_sheet
    sheet.scores.update(value=D(5), comment="มีหลักฐาน")
    with pytest.raises(ScoringError, match="ไม่มีสิทธิ์"):
        scoring.submit_sheet(sheet, by=AssessorFactory())
    scoring.submit_sheet(sheet, by=assessor)
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.SUBMITTED
    assert sheet.history.first().history_user == assessor
    assert scoring.sheet_total(sheet) == D("70.00")  # 5/10 × 60 + 5/5 × 40
    with pytest.raises(ScoringError, match="ส่งแล้ว"):
        scoring.submit_sheet(sheet, by=assessor)


def test_a_score_above_the_maximum_is_refused():
    criterion = CriterionFactory(max_score=D(10))
    scoring.check_score(criterion, D(10))
    for bad in (D("10.01"), D(-1)):
        with pytest.raises(ScoringError, match="ระหว่าง 0 ถึง 10"):
            scoring.check_score(criterion, bad)


def test_a_conflict_declared_after_assignment_blocks_scoring(assigned_sheet):
    sheet, criteria, assessor = assigned_sheet
    entry = sheet.assignment.entry
    assessment.declare_conflict(assessor, by=assessor, reason="ญาติทำงานที่นั่น", entry=entry)
    with pytest.raises(IntegrityError), transaction.atomic():
        sheet.scores.filter(criterion=criteria[0]).update(value=D(5))
    with pytest.raises(ScoringError, match="ไม่มีสิทธิ์"):
        scoring.submit_sheet(sheet, by=assessor)


# --- Site visit, decision, announcement ----------------------------------------------------


@pytest.fixture
def visit():
    staff = StaffFactory()
    entry = ScreeningEntryFactory(state=EntryState.SHORTLISTED)
    criteria = rubric_of_two(entry.category, AssessmentRound.SITE_VISIT)
    panel = PanelFactory(cycle=entry.category.cycle)
    member = AssessorFactory()
    panel.members.add(member, panel.chair)
    visit, outcome = assessment.schedule_site_visit(
        entry, panel, timezone.now() + datetime.timedelta(days=7), by=staff, place="ศาลากลาง"
    )
    assert len(outcome.done) == 2 and not outcome.refused
    for assignment, values in zip(
        Assignment.objects.filter(entry=entry).order_by("assessor__username"),
        [(9, 5), (7, 4)],
        strict=True,
    ):
        sheet = assignment.sheet
        for criterion, value in zip(criteria, values, strict=True):
            sheet.scores.filter(criterion=criterion).update(value=D(value), comment="พบจริง")
        scoring.submit_sheet(sheet, by=assignment.assessor)
    return visit


def test_the_chair_consolidates_a_site_visit(visit):
    chair = visit.panel.chair
    assert scoring.suggested_site_visit_score(visit) == D("84.00")  # mean of 94 and 74
    scoring.consolidate_site_visit(visit, chair, D("88.5"), "ผลลัพธ์สอดคล้องกับเอกสาร", "outstanding")
    visit.refresh_from_db()
    assert (visit.consolidated_score, visit.consolidated_by, visit.proposed_level) == (
        D("88.50"), chair, "outstanding",
    )  # fmt: skip
    assert visit.entry.state == EntryState.SITE_VISITED
    assert visit.entry.state_changes.last().changed_by == chair


def test_only_the_chair_consolidates_and_needs_a_justification(visit):
    member = visit.panel.members.exclude(pk=visit.panel.chair_id).get()
    for user in (member, StaffFactory(), UserFactory()):
        with pytest.raises(ScoringError, match="เฉพาะประธาน"):
            scoring.consolidate_site_visit(visit, user, D(80), "เหตุผล", "good")
    with pytest.raises(ScoringError, match="เหตุผล"):
        scoring.consolidate_site_visit(visit, visit.panel.chair, D(80), "  ", "good")
    with pytest.raises(ScoringError, match="0 ถึง 100"):
        scoring.consolidate_site_visit(visit, visit.panel.chair, D(101), "ok", "good")
    assert not SiteVisit.objects.filter(consolidated_at__isnull=False).exists()


def test_committee_decision_and_announcement(visit):
    staff = StaffFactory()
    cycle = visit.entry.category.cycle
    with pytest.raises(ScoringError, match="ลงพื้นที่ตรวจประเมินแล้ว"):
        scoring.record_decision(visit.entry, "good", staff)
    scoring.consolidate_site_visit(visit, visit.panel.chair, D(87), "ดี", "good")
    with pytest.raises(ScoringError, match="เฉพาะเจ้าหน้าที่"):
        scoring.record_decision(visit.entry, "good", visit.panel.chair)
    other = ScreeningEntryFactory(category=visit.entry.category)
    with pytest.raises(ScoringError, match="ยังไม่มีผลการตัดสิน"):
        scoring.announce_results(cycle, staff)
    result = scoring.record_decision(visit.entry, "good", staff, "มติเอกฉันท์")
    assert (result.site_visit_score, result.decided_by) == (D("87.00"), staff)
    assert visit.entry.state_changes.last().to_state == EntryState.AWARDED
    with pytest.raises(ScoringError, match="แล้ว"):
        scoring.record_decision(visit.entry, "outstanding", staff)
    scoring.record_decision(other, "not_awarded", staff)
    scoring.announce_results(cycle, staff)
    cycle.refresh_from_db()
    assert cycle.results_published_at is not None
    assert cycle.history.first().history_user == staff
    with pytest.raises(ScoringError, match="ประกาศผล"):
        scoring.record_decision(ScreeningEntryFactory(category=other.category), "good", staff)
    assert Result.objects.count() == 2


def test_conflicted_agency_member_is_not_scheduled_on_a_visit(visit):
    agency_member = AssessorFactory(agency=visit.entry.agency)
    panel = PanelFactory(cycle=visit.entry.category.cycle)
    panel.members.add(agency_member)
    _, outcome = assessment.schedule_site_visit(
        visit.entry, panel, timezone.now(), by=StaffFactory(), is_online=True
    )
    assert [assessor for (_, assessor), _ in outcome.refused] == [agency_member]
    assert not Assignment.objects.filter(assessor=agency_member).exists()
