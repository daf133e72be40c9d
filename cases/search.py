"""Thai full-text search over model projects and lessons learned: one small interface, two
database engines (PostgreSQL `tsvector` + GIN, SQLite FTS5), as Wagtail's database backends do.

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
"""

import hashlib
import json
import re
import threading
import time
import unicodedata
import uuid
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    Expression,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from awards.models import AwardLevel, Branch, Category
from portal import thai
from portal.agencies.models import Agency, Province

from . import facets
from .models import CaseStudy, Lesson, SearchDocument, Topic

Kind = SearchDocument.Kind

# --- The dictionary ------------------------------------------------------------------------

# Award vocabulary the general dictionary splits or misses. Names stay whole (a search for
# รัฐ must not find เลิศรัฐ); compounds are found by their parts too.
AWARD_NAMES = frozenset(
    {"เลิศรัฐ", "ต้นแบบ", "ภาครัฐ", "ดีเด่น", "เกียรติยศ", "โอทอป", "แซนด์บ็อกซ์", "ขยายผล"}
)
AWARD_TERMS = frozenset(
    {
        "รางวัลเลิศรัฐ", "ถอดบทเรียน", "ผลงานต้นแบบ", "นวัตกรรมการบริการ",
        "ขยายผลมาตรฐานการบริการ", "สัมฤทธิผลประชาชนมีส่วนร่วม", "บริการภาครัฐ",
        "คุณภาพการบริหารจัดการภาครัฐ", "การบริหารราชการแบบมีส่วนร่วม", "ศูนย์ราชการสะดวก",
        "ผู้ตรวจประเมิน", "ลงพื้นที่", "ภาคีเครือข่าย", "มีส่วนร่วม", "พื้นที่สูง", "โครงการหลวง",
    }
)  # fmt: skip
# Prefixes that make a noun of a verb or adjective: the bare word should find the noun.
NOMINALISERS = ("การ", "ความ", "ผู้", "นัก")
DICTIONARY_TTL = 600  # seconds: a worker or web process picks up new agency names by then


@dataclass(frozen=True)
class Dictionary:
    words: frozenset  # extra words handed to the segmenter
    compounds: frozenset  # of them, the ones also indexed by their parts
    fixed: frozenset  # names never split (places, abbreviations, award names)
    base: frozenset  # the general dictionary plus every domain word (to check parts)
    loaded_at: float = field(default_factory=time.monotonic, compare=False)
    # Parts of words seen so far, per dictionary: a process-wide cache keyed by the word sets
    # would compare two 60,000-word sets on every lookup once the dictionary is re-read.
    cache: dict = field(default_factory=dict, compare=False, hash=False, repr=False)


_dictionary: Dictionary | None = None
_dictionary_lock = threading.Lock()


def _clean_name(name: str) -> list[str]:
    """An official name as dictionary entries: without its parenthesised remark, each
    space-separated piece on its own (the segmenter never joins across spaces)."""
    name = re.sub(r"\(.*?\)", " ", name or "")
    return [piece for piece in name.split() if len(piece) > 1]


def load_dictionary() -> Dictionary:
    """Read the domain words from the database (agencies, places, award structure, topics)."""
    fixed, compounds = set(AWARD_NAMES), set(AWARD_TERMS)
    for name_th, abbreviation in Agency.objects.values_list("name_th", "abbreviation"):
        compounds.update(_clean_name(name_th))
        if abbreviation:
            fixed.update({abbreviation, abbreviation.rstrip(".")})
    for name in Province.objects.values_list("name_th", flat=True):
        fixed.update(_clean_name(name))
    for model in (Branch, Category, Topic):
        for name in model.objects.values_list("name_th", flat=True):
            compounds.update(_clean_name(name))
    words = frozenset(fixed | compounds | thai.DOMAIN_WORDS)
    return Dictionary(
        words=words,
        compounds=frozenset(compounds - fixed),
        fixed=frozenset(fixed),
        base=thai.dictionary_words() | words,
    )


