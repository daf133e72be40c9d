"""The parts of the public lists that outlive a publish (issue 20).

A publish starts a new index generation, so every list is worked out again — but most of what a
list shows has not changed: the cards of the other case studies and, until the counts change,
the facet panel. Rendering those was most of a cold list page (1,300 template nodes), and
reading the cards' rows most of the rest. Each is cached by what it shows:

- a result card (title, agency, year, branch, provinces, award, the start of its summary) by
  its case study's own generation (cases/caching.py: an edit of the case, of what hangs
  on it, or a renamed agency or province), a whole page's in one round trip to the cache; a
  list with nothing searched whose cards are all cached reads no row but the page's ids;
- the facet panel by its content (every value, count and choice, the names generation and the
  language): the same counts after a publish are the same panel.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from . import listing, search
from .models import Lesson

EXCERPT_CHARS = 200  # a card's text when nothing is searched: the start of its summary


@dataclass(frozen=True)
class Card:
    head: SafeString  # title and details, as HTML
    text: str  # the snippet around the query's words (HTML), or the start of the summary


# Per kind: the template of a card's head, and the text its excerpt is the start of.
KINDS = {
    "case": ("cases/_case_card_head.html", "summary"),
    "lesson": ("cases/_lesson_card_head.html", "background"),
}


def for_page(listing, kind: str):
    """The listing as a page shows it (`kind`: "case" or "lesson"): `panel_key`, its facet
    panel's cache key, and `cards`, rendered only for the objects whose case study changed
    since they were cached."""
    listing.panel_key = _facet_panel_key(listing, kind)
    # A query's snippets are read with the rows; without one, rows only for cards not cached.
    snippets = {obj.pk: snippet for obj, snippet in listing.results} if listing.query else {}
    listing.cards = cards_of(
        kind, listing.ids, lambda missing: [obj for obj, _ in listing.results], snippets
    )
    return listing


def case_cards(ids) -> list[Card]:
    """The cards of these published case studies, in order (home, related work)."""
    ids = list(ids)
    return cards_of("case", ids, lambda missing: listing.case_cards().filter(pk__in=missing))


def cards_of(kind: str, ids, load, snippets=None) -> list[Card]:
    """The cards of these objects, in order: from the cache, those not cached rendered from
    the rows `load(missing ids)` returns (it may return more). `snippets`: the text shown
    instead of the start of the summary (a query's words in context), by id."""
    if kind == "case":
        case_of = {pk: pk for pk in ids}
    else:
        case_of = dict(Lesson.objects.filter(pk__in=ids).values_list("pk", "case_study_id"))
    generations = search.case_generations(set(case_of.values()))
    language = get_language()
    keys = {pk: f"cases:card:{kind}:{pk}:{generations[case_of[pk]]}:{language}"
            for pk in ids if pk in case_of}  # fmt: skip
    cached = cache.get_many(list(keys.values()))
    missing = {pk for pk, key in keys.items() if key not in cached}
    if missing:
        template, text = KINDS[kind]
        fresh = {
            keys[obj.pk]: (
                render_to_string(template, {kind: obj}),
                Truncator(getattr(obj, text)).chars(EXCERPT_CHARS),
            )
            for obj in load(missing)
            if obj.pk in missing
        }
        cache.set_many(fresh, search.CASE_PAGE_SECONDS)
        cached |= fresh
    snippets = snippets or {}
    return [
        # Our own template's output, as the page would have rendered it.
        Card(mark_safe(cached[keys[pk]][0]), snippets.get(pk) or cached[keys[pk]][1])
        for pk in ids
        if keys.get(pk) in cached
    ]


def _facet_panel_key(listing, kind: str) -> str:
    """What the facet panel of a list of the kind shows, as a key: its values, counts and
    choices, the sort order offered, and how things are named. Lazy labels are named in the
    page's language (a part of the `{% cache %}` key beside this)."""
    shown = [
        (facet["param"], facet["lower_bound"],
         [(v["value"], v["count"], v["selected"]) for v in facet["values"]])
        for facet in listing.facets
    ]  # fmt: skip
    parts = [kind, search.names_generation(), listing.sort, bool(listing.query), shown]
    raw = json.dumps(parts, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()
