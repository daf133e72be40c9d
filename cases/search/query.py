"""A query: parsed into terms as documents are, matched by the engine, ranked (all terms in
the title, then title + summary, then anywhere; ties to the higher award, then the most recent
year), and paged without ranking every match."""

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When

from portal import thai

from .. import caching, facet_summary
from ..models import Lesson, SearchDocument
from . import terms as t
from . import thesaurus
from .engines import LAST_TIER, WORD_TIERS, engine

Kind = SearchDocument.Kind
NOMINALISERS = t.NOMINALISERS


@dataclass(frozen=True)
class Alternative:
    """One way a query word may be found: all its terms as whole words, or (the sub-word
    layer) its text as written, three characters or more, inside the document's text."""

    terms: tuple
    pieces: tuple


@dataclass(frozen=True)
class Group:
    """A query word (or a short word with its neighbour, or a thesaurus phrase) and what may
    stand for it: the word as written first, then its thesaurus equivalents."""

    text: str
    alternatives: tuple
    # Set by `bounded`: the documents found holding the group's pieces (in the title, in
    # title + summary, anywhere), checked among at most PIECE_CANDIDATES candidates.
    pieces_found: tuple | None = None
    # Set by `bounded`: found whole in more than COUNT_CAP documents of the kind.
    common: bool = False


@dataclass
class Query:
    text: str
    groups: list  # every one must match (AND); within one, any alternative (OR)
    highlight: frozenset  # terms a snippet marks
    also: list = field(default_factory=list)  # thesaurus equivalents also searched
    bounded_for: str = ""  # the kind `bounded` has prepared it for
    # Some word's pieces had more than PIECE_CANDIDATES candidates: its matches inside longer
    # words were looked for among that many only (its whole-word matches all count).
    pieces_bounded: bool = False

    @property
    def looked_for(self) -> list:
        """What each group is looked for as (its alternatives' terms and pieces): a cache key
        that a thesaurus edit changes."""
        return [[[a.terms, a.pieces] for a in g.alternatives] for g in self.groups]

    @property
    def terms(self) -> list[str]:
        """The terms of the words as written (the words themselves, not their equivalents)."""
        return [t for g in self.groups for t in g.alternatives[0].terms]

    def __bool__(self):
        return bool(self.groups)


MAX_LENGTH = 200  # characters of a query: more is cut (it bounds every step below)
MAX_GROUPS = 12
MAX_SPAN = 8  # tokens a thesaurus phrase may span in a query
PIECE = 3  # the shortest piece the sub-word layer looks up (trigrams)


def _word_terms(text: str, d: t.Dictionary) -> tuple:
    out = []
    for token in thai.segment(text, d.words):
        for term in t.terms_of(token):
            for piece in t.leaves(term, d) or (term,):
                if piece not in out:
                    out.append(piece)
    return tuple(out)


def _alternative(text: str, d: t.Dictionary) -> Alternative | None:
    terms = _word_terms(text, d)
    chars = t.chars_of(text)
    return Alternative(terms, (chars,) if len(chars) >= PIECE else ()) if terms else None


def parse(text: str) -> Query:
    """Segment a query exactly as documents are segmented, then group its words: a run of
    words the thesaurus knows (สุราษฎร์, Smart Farm, รพ.สต.) is one group searched with its
    equivalents; a word shorter than a trigram goes with its neighbour (ไฟ + ป่า), so that the
    sub-word layer can find the two written together."""
    global _parsed
    text = (text or "").strip()[:MAX_LENGTH]
    if not text:  # every unfiltered list: no dictionary, no thesaurus to read
        return Query(text="", groups=[], highlight=frozenset())
    d = t.dictionary()
    th = thesaurus.thesaurus()
    # Parsed once per process and meaning: a page or API answer served from the cache still
    # parses its query for its key (a sentence: 1.5 ms). Queries are never changed in place.
    if _parsed[0] is not d or _parsed[1] is not th or len(_parsed[2]) >= PARSED_KEPT:
        _parsed = (d, th, {})
    query = _parsed[2].get(text)
    if query is None:
        query = _parsed[2][text] = _parse(text, d, th)
    return query


PARSED_KEPT = 1000  # queries kept parsed per process
_parsed = (None, None, {})  # (dictionary, thesaurus, {text: query}) as last loaded


