"""Rules of scoring: a sheet's weighted total, completing and submitting a sheet, the ranking
of a category, the chair's consolidation of a site visit, the committee's decision and the
announcement of a cycle's results.

The admin (and any API) calls these functions; nothing here knows about requests or forms.
Every change is saved through the model (django-simple-history keeps who and when; callers
pass `by`, which is recorded even outside a request) or through submission.change_state.
"""

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from . import calibration, conflicts, levels, notices, permissions
from .models import (
    AssessmentRound,
    Assignment,
    Category,
    Criterion,
    Cycle,
    Entry,
    EntryState,
    Result,
    Score,
    ScoreSheet,
    SiteVisit,
)
from .submission import change_state

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# How far apart (in points of 100) two assessors' totals may be before the entry is flagged.
DEFAULT_DISAGREEMENT_MARGIN = Decimal("15")
# Entry states that are still waiting for a decision of the cycle.
# What else happens in the announcing transaction, each hook(cycle) after the results are
# public: cases drafts a model project from every awarded entry (awards may not import cases).
WHEN_ANNOUNCED: list[Callable[[Cycle], None]] = []

UNDECIDED_STATES = (
    EntryState.SUBMITTED,
    EntryState.SCREENING,
    EntryState.SHORTLISTED,
    EntryState.SITE_VISITED,
)
# States from which the committee may still decide "not awarded".
UNDER_ASSESSMENT = (EntryState.SCREENING, EntryState.SHORTLISTED, EntryState.SITE_VISITED)


class ScoringError(Exception):
    """A rule of assessment refused the action; the message is for the user (Thai)."""


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def recorded_by(instance, by):
    """django-simple-history records this user on the next save (also outside a request)."""
    if by is not None:
        instance._history_user = by
    return instance


# --- One sheet ----------------------------------------------------------------------------------


def weighted_total(rows: Iterable[tuple[Decimal | None, Decimal, Decimal]]) -> Decimal | None:
    """The weighted total of a sheet on a scale of 100: Σ(value ÷ maximum × weight) ÷ Σ weight
    × 100, rounded to two decimals. `rows` are (value, weight, maximum); a missing value counts
    as 0. None when there is no criterion at all. THE one computation of a total."""
    points = Decimal(0)
    weights = Decimal(0)
    for value, weight, maximum in rows:
        weights += weight
        if value is not None:
            points += Decimal(value) / maximum * weight
    if not weights:
        return None
    return _q(points / weights * HUNDRED)


def sheet_total(sheet: ScoreSheet) -> Decimal | None:
    """A sheet's weighted total (uses prefetched `scores__criterion` when there)."""
    return weighted_total(
        (score.value, score.criterion.weight, score.criterion.max_score)
        for score in sheet.scores.all()
    )


def rubric(category: Category, round: str) -> QuerySet[Criterion]:
    return Criterion.objects.filter(category=category, round=round).order_by("order")


def check_score(criterion: Criterion, value: Decimal | None) -> None:
    """0 ≤ value ≤ the criterion's maximum (the database refuses the rest too)."""
    if value is None:
        return
    if value < 0 or value > criterion.max_score:
        raise ScoringError(
            _("คะแนนต้องอยู่ระหว่าง 0 ถึง %(max)s")
            % {"max": format(criterion.max_score.normalize(), "f")}
        )


@transaction.atomic
def open_sheet(assignment: Assignment, by=None) -> ScoreSheet:
    """The assignment's score sheet, with one (empty) row per criterion of the round's rubric;
    rows for criteria added to the rubric later are added here too."""
    sheet, created = ScoreSheet.objects.get_or_create(assignment=assignment)
    have = set(sheet.scores.values_list("criterion_id", flat=True))
    missing = [
        Score(sheet=sheet, criterion=criterion)
        for criterion in rubric(assignment.entry.category, assignment.round)
        if criterion.pk not in have
    ]
    if missing and sheet.state == ScoreSheet.State.DRAFT:
        bulk_create_with_history(missing, Score, default_user=by)
    return sheet


def missing_criteria(sheet: ScoreSheet) -> list[Criterion]:
    """Criteria of the rubric that the sheet has not scored yet (value and comment)."""
    done = {
        score.criterion_id
        for score in sheet.scores.all()
        if score.value is not None and score.comment.strip()
    }
    assignment = sheet.assignment
    return [c for c in rubric(assignment.entry.category, assignment.round) if c.pk not in done]


