"""A query: parsed into terms as documents are, matched by the engine, ranked (all terms in
the title, then title + summary, then anywhere; ties to the higher award, then the most recent
year), and paged without ranking every match."""

from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, transaction
from django.db.models import Case, IntegerField, Value, When

from portal import thai

from ..models import Lesson, SearchDocument
from . import terms as t
from .engines import engine

Kind = SearchDocument.Kind
NOMINALISERS = t.NOMINALISERS


@dataclass
class Query:
    text: str
    terms: list[str]  # every one must match
    highlight: frozenset  # terms a snippet marks

    def __bool__(self):
        return bool(self.terms)


def parse(text: str) -> Query:
    """Segment a query exactly as documents are segmented."""
    d = t.dictionary()
    text = (text or "").strip()[:200]
    terms, highlight = [], set()
    for token in thai.segment(text, d.words):
        for term in t.terms_of(token):
            pieces = t.leaves(term, d)
            highlight.add(term)
            highlight.update(p for p in pieces if p not in NOMINALISERS)
            for piece in pieces or (term,):
                if piece not in terms:
                    terms.append(piece)
    return Query(text=text, terms=terms, highlight=frozenset(highlight))


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