def _parse(text: str, d: t.Dictionary, th) -> Query:
    # Words with the whitespace between them: a span is given back as the query wrote it
    # (QR Code, not QRCode), its thesaurus key ignores the spaces.
    tokens = thai.segment(text, d.words, keep_whitespace=True)
    words = [n for n, token in enumerate(tokens) if t.terms_of(token)]
    spans, i = [], 0  # [text as written, thesaurus equivalents]
    while i < len(words):
        for j in range(min(len(words), i + MAX_SPAN), i, -1):
            written = "".join(tokens[words[i] : words[j - 1] + 1]).strip()
            equivalents = th.of(thesaurus.key_of(written))
            if equivalents:
                spans.append([written, equivalents])
                i = j
                break
        else:
            token = tokens[words[i]]
            previous = spans[-1] if spans and not spans[-1][1] else None
            if previous and len(t.chars_of(previous[0])) < PIECE and t.THAI.search(token):
                previous[0] += token  # a short word before: searched together with this one
            elif previous and len(t.chars_of(token)) < PIECE and t.THAI.search(previous[0]):
                previous[0] += token  # a short word after
            else:
                spans.append([token, ()])
            i += 1
    groups, highlight, also = [], set(), []
    for written, equivalents in spans[:MAX_GROUPS]:
        key = thesaurus.key_of(written)
        alternatives = []
        for variant in (written, *equivalents):
            if variant != written and thesaurus.key_of(variant) == key:
                continue  # the same word spelt as the query does (กทม. for กทม)
            alternative = _alternative(variant, d)
            if alternative and alternative not in alternatives:
                alternatives.append(alternative)
                if variant != written:
                    also.append(variant)
        if not alternatives:
            continue
        groups.append(Group(written, tuple(alternatives)))
        for alternative in alternatives:
            highlight.update(term for term in alternative.terms if term not in t.NOMINALISERS)
        highlight.update(t.terms_of(written))  # the compound whole, as before its parts
    return Query(text=text, groups=groups, highlight=frozenset(highlight), also=also)


COUNT_CAP = 1000
PIECE_CANDIDATES = 300
# Rows no public page, count, facet or suggestion reads: those search a public kind by name.
PRIVATE_KINDS = (Kind.ENTRY,)


COMMON_SECONDS = 3600


def _whole_count(group: Group, kind: str) -> int:
    """In how many documents the group's words are found whole, up to COUNT_CAP + 1: one look
    at the word index (no rows' vectors read) — 10–50 ms for a word in most documents. A word
    found in more than COUNT_CAP stays that common when one more case is published: that
    answer is kept for COMMON_SECONDS whatever the index generation (a word no longer common
    is then not looked for inside words for up to an hour); a smaller count is asked again,
    as the rest of `bounded`'s decision, per generation."""
    key = caching.key_of(("common", kind, [[a.terms, a.pieces] for a in group.alternatives]))
    if cache.get(key):
        return COUNT_CAP + 1
    docs = SearchDocument.objects.filter(kind=kind).filter(engine().words([group], WORD_TIERS - 1))
    with index_lookups():
        found = docs.order_by()[: COUNT_CAP + 1].count()
    if found > COUNT_CAP:
        cache.set(key, True, COMMON_SECONDS)
    return found


def _piece_candidates(group: Group, kind: str):
    """(up to PIECE_CANDIDATES + 1 ids of documents holding the trigrams of the group's pieces,
    sorted), or None without pieces: an index lookup per way of writing a piece, no row read."""
    ways = engine().piece_candidates(group)
    if not ways:
        return None
    docs = SearchDocument.objects.filter(kind=kind)
    candidates = set()
    for way in ways:
        ids = docs.filter(way).order_by().values_list("id", flat=True)
        with index_lookups():
            candidates.update(ids[: PIECE_CANDIDATES + 1])
    return sorted(candidates)