@transaction.atomic
def submit_sheet(sheet: ScoreSheet, by) -> ScoreSheet:
    """Submit a complete sheet: every criterion scored with a comment. Refused otherwise,
    and refused to anyone but the sheet's own (unconflicted) assessor."""
    sheet = (
        ScoreSheet.objects.select_for_update()
        .select_related("assignment__entry__category")
        .get(pk=sheet.pk)
    )
    if sheet.state == ScoreSheet.State.SUBMITTED:
        raise ScoringError(_("แบบให้คะแนนนี้ส่งแล้ว"))
    if not permissions.can_score(by, sheet):
        raise ScoringError(_("คุณไม่มีสิทธิ์ให้คะแนนผลงานนี้"))
    missing = missing_criteria(sheet)
    if missing:
        raise ScoringError(
            _("ยังส่งไม่ได้: ให้คะแนนและความเห็นไม่ครบ %(count)d เกณฑ์ (%(names)s)")
            % {"count": len(missing), "names": ", ".join(str(c) for c in missing)}
        )
    sheet.state = ScoreSheet.State.SUBMITTED
    sheet.submitted_at = timezone.now()
    recorded_by(sheet, by).save(update_fields=["state", "submitted_at"])
    return sheet


# --- Ranking ------------------------------------------------------------------------------------


def disagreement_margin(margin=None) -> Decimal:
    if margin in (None, ""):
        margin = getattr(settings, "ASSESSMENT_DISAGREEMENT_MARGIN", DEFAULT_DISAGREEMENT_MARGIN)
    return Decimal(str(margin))


@dataclass
class RankingRow:
    entry: Entry
    totals: list[Decimal] = field(default_factory=list)  # one per submitted sheet
    mean: Decimal | None = None
    median: Decimal | None = None
    spread: Decimal | None = None  # highest minus lowest total
    disagreement: bool = False
    rank: int | None = None
    criterion_means: dict[int, Decimal] = field(default_factory=dict)  # criterion id → mean
    # The mean corrected for each assessor's severity (awards/calibration.py), and its rank.
    calibrated: Decimal | None = None
    calibrated_rank: int | None = None

    @property
    def sheets(self) -> int:
        return len(self.totals)


def counted_scores(round: str, **scope) -> QuerySet[Score]:
    """Scores that count: on submitted sheets of the round (within `scope`, filters on
    ScoreSheet such as assignment__entry__category=…), and not by an assessor who is (since)
    conflicted with the entry — a conflict declared late, or an agency moved in the tree."""
    sheets = ScoreSheet.objects.filter(
        state=ScoreSheet.State.SUBMITTED, assignment__round=round, **scope
    )
    rows = list(
        sheets.values_list(
            "pk",
            "assignment__assessor_id",
            "assignment__assessor__agency_id",
            "assignment__entry_id",
            "assignment__entry__agency_id",
        )
    )
    # The tree is read once (ids only), so a ranking takes a fixed number of queries.
    conflict_map = conflicts.ConflictMap({row[1]: row[2] for row in rows})
    conflicted = [
        sheet_id
        for sheet_id, assessor_id, _agency_id, entry_id, entry_agency_id in rows
        if conflict_map.find(assessor_id, entry_id, entry_agency_id)
    ]
    return Score.objects.filter(sheet__in=sheets).exclude(sheet_id__in=conflicted)


