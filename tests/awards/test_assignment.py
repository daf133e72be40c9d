"""awards/assignment.py: the solver respects caps and conflicts, covers what it can and says
why it could not; commit is idempotent and recorded; undo only before scoring starts."""

from collections import Counter

import pytest

from awards import assignment, conflicts
from awards.assessment import AssessmentError
from awards.models import (
    AssessmentRound,
    AssessorProfile,
    Assignment,
    AssignmentBatch,
    ConflictDeclaration,
    ScoreSheet,
)
from bench.bench_assignment import make_cycle
from tests.factories import AssessorFactory, CriterionFactory, StaffFactory

pytestmark = pytest.mark.django_db
SCREENING = AssessmentRound.SCREENING


@pytest.fixture
def cycle_200x40():
    return make_cycle(200, 40, seed=7)


def test_the_solver_respects_caps_and_conflicts_and_reports_uncovered_entries(cycle_200x40):
    made = cycle_200x40
    # One entry almost everyone is conflicted with: all but one assessor declare it.
    hard = made.entries[0]
    ConflictDeclaration.objects.bulk_create(
        ConflictDeclaration(assessor=a, entry=hard, reason="ทดสอบ") for a in made.assessors[1:]
    )
    # 200 entries × 3 = 600 sheets, 40 assessors × 12 = 480: some entries must stay short.
    proposal = assignment.propose(made.category, SCREENING, per_entry=3, cap=12)

    loads = Counter(a for _e, a in proposal.pairs)
    assert max(loads.values()) <= 12
    assert len(set(proposal.pairs)) == len(proposal.pairs)
    entries = {e.pk: e for e in made.entries}
    people = {a.pk: a for a in made.assessors}
    bulk = conflicts.ConflictMap({a.pk: a.agency_id for a in made.assessors})
    assert not [
        (e, a) for e, a in proposal.pairs if bulk.find(a, e, entries[e].agency_id) is not None
    ]
    for entry_id, assessor_id in proposal.pairs[:50]:  # the single check agrees
        assert conflicts.conflict_reason(people[assessor_id], entries[entry_id]) is None
    cover = Counter(e for e, _a in proposal.pairs)
    assert all(count <= 3 for count in cover.values())
    # Every sheet short of three is reported, with the reason.
    short = {u.entry.pk: u for u in proposal.uncovered}
    assert sum(u.missing for u in proposal.uncovered) == 600 - len(proposal.pairs)
    assert short[hard.pk].missing == 2 and "เพียง 1 คน" in short[hard.pk].reason
    assert any("ภาระงานเต็ม 12 เรื่อง" in u.reason for u in proposal.uncovered)
    # Loads are even: nobody idles while others carry the cap.
    assert set(loads.values()) == {12}


def test_loads_even_out_and_expertise_is_preferred():
    made = make_cycle(30, 10, seed=3)
    ConflictDeclaration.objects.filter(assessor__in=made.assessors).delete()
    proposal = assignment.propose(made.category, SCREENING, per_entry=2, cap=20)
    assert not proposal.uncovered
    loads = [after for _a, _before, after in proposal.loads()]
    assert max(loads) - min(loads) <= 4  # 60 sheets over 10 people, preference ≤ 3 sheets
    experts = set(
        AssessorProfile.objects.filter(
            assessor__in=made.assessors, branches=made.category.branch
        ).values_list("assessor_id", flat=True)
    )
    by_expert = sum(1 for _e, a in proposal.pairs if a in experts)
    assert by_expert / len(proposal.pairs) >= len(experts) / len(made.assessors)


def test_bad_settings_are_refused_in_thai():
    made = make_cycle(2, 2, seed=1)
    with pytest.raises(AssessmentError, match="ต่อผลงานต้องอยู่ระหว่าง 1 ถึง 10"):
        assignment.propose(made.category, SCREENING, per_entry=0, cap=5)
    with pytest.raises(AssessmentError, match="ภาระงานสูงสุดต่อคนต้องอยู่ระหว่าง"):
        assignment.propose(made.category, SCREENING, per_entry=2, cap=0)


@pytest.fixture
def small():
    made = make_cycle(6, 4, seed=5)
    ConflictDeclaration.objects.filter(assessor__in=made.assessors).delete()
    CriterionFactory(category=made.category)
    return made


def test_commit_is_recorded_idempotent_and_returns_the_new_assignments(small):
    staff = StaffFactory()
    proposal = assignment.propose(small.category, SCREENING, per_entry=2, cap=5)
    args = (proposal.key, small.category, SCREENING, proposal.pairs, staff, 2, 5)
    batch, new, outcome = assignment.commit(*args)
    assert len(new) == len(proposal.pairs) == Assignment.objects.filter(batch=batch).count()
    assert not outcome.refused
    assert (batch.committed_by, batch.per_entry, batch.cap) == (staff, 2, 5)
    assert sorted(map(tuple, batch.made)) == sorted(proposal.pairs)
    again, new_again, _ = assignment.commit(*args)  # a second click, a re-sent form
    assert again == batch and new_again == []
    assert AssignmentBatch.objects.count() == 1
    # A new proposal now covers nothing more: every entry has its two.
    assert assignment.propose(small.category, SCREENING, per_entry=2, cap=5).pairs == []


def test_commit_refuses_a_pair_that_became_a_conflict_and_a_non_staff_user(small):
    staff = StaffFactory()
    proposal = assignment.propose(small.category, SCREENING, per_entry=1, cap=5)
    entry_id, assessor_id = proposal.pairs[0]
    ConflictDeclaration.objects.create(assessor_id=assessor_id, entry_id=entry_id, reason="ใหม่")
    with pytest.raises(AssessmentError, match="เฉพาะเจ้าหน้าที่"):
        assignment.commit(
            proposal.key, small.category, SCREENING, proposal.pairs, AssessorFactory(), 1, 5
        )
    _batch, new, outcome = assignment.commit(
        proposal.key, small.category, SCREENING, proposal.pairs, staff, 1, 5
    )
    assert len(new) == len(proposal.pairs) - 1
    assert "แจ้งส่วนได้เสีย" in outcome.refused[0][1]
    assert not Assignment.objects.filter(entry_id=entry_id, assessor_id=assessor_id).exists()


def test_undo_before_scoring_only(small):
    staff = StaffFactory()
    proposal = assignment.propose(small.category, SCREENING, per_entry=1, cap=5)
    batch, new, _ = assignment.commit(
        proposal.key, small.category, SCREENING, proposal.pairs, staff, 1, 5
    )
    assert assignment.undo(batch, staff) == len(new)
    batch.refresh_from_db()
    assert batch.undone_by == staff and batch.undone_at
    assert not Assignment.objects.filter(entry__category=small.category).exists()
    with pytest.raises(AssessmentError, match="ยกเลิกชุดนี้ไปแล้ว"):
        assignment.undo(batch, staff)

    proposal = assignment.propose(small.category, SCREENING, per_entry=1, cap=5)
    batch, new, _ = assignment.commit(
        proposal.key, small.category, SCREENING, proposal.pairs, staff, 1, 5
    )
    sheet = ScoreSheet.objects.get(assignment=new[0])
    sheet.scores.update(value=1)
    with pytest.raises(AssessmentError, match="เริ่มให้คะแนน"):
        assignment.undo(batch, staff)
    assert Assignment.objects.filter(batch=batch).count() == len(new)