def _pieces_found(groups: dict, kind: str) -> dict:
    """{i: (the documents holding group i's pieces in the title, in title + summary,
    anywhere; whether there were more than PIECE_CANDIDATES candidates)} of `groups`,
    {i: (group, its candidates)}.

    The candidates hold the trigrams of a piece (`_piece_candidates`), where on PostgreSQL a
    phrase would read every candidate's 12 KB vector to check positions (17,000 for
    อิเล็กทรอนิค misspelt, 3.5 s); only the first PIECE_CANDIDATES are checked, in one query
    for every group. (Narrowing them by the query's other words made PostgreSQL test those
    words on every candidate's vector: 96 ms for มือเทียม.)"""
    looks = [(group, candidates[:PIECE_CANDIDATES]) for group, candidates in groups.values()]
    found = {}
    for i, rows in zip(groups, engine().narrowest_fields(looks, kind), strict=True):
        found[i] = (
            tuple(
                tuple(pk for pk, fields in rows if fields is not None and fields <= n)
                for n in range(WORD_TIERS)
            ),
            len(groups[i][1]) > PIECE_CANDIDATES,
        )
    return found


def bounded(query: Query, kind: str) -> Query:
    """The query as it is matched, its work bounded whatever the words:

    - a group found whole in more than COUNT_CAP documents is not also looked for inside
      longer words. Those documents would rank after the thousand whole matches anyway
      (sub-word tiers come after word tiers; a count that large is shown as "more than
      1,000"), and on PostgreSQL every one of the thousands of documents holding the word's
      trigrams would have its sub-word vector read to check their positions: seconds for
      ระบบ or ข้อมูล at 100,000 documents;
    - any other group's pieces are checked among at most PIECE_CANDIDATES candidates (see
      `_pieces_found`); its whole-word matches are all kept;
    - unless a group is found nowhere — no document holds it whole or its pieces' trigrams —
      when nothing can match them all and no candidate's vector is read (a misspelt
      อิเล็กทรอนิค is อิเล็ก + ทรอ + นิค: 50 ms checking the first two's 600 candidates,
      with none for นิค).

    Decided per query and index generation (cached)."""
    if not query or query.bounded_for == kind:
        return query

    def decide():
        whole = [_whole_count(g, kind) for g in query.groups]
        common = [i for i, n in enumerate(whole) if n > COUNT_CAP]
        candidates = {i: _piece_candidates(g, kind)
                      for i, g in enumerate(query.groups) if i not in common}  # fmt: skip
        if any(not whole[i] and not ids for i, ids in candidates.items()):
            nowhere = ((),) * WORD_TIERS
            found = {i: None if ids is None else (nowhere, len(ids) > PIECE_CANDIDATES)
                     for i, ids in candidates.items()}  # fmt: skip
        else:
            looked = {i: (query.groups[i], ids) for i, ids in candidates.items() if ids is not None}
            found = dict.fromkeys(candidates) | _pieces_found(looked, kind)
        return common, found

    # Keyed by what is looked for (a thesaurus edit changes a group's alternatives); entries'
    # rows by their own generation (they change without the public pages).
    scope = "entries" if kind in PRIVATE_KINDS else "public"
    common, found = caching.cached(("bounded", kind, query.looked_for), decide, scope)
    groups = []
    for i, g in enumerate(query.groups):
        if i in common:
            g = replace(_whole_only(g), common=True)
        elif found.get(i):
            g = replace(g, pieces_found=found[i][0])
        groups.append(g)
    over = any(f and f[1] for f in found.values())
    return replace(query, groups=groups, bounded_for=kind, pieces_bounded=over)


def best_tier(query: Query, row) -> int | None:
    """The best tier (see `matches`) a changed index row (indexing.ChangedRow) may be found in
    for the query, None if it cannot match: never worse than the engine's (a word inside a
    longer one counts as found, a piece's trigrams anywhere in the fields as the piece), so
    that what it rules out is truly out (caching.answer_generation)."""
    for tier in range(LAST_TIER + 1):
        fields = tier % WORD_TIERS + 1  # title; title + summary; all
        words = row.words[:fields]
        chars = row.chars[:fields] if tier >= WORD_TIERS else ()  # the sub-word tiers
        if all(any(_may_hold(a, words, chars) for a in g.alternatives) for g in query.groups):
            return tier
    return None


def _may_hold(alternative: Alternative, words: tuple, chars: tuple) -> bool:
    if all(any(t.folded(term) in text for text in words) for term in alternative.terms):
        return True
    return bool(chars and alternative.pieces) and all(
        any(gram in text for text in chars)
        for piece in alternative.pieces
        for gram in _grams(t.folded(piece))
    )


def _grams(piece: str) -> list[str]:
    return [piece[i : i + PIECE] for i in range(len(piece) - PIECE + 1)]