def ranking(
    category: Category, round: str = AssessmentRound.SCREENING, margin=None
) -> list[RankingRow]:
    """Every entry of a category that was submitted, ranked by the mean of its assessors'
    weighted totals (ties share a rank, entries without a submitted sheet come last, unranked),
    with the median, the number of sheets and the spread; entries whose spread is above the
    margin are flagged as a disagreement."""
    margin = disagreement_margin(margin)
    entries = (
        Entry.objects.filter(category=category)
        .exclude(state__in=[EntryState.DRAFT, EntryState.WITHDRAWN])
        .select_related("agency")
        .order_by("reference")
    )
    rows = {entry.pk: RankingRow(entry=entry) for entry in entries}
    sheets: dict[tuple[int, int, int], list] = defaultdict(list)
    per_criterion: dict[tuple[int, int], list[Decimal]] = defaultdict(list)
    scores = counted_scores(round, assignment__entry__category=category)
    for entry_id, sheet_id, assessor_id, criterion_id, value, weight, maximum in scores.values_list(
        "sheet__assignment__entry_id",
        "sheet_id",
        "sheet__assignment__assessor_id",
        "criterion_id",
        "value",
        "criterion__weight",
        "criterion__max_score",
    ):
        sheets[(entry_id, sheet_id, assessor_id)].append((value, weight, maximum))
        if value is not None:
            per_criterion[(entry_id, criterion_id)].append(Decimal(value))
    calibration_input = []
    for (entry_id, _sheet_id, assessor_id), score_rows in sorted(sheets.items()):
        if entry_id in rows:
            total = weighted_total(score_rows)
            rows[entry_id].totals.append(total)
            calibration_input.append((entry_id, assessor_id, total))
    for entry_id, calibrated_score in calibration.calibrate(calibration_input).items():
        rows[entry_id].calibrated = calibrated_score
    _rank(sorted((r for r in rows.values() if r.calibrated is not None),
                 key=lambda r: -r.calibrated), "calibrated", "calibrated_rank")  # fmt: skip
    for (entry_id, criterion_id), values in per_criterion.items():
        if entry_id in rows:
            rows[entry_id].criterion_means[criterion_id] = _q(sum(values) / len(values))
    for row in rows.values():
        if row.totals:
            row.mean = _q(sum(row.totals) / len(row.totals))
            row.median = _q(Decimal(statistics.median(row.totals)))
            row.spread = max(row.totals) - min(row.totals)
            row.disagreement = row.spread > margin
    ranked = sorted(
        rows.values(),
        key=lambda r: (r.mean is None, -(r.mean or 0), r.entry.reference or ""),
    )
    _rank(ranked, "mean", "rank")
    return ranked


def _rank(rows: list[RankingRow], score: str, rank_field: str) -> None:
    """Ranks 1, 2, 2, 4… down rows sorted best first; rows without the score are unranked."""
    previous, rank = None, 0
    for position, row in enumerate(rows, start=1):
        value = getattr(row, score)
        if value is None:
            break
        if value != previous:
            rank, previous = position, value
        setattr(row, rank_field, rank)


def entry_mean(entry: Entry, round: str) -> Decimal | None:
    """The mean weighted total of an entry's counted sheets in a round."""
    sheets: dict[int, list] = defaultdict(list)
    for sheet_id, value, weight, maximum in counted_scores(
        round, assignment__entry=entry
    ).values_list("sheet_id", "value", "criterion__weight", "criterion__max_score"):
        sheets[sheet_id].append((value, weight, maximum))
    totals = [weighted_total(rows) for rows in sheets.values()]
    return _q(sum(totals) / len(totals)) if totals else None


# --- Site visit, decision, announcement ----------------------------------------------------------


def panel_sheets(visit: SiteVisit) -> QuerySet[ScoreSheet]:
    """The site-visit sheets of the visit's panel on its entry."""
    return (
        ScoreSheet.objects.filter(
            assignment__entry_id=visit.entry_id,
            assignment__round=AssessmentRound.SITE_VISIT,
            assignment__panel_id=visit.panel_id,
        )
        .select_related("assignment__assessor")
        .prefetch_related("scores__criterion")
        .order_by("assignment__assessor__username")
    )


def suggested_site_visit_score(visit: SiteVisit) -> Decimal | None:
    """The mean of the panel's submitted site-visit sheets: the chair's starting point."""
    totals = [
        sheet_total(sheet)
        for sheet in panel_sheets(visit)
        if sheet.state == ScoreSheet.State.SUBMITTED
    ]
    return _q(sum(totals) / len(totals)) if totals else None


def consolidation_errors(
    visit: SiteVisit, score, justification: str, proposed_level: str
) -> dict[str, str]:
    """What is wrong with a consolidation, by field (empty when nothing is). The proposed
    level is one of the entry's cycle and branch."""
    errors = {}
    if score is None or not (0 <= Decimal(score) <= HUNDRED):
        errors["consolidated_score"] = _("คะแนนสรุปต้องอยู่ระหว่าง 0 ถึง 100")
    if not (justification or "").strip():
        errors["justification"] = _("กรุณาระบุเหตุผลประกอบการสรุปผล")
    try:
        levels.level_for(visit.entry, proposed_level)
    except levels.LevelError as error:
        errors["proposed_level"] = str(error)
    return errors


