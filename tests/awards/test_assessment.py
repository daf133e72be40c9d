"""awards/assessment.py: assignments, conflicts of interest (domain and database), screening,
shortlisting and site-visit scheduling."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from awards import assessment, permissions
from awards.assessment import AssessmentError
from awards.models import AssessmentRound, Assignment, ConflictDeclaration, EntryState, Score
from tests.factories import (
    AgencyFactory,
    AssessorFactory,
    CriterionFactory,
    CycleFactory,
    PanelFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db
SCREENING = AssessmentRound.SCREENING


@pytest.fixture
def staff():
    return StaffFactory()


# --- Conflicts: refused by the domain with a reason, and by the database ---------------------


def test_an_assessor_is_never_assigned_an_entry_of_their_own_agency(staff):
    entry = ScreeningEntryFactory()
    assessor = AssessorFactory(agency=entry.agency)
    with pytest.raises(AssessmentError, match="สังกัดหน่วยงานเจ้าของผลงาน"):
        assessment.assign(entry, assessor, SCREENING, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(entry=entry, assessor=assessor, round=SCREENING)
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("on", ["agency", "entry"])
def test_a_declared_conflict_blocks_assignment(staff, on):
    entry = ScreeningEntryFactory()
    assessor = AssessorFactory()
    target = {"agency": entry.agency} if on == "agency" else {"entry": entry}
    assessment.declare_conflict(assessor, assessor, "เป็นกรรมการของหน่วยงาน", **target)
    with pytest.raises(AssessmentError, match="แจ้งส่วนได้เสีย"):
        assessment.assign(entry, assessor, SCREENING, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(entry=entry, assessor=assessor, round=SCREENING)


def test_the_database_refuses_moving_an_assignment_onto_a_conflict(staff):
    entry, conflicted = ScreeningEntryFactory(), ScreeningEntryFactory()
    assessor = AssessorFactory(agency=conflicted.agency)
    assignment = assessment.assign(entry, assessor, SCREENING, staff)
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(entry=conflicted)


def test_the_database_refuses_scores_on_a_conflicted_sheet(staff):
    entry = ScreeningEntryFactory()
    criterion = CriterionFactory(category=entry.category)
    assessor = AssessorFactory()
    sheet = assessment.assign(entry, assessor, SCREENING, staff).sheet
    ConflictDeclaration.objects.create(assessor=assessor, agency=entry.agency, reason="ภายหลัง")
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(sheet=sheet, criterion=criterion).update(value=1)
    assert permissions.entries_assigned_to(assessor).count() == 0


def test_a_declaration_needs_a_reason_and_one_target_and_is_ones_own():
    assessor, other = AssessorFactory(), AssessorFactory()
    agency = AgencyFactory()
    with pytest.raises(AssessmentError, match="เหตุผล"):
        assessment.declare_conflict(assessor, assessor, "  ", agency=agency)
    with pytest.raises(AssessmentError, match="อย่างใดอย่างหนึ่ง"):
        assessment.declare_conflict(assessor, assessor, "x")
    with pytest.raises(AssessmentError, match="เฉพาะของตนเอง"):
        assessment.declare_conflict(assessor, other, "x", agency=agency)
    with pytest.raises(AssessmentError, match="ไม่ใช่ผู้ตรวจประเมิน"):
        official = UserFactory()
        assessment.declare_conflict(official, official, "x", agency=agency)
    first = assessment.declare_conflict(assessor, assessor, "x", agency=agency)
    assert assessment.declare_conflict(assessor, StaffFactory(), "x", agency=agency) == first
    assert first.history.first().history_user == assessor


# --- Assignments -------------------------------------------------------------------------------


def test_only_staff_assign_and_only_assessors_are_assigned(staff):
    entry = ScreeningEntryFactory()
    with pytest.raises(AssessmentError, match="เฉพาะเจ้าหน้าที่"):
        assessment.assign(entry, AssessorFactory(), SCREENING, AssessorFactory())
    with pytest.raises(AssessmentError, match="ไม่ใช่ผู้ตรวจประเมิน"):
        assessment.assign(entry, UserFactory(), SCREENING, staff)
    assert not Assignment.objects.exists()


def test_assigning_a_submitted_entry_starts_its_screening_once(staff):
    entry = ScreeningEntryFactory(state=EntryState.SUBMITTED)
    assessor = AssessorFactory()
    assignment = assessment.assign(entry, assessor, SCREENING, staff)
    assert assignment.assigned_by == staff
    assert assignment.history.first().history_user == staff
    entry.refresh_from_db()
    assert entry.state == EntryState.SCREENING
    with pytest.raises(AssessmentError, match="ได้รับมอบหมายผลงานนี้ในรอบนี้แล้ว"):
        assessment.assign(entry, assessor, SCREENING, staff)


def test_rounds_follow_the_entry_state(staff):
    draft = ScreeningEntryFactory(state=EntryState.DRAFT)
    with pytest.raises(AssessmentError, match="มอบหมายในรอบ"):
        assessment.assign(draft, AssessorFactory(), SCREENING, staff)
    screening = ScreeningEntryFactory()
    with pytest.raises(AssessmentError, match="มอบหมายในรอบ"):
        assessment.assign(screening, AssessorFactory(), AssessmentRound.SITE_VISIT, staff)


def test_bulk_assignment_reports_what_it_refused(staff):
    entries = [ScreeningEntryFactory() for _ in range(3)]
    fine, conflicted = AssessorFactory(), AssessorFactory(agency=entries[1].agency)
    outcome = assessment.assign_many(entries, [fine, conflicted], SCREENING, staff)
    assert len(outcome.done) == 5
    assert [(subject, "สังกัด" in reason) for subject, reason in outcome.refused] == [
        ((entries[1], conflicted), True)
    ]


def test_a_panel_of_another_cycle_is_refused(staff):
    entry = ScreeningEntryFactory()
    panel = PanelFactory(cycle=CycleFactory(year_be=2569))
    outcome = assessment.assign_to_panel([entry], panel, SCREENING, staff)
    assert not outcome.done and "ปีรางวัลเดียวกับผลงาน" in outcome.refused[0][1]


def test_the_load_of_each_assessor(staff):
    entries = [ScreeningEntryFactory() for _ in range(3)]
    a, b = AssessorFactory(username="a"), AssessorFactory(username="b")
    assessment.assign_many(entries, [a], SCREENING, staff)
    assessment.assign_many(entries[:1], [b], SCREENING, staff)
    rows = list(assessment.assessor_load(entries[0].category.cycle))
    assert [(r["assessor__username"], r["assigned"], r["submitted"]) for r in rows] == [
        ("a", 3, 0),
        ("b", 1, 0),
    ]


# --- Screening, shortlist, site visits --------------------------------------------------------


def test_shortlisting_in_bulk_records_who_and_when(staff):
    screening = [ScreeningEntryFactory() for _ in range(2)]
    submitted = ScreeningEntryFactory(state=EntryState.SUBMITTED)
    outcome = assessment.shortlist([*screening, submitted], staff)
    assert outcome.done == screening and outcome.refused[0][0] == submitted
    for entry in screening:
        change = entry.state_changes.get()
        assert (change.to_state, change.changed_by) == (EntryState.SHORTLISTED, staff)
        assert change.changed_at <= timezone.now()
    with pytest.raises(AssessmentError):
        assessment.shortlist(screening, AssessorFactory())


def test_a_visit_needs_a_shortlisted_entry_a_place_and_an_unconflicted_chair(staff):
    entry = ScreeningEntryFactory()
    panel = PanelFactory(cycle=entry.category.cycle)
    when = timezone.now()
    with pytest.raises(AssessmentError, match="ผ่านเข้ารอบลงพื้นที่"):
        assessment.schedule_site_visit(entry, panel, when, staff, place="x")
    entry.state = EntryState.SHORTLISTED
    with pytest.raises(AssessmentError, match="สถานที่"):
        assessment.schedule_site_visit(entry, panel, when, staff)
    conflicted_panel = PanelFactory(
        cycle=entry.category.cycle, chair=AssessorFactory(agency=entry.agency)
    )
    with pytest.raises(AssessmentError, match="ประธานคณะนี้มีส่วนได้เสีย"):
        assessment.schedule_site_visit(entry, conflicted_panel, when, staff, is_online=True)
