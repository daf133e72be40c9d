"""Rules of organising the assessment: assignments (one by one, in bulk, to a panel),
conflict-of-interest declarations and checks, starting the screening, shortlisting, and
scheduling site visits.

A conflicted assessor is never assigned: checked here with a Thai message, and refused by the
database as well (migration 0004). Every state change goes through submission.change_state,
so who and when is recorded; every other change is kept by django-simple-history.
"""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from . import conflicts, notices, permissions, scoring
from .models import (
    AssessmentRound,
    Assignment,
    ConflictDeclaration,
    Cycle,
    Entry,
    EntryState,
    Panel,
    ScoreSheet,
    SiteVisit,
)
from .scoring import recorded_by
from .submission import SubmissionError, change_state, screening_start_refusal

# Entry states in which an assessor can be assigned, per round.
ASSIGNABLE_STATES = {
    AssessmentRound.SCREENING: (EntryState.SUBMITTED, EntryState.SCREENING),
    AssessmentRound.SITE_VISIT: (EntryState.SHORTLISTED, EntryState.SITE_VISITED),
}


class AssessmentError(Exception):
    """A rule of assessment refused the action; the message is for the user (Thai)."""


@dataclass
class BulkOutcome:
    """What a bulk action did, and what it refused with the reason."""

    done: list = field(default_factory=list)
    refused: list[tuple[object, str]] = field(default_factory=list)


def _require_staff(by):
    if not permissions.can_manage_assessment(by):
        raise AssessmentError(_("เฉพาะเจ้าหน้าที่ สำนักงาน ก.พ.ร. เท่านั้นที่ทำรายการนี้ได้"))


# --- Conflicts ----------------------------------------------------------------------------------


def conflict_reason(assessor, entry: Entry) -> str | None:
    """Why an assessor may not assess an entry (Thai), or None if they may: their agency, its
    ancestors and descendants, declared agencies with what is under them, declared entries."""
    return conflicts.conflict_reason(assessor, entry)


def check_declaration(assessor, by, reason: str, agency=None, entry=None) -> None:
    """Raise AssessmentError (Thai) unless the declaration can be made."""
    if not (by.pk == assessor.pk or permissions.can_manage_assessment(by)):
        raise AssessmentError(_("แจ้งส่วนได้เสียได้เฉพาะของตนเอง"))
    if not permissions.is_assessor(assessor):
        raise AssessmentError(_("ผู้ใช้นี้ไม่ใช่ผู้ตรวจประเมิน"))
    if (agency is None) == (entry is None):
        raise AssessmentError(_("กรุณาระบุหน่วยงานหรือผลงานอย่างใดอย่างหนึ่ง"))
    if not (reason or "").strip():
        raise AssessmentError(_("กรุณาระบุเหตุผลของส่วนได้เสีย"))


@transaction.atomic
def declare_conflict(assessor, by, reason: str, agency=None, entry=None) -> ConflictDeclaration:
    """An assessor (or staff on their behalf) declares a conflict with an agency or an entry.
    Their sheets on the entries concerned stop counting and can no longer be scored."""
    check_declaration(assessor, by, reason, agency=agency, entry=entry)
    existing = ConflictDeclaration.objects.filter(assessor=assessor, agency=agency, entry=entry)
    if existing.exists():
        return existing.first()
    declaration = ConflictDeclaration(
        assessor=assessor, agency=agency, entry=entry, reason=reason.strip()
    )
    recorded_by(declaration, by).save()
    return declaration


# --- Assignments --------------------------------------------------------------------------------


def check_assignable(entry: Entry, assessor, round: str, panel: Panel | None = None) -> None:
    """Raise AssessmentError (Thai) unless the assessor may be assigned the entry."""
    if not permissions.is_assessor(assessor):
        raise AssessmentError(_("“%(user)s” ไม่ใช่ผู้ตรวจประเมิน") % {"user": assessor})
    reason = conflict_reason(assessor, entry)
    if reason:
        raise AssessmentError(
            _("มอบหมาย %(user)s ไม่ได้: %(reason)s") % {"user": assessor, "reason": reason}
        )
    if entry.state not in ASSIGNABLE_STATES[round]:
        raise AssessmentError(
            _("ผลงานสถานะ “%(state)s” มอบหมายในรอบ “%(round)s” ไม่ได้")
            % {"state": EntryState(entry.state).label, "round": AssessmentRound(round).label}
        )
    if panel is not None and panel.cycle_id != entry.category.cycle_id:
        raise AssessmentError(_("คณะผู้ตรวจประเมินต้องอยู่ในปีรางวัลเดียวกับผลงาน"))
    if Assignment.objects.filter(entry=entry, assessor=assessor, round=round).exists():
        raise AssessmentError(_("%(user)s ได้รับมอบหมายผลงานนี้ในรอบนี้แล้ว") % {"user": assessor})


