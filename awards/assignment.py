"""Assisted assignment: the solver proposes who assesses which entries of a category in a round;
staff preview it, adjust it and commit it; a committed batch is undone as a whole before
scoring starts. The rules of a single assignment (conflicts, entry states) stay in
assessment.py: the solver never proposes what they refuse, and commit goes through them.

The model is a minimum-cost flow, solved as a linear programme by SciPy's HiGHS dual simplex
(`scipy.optimize.linprog`): the constraint matrix of a flow is totally unimodular, so the
simplex's vertex solution is already whole — every pair is taken or not:

    source → entry e (needs `per_entry` − assignments it already has)
           → assessor a, for every pair (e, a) that is not a conflict and not already assigned;
             cost = preference: EXPERTISE_MISS if the assessor did not declare the category's
             branch, + REGION_MISS for a site visit outside the region they travel to
           → sink through the assessor's free slots k = load+1 … cap, slot k costing
             k × BALANCE: filling a tenth sheet costs more than a third, so the loads even out
    an entry that cannot be covered takes an UNCOVERED slack (cost far above any assignment),
    so the solver covers as much as it can and says which entries it could not, and why.

One unit of preference weighs as much as evening the loads by a few sheets (EXPERTISE_MISS = 3
slots): an expert is preferred unless that makes them carry three sheets more than others.
"""

import time
import uuid
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from scipy.optimize import linprog
from scipy.sparse import csr_array, vstack

from portal.accounts.models import Role, User

from . import assessment, conflicts, permissions
from .assessment import ASSIGNABLE_STATES, AssessmentError
from .models import (
    AssessmentRound,
    AssessorProfile,
    Assignment,
    AssignmentBatch,
    Category,
    Entry,
    Score,
    ScoreSheet,
)
from .scoring import recorded_by

BALANCE = 1.0  # the k-th sheet of an assessor costs k of these
EXPERTISE_MISS = 3.0
REGION_MISS = 3.0
UNCOVERED = 10_000.0
MAX_PER_ENTRY = 10
MAX_CAP = 200


@dataclass
class Uncovered:
    entry: Entry
    missing: int
    reason: str


@dataclass
class Proposal:
    """What the solver proposes, and what staff need to judge it."""

    category: Category
    round: str
    per_entry: int
    cap: int
    pairs: list[tuple[int, int]] = field(default_factory=list)  # (entry id, assessor id), new
    entries: list[Entry] = field(default_factory=list)
    assessors: list = field(default_factory=list)
    existing_load: Counter = field(default_factory=Counter)  # assessor id → before
    existing_cover: Counter = field(default_factory=Counter)  # entry id → before
    uncovered: list[Uncovered] = field(default_factory=list)
    seconds: float = 0.0
    key: uuid.UUID = field(default_factory=uuid.uuid4)

    @property
    def new_load(self) -> Counter:
        return Counter(assessor_id for _entry_id, assessor_id in self.pairs)

    @property
    def new_cover(self) -> Counter:
        return Counter(entry_id for entry_id, _assessor_id in self.pairs)

    def loads(self) -> list[tuple[object, int, int]]:
        """(assessor, load before, load after) — the preview's first table."""
        new = self.new_load
        return [
            (a, self.existing_load[a.pk], self.existing_load[a.pk] + new[a.pk])
            for a in self.assessors
        ]

    def coverage(self) -> list[tuple[Entry, int, list]]:
        """(entry, assessors before, the new assessors) — the preview's second table."""
        by_id = {a.pk: a for a in self.assessors}
        new: dict[int, list] = {}
        for entry_id, assessor_id in self.pairs:
            new.setdefault(entry_id, []).append(by_id[assessor_id])
        return [(e, self.existing_cover[e.pk], new.get(e.pk, [])) for e in self.entries]


class AssignmentSettingsError(AssessmentError):
    """Settings the solver cannot work with (Thai message)."""


def check_settings(per_entry: int, cap: int) -> None:
    if not 1 <= per_entry <= MAX_PER_ENTRY:
        raise AssignmentSettingsError(
            _("จำนวนผู้ตรวจประเมินต่อผลงานต้องอยู่ระหว่าง 1 ถึง %(max)d") % {"max": MAX_PER_ENTRY}
        )
    if not 1 <= cap <= MAX_CAP:
        raise AssignmentSettingsError(
            _("ภาระงานสูงสุดต่อคนต้องอยู่ระหว่าง 1 ถึง %(max)d") % {"max": MAX_CAP}
        )


def candidate_assessors():
    return User.objects.filter(role=Role.ASSESSOR, is_active=True).order_by("username")


def _entry_region(entry: Entry) -> str:
    province = entry.agency.province
    return province.region if province else ""