def may_change(query: Query, kind: str, reach, changed) -> bool:
    """Whether a change of the index (the rows it removed and wrote) may change an answer to
    the query among the documents of `kind` that reaches `reach`: True, every row the query
    may match; a `Reach`, the rows ordered up to the last of a full page of more than
    COUNT_CAP matches (a publish whose case would stand after it leaves the page, its count
    and its facets as they were)."""
    for row in changed:
        tier = best_tier(query, row) if row.kind == kind else None
        if tier is None:
            continue
        if reach is True or (row.removed and not reach.removals):
            return True
        newest = float("inf") if row.id is None else row.id
        if (tier, -row.boost, -newest) <= (reach.tier, -reach.boost, -reach.id):
            return True
    return False


class Reach(NamedTuple):
    """The last row of a full page in relevance order, as its answer's reach (`may_change`):
    its tier, boost and index row id; and whether a row removed after it leaves the count as
    it was (a word known to be common: its count is not counted again)."""

    tier: int
    boost: int
    id: int
    removals: bool


def known_to_match_at_least(query: Query, kind: str, rows: int | None = None) -> bool:
    """Whether the query matches at least `rows` documents of the kind (by default more than
    COUNT_CAP), known without counting them: a query of one word found whole in more than
    COUNT_CAP documents (`bounded` knows it, and keeps it an hour). Its count is then "more
    than COUNT_CAP" after every publish without being counted again (5 ms for ชุมชน among
    100,000 cases, 13 ms among 25,000 lessons). Several such words may match far fewer
    together: those are counted. A word that stops being common (cases unpublished by the
    hundred) keeps "more than COUNT_CAP" for up to COMMON_SECONDS, like its sub-word bound."""
    if not query or len(query.groups) != 1 or (rows or 0) > COUNT_CAP + 1:
        return False
    return bounded(query, kind).groups[0].common


def _whole_only(group: Group) -> Group:
    return replace(group, alternatives=tuple(replace(a, pieces=()) for a in group.alternatives))


def matches(query: Query, kind: str = Kind.CASE, ranked: bool = True, tier: int = LAST_TIER):
    """SearchDocument rows of published documents matching every group, best first: whole
    words in the title, in title + summary, anywhere; then the same with sub-words; ties to
    the higher award, then the most recent year.

    `tier` (unranked only): the rows matching within that tier's fields and layer, which are
    matches too — a tier's condition implies the last one's (the title is in title + summary,
    a word's trigrams are in the text), so one tier's rows are found without also testing
    the whole text's vector: that test read each row's 12 KB vector (One Plan in titles:
    13,000 of them, 150 ms)."""
    docs = SearchDocument.objects.filter(kind=kind)
    if not query:
        return docs.none()
    query = bounded(query, kind)
    eng = engine()
    docs = docs.filter(eng.condition(query.groups, tier))
    if not ranked:
        return docs
    tier = Case(
        *(When(eng.condition(query.groups, n), then=Value(n)) for n in range(LAST_TIER)),
        default=Value(LAST_TIER),
        output_field=IntegerField(),
    )
    return docs.annotate(tier=tier).order_by("tier", "-boost", "-id")


def search_cases(query: Query, cases=None, ranked: bool = True, tier: int = LAST_TIER):
    """Case studies (from `cases`, e.g. a facet-filtered published queryset; by default all
    published ones) matching the query, as SearchDocument rows in relevance order;
    row.case_study_id is the case."""
    docs = matches(query, Kind.CASE, ranked=ranked, tier=tier)
    if cases is None:
        # Index rows exist only for published work (unpublishing removes them at once);
        # the pages fetch the cases themselves through CaseStudy.objects.published().
        return docs
    return docs.filter(case_study__in=cases.values("id"))


def search_lessons(query: Query, lessons=None, ranked: bool = True, tier: int = LAST_TIER):
    """Lessons (from `lessons`; by default the public ones) matching the query, as
    SearchDocument rows in relevance order; row.lesson_id is the lesson.

    As for case studies, index rows exist only for public lessons (unpublishing a lesson or its
    case removes them in the same transaction: indexing.withdraw) and the pages fetch the
    lessons themselves through `public_lessons()`; testing every match against the public
    lessons as well made PostgreSQL read each match's vector in lesson order (a no-match's
    suggestions: 3.8 s at 25,000)."""
    docs = matches(query, Kind.LESSON, ranked=ranked, tier=tier)
    if lessons is None:
        return docs
    return docs.filter(lesson__in=lessons.values("id"))