def dictionary(refresh: bool = False) -> Dictionary:
    """The dictionary, loaded once per process (and re-read after DICTIONARY_TTL)."""
    global _dictionary
    current = _dictionary
    if refresh or current is None or time.monotonic() - current.loaded_at > DICTIONARY_TTL:
        with _dictionary_lock:
            current = _dictionary = load_dictionary()
            thai.segment("ก", current.words)  # build the segmenter's trie now, not mid-request
    return current


def forget_dictionary() -> None:
    global _dictionary
    _dictionary = None


# --- Words and terms -----------------------------------------------------------------------

_THAI = re.compile("[\u0e00-\u0e7f]")
_ARABIC = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def terms_of(token: str) -> list[str]:
    """The index terms of one segmented word (usually one; none for punctuation)."""
    text = token.translate(_ARABIC).lower()
    if _THAI.search(text):
        text = text.replace(".", "")  # ก.พ.ร. = กพร
    kept = "".join(ch if unicodedata.category(ch)[0] in "LNM" or ch == "." else " " for ch in text)
    return [t.strip(".") for t in kept.split() if t.strip(".") and t != "ๆ"]


def _split(term: str, base: frozenset, shortest: int) -> list[str] | None:
    """Fewest dictionary words (not the term itself) covering the term; among equals the
    longest words first, as the segmenter's maximal matching does."""
    best: list[list[str] | None] = [[]] + [None] * len(term)
    for end in range(1, len(term) + 1):
        for start in range(end):
            piece = term[start:end]
            if best[start] is None or piece == term or len(piece) < shortest or piece not in base:
                continue
            candidate = best[start] + [piece]
            if best[end] is None or _better(candidate, best[end]):
                best[end] = candidate
    return best[-1]


def _parts(term: str, d: Dictionary) -> tuple:
    key = ("parts", term)
    if key not in d.cache:
        if len(d.cache) > 200_000:
            d.cache.clear()
        d.cache[key] = _compute_parts(term, d.compounds, d.base, d.fixed)
    return d.cache[key]


def _compute_parts(term: str, compounds: frozenset, base: frozenset, fixed: frozenset) -> tuple:
    if term in compounds:
        pieces = _split(term, base, 2)
        return tuple(pieces) if pieces and len(pieces) > 1 else ()
    if term in fixed or not _THAI.search(term):
        return ()
    for prefix in NOMINALISERS:
        rest = term[len(prefix) :]
        if term.startswith(prefix) and len(rest) > 1 and rest in base:
            return (prefix, rest)
    if len(term) >= 6 and term in base:
        # A transparent compound of the general dictionary (ป่าชุมชน = ป่า + ชุมชน,
        # แหล่งน้ำ = แหล่ง + น้ำ): two words of at least three characters each. Shorter
        # pieces (ตา in ตาราง, ยา in กันยายน) are where nonsense matches come from.
        pieces = _split(term, base, 3)
        if pieces and len(pieces) == 2:
            return tuple(pieces)
    return ()


def _better(a: list[str], b: list[str]) -> bool:
    return (len(a), [-len(p) for p in a]) < (len(b), [-len(p) for p in b])


def _leaves(term: str, d: Dictionary) -> tuple:
    """The smallest parts of a compound, recursively (() when it has none)."""
    key = ("leaves", term)
    if key not in d.cache:
        out = []
        for piece in _parts(term, d):
            out.extend(_leaves(piece, d) or (piece,))
        d.cache[key] = tuple(out)
    return d.cache[key]


def _descendants(term, d):
    out = []
    for piece in _parts(term, d):
        out.append(piece)
        out.extend(_descendants(piece, d))
    return out


def parts(term: str, d: Dictionary | None = None) -> tuple[str, ...]:
    d = d or dictionary()
    return _leaves(term, d)


