"""Rules of an entry's life: submitting, withdrawing, moving between states.

The web forms, the admin and the API all call these functions, so an entry cannot be
submitted after the deadline (or changed without a trace) whichever door it comes through.
"""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Cycle, Entry, EntryState, EntryStateChange

REFERENCE_PREFIX = "LR"


class SubmissionError(Exception):
    """A rule of the award refused the action; the message is for the user (Thai)."""


# Which state may follow which; anything else is refused.
TRANSITIONS: dict[str, set[str]] = {
    EntryState.DRAFT: {EntryState.SUBMITTED},
    EntryState.SUBMITTED: {EntryState.SCREENING, EntryState.WITHDRAWN, EntryState.DRAFT},
    EntryState.SCREENING: {EntryState.SHORTLISTED, EntryState.NOT_AWARDED, EntryState.DRAFT},
    EntryState.SHORTLISTED: {EntryState.SITE_VISITED, EntryState.NOT_AWARDED},
    EntryState.SITE_VISITED: {EntryState.AWARDED, EntryState.NOT_AWARDED},
    EntryState.AWARDED: set(),
    EntryState.NOT_AWARDED: set(),
    EntryState.WITHDRAWN: set(),
}


def change_state(entry: Entry, to_state: str, by, note: str = "", at=None) -> EntryStateChange:
    """Move an entry to another state and record who did it, when, from and to."""
    if to_state not in TRANSITIONS[entry.state]:
        raise SubmissionError(
            _("ไม่สามารถเปลี่ยนสถานะจาก “%(from)s” เป็น “%(to)s” ได้")
            % {"from": EntryState(entry.state).label, "to": EntryState(to_state).label}
        )
    at = at or timezone.now()
    change = EntryStateChange.objects.create(
        entry=entry,
        from_state=entry.state,
        to_state=to_state,
        changed_by=by,
        changed_at=at,
        note=note,
    )
    entry.state = to_state
    entry.save(update_fields=["state", "updated_at"])
    return change


def allocate_reference(cycle: Cycle) -> str:
    """The next reference number of a cycle, e.g. LR-2568-000123. Called inside the
    submitting transaction, which holds a lock on the cycle row, so two submissions
    never get the same number."""
    prefix = f"{REFERENCE_PREFIX}-{cycle.year_be}-"
    last = (
        Entry.objects.filter(reference__startswith=prefix)
        .aggregate(last=Max("reference"))
        .get("last")
    )
    number = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{number:06d}"


@transaction.atomic
def mark_submitted(entry: Entry, by, at=None) -> Entry:
    """Record the submission of an entry (reference number, time, who) and its state change.

    Only the state change itself: deadline and completeness are checked by the callers'
    rule (`submit`), which is built on top of this."""
    at = at or timezone.now()
    cycle = Cycle.objects.select_for_update().get(pk=entry.category.cycle_id)
    entry = Entry.objects.select_for_update().get(pk=entry.pk)
    if entry.reference is None:
        entry.reference = allocate_reference(cycle)
    entry.submitted_at = at
    entry.submitted_by = by
    entry.save(update_fields=["reference", "submitted_at", "submitted_by", "updated_at"])
    change_state(entry, EntryState.SUBMITTED, by, at=at)
    return entry