def search_entries(query: Query, entries, ranked: bool = True):
    """Past entries (from `entries`, required: what the one looking may see, as
    awards.permissions.past_entries_visible_to decides) matching the query, as SearchDocument
    rows in relevance order; row.entry_id is the entry. For similar past work only
    (cases/similar.py): no public page searches this kind."""
    return matches(query, Kind.ENTRY, ranked=ranked).filter(entry__in=entries.values("id"))


def public_lessons():
    return Lesson.objects.published().filter(case_study__is_published=True)


# Per public kind: its rows among `objects` (None: the default ones), and the id of the object a
# row is. What counts, pages and suggestions read: a private kind is not here.
SEARCHES = {Kind.CASE: (search_cases, "case_study_id"), Kind.LESSON: (search_lessons, "lesson_id")}


def count(query: Query, kind: str = Kind.CASE) -> int:
    """The number of matches up to COUNT_CAP + 1 (more reads rows nobody will look at)."""
    search, _field = SEARCHES[kind]
    with index_lookups():
        return search(query, ranked=False).order_by()[: COUNT_CAP + 1].count()


@contextmanager
def index_lookups():
    """On PostgreSQL, the queries run inside find matches through the GIN index (a bitmap)
    instead of reading rows in table or id order and testing each one's vector, which is
    unpacked from TOAST before the row's kind or facets are tested. With a LIMIT the planner
    expects a common word to turn up within the first rows read, and walks the table or
    another index: counting 1,000 lessons for เจ้าหน้าที่ read 45,000 vectors (400 ms; 60 ms
    through the GIN index), a year's lessons merged in lesson order 14,000 (400 ms; 100 ms),
    and counting 1,000 cases for e-Service walked the one-row-per-case index reading 7,400
    (66 ms; 8 ms). Only bitmap scans and hash or nested-loop joins are left to it."""
    if connection.vendor != "postgresql" or getattr(connection, "index_lookups", False):
        # Nested (a count that first decides how to bound its query): the outer one resets.
        yield
        return
    in_a_transaction = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off;"
            " SET LOCAL enable_mergejoin = off"
        )
        connection.index_lookups = True
        try:
            yield
        finally:
            connection.index_lookups = False
        if in_a_transaction:
            # SET LOCAL ends with the transaction, but outlives a released savepoint: back to
            # the defaults for the rest. (Once reset by a nested block, a suggestion's count
            # read 125,000 rows in id order: 0.6 s.) A block of its own ends with its commit:
            # one round trip fewer per block (nine on PMQA 4.0's cold page).
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan; RESET enable_mergejoin")


class CappedPages:
    """A queryset of ids as a sequence a Paginator can slice, its length counted up to
    COUNT_CAP: a word in nine documents out of ten would otherwise read ninety thousand rows
    just to print their number. Sorted by an index (the case list's title or year), a page
    of a common word's matches is then read by walking that index and stopping after the
    page; `capped` says the count is a lower bound."""

    def __init__(self, ids, over_cap: bool = False):
        self.ids = ids
        self.over_cap = over_cap  # known to be more than COUNT_CAP: not counted
        self._count, self.capped = None, False

    def _counted(self) -> int:
        return COUNT_CAP + 1 if self.over_cap else self._count_rows()

    def counted_as(self, found: int, exact: bool) -> None:
        """Its rows already counted by a query reading the same ones: `found` of them, or
        at least that many (not `exact`); left to count() when that does not tell whether
        there are more than COUNT_CAP."""
        if exact or found > COUNT_CAP:
            self.capped = found > COUNT_CAP
            self._count = min(found, COUNT_CAP)

    def _count_rows(self) -> int:
        return self.ids.order_by()[: COUNT_CAP + 1].count()

    def count(self) -> int:
        if self._count is None:
            found = self._counted()
            self.capped = found > COUNT_CAP
            self._count = min(found, COUNT_CAP)
        return self._count

    def __len__(self):
        return self.count()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        return list(self.ids[index])