def index_terms(text: str, d: Dictionary | None = None) -> list[str]:
    """The terms a document is indexed by: every word, and the parts of compounds."""
    d = d or dictionary()
    out = []
    cache = d.cache
    for token in thai.segment(text or "", d.words):
        expanded = cache.get(token)  # words repeat a lot: each is worked out once
        if expanded is None:
            expanded = []
            for term in terms_of(token):
                expanded.append(term)
                expanded.extend(_descendants(term, d))
            if len(cache) > 200_000:
                cache.clear()
            cache[token] = expanded
        out.extend(expanded)
    return out


@dataclass
class Query:
    text: str
    terms: list[str]  # every one must match
    highlight: frozenset  # terms a snippet marks

    def __bool__(self):
        return bool(self.terms)


def parse(text: str) -> Query:
    """Segment a query exactly as documents are segmented."""
    d = dictionary()
    text = (text or "").strip()[:200]
    terms, highlight = [], set()
    for token in thai.segment(text, d.words):
        for term in terms_of(token):
            pieces = _leaves(term, d)
            highlight.add(term)
            highlight.update(p for p in pieces if p not in NOMINALISERS)
            for piece in pieces or (term,):
                if piece not in terms:
                    terms.append(piece)
    return Query(text=text, terms=terms, highlight=frozenset(highlight))


# --- The engines ---------------------------------------------------------------------------
# A tier is the set of columns all terms must be found in: 0 title, 1 title + summary, 2 any.
TABLE = SearchDocument._meta.db_table


class Match(Expression):
    """`<the row's table> matches <terms>` as a boolean SQL condition. It goes through the
    compiler (not raw SQL with a fixed table name) so that it keeps working inside the
    subqueries Django re-aliases (facet counts filter on a subquery of matches)."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, template: str, param: str):
        super().__init__()
        self.template, self.param, self.id = template, param, F("id")

    def get_source_expressions(self):
        return [self.id]

    def set_source_expressions(self, exprs):
        (self.id,) = exprs

    def as_sql(self, compiler, connection):
        id_sql, id_params = compiler.compile(self.id)
        table = id_sql.rsplit(".", 1)[0]
        return self.template.format(table=table, id=id_sql), [*id_params, self.param]


class PostgresEngine:
    vectors = ("title_vec", "head_vec", "all_vec")

    @staticmethod
    def tsquery(terms):
        quoted = ("'" + t.replace("\\", "\\\\").replace("'", "''") + "'" for t in terms)
        return " & ".join(quoted)

    def condition(self, terms, tier):
        return Match(f"{{table}}.{self.vectors[tier]} @@ %s::tsquery", self.tsquery(terms))


class SqliteEngine:
    columns = ("{title_terms}", "{title_terms summary_terms}", "")

    @staticmethod
    def fts_query(terms, tier):
        expression = " AND ".join('"' + t.replace('"', '""') + '"' for t in terms)
        prefix = SqliteEngine.columns[tier]
        return f"{prefix} : ({expression})" if prefix else expression

    def condition(self, terms, tier):
        return Match(
            "{id} IN (SELECT rowid FROM cases_search_fts WHERE cases_search_fts MATCH %s)",
            self.fts_query(terms, tier),
        )


def engine():
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"no full-text search for {connection.vendor}")


def matches(query: Query, kind: str = Kind.CASE, ranked: bool = True):
    """SearchDocument rows of published documents matching every term, best first."""
    docs = SearchDocument.objects.filter(kind=kind)
    if not query:
        return docs.none()
    eng = engine()
    docs = docs.filter(eng.condition(query.terms, 2))
    if not ranked:
        return docs
    tier = Case(
        When(eng.condition(query.terms, 0), then=Value(0)),
        When(eng.condition(query.terms, 1), then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return docs.annotate(tier=tier).order_by("tier", "-boost", "-id")


def search_cases(query: Query, cases=None, ranked: bool = True):
    """Case studies (from `cases`, e.g. a facet-filtered published queryset; by default all
    published ones) matching the query, as SearchDocument rows in relevance order;
    row.case_study_id is the case."""
    docs = matches(query, Kind.CASE, ranked=ranked)
    if cases is None:
        # Index rows exist only for published work (unpublishing removes them after commit);
        # the pages fetch the cases themselves through CaseStudy.objects.published().
        return docs
    return docs.filter(case_study__in=cases.values("id"))


def search_lessons(query: Query, lessons=None, ranked: bool = True):
    """Lessons (from `lessons`; by default the public ones) matching the query, as
    SearchDocument rows in relevance order; row.lesson_id is the lesson. Always limited to
    public lessons: a case study unpublished hides its lessons before the worker removes
    their rows."""
    docs = matches(query, Kind.LESSON, ranked=ranked)
    lessons = public_lessons() if lessons is None else lessons
    return docs.filter(lesson__in=lessons.values("id"))


def public_lessons():
    return Lesson.objects.published().filter(case_study__is_published=True)


# Per kind: its rows among `objects` (None: the default ones), and the id of the object a row is.
SEARCHES = {Kind.CASE: (search_cases, "case_study_id"), Kind.LESSON: (search_lessons, "lesson_id")}


def count(query: Query, kind: str = Kind.CASE) -> int:
    search, _field = SEARCHES[kind]
    return search(query, ranked=False).count()


COUNT_CAP = 1000


@contextmanager
def index_lookups():
    """On PostgreSQL, the queries run inside find matches through the GIN index instead of
    reading rows in table or id order and testing each one's vector, which is unpacked from
    TOAST before the row's kind or facets are tested. With a LIMIT the planner expects a common
    word to turn up within the first rows read; for lessons (a fifth of the rows) it does not:
    counting 1,000 lessons for เจ้าหน้าที่ read 45,000 vectors (400 ms; 60 ms through the
    index), and a year's lessons merged in lesson order 14,000 (400 ms; 100 ms)."""
    if connection.vendor != "postgresql":
        yield
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_mergejoin = off")
        yield
        # SET LOCAL outlives a released savepoint: back to the defaults for the rest.
        cursor.execute("RESET enable_seqscan; RESET enable_mergejoin")


