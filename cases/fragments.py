"""The parts of the public lists that outlive a publish (issue 20).

A publish starts a new index generation, so every list is worked out again (a search only when
the publish may change its answer: caching.answer_generation) — but most of what a list shows
has not changed: the cards of the other case studies and, until the counts change,
the facet panel. Rendering those was most of a cold list page (1,300 template nodes), and
reading the cards' rows most of the rest. Each is cached by what it shows:

- a result card (title, agency, year, branch, provinces, award, the start of its summary) by
  its case study's own generation (cases/caching.py: an edit of the case, of what hangs
  on it, or a renamed agency or province), a whole page's in one round trip to the cache; a
  list with nothing searched whose cards are all cached reads no row but the page's ids;
- a query's snippet (its words in context) like the card, and by what the query means;
- the facet panel by its content (every value, count and choice, the names generation and the
  language): the same counts after a publish are the same panel.

The home page, a case page's related work and an agency's page show the same cards.
"""

import hashlib
import json
from dataclasses import dataclass

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import get_language

from . import caching, listing, search
from .models import Lesson
from .search import thesaurus

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


def for_page(listing):
    """The listing as a page shows it: `panel_key`, its facet panel's cache key, and `cards`,
    rendered only for the objects whose case study changed since they were cached (with a
    query, since they were cut for it)."""
    listing.panel_key = _facet_panel_key(listing)
    listing.cards = cards_of(listing.kind, listing.ids, listing.load, listing.query)
    return listing


def snippets_of(listing) -> dict:
    """{id: snippet} of the listing's page (the API's results): the cards' own, kept the same
    way, so that after a publish only the changed case study's are cut again."""
    if not listing.query:
        return {}
    case_of = {obj.pk: obj.pk if listing.kind == "case" else obj.case_study_id
               for obj in listing.objects}  # fmt: skip
    keys = _snippet_keys(listing.kind, case_of, listing.query)
    found = cache.get_many(keys.values())
    fresh = {keys[obj.pk]: listing.cut(obj) for obj in listing.objects
             if keys[obj.pk] not in found}  # fmt: skip
    cache.set_many(fresh, search.CASE_PAGE_SECONDS)
    return {pk: found[key] if key in found else fresh[key] for pk, key in keys.items()}


def _snippet_keys(kind, case_of: dict, query, generations=None) -> dict:
    """{id: the cache key of its snippet}: by its case study's own generation and what the
    query means (the words parse() made of it, with the thesaurus' version)."""
    generations = generations or search.case_generations(set(case_of.values()))
    meaning = [query.text, thesaurus.thesaurus().version]
    return {pk: caching.key_of(["snippet", kind, pk, generations[case], meaning])
            for pk, case in case_of.items()}  # fmt: skip


def case_cards(ids) -> list[Card]:
    """The cards of these published case studies, in order (home, related work)."""

    def load(missing):
        cards = listing.case_cards().defer(*listing.LONG_TEXTS)  # a card shows its summary
        return [(case, None) for case in cards.filter(pk__in=missing)]

    return cards_of("case", list(ids), load)


def cards_of(kind: str, ids, load, query=None) -> list[Card]:
    """The cards of these objects, in order, from the cache; those not cached rendered from
    `load(ids)` ([(object, snippet)]). With a query, a card's text is its snippet: the query's
    words in context, cut from its texts — the same until the case study or the query's
    meaning changes, so kept like the card (a publish does neither)."""
    if kind == "case":
        case_of = {pk: pk for pk in ids}
    else:
        case_of = dict(Lesson.objects.filter(pk__in=ids).values_list("pk", "case_study_id"))
    generations = search.case_generations(set(case_of.values()))
    language = get_language()
    keys = {pk: f"cases:card:{kind}:{pk}:{generations[case_of[pk]]}:{language}"
            for pk in ids if pk in case_of}  # fmt: skip
    snippet_keys = {}
    if query:
        snippet_keys = _snippet_keys(kind, {pk: case_of[pk] for pk in keys}, query, generations)
    found = cache.get_many([*keys.values(), *snippet_keys.values()])
    missing = [pk for pk in keys
               if keys[pk] not in found or (query and snippet_keys[pk] not in found)]  # fmt: skip
    if missing:
        template, text = KINDS[kind]
        fresh = {}
        for obj, snippet in load(missing):
            fresh[keys[obj.pk]] = (
                render_to_string(template, {kind: obj}),
                Truncator(getattr(obj, text)).chars(EXCERPT_CHARS),
            )
            if query:
                fresh[snippet_keys[obj.pk]] = snippet or ""
        cache.set_many(fresh, search.CASE_PAGE_SECONDS)
        found |= fresh
    return [
        # Our own template's output, as the page would have rendered it.
        Card(mark_safe(found[keys[pk]][0]), found.get(snippet_keys.get(pk)) or found[keys[pk]][1])
        for pk in ids
        if keys.get(pk) in found
    ]


def _facet_panel_key(listing) -> str:
    """What the facet panel of a list of the kind shows, as a key: its values, counts and
    choices, the sort order offered, and how things are named. Lazy labels are named in the
    page's language (a part of the `{% cache %}` key beside this)."""
    shown = [
        (facet["param"], facet["lower_bound"],
         [(v["value"], v["count"], v["selected"]) for v in facet["values"]])
        for facet in listing.facets
    ]  # fmt: skip
    parts = [listing.kind, search.names_generation(), listing.sort, bool(listing.query), shown]
    raw = json.dumps(parts, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()