@transaction.atomic
def consolidate_site_visit(
    visit: SiteVisit, by, score: Decimal | None, justification: str, proposed_level: str
) -> SiteVisit:
    """The chair's consolidated result of a site visit: the panel's final score (0–100), a
    justification and a proposed award level. Moves the entry to "site visited"."""
    visit = SiteVisit.objects.select_for_update().select_related("panel", "entry").get(pk=visit.pk)
    if not permissions.can_consolidate(by, visit):
        raise ScoringError(_("เฉพาะประธานคณะผู้ตรวจประเมินของการลงพื้นที่นี้เท่านั้นที่สรุปผลได้"))
    errors = consolidation_errors(visit, score, justification, proposed_level)
    if errors:
        raise ScoringError(" ".join(errors.values()))
    visit.consolidated_score = _q(Decimal(score))
    visit.justification = justification.strip()
    visit.proposed_level = proposed_level
    visit.consolidated_by = by
    visit.consolidated_at = timezone.now()
    recorded_by(visit, by).save()
    if visit.entry.state == EntryState.SHORTLISTED:
        change_state(visit.entry, EntryState.SITE_VISITED, by, note=_("ประธานคณะสรุปผลการลงพื้นที่"))
    return visit


def check_decision(entry: Entry, level: str, by) -> None:
    """Raise ScoringError (Thai) unless `by` may record this decision on the entry now."""
    if not permissions.can_manage_assessment(by):
        raise ScoringError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เท่านั้นที่บันทึกผลการตัดสินได้"))
    if entry.category.cycle.results_published_at:
        raise ScoringError(_("ประกาศผลของปีรางวัลนี้แล้ว ไม่สามารถบันทึกผลเพิ่มได้"))
    if Result.objects.filter(entry=entry).exists():
        raise ScoringError(_("บันทึกผลการตัดสินของผลงานนี้แล้ว"))
    try:
        awarded = levels.level_for(entry, level).is_award
    except levels.LevelError as error:
        raise ScoringError(str(error)) from error
    if awarded and entry.state != EntryState.SITE_VISITED:
        raise ScoringError(_("ให้รางวัลได้เฉพาะผลงานที่ลงพื้นที่ตรวจประเมินแล้ว"))
    if not awarded and entry.state not in UNDER_ASSESSMENT:
        raise ScoringError(_("ผลงานนี้ยังไม่อยู่ในขั้นตอนการประเมิน"))


@transaction.atomic
def record_decision(entry: Entry, level: str, by, remarks: str = "") -> Result:
    """The committee's decision on an entry, recorded by staff: an award level after a site
    visit, or "not awarded" at any point of the assessment. Once per entry."""
    entry = Entry.objects.select_for_update().select_related("category__cycle").get(pk=entry.pk)
    check_decision(entry, level, by)
    decided = levels.level_for(entry, level)
    visit = (
        SiteVisit.objects.filter(entry=entry, consolidated_at__isnull=False)
        .order_by("-consolidated_at")
        .first()
    )
    result = Result(
        entry=entry,
        award_level=level,
        screening_score=entry_mean(entry, AssessmentRound.SCREENING),
        site_visit_score=visit.consolidated_score if visit else None,
        remarks=remarks,
        decided_by=by,
    )
    recorded_by(result, by).save()
    change_state(
        entry,
        EntryState.AWARDED if decided.is_award else EntryState.NOT_AWARDED,
        by,
        note=_("มติคณะกรรมการ: %(level)s") % {"level": decided.name_th},
    )
    return result


@transaction.atomic
def announce_results(cycle: Cycle, by) -> Cycle:
    """Publish a cycle's results, once every submitted entry has been decided."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not permissions.can_manage_assessment(by):
        raise ScoringError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เท่านั้นที่ประกาศผลได้"))
    if cycle.results_published_at:
        raise ScoringError(_("ประกาศผลของปีรางวัลนี้แล้ว"))
    pending = Entry.objects.filter(category__cycle=cycle, state__in=UNDECIDED_STATES).count()
    if pending:
        raise ScoringError(
            _("ยังประกาศผลไม่ได้: มีผลงาน %(count)d รายการที่ยังไม่มีผลการตัดสิน") % {"count": pending}
        )
    cycle.results_published_at = timezone.now()
    recorded_by(cycle, by).save(update_fields=["results_published_at"])
    notices.results_announced(cycle)
    for hook in WHEN_ANNOUNCED:
        hook(cycle)
    return cycle