class RankedPages:
    """The relevance order as a sequence a Paginator can slice, without ranking every match:
    the ids of the objects of `kind` (among `objects`, as search_cases/search_lessons take
    them) matching the query.

    Up to COUNT_CAP matches are ranked in one query. Beyond, each tier (title, then summary,
    then anywhere) is read in turn in (award, year) order with a LIMIT, so PostgreSQL can walk
    the boost index and stop after one page. The order is exactly that of
    `search_cases(..., ranked=True)` and `search_lessons(..., ranked=True)`."""

    def __init__(self, query: Query, objects=None, kind: str = Kind.CASE):
        search, self.field = SEARCHES[kind]
        self.query = query
        self.docs = search(query, objects, ranked=False)
        self.ranked = search(query, objects, ranked=True)
        self._count, self.capped = None, False

    def count(self) -> int:
        """The number of matches, counted up to COUNT_CAP: a word in nine documents out of
        ten would otherwise read ninety thousand rows just to print their number."""
        if self._count is None:
            with index_lookups():
                found = self.docs.order_by()[: COUNT_CAP + 1].count()
            self.capped = found > COUNT_CAP
            self._count = min(found, COUNT_CAP)
        return self._count

    def __len__(self):
        return self.count()

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
        eng, out, previous = engine(), [], None
        for tier in (0, 1, 2):
            docs = (
                self.docs if tier == 2 else self.docs.filter(eng.condition(self.query.terms, tier))
            )
            if previous is not None:
                docs = docs.exclude(previous)
            previous = eng.condition(self.query.terms, tier)
            need = None if stop is None else stop - len(out)
            rows = docs.order_by("-boost", "-id").values_list(self.field, flat=True)
            out += list(rows if need is None else rows[:need])
            if stop is not None and len(out) >= stop:
                break
        return out[start:stop]


