"""Similar published work for an entry (registered on awards.similar_work.PROVIDERS): the
entry form shows it to the agency, the score sheet to the assessor.

The search index matches every word of a query (AND), so the entry's whole title and summary
would find nothing. Instead the words that say most about the entry — the longest ones, where
Thai's short function words and common nouns drop out — are searched one at a time, each for
a few best hits, and a case found by more of them ranks higher (ties: the better tier of its
best word, then the index's order). Bounded: MAX_WORDS searches of PER_WORD rows each."""

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


def similar_cases(entry: Entry, limit: int) -> list[SimilarWork]:
    """Published case studies only (the index holds no others, and the candidates are filtered
    again), never the entry's own."""
    text = f"{entry.title} {texts_from_answers(entry)['summary']}"
    candidates = CaseStudy.objects.published().exclude(entry=entry)
    found: dict[int, list] = {}  # case id → [words matched, best tier, first seen]
    with search.index_lookups():
        for group in distinctive_words(text):
            query = search.Query(text=group.text, groups=[group], highlight=frozenset())
            rows = search.search_cases(query, candidates).values_list("case_study_id", "tier")
            for case_id, tier in rows[:PER_WORD]:
                score = found.setdefault(case_id, [0, tier, len(found)])
                score[0] += 1
                score[1] = min(score[1], tier)
    best = sorted(found, key=lambda pk: (-found[pk][0], found[pk][1], found[pk][2]))[:limit]
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