class RankedPages(CappedPages):
    """The relevance order as a sequence a Paginator can slice, without ranking every match:
    the ids of the objects of `kind` (among `objects`, as search_cases/search_lessons take
    them) matching the query.

    Up to COUNT_CAP matches are ranked in one query. Beyond, each tier (see `matches`) is read
    in turn in (award, year) order, whichever way reads fewer rows for the rows still needed:

    - walking the boost index with a LIMIT, stopping after them: about need × all ÷ tier
      rows, each read at random (WALK_COST times the cost of one read below);
    - or every row of the tier through the GIN index, sorted: a tier small for what is
      needed — often none at all (ผู้สูงอายุ is in no title: walking read all 100,000 rows,
      600 ms), or page 50 of a word in 11,000 titles (the walk read 9,000 rows, 72 ms; the
      index 11,400, 24 ms).

    A tier's rows are counted through the GIN index up to the break-even point only. A tier
    read whole is left out of the next ones by its ids, else by its condition. The order is
    exactly that of `search_cases(..., ranked=True)` and `search_lessons(..., ranked=True)`."""

    WALK_COST = 4
    reach = None  # a Reach once a full page of more than COUNT_CAP matches was read

    def __init__(self, query: Query, objects=None, kind: str = Kind.CASE):
        search, self.field = SEARCHES[kind]
        self.kind = kind
        self.query = query = bounded(query, kind)
        over_cap = objects is None and known_to_match_at_least(query, kind)
        super().__init__(search(query, objects, ranked=False), over_cap)
        self.ranked = search(query, objects, ranked=True)
        # Without a word looked for inside longer ones, the sub-word tiers are the word tiers.
        tiers = LAST_TIER + 1 if any(_has_sub_words(g) for g in query.groups) else WORD_TIERS
        self.tiers = [search(query, objects, ranked=False, tier=n) for n in range(tiers)]

    def _count_rows(self) -> int:
        with index_lookups():
            return super()._count_rows()

    def __getitem__(self, index):
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        start, stop = index.start or 0, index.stop
        self.count()  # tells whether there are more than COUNT_CAP
        if not self.capped:
            # Few matches (a rare word, or facets chosen): ranking them all is one cheap query.
            # Walking the boost index would read every row of the kind when they cannot fill
            # the page (a common word among the 17 lessons of a province and a year: 500 ms).
            with index_lookups():
                return list(self.ranked.values_list(self.field, flat=True)[start:stop])
        eng, groups = engine(), self.query.groups
        out, read_whole = [], []  # (id, boost, index row id) so far; the tiers read whole
        for tier, docs in enumerate(self.tiers):
            need = None if stop is None else stop - len(out)
            whole = self._read_whole_up_to(need)
            with index_lookups():
                size = docs.order_by()[: whole + 1].count()
            if not size:
                continue
            for better in range(tier):  # tiers overlap: what a better one gave is left out
                if better not in read_whole:
                    docs = docs.exclude(eng.condition(groups, better))
            if read_whole:
                docs = docs.exclude(**{f"{self.field}__in": [row[0] for row in out]})
            rows = docs.order_by("-boost", "-id").values_list(self.field, "boost", "id")
            rows = rows if need is None else rows[:need]
            if size <= whole:
                with index_lookups():
                    rows = list(rows)
                if need is None or len(rows) < need:
                    read_whole.append(tier)
            out += [(*row, tier) for row in rows]
            if stop is not None and len(out) >= stop:
                # A full page: what comes after its last row cannot change it (may_change).
                pk, boost, row_id, last_tier = out[stop - 1]
                self.reach = Reach(last_tier, boost, row_id, removals=self.over_cap)
                break
        return [row[0] for row in out[start:stop]]

    def _read_whole_up_to(self, need) -> int:
        """The most rows of a tier read whole rather than walked, for `need` more rows: where
        size × size = WALK_COST × need × all (at least COUNT_CAP, at most TIER_ROWS)."""
        if need is None:
            return TIER_ROWS
        every = facet_summary.total(self.kind) or 0
        return int(min(TIER_ROWS, max(COUNT_CAP, (self.WALK_COST * need * every) ** 0.5)))


TIER_ROWS = 20_000


def _has_sub_words(group: Group) -> bool:
    if group.pieces_found is not None:
        return bool(group.pieces_found[-1])
    return any(a.pieces for a in group.alternatives)