# --- Caching what only changes with the index ----------------------------------------------
GENERATION_KEY = "cases:search-generation"
CACHE_SECONDS = 300


def generation() -> str:
    """A token that changes whenever the index (or what is published) changes."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        token = uuid.uuid4().hex
        cache.add(GENERATION_KEY, token, None)
        token = cache.get(GENERATION_KEY, token)
    return token


def bump_generation() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


def cached(key_parts, compute):
    """compute() cached until the index changes (facet counts over a common word read every
    matching row: once per query and index generation, not once per visitor)."""
    raw = json.dumps([generation(), key_parts], ensure_ascii=False, sort_keys=True, default=str)
    key = "cases:search:" + hashlib.sha256(raw.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


# --- Writing the index ---------------------------------------------------------------------
LEVEL_RANK = {AwardLevel.HONOUR: 3, AwardLevel.OUTSTANDING: 2, AwardLevel.GOOD: 1}


def boost_of(case: CaseStudy) -> int:
    return LEVEL_RANK.get(case.award_level, 0) * 10000 + case.year_be


def case_texts(case: CaseStudy) -> tuple[str, str, str]:
    """(title, summary, body) of a case: the body also carries its agency, places and topics
    so that a search for สวพส. or a province finds the agency's work."""
    extra = []
    if case.agency_id:
        extra += [case.agency.name_th, case.agency.abbreviation]
    extra += [p.name_th for p in case.provinces.all()] + [t.name_th for t in case.topics.all()]
    body = "\n".join([case.problem, case.approach, case.results, case.body, " ".join(extra)])
    return case.title, case.summary, body


def lesson_texts(lesson: Lesson) -> tuple[str, str, str]:
    body = "\n".join(
        [lesson.key_process, lesson.success_factors, lesson.obstacles, lesson.indicators,
         lesson.replication, lesson.spread_to, lesson.case_study.title]
    )  # fmt: skip
    return lesson.title, lesson.background, body


def _row(kind, case, lesson, texts, d, facet_keys) -> SearchDocument:
    title, summary, body = (" ".join(index_terms(t, d)) for t in texts)
    source = lesson or case
    return SearchDocument(
        kind=kind,
        case_study_id=case.pk,
        lesson_id=lesson.pk if lesson else None,
        title_terms=title,
        summary_terms=summary,
        body_terms=body,
        boost=boost_of(case),
        facet_keys=facet_keys,
        source_updated_at=source.updated_at,
    )


def _cases_qs():
    return CaseStudy.objects.select_related("agency").prefetch_related("provinces", "topics")


def _lessons_qs():
    return Lesson.objects.select_related("case_study")


def index_case(case_id: int) -> str:
    """Write (or remove) the index rows of one case study and its lessons. Idempotent."""
    case = _cases_qs().filter(pk=case_id).first()
    if case is None or not case.is_published:
        SearchDocument.objects.filter(case_study_id=case_id).delete()
        bump_generation()
        return "removed"
    d = dictionary()
    keys = facets.keys_of([case.pk])[case.pk]
    rows = [_row(Kind.CASE, case, None, case_texts(case), d, keys)]
    for lesson in _lessons_qs().filter(case_study=case):
        if lesson.is_published:
            rows.append(_row(Kind.LESSON, case, lesson, lesson_texts(lesson), d, keys))
    _replace(rows, SearchDocument.objects.filter(case_study_id=case_id))
    return "indexed"


