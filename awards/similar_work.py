"""Similar past work beside an entry: for the official writing it (so the agency sees what
exists) and for the assessor scoring it (to spot a resubmission). Two kinds: published model
projects, which anyone may see, and entries of earlier cycles, which only some may see
(permissions.past_entries_visible_to decides who sees which). The knowledge is found through
cases' Thai search index, which awards may not import: cases registers providers here and the
entry's task list and the score sheet render what they return."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse

from . import levels, permissions
from .models import Entry

LIMIT = 5  # items shown of each kind: a glance, not a search page


@dataclass(frozen=True)
class SimilarWork:
    title: str
    url: str  # "" where the viewer may not open it
    agency: str
    year_be: int
    award_level: str = ""  # a model project's award; a past entry's outcome once decided
    reference: str = ""  # a past entry's reference number
    is_past_entry: bool = False


@dataclass(frozen=True)
class Found:
    cases: list[SimilarWork] = field(default_factory=list)
    past_entries: list[SimilarWork] = field(default_factory=list)


# Each provider(entry, viewer, limit) gives at most `limit` items, most similar first, never
# the entry's own work, and only what `viewer` (the user looking) may see.
PROVIDERS: list[Callable[[Entry, object, int], list[SimilarWork]]] = []


def similar_to(entry: Entry, viewer, limit: int = LIMIT) -> Found:
    found = [item for provider in PROVIDERS for item in provider(entry, viewer, limit)]
    return Found(
        cases=[item for item in found if not item.is_past_entry][:limit],
        past_entries=[item for item in found if item.is_past_entry][:limit],
    )


def past_entry(entry: Entry, viewer) -> SimilarWork:
    """An earlier entry as `viewer` is shown it (one of permissions.past_entries_visible_to;
    select_related agency, category__cycle, category__branch and result): its cycle's year,
    agency and, once decided, the award level or not awarded. Linked where the viewer may read
    it — staff in the admin, an official on their agency's entry page; an assessor is not
    assigned to it: its reference is what they quote to the secretariat."""
    category = entry.category
    result = getattr(entry, "result", None)
    outcome = ""
    if result is not None:
        outcome = levels.label(result.award_level, category.cycle.year_be, category.branch.code)
    url = ""
    if permissions.is_secretariat(viewer):
        url = reverse("admin:awards_entry_change", args=[entry.pk])
    elif permissions.can_start_entry(viewer) and viewer.agency_id == entry.agency_id:
        url = reverse("awards:entry", kwargs={"public_id": entry.public_id})
    return SimilarWork(
        title=entry.title,
        url=url,
        agency=entry.agency.display_name,
        year_be=category.cycle.year_be,
        award_level=outcome,
        reference=entry.reference or "",
        is_past_entry=True,
    )
