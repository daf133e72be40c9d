"""The parts of the public lists that outlive a publish (issue 20).

A publish starts a new index generation, so every list is rendered again — but most of what a
list shows has not changed: the cards of the other case studies and, until the counts change,
the facet panel. Rendering those was most of a cold list page (1,300 template nodes: 30 ms on
this machine's cores). Each is cached by what it shows:

- a result card's head (title, agency, year, branch, provinces, award) by its case study's own
  generation (cases/search/caching.py: an edit of the case, of what hangs on it, or a renamed
  agency or province), fetched for a whole page in one round trip to the cache;
- the facet panel by its content (every value, count and choice, the names generation and the
  language): the same counts after a publish are the same panel.
"""

import hashlib
import json

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from . import search

CARD_TEMPLATES = {
    "case": "cases/_case_card_head.html",
    "lesson": "cases/_lesson_card_head.html",
}


def for_page(listing, kind: str):
    """The listing as a page shows it: its facet panel's `panel_key`, and each of its results
    given `card_head`, its card's head as HTML, rendered only for the cards whose case study
    changed since they were cached (`kind`: "case" or "lesson")."""
    listing.panel_key = _facet_panel_key(listing)
    objects = [obj for obj, _snippet in listing.results]
    case_of = (lambda obj: obj.pk) if kind == "case" else (lambda obj: obj.case_study_id)
    generations = search.case_generations({case_of(obj) for obj in objects})
    language = get_language()
    keys = {obj: f"cases:card:{kind}:{obj.pk}:{generations[case_of(obj)]}:{language}"
            for obj in objects}  # fmt: skip
    found = cache.get_many(list(keys.values()))
    missing = [obj for obj in objects if keys[obj] not in found]
    fresh = {keys[obj]: render_to_string(CARD_TEMPLATES[kind], {kind: obj}) for obj in missing}
    if fresh:
        cache.set_many(fresh, search.CASE_PAGE_SECONDS)
    for obj in objects:
        # Our own template's output, as the page would have rendered it.
        obj.card_head = mark_safe(found.get(keys[obj]) or fresh[keys[obj]])
    return listing


def _facet_panel_key(listing) -> str:
    """What the facet panel shows, as a key: its values, counts and choices, the sort order
    offered, and how things are named. Lazy labels are named in the page's language (a part of
    the `{% cache %}` key beside this)."""
    shown = [
        (facet["param"], facet["lower_bound"],
         [(v["value"], v["count"], v["selected"]) for v in facet["values"]])
        for facet in listing.facets
    ]  # fmt: skip
    parts = [search.names_generation(), listing.sort, bool(listing.query), shown]
    raw = json.dumps(parts, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()