def propose(category: Category, round: str, per_entry: int, cap: int, assessors=None) -> Proposal:
    """The solver's proposal for the category's assignable entries in the round."""
    check_settings(per_entry, cap)
    started = time.perf_counter()
    entries = list(
        Entry.objects.filter(category=category, state__in=ASSIGNABLE_STATES[round])
        .select_related("agency__province")
        .order_by("reference", "pk")
    )
    assessors = list(assessors if assessors is not None else candidate_assessors())
    proposal = Proposal(category, round, per_entry, cap, entries=entries, assessors=assessors)
    existing = set(
        Assignment.objects.filter(entry__in=entries, round=round).values_list(
            "entry_id", "assessor_id"
        )
    )
    proposal.existing_cover = Counter(entry_id for entry_id, _a in existing)
    proposal.existing_load = Counter(
        Assignment.objects.filter(
            round=round, entry__category__cycle_id=category.cycle_id, assessor__in=assessors
        ).values_list("assessor_id", flat=True)
    )
    profiles = {
        p.assessor_id: (set(b.pk for b in p.branches.all()), p.region)
        for p in AssessorProfile.objects.filter(assessor__in=assessors).prefetch_related("branches")
    }
    conflict_map = conflicts.ConflictMap({a.pk: a.agency_id for a in assessors})

    # Variables: one per allowed pair, then each assessor's free slots, then each entry's slack.
    pair_entry, pair_assessor, pair_cost = [], [], []
    eligible = Counter()  # entry index → unconflicted assessors not yet on it
    need = np.array([max(per_entry - proposal.existing_cover[e.pk], 0) for e in entries])
    for j, assessor in enumerate(assessors):
        branches, region = profiles.get(assessor.pk, (set(), ""))
        base = 0.0 if category.branch_id in branches else EXPERTISE_MISS
        for i, entry in enumerate(entries):
            if (entry.pk, assessor.pk) in existing or conflict_map.find(
                assessor.pk, entry.pk, entry.agency_id
            ):
                continue
            eligible[i] += 1
            if not need[i]:
                continue
            cost = base
            if round == AssessmentRound.SITE_VISIT and region:
                entry_region = _entry_region(entry)
                cost += REGION_MISS if entry_region and entry_region != region else 0.0
            pair_entry.append(i)
            pair_assessor.append(j)
            pair_cost.append(cost)
    slot_assessor, slot_cost = [], []
    for j, assessor in enumerate(assessors):
        for k in range(proposal.existing_load[assessor.pk] + 1, cap + 1):
            slot_assessor.append(j)
            slot_cost.append(k * BALANCE)
    if entries and need.any():
        chosen = _solve(
            need, len(assessors), pair_entry, pair_assessor, pair_cost, slot_assessor, slot_cost
        )
        proposal.pairs = [
            (entries[pair_entry[p]].pk, assessors[pair_assessor[p]].pk)
            for p in np.flatnonzero(chosen)
        ]
    covered = proposal.new_cover
    for i, entry in enumerate(entries):
        missing = int(need[i]) - covered[entry.pk]
        if missing > 0:
            proposal.uncovered.append(Uncovered(entry, missing, _why(eligible[i], need[i], cap)))
    proposal.seconds = time.perf_counter() - started
    return proposal


def _why(eligible: int, need: int, cap: int) -> str:
    if eligible < need:
        return _(
            "มีผู้ตรวจประเมินที่ไม่มีส่วนได้เสียและยังไม่ได้รับผลงานนี้เพียง %(n)d คน (ต้องการอีก %(need)d คน)"
        ) % {"n": eligible, "need": need}
    return _("ผู้ตรวจประเมินที่ไม่มีส่วนได้เสียกับผลงานนี้มีภาระงานเต็ม %(cap)d เรื่องแล้ว") % {"cap": cap}


def _solve(need, n_assessors, pair_entry, pair_assessor, pair_cost, slot_assessor, slot_cost):
    """The flow as a linear programme; returns a 0/1 array over the pairs."""
    n_pairs, n_slots, n_entries = len(pair_cost), len(slot_cost), len(need)
    n = n_pairs + n_slots + n_entries
    cost = np.concatenate([pair_cost, slot_cost, np.full(n_entries, UNCOVERED)])
    pairs = np.arange(n_pairs)
    slots = np.arange(n_slots)
    # Each entry: its pairs + its slack = what it needs.
    entry_rows = csr_array(
        (
            np.ones(n_pairs + n_entries),
            (
                np.concatenate([pair_entry, np.arange(n_entries)]),
                np.concatenate([pairs, n_pairs + n_slots + np.arange(n_entries)]),
            ),
        ),
        shape=(n_entries, n),
    )
    # Each assessor: their pairs − their used slots = 0.
    assessor_rows = csr_array(
        (
            np.concatenate([np.ones(n_pairs), -np.ones(n_slots)]),
            (
                np.concatenate([pair_assessor, slot_assessor]).astype(int),
                np.concatenate([pairs, n_pairs + slots]),
            ),
        ),
        shape=(n_assessors, n),
    )
    upper = np.concatenate([np.ones(n_pairs + n_slots), need])
    # Dual simplex ends on a vertex, and every vertex of a flow polytope is integral: no
    # branch-and-bound needed (measured: 2.3 s here against 6.5 s for milp on 1,000 × 150).
    result = linprog(
        cost,
        A_eq=vstack([entry_rows, assessor_rows]),
        b_eq=np.concatenate([need, np.zeros(n_assessors)]),
        bounds=np.column_stack([np.zeros(n), upper]),
        method="highs-ds",
    )
    if result.x is None or np.abs(result.x - np.rint(result.x)).max() > 1e-6:
        # Cannot happen (the slack keeps it feasible, the matrix keeps vertices integral).
        raise AssessmentError(_("ระบบจัดสรรงานไม่พบคำตอบ: %(why)s") % {"why": result.message})
    return np.rint(result.x[:n_pairs]).astype(bool)