def index_lesson(lesson_id: int) -> str:
    lesson = _lessons_qs().filter(pk=lesson_id).first()
    if lesson is None or not (lesson.is_published and lesson.case_study.is_published):
        SearchDocument.objects.filter(lesson_id=lesson_id).delete()
        return "removed"
    keys = facets.keys_of([lesson.case_study_id])[lesson.case_study_id]
    row = _row(Kind.LESSON, lesson.case_study, lesson, lesson_texts(lesson), dictionary(), keys)
    _replace([row], SearchDocument.objects.filter(lesson_id=lesson_id))
    return "indexed"


def _replace(rows, old):
    with transaction.atomic():
        old.delete()
        SearchDocument.objects.bulk_create(rows)
        transaction.on_commit(bump_generation)


def index_cases_bulk(case_ids) -> int:
    """Index many case studies (and their lessons) in one transaction: for rebuilds."""
    d = dictionary()
    rows = []
    cases = list(_cases_qs().filter(pk__in=case_ids, is_published=True))
    keys = facets.keys_of([case.pk for case in cases])
    for case in cases:
        rows.append(_row(Kind.CASE, case, None, case_texts(case), d, keys[case.pk]))
    lessons = _lessons_qs().filter(case_study__in=cases, is_published=True)
    for lesson in lessons:
        texts = lesson_texts(lesson)
        rows.append(
            _row(Kind.LESSON, lesson.case_study, lesson, texts, d, keys[lesson.case_study_id])
        )
    _replace(rows, SearchDocument.objects.filter(case_study_id__in=list(case_ids)))
    return len(rows)


def stale_cases():
    """Case studies whose index row is missing, older than the case, or should be gone."""
    indexed = SearchDocument.objects.filter(kind=Kind.CASE, case_study=OuterRef("pk"))
    return (
        CaseStudy.objects.annotate(indexed=Subquery(indexed.values("source_updated_at")[:1]))
        .filter(
            Q(is_published=True, indexed__isnull=True)
            | Q(is_published=True, updated_at__gt=F("indexed"))
            | Q(is_published=False, indexed__isnull=False)
        )
        .values_list("pk", flat=True)
    )


def stale_lessons():
    indexed = SearchDocument.objects.filter(lesson=OuterRef("pk"))
    public = Q(is_published=True, case_study__is_published=True)
    return (
        Lesson.objects.annotate(indexed=Subquery(indexed.values("source_updated_at")[:1]))
        .filter(
            (public & Q(indexed__isnull=True))
            | (public & Q(updated_at__gt=F("indexed")))
            | (~public & Q(indexed__isnull=False))
        )
        .values_list("pk", flat=True)
    )


def repair(limit: int = 500) -> dict:
    """Re-index what a lost message left stale (at most `limit` of each kind per run)."""
    case_ids = list(stale_cases()[:limit])
    for case_id in case_ids:
        index_case(case_id)
    lesson_ids = list(stale_lessons()[:limit])
    for lesson_id in lesson_ids:
        index_lesson(lesson_id)
    return {"cases": len(case_ids), "lessons": len(lesson_ids), "at": timezone.now().isoformat()}


# --- Snippets and highlights ---------------------------------------------------------------


def _hit_term(term: str, query: Query) -> bool:
    return term in query.highlight and term not in NOMINALISERS


def _render_token(token: str, query: Query, d: Dictionary) -> tuple[str, bool]:
    """One word as HTML: marked whole when it is a query word; when only its parts are
    (พัฒนา in การพัฒนา, เชียงใหม่ in an agency's name), those parts are marked."""
    terms = terms_of(token)
    if any(t in query.highlight for t in terms):
        return f"<mark>{escape(token)}</mark>", True
    if len(terms) == 1:
        leaves = _leaves(terms[0], d)
        if leaves and "".join(leaves) == token and any(_hit_term(p, query) for p in leaves):
            html = "".join(
                f"<mark>{escape(p)}</mark>" if _hit_term(p, query) else escape(p) for p in leaves
            )
            return html, True
    return escape(token), False


