"""Similar past work for an entry (registered on awards.similar_work.PROVIDERS): published
model projects, and entries of earlier cycles that the one looking may see (the private rows
of the search index, cut down by awards.permissions.past_entries_visible_to). The entry form
shows them to the agency, the score sheet to the assessor.

The search index matches every word of a query (AND), so the entry's whole title and summary
would find nothing. Instead the words that say most about the entry — the longest ones, where
Thai's short function words and common nouns drop out — are searched one at a time, each for
a few best hits, and a document found by more of them ranks higher (ties: the better tier of
its best word, then the index's order). Bounded: MAX_WORDS searches of PER_WORD rows each, per
kind.

Past entries are matched by whole words only. Both sides are the same kind of text segmented
the same way, so a resubmission shares its words; and a word's sub-word pieces are checked by
reading every visible entry's vector (the planner cannot combine the pieces' candidates with
the word index): 42 ms a word at 2,500 entries, growing with every cycle, where the words
alone read only the entries that have them."""

from dataclasses import replace

from awards import permissions, similar_work
from awards.models import Entry
from awards.similar_work import SimilarWork

from . import search
from .drafting import texts_from_answers
from .models import CaseStudy
from .search import terms

MAX_WORDS = 6
PER_WORD = 10


def distinctive_words(text: str) -> list:
    """The query's word groups with the most letters (most distinctive first), MAX_WORDS at
    most, each once."""
    groups, seen = [], set()
    for group in search.parse(text).groups:
        key = terms.chars_of(group.text)
        if key not in seen:
            seen.add(key)
            groups.append(group)
    return sorted(groups, key=lambda g: -len(terms.chars_of(g.text)))[:MAX_WORDS]


def most_similar(entry: Entry, rows_for, limit: int, whole_words: bool = False) -> list[int]:
    """The ids `rows_for(query)` (values_list of (id, tier), best first) gives for the entry's
    distinctive words, those found by most words first."""
    text = f"{entry.title} {texts_from_answers(entry)['summary']}"
    found: dict[int, list] = {}  # id → [words matched, best tier, first seen]
    with search.index_lookups():
        for group in distinctive_words(text):
            if whole_words:
                pieces = tuple(replace(a, pieces=()) for a in group.alternatives)
                group = replace(group, alternatives=pieces)
            query = search.Query(text=group.text, groups=[group], highlight=frozenset())
            for pk, tier in rows_for(query)[:PER_WORD]:
                score = found.setdefault(pk, [0, tier, len(found)])
                score[0] += 1
                score[1] = min(score[1], tier)
    return sorted(found, key=lambda pk: (-found[pk][0], found[pk][1], found[pk][2]))[:limit]


def similar_cases(entry: Entry, viewer, limit: int) -> list[SimilarWork]:
    """Published case studies only (the public rows, and the candidates filtered again), never
    the entry's own; the same whoever looks."""
    candidates = CaseStudy.objects.published().exclude(entry=entry)
    best = most_similar(
        entry,
        lambda query: search.search_cases(query, candidates).values_list("case_study_id", "tier"),
        limit,
    )
    cases = candidates.select_related("agency", "branch").in_bulk(best)
    return [
        SimilarWork(
            title=case.title,
            url=case.get_absolute_url(),
            agency=case.agency.display_name if case.agency_id else "",
            year_be=case.year_be,
            award_level=case.award_level_label,
        )
        for case in (cases[pk] for pk in best if pk in cases)
    ]


def similar_entries(entry: Entry, viewer, limit: int) -> list[SimilarWork]:
    """Entries of earlier cycles, only among those `viewer` may see beside this entry."""
    candidates = permissions.past_entries_visible_to(viewer, entry)
    if candidates.query.is_empty():
        return []
    best = most_similar(
        entry,
        lambda query: search.search_entries(query, candidates).values_list("entry_id", "tier"),
        limit,
        whole_words=True,
    )
    related = ("agency", "category__cycle", "category__branch", "result")
    entries = candidates.select_related(*related).in_bulk(best)
    return [similar_work.past_entry(entries[pk], viewer) for pk in best if pk in entries]