@transaction.atomic
def assign(entry: Entry, assessor, round: str, by, panel: Panel | None = None) -> Assignment:
    """Assign one assessor to one entry for a round, open their score sheet and tell them.
    Assigning a submitted entry for screening starts its screening (recorded) only from the
    screening date the agency was told: before it the entry stays withdrawable."""
    _require_staff(by)
    entry = Entry.objects.select_for_update().select_related("category").get(pk=entry.pk)
    check_assignable(entry, assessor, round, panel)
    assignment = Assignment(
        entry=entry, assessor=assessor, round=round, panel=panel, assigned_by=by
    )
    try:
        with transaction.atomic():
            recorded_by(assignment, by).save()
    except IntegrityError as error:  # the database's own conflict check, raced
        raise AssessmentError(_("มอบหมายไม่ได้: ผู้ตรวจประเมินมีส่วนได้เสียกับผลงานนี้")) from error
    scoring.open_sheet(assignment, by=by)
    notices.assessor_assigned(assignment)
    if (
        entry.state == EntryState.SUBMITTED
        and round == AssessmentRound.SCREENING
        and screening_start_refusal(entry) is None
    ):
        change_state(entry, EntryState.SCREENING, by, note=_("มอบหมายผู้ตรวจประเมิน"))
    return assignment


def assign_many(entries, assessors, round: str, by, panel: Panel | None = None) -> BulkOutcome:
    """Every assessor to every entry; what a rule refuses is reported, the rest is done."""
    _require_staff(by)
    outcome = BulkOutcome()
    for entry in entries:
        for assessor in assessors:
            try:
                outcome.done.append(assign(entry, assessor, round, by, panel=panel))
            except AssessmentError as error:
                outcome.refused.append(((entry, assessor), str(error)))
    return outcome


def panel_assessors(panel: Panel) -> list:
    """The chair and the members of a panel, each once."""
    people = {panel.chair_id: panel.chair}
    for member in panel.members.all():
        people.setdefault(member.pk, member)
    return list(people.values())


def assign_to_panel(entries, panel: Panel, round: str, by) -> BulkOutcome:
    """Assign entries to every member (and the chair) of a panel; conflicted members are
    skipped and reported."""
    return assign_many(entries, panel_assessors(panel), round, by, panel=panel)


def assessor_load(cycle: Cycle) -> QuerySet:
    """Per assessor and round: assignments, submitted sheets (one query)."""
    return (
        Assignment.objects.filter(entry__category__cycle=cycle)
        .values("assessor_id", "assessor__username", "assessor__first_name",
                "assessor__last_name", "round")
        .annotate(
            assigned=Count("pk"),
            submitted=Count("pk", filter=Q(sheet__state=ScoreSheet.State.SUBMITTED)),
        )
        .order_by("assessor__username", "round")
    )  # fmt: skip


# --- Screening and shortlist --------------------------------------------------------------------


def _bulk_change(entries, to_state: str, by, note: str, told=None) -> BulkOutcome:
    _require_staff(by)
    outcome = BulkOutcome()
    for entry in entries:
        try:
            with transaction.atomic():
                change_state(entry, to_state, by, note=note)
                if told is not None:
                    told(entry)
            outcome.done.append(entry)
        except SubmissionError as error:
            outcome.refused.append((entry, str(error)))
    return outcome


def start_screening(entries, by) -> BulkOutcome:
    """Submitted entries enter document screening (no longer withdrawable); not before the
    screening date the agency was told (refused with the date)."""
    return _bulk_change(entries, EntryState.SCREENING, by, _("เริ่มกลั่นกรองเอกสาร"))


def shortlist(entries, by, note: str = "") -> BulkOutcome:
    """Entries in screening go through to the site visit; each decision is recorded."""
    return _bulk_change(
        entries,
        EntryState.SHORTLISTED,
        by,
        note or _("ผ่านการกลั่นกรอง เข้ารอบลงพื้นที่"),
        told=notices.entry_shortlisted,
    )


# --- Site visits --------------------------------------------------------------------------------


def check_site_visit(entry: Entry, panel: Panel, by, place: str = "", is_online=False) -> None:
    """Raise AssessmentError (Thai) unless the visit can be scheduled."""
    _require_staff(by)
    if entry.state != EntryState.SHORTLISTED:
        raise AssessmentError(_("นัดลงพื้นที่ได้เฉพาะผลงานที่ผ่านเข้ารอบลงพื้นที่"))
    if panel.cycle_id != entry.category.cycle_id:
        raise AssessmentError(_("คณะผู้ตรวจประเมินต้องอยู่ในปีรางวัลเดียวกับผลงาน"))
    if conflict_reason(panel.chair, entry):
        raise AssessmentError(_("ประธานคณะนี้มีส่วนได้เสียกับผลงาน กรุณาเลือกคณะอื่น"))
    if not is_online and not (place or "").strip():
        raise AssessmentError(_("กรุณาระบุสถานที่ หรือเลือกตรวจประเมินออนไลน์"))


@transaction.atomic
def schedule_site_visit(
    entry: Entry, panel: Panel, scheduled_at, by, place: str = "", is_online: bool = False,
    notes: str = "", online_url: str = "",
) -> tuple[SiteVisit, BulkOutcome]:  # fmt: skip
    """Schedule a panel's visit (on site or online) to a shortlisted entry and assign the
    panel's members for the site-visit round (conflicted members are skipped)."""
    check_site_visit(entry, panel, by, place, is_online)
    visit = SiteVisit(
        entry=entry, panel=panel, scheduled_at=scheduled_at, place=(place or "").strip(),
        is_online=is_online, notes=notes, online_url=(online_url or "").strip(),
    )  # fmt: skip
    recorded_by(visit, by).save()
    already = set(
        Assignment.objects.filter(entry=entry, round=AssessmentRound.SITE_VISIT).values_list(
            "assessor_id", flat=True
        )
    )
    members = [person for person in panel_assessors(panel) if person.pk not in already]
    outcome = assign_many([entry], members, AssessmentRound.SITE_VISIT, by, panel=panel)
    return visit, outcome