def _is_hit(token: str, query: Query, d: Dictionary) -> bool:
    return _render_token(token, query, d)[1]


def _render(tokens, query, d, before: bool, after: bool) -> SafeString:
    html = "".join(_render_token(token, query, d)[0] for token in tokens)
    return mark_safe(("…" if before else "") + html.strip() + ("…" if after else ""))  # noqa: S308


def _cut(tokens, width):
    out, length = [], 0
    for token in tokens:
        if length + len(token) > width and out:
            return out, True
        out.append(token)
        length += len(token)
    return out, False


def snippet(texts, query: Query, width: int = 220) -> SafeString:
    """A short passage around the first place the query's words occur, cut and highlighted
    on Thai word boundaries (whole segmented words are marked, never parts of words)."""
    d = dictionary()
    needles = sorted({t for t in query.highlight if t}, key=len, reverse=True)
    for text in texts:
        if not text:
            continue
        norm = thai.normalize(text)
        low = norm.lower().translate(_ARABIC)
        for needle in needles:
            start, tries = 0, 0
            while tries < 4 and (pos := low.find(needle, start)) >= 0:
                tries, start = tries + 1, pos + 1
                lo, hi = max(0, pos - 60), min(len(norm), pos + width)
                tokens = thai.segment(norm[lo:hi], d.words, keep_whitespace=True)
                if lo > 0:
                    tokens = tokens[1:]  # the first and last words may be cut: drop them
                if hi < len(norm):
                    tokens = tokens[:-1]
                if any(_is_hit(t, query, d) for t in tokens):
                    return _render(tokens, query, d, lo > 0, hi < len(norm))
    first = next((t for t in texts if t), "")
    tokens, cut = _cut(thai.segment(first[: width * 2], d.words, keep_whitespace=True), width)
    return _render(tokens, query, d, False, cut or len(first) > width * 2)


def highlight(text: str, query: Query) -> SafeString:
    """The whole text (a title) with the query's words marked."""
    d = dictionary()
    tokens = thai.segment(text or "", d.words, keep_whitespace=True)
    return _render(tokens, query, d, False, False)


# --- When nothing matches -------------------------------------------------------------------


SPELL_MAX_LENGTH = 15
SUGGEST_MAX_WORDS = 8


def suggestions(query: Query, kind: str = Kind.CASE, limit: int = 3) -> list[dict]:
    """Other spellings and shorter queries that do find something, best first."""
    from pythainlp.spell import correct

    found, seen = [], {query.text}
    d = dictionary()

    def offer(text, reason):
        if text and text not in seen and len(found) < limit:
            seen.add(text)
            candidate = parse(text)
            hits = count(candidate, kind) if candidate else 0
            if hits:
                found.append({"q": text, "count": hits, "reason": reason})

    words = [w for w in thai.segment(query.text, d.words) if terms_of(w)][:SUGGEST_MAX_WORDS]
    # The spell checker tries every edit at distance 2: its work and memory grow with the
    # square of a word's length (a 200-letter "word" took 24 GB). Real words are short.
    corrected = [
        correct(w) if _THAI.search(w) and w not in d.base and len(w) <= SPELL_MAX_LENGTH else w
        for w in words
    ]
    if corrected != words:
        offer("".join(_joined(corrected)), "spelling")
    if len(words) > 1:
        singles = sorted(((count(parse(w), kind), w) for w in words if parse(w)), reverse=True)
        kept = [w for n, w in singles if n]
        if kept and len(kept) < len(words):
            offer("".join(_joined([w for w in words if w in kept])), "fewer")
        for n, word in singles:
            if n:
                offer(word, "fewer")
    return found


def _joined(words):
    """Words back into a query: Thai runs together, spaces around Latin and digits."""
    out = []
    for i, word in enumerate(words):
        if i and not (_THAI.search(word) and _THAI.search(words[i - 1])):
            out.append(" ")
        out.append(word)
    return out
