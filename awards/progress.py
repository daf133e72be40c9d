"""Due dates and progress of the assessment: when a round's sheets are due, an assessor's own
work (sheets to do, drafts, submitted, visits coming), and the secretariat's view of who is
behind, per assessor and category.

A due date is set per cycle and round (RoundDueDate without a category) and may be set per
category, which then wins. A sheet is late when it is not submitted and its due date has
passed (dates are Bangkok dates: the day ends at midnight in Thailand).
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone

from . import permissions
from .models import AssessmentRound, Assignment, Cycle, RoundDueDate, Score, ScoreSheet, SiteVisit


class DueDates:
    """The due dates of the cycles in question, read once: (cycle, category, round) → date."""

    def __init__(self, cycle_ids):
        self._dates = {
            (row.cycle_id, row.category_id, row.round): row.due_on
            for row in RoundDueDate.objects.filter(cycle_id__in=set(cycle_ids))
        }

    def of(self, cycle_id: int, category_id: int, round: str) -> datetime.date | None:
        return self._dates.get((cycle_id, category_id, round)) or self._dates.get(
            (cycle_id, None, round)
        )


def today() -> datetime.date:
    return timezone.localdate()


@dataclass
class WorkItem:
    """One of an assessor's sheets, as their work page lists it."""

    sheet: ScoreSheet
    due_on: datetime.date | None
    started: bool

    @property
    def late(self) -> bool:
        return (
            self.sheet.state == ScoreSheet.State.DRAFT
            and self.due_on is not None
            and self.due_on < today()
        )


@dataclass
class MyWork:
    to_do: list[WorkItem] = field(default_factory=list)  # not a score yet
    drafts: list[WorkItem] = field(default_factory=list)  # begun, not submitted
    submitted: list[WorkItem] = field(default_factory=list)
    visits: list[SiteVisit] = field(default_factory=list)  # coming, of their panels

    @property
    def late(self) -> int:
        return sum(1 for item in self.to_do + self.drafts if item.late)


def my_work(user) -> MyWork:
    """An assessor's own work (what permissions let them see), soonest due first."""
    started = Score.objects.filter(sheet_id=OuterRef("pk"), value__isnull=False)
    sheets = (
        permissions.sheets_visible_to(user)
        .filter(assignment__assessor=user)
        .exclude(assignment__entry__category__cycle__results_published_at__isnull=False)
        .select_related("assignment__entry__category__cycle", "assignment__entry__agency")
        .annotate(started=Exists(started))
    )
    sheets = list(sheets)
    dates = DueDates(s.assignment.entry.category.cycle_id for s in sheets)
    work = MyWork()
    for sheet in sheets:
        entry = sheet.assignment.entry
        item = WorkItem(
            sheet,
            dates.of(entry.category.cycle_id, entry.category_id, sheet.assignment.round),
            sheet.started,
        )
        if sheet.state == ScoreSheet.State.SUBMITTED:
            work.submitted.append(item)
        elif sheet.started:
            work.drafts.append(item)
        else:
            work.to_do.append(item)
    for items in (work.to_do, work.drafts):
        items.sort(key=_soonest)
    work.submitted.sort(key=lambda item: item.sheet.submitted_at, reverse=True)
    work.visits = list(
        permissions.site_visits_visible_to(user)
        .filter(scheduled_at__gte=timezone.now() - datetime.timedelta(hours=12))
        .select_related("entry__agency", "panel")
        .order_by("scheduled_at")
    )
    return work


def _soonest(item: WorkItem):
    return (item.due_on or datetime.date.max, item.sheet.assignment.entry.reference or "")


@dataclass
class ProgressRow:
    assessor: object
    category: object
    round: str
    assigned: int = 0
    submitted: int = 0
    due_on: datetime.date | None = None

    @property
    def outstanding(self) -> int:
        return self.assigned - self.submitted

    @property
    def late(self) -> bool:
        return bool(self.outstanding and self.due_on and self.due_on < today())

    @property
    def round_label(self) -> str:
        return AssessmentRound(self.round).label


def progress(cycle: Cycle) -> list[ProgressRow]:
    """Per assessor, category and round of a cycle: assigned, submitted, due date, late —
    the late ones first (one query for the counts, one for the dates)."""
    rows: dict[tuple, ProgressRow] = {}
    assignments = (
        Assignment.objects.filter(entry__category__cycle=cycle)
        .select_related("assessor", "entry__category")
        .annotate(
            done=ExpressionWrapper(
                Q(sheet__state=ScoreSheet.State.SUBMITTED), output_field=BooleanField()
            )
        )
    )
    for assignment in assignments:
        key = (assignment.assessor_id, assignment.entry.category_id, assignment.round)
        if key not in rows:
            rows[key] = ProgressRow(
                assignment.assessor, assignment.entry.category, assignment.round
            )
        rows[key].assigned += 1
        rows[key].submitted += int(bool(assignment.done))
    dates = DueDates([cycle.pk])
    for (_assessor, category_id, round_), row in rows.items():
        row.due_on = dates.of(cycle.pk, category_id, round_)
    return sorted(
        rows.values(),
        key=lambda r: (not r.late, -r.outstanding, r.assessor.username, r.category.pk),
    )
