"""Similar past work beside an entry: for the official writing it (so the agency sees what
exists) and for the assessor scoring it (to spot a resubmission). The knowledge lives in
cases (published model projects, its Thai search index), which awards may not import: cases
registers a provider here and the entry pages and the score sheet render what it returns."""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Entry

LIMIT = 5  # items shown: a glance, not a search page


@dataclass(frozen=True)
class SimilarWork:
    title: str
    url: str
    agency: str
    year_be: int
    award_level: str = ""


# Each provider(entry, limit) gives at most `limit` items, most similar first, only public
# ones and never the entry's own work.
PROVIDERS: list[Callable[[Entry, int], list[SimilarWork]]] = []


def similar_to(entry: Entry, limit: int = LIMIT) -> list[SimilarWork]:
    found = []
    for provider in PROVIDERS:
        found += provider(entry, limit)
    return found[:limit]
