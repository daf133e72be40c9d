"""awards/conflicts.py and migration 0009: conflicts of interest follow the agency tree
(ministry ↔ department ↔ division), in the domain (a Thai reason) and in the database (SQLite
and PostgreSQL triggers), and a conflict found late drops the sheet from the ranking."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from awards import assessment, conflicts, permissions, scoring
from awards.assessment import AssessmentError
from awards.models import AssessmentRound, Assignment, ConflictDeclaration, Score
from portal.agencies.models import AgencyKind
from tests.awards.test_scoring import rubric_of_two, scored_sheet
from tests.factories import (
    AgencyFactory,
    AssessorFactory,
    CategoryFactory,
    CriterionFactory,
    ScreeningEntryFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db
SCREENING = AssessmentRound.SCREENING


@pytest.fixture
def tree():
    """กระทรวง › กรม › กอง, and a sister กรม under the same ministry."""
    ministry = AgencyFactory(kind=AgencyKind.MINISTRY)
    department = AgencyFactory(parent=ministry)
    division = AgencyFactory(parent=department, kind=AgencyKind.DIVISION)
    sister = AgencyFactory(parent=ministry)
    return ministry, department, division, sister


def refused_by_database(entry, assessor):
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(entry=entry, assessor=assessor, round=SCREENING)
    return True


@pytest.mark.parametrize(
    ("entry_of", "reason"),
    [
        ("ministry", "สังกัดหน่วยงานที่อยู่ภายใต้หน่วยงานเจ้าของผลงาน"),  # an ancestor
        ("division", "หน่วยงานเจ้าของผลงานอยู่ภายใต้หน่วยงานที่ผู้ตรวจประเมินสังกัด"),  # a descendant
        ("department", "สังกัดหน่วยงานเจ้าของผลงาน"),  # their own
    ],
)
def test_an_assessor_of_a_department_assesses_neither_its_ministry_nor_its_divisions(
    tree, entry_of, reason
):
    ministry, department, division, _sister = tree
    agency = {"ministry": ministry, "department": department, "division": division}[entry_of]
    entry = ScreeningEntryFactory(agency=agency)
    assessor = AssessorFactory(agency=department)
    with pytest.raises(AssessmentError, match=reason):
        assessment.assign(entry, assessor, SCREENING, StaffFactory())
    assert refused_by_database(entry, assessor)
    assert permissions.is_conflicted(assessor, entry)
    assert permissions.conflicted_entries(assessor).filter(pk=entry.pk).exists()
    assert not Assignment.objects.exists()


def test_a_sister_department_is_no_conflict(tree):
    _ministry, department, _division, sister = tree
    entry = ScreeningEntryFactory(agency=sister)
    assessor = AssessorFactory(agency=department)
    assert assessment.conflict_reason(assessor, entry) is None
    assessment.assign(entry, assessor, SCREENING, StaffFactory())
    assert not permissions.conflicted_entries(assessor).exists()


def test_a_declared_ministry_covers_everything_under_it(tree):
    ministry, _department, division, sister = tree
    assessor = AssessorFactory()  # of an agency elsewhere in the tree
    assessment.declare_conflict(assessor, assessor, "เคยเป็นที่ปรึกษากระทรวง", agency=ministry)
    for agency in (ministry, division, sister):
        entry = ScreeningEntryFactory(agency=agency)
        with pytest.raises(AssessmentError, match="แจ้งส่วนได้เสีย"):
            assessment.assign(entry, assessor, SCREENING, StaffFactory())
        assert refused_by_database(entry, assessor)
    unrelated = ScreeningEntryFactory()
    assessment.assign(unrelated, assessor, SCREENING, StaffFactory())


def test_the_database_refuses_scores_once_a_parent_agency_is_declared(tree):
    ministry, _department, division, _sister = tree
    entry = ScreeningEntryFactory(agency=division)
    criterion = CriterionFactory(category=entry.category)
    assessor = AssessorFactory()
    sheet = assessment.assign(entry, assessor, SCREENING, StaffFactory()).sheet
    ConflictDeclaration.objects.create(assessor=assessor, agency=ministry, reason="ภายหลัง")
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(sheet=sheet, criterion=criterion).update(value=1)
    assert not permissions.entries_assigned_to(assessor).exists()


def test_the_database_follows_the_tree_when_an_agency_is_moved_under_the_assessors(tree):
    _ministry, department, _division, _sister = tree
    elsewhere = AgencyFactory()
    entry = ScreeningEntryFactory(agency=elsewhere)
    assessor, other = AssessorFactory(agency=department), AssessorFactory()
    assignment = assessment.assign(entry, other, SCREENING, StaffFactory())
    elsewhere.parent = department  # the agency now sits under the assessor's department
    elsewhere.save()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.filter(pk=assignment.pk).update(assessor=assessor)
    assert permissions.is_conflicted(assessor, entry)


def test_a_conflict_declared_late_on_a_parent_drops_the_sheet_from_the_ranking(tree):
    ministry, department, division, _sister = tree
    category = CategoryFactory()
    criteria = rubric_of_two(category)
    entry = ScreeningEntryFactory(category=category, agency=division)
    scored_sheet(entry, criteria, (8, 4))  # 80
    late = scored_sheet(entry, criteria, (2, 1))  # 20
    assert scoring.ranking(category)[0].mean == Decimal("50.00")
    ConflictDeclaration.objects.create(
        assessor=late.assignment.assessor, agency=ministry, reason="พบภายหลัง"
    )
    row = scoring.ranking(category)[0]
    assert (row.sheets, row.mean) == (1, Decimal("80.00"))
    assert scoring.entry_mean(entry, SCREENING) == Decimal("80.00")


def test_the_conflict_map_agrees_with_the_single_check(tree):
    """The solver's bulk check and the single check are the same rule."""
    ministry, department, division, sister = tree
    assessors = [AssessorFactory(agency=department), AssessorFactory(agency=sister)]
    assessment.declare_conflict(assessors[1], assessors[1], "ญาติ", agency=department)
    entries = [ScreeningEntryFactory(agency=a) for a in (ministry, department, division, sister)]
    bulk = conflicts.ConflictMap({a.pk: a.agency_id for a in assessors})
    for assessor in assessors:
        for entry in entries:
            found = bulk.find(assessor.pk, entry.pk, entry.agency_id)
            assert (found.explain() if found else None) == conflicts.conflict_reason(
                assessor, entry
            )
