"""Thai full-text search over model projects and lessons learned: one small interface, two
database engines (PostgreSQL `tsvector` + GIN, SQLite FTS5), as Wagtail's database backends do.
Submitted entries are indexed too, as a private kind read only by similar past work
(cases/similar.py): every search names its kind, and the public ones never name that one.

Thai has no spaces between words, so the engines are given words, not text: documents and
queries are segmented by pythainlp (portal.thai.segment) with a domain dictionary of agency
names and abbreviations, award terms and place names, then normalised into *terms*:

- lower-cased Latin, Arabic digits for Thai ones, abbreviations without their dots
  (ก.พ.ร. and กพร are the same term), punctuation dropped, "4.0" kept whole;
- a compound also yields its parts when both should find it: agency names and award terms
  from the dictionary (รางวัลเลิศรัฐ → รางวัล + เลิศรัฐ) and nominalised words
  (การพัฒนา → การ + พัฒนา). Place names and ordinary words never do, so ใหม่ does not
  find เชียงใหม่ and กัน does not find กันยายน. A query uses the parts, which every
  document that has the compound also has.

All query terms must match (AND). Ranking is explicit and identical on both engines: all
terms in the title, then in title + summary, then anywhere; ties go to the higher award level,
then the most recent year. On PostgreSQL each tier is a GIN lookup, so the cost does not grow
with every matching row being ranked (a common word matches 40 % of the corpus).

The package, by job: terms (dictionary, segmentation, terms), engines (one module per
database), query (parsing, matching, ranking, paging), indexing (writing and
repairing the index), snippets, suggestions, thesaurus. The names other modules use are
re-exported here, with the cache generations of the public pages (cases/caching.py), which
follow the index.
"""

from ..caching import (
    CACHE_SECONDS,
    CASE_PAGE_SECONDS,
    answer_generation,
    answer_reaches,
    bump_case_generation,
    bump_generation,
    bump_names_generation,
    cached,
    cached_a_while,
    case_generation,
    case_generations,
    generation,
    names_generation,
)
from .indexing import (
    boost_of,
    case_texts,
    entry_texts,
    index_case,
    index_cases_bulk,
    index_cases_in_batches,
    index_entries_bulk,
    index_entry,
    index_lesson,
    lesson_texts,
    repair,
    stale_cases,
    stale_entries,
    stale_lessons,
    withdraw,
)
from .query import (
    COUNT_CAP,
    PIECE_CANDIDATES,
    CappedPages,
    Kind,
    Query,
    RankedPages,
    best_tier,
    bounded,
    count,
    index_lookups,
    known_to_match_at_least,
    matches,
    may_change,
    parse,
    public_lessons,
    search_cases,
    search_entries,
    search_lessons,
)
from .snippets import highlight, snippet
from .suggestions import suggestions
from .terms import Dictionary, dictionary, forget_dictionary, index_terms, parts, terms_of
from .thesaurus import changed as thesaurus_changed

__all__ = [
    "CACHE_SECONDS", "CASE_PAGE_SECONDS", "COUNT_CAP", "CappedPages", "Dictionary", "Kind",
    "PIECE_CANDIDATES", "Query", "RankedPages", "answer_generation", "answer_reaches", "best_tier",
    "boost_of", "bounded", "bump_case_generation", "bump_generation", "bump_names_generation",
    "cached", "cached_a_while", "case_generation", "case_generations", "case_texts", "count",
    "dictionary", "entry_texts", "forget_dictionary", "generation", "highlight", "index_case",
    "index_cases_bulk", "index_cases_in_batches", "index_entries_bulk", "index_entry",
    "index_lesson", "index_lookups", "index_terms", "known_to_match_at_least", "lesson_texts",
    "matches", "may_change",
    "names_generation", "parse", "parts", "public_lessons", "repair", "search_cases",
    "search_entries", "search_lessons", "snippet", "stale_cases", "stale_entries", "stale_lessons",
    "suggestions", "terms_of", "thesaurus_changed", "withdraw",
]  # fmt: skip