# --- Commit and undo ------------------------------------------------------------------------


@transaction.atomic
def commit(
    proposal_key: uuid.UUID,
    category: Category,
    round: str,
    pairs: list[tuple[int, int]],
    by,
    per_entry: int,
    cap: int,
) -> tuple[AssignmentBatch, list[Assignment], assessment.BulkOutcome]:
    """Make the (possibly adjusted) proposal's assignments through assessment.assign, recorded
    as one batch. Idempotent: committing the same proposal again returns the batch it made
    and no new assignment; a pair already assigned is skipped. Returns the batch, the NEW
    assignments (the hook for telling assessors they were assigned) and what was refused."""
    if not permissions.can_manage_assessment(by):
        raise AssessmentError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เท่านั้นที่ทำรายการนี้ได้"))
    check_settings(per_entry, cap)
    already = AssignmentBatch.objects.select_for_update().filter(proposal=proposal_key).first()
    if already is not None:
        return already, [], assessment.BulkOutcome()
    entries = Entry.objects.filter(category=category).in_bulk([e for e, _a in pairs])
    people = candidate_assessors().in_bulk([a for _e, a in pairs])
    batch = AssignmentBatch(
        proposal=proposal_key, category=category, round=round, per_entry=per_entry, cap=cap,
        committed_by=by,
    )  # fmt: skip
    recorded_by(batch, by).save()
    outcome = assessment.BulkOutcome()
    for entry_id, assessor_id in pairs:
        entry, assessor = entries.get(entry_id), people.get(assessor_id)
        if entry is None or assessor is None:
            outcome.refused.append(((entry_id, assessor_id), _("ไม่พบผลงานหรือผู้ตรวจประเมินนี้")))
            continue
        if Assignment.objects.filter(entry=entry, assessor=assessor, round=round).exists():
            continue
        try:
            with transaction.atomic():
                made = assessment.assign(entry, assessor, round, by)
        except AssessmentError as error:
            outcome.refused.append(((entry, assessor), str(error)))
            continue
        made.batch = batch
        made.save(update_fields=["batch"])
        outcome.done.append(made)
    batch.made = [[a.entry_id, a.assessor_id] for a in outcome.done]
    recorded_by(batch, by).save(update_fields=["made"])
    return batch, outcome.done, outcome


def undo_refusal(batch: AssignmentBatch) -> str | None:
    """Why the batch can no longer be undone (Thai), or None."""
    if batch.undone_at:
        return _("ยกเลิกชุดนี้ไปแล้ว")
    started = Score.objects.filter(sheet__assignment__batch=batch, value__isnull=False).exists()
    submitted = ScoreSheet.objects.filter(
        assignment__batch=batch, state=ScoreSheet.State.SUBMITTED
    ).exists()
    if started or submitted:
        return _("ยกเลิกไม่ได้: ผู้ตรวจประเมินเริ่มให้คะแนนผลงานในชุดนี้แล้ว")
    return None


@transaction.atomic
def undo(batch: AssignmentBatch, by) -> int:
    """Remove a batch's assignments (and their empty sheets) before anyone scored; recorded.
    Entries stay in screening: their state change was recorded and screening has begun."""
    if not permissions.can_manage_assessment(by):
        raise AssessmentError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เท่านั้นที่ทำรายการนี้ได้"))
    batch = AssignmentBatch.objects.select_for_update().get(pk=batch.pk)
    refusal = undo_refusal(batch)
    if refusal:
        raise AssessmentError(refusal)
    assignments = list(Assignment.objects.filter(batch=batch))
    for assignment in assignments:
        sheet = getattr(assignment, "sheet", None)
        if sheet is not None:
            for score in sheet.scores.all():
                recorded_by(score, by).delete()
            recorded_by(sheet, by).delete()
        recorded_by(assignment, by).delete()
    batch.undone_by = by
    batch.undone_at = timezone.now()
    recorded_by(batch, by).save(update_fields=["undone_by", "undone_at"])
    return len(assignments)
