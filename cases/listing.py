"""The public lists: search + facets + sorting + a page of results, in a fixed number of queries
(used by the web pages and the API alike)."""

import operator
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, partial, reduce

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch, Q
from django.utils.translation import gettext_lazy as _

from portal.agencies.models import Province

from . import facet_summary, facets, search
from .models import CaseStudy, SearchDocument

PER_PAGE = 20
FACET_ROWS = search.COUNT_CAP + 1  # matching rows a query's facet counts read at most
SORTS = {
    "relevance": (_("ตรงกับคำค้นมากที่สุด"), None),
    "newest": (_("ปีล่าสุดก่อน"), ("-year_be", "-published_at", "-pk")),
    "oldest": (_("ปีเก่าก่อน"), ("year_be", "published_at", "pk")),
    "title": (_("ชื่อผลงาน ก–ฮ"), ("title", "pk")),
}


@dataclass
class Listing:
    kind: str  # "case" or "lesson": whose list (cases/fragments.py keeps their cards apart)
    query: search.Query
    sort: str
    chosen: dict
    page: Page
    ids: list  # the page's objects, in order
    rows: Callable  # ids → the objects, in order, with what their cards and the API show
    cut: Callable | None  # an object → the query's words in its texts (None: nothing searched)
    facets: list = field(default_factory=list)
    suggestions: list = field(default_factory=list)

    def load(self, ids) -> list:
        """[(object, snippet)] of these objects, every snippet cut anew."""
        return self._with_snippets(self.rows(ids))

    @cached_property
    def objects(self) -> list:
        """The page's objects, read when first wanted (the API). A web page reads only the
        rows of the cards and snippets not cached (cases/fragments.py)."""
        return self.rows(self.ids)

    @cached_property
    def results(self) -> list:
        """[(object, snippet)] of the page, every snippet cut anew."""
        return self._with_snippets(self.objects)

    def _with_snippets(self, objects) -> list:
        return [(obj, self.cut(obj) if self.cut else None) for obj in objects]

    @property
    def total(self) -> int:
        return self.page.paginator.count

    sub_words_bounded: bool = False  # search.Query.pieces_bounded, for the query as matched

    @property
    def facet_rows(self) -> int:
        return FACET_ROWS

    @property
    def piece_candidates(self) -> int:
        return search.PIECE_CANDIDATES

    @property
    def facet_counts_are_lower_bounds(self) -> bool:
        return any(facet.get("lower_bound") for facet in self.facets)

    @property
    def total_is_lower_bound(self) -> bool:
        """True when there are more matches than were counted (search.COUNT_CAP)."""
        return getattr(self.page.paginator.object_list, "capped", False)


class _KnownCount:
    """A queryset to page through whose length is already known."""

    def __init__(self, queryset, count: int):
        self.queryset, self._count = queryset, count

    def count(self) -> int:
        return self._count

    def __len__(self) -> int:
        return self._count

    def __getitem__(self, index):
        return self.queryset[index]


def _counted_by_summary(queryset, kind):
    """Every public object of the kind: its number is the worker's summary's (a count of
    100,000 published cases took 15–30 ms on every cold page), when there is one."""
    total = facet_summary.total(kind)
    return queryset if total is None else _KnownCount(queryset, total)


def _page(items, number, per_page):
    return Paginator(items, per_page).get_page(number)


def case_cards():
    """Published case studies with what a result card shows, in two queries."""
    return (
        CaseStudy.objects.published()
        .select_related("agency", "branch", "category")
        .prefetch_related(
            Prefetch("provinces", queryset=Province.objects.only("code", "name_th", "name_en"))
        )
    )


def _in_order(queryset, ids):
    objects = queryset.in_bulk(ids)
    return [objects[i] for i in ids if i in objects]


LONG_TEXTS = ("problem", "approach", "results", "body")


def case_texts(case):
    return [case.summary, *(getattr(case, name) for name in LONG_TEXTS)]


FACET_SETS = {search.Kind.CASE: facets.CASES, search.Kind.LESSON: facets.LESSONS}


def _answer(kind, query, params, with_suggestions) -> tuple:
    """What a search's answer depends on beside the index: the kind, what its words are
    looked for as, the facets chosen, whether it offers suggestions when nothing matches (the
    API does not), and which page of which order it is."""
    chosen = sorted(FACET_SETS[kind].selected(params).items())
    page = [params.get(name) for name in ("sort", "page", "page_size")]
    return ("answer", kind, query.looked_for, chosen, with_suggestions, page)


def generation(kind, query, params, with_suggestions=True) -> str:
    """What a list's page (or API answer) is kept by: with nothing searched, the index
    generation (every publish changes the newest first); with a query, its answer's own
    (caching.answer_generation), which outlives publishing work its words are not in — or,
    on a full page of more than COUNT_CAP matches, work that would stand after its last."""
    if not query:
        return search.generation()
    answer = _answer(kind, query, params, with_suggestions)
    return search.answer_generation(answer, partial(search.may_change, query, kind))


def _answered(listing: Listing, params, with_suggestions, with_facets) -> Listing:
    """What its answer read of the index (search.may_change): only rows its query may match
    — unless it found nothing and offers suggestions (read from the whole vocabulary), or
    looked for some word inside longer ones among the first of too many candidates (another
    document may shift which) —, and of those, on a full page of a ranked order past
    COUNT_CAP, only those up to its last row, when its facet counts (if any) are the lower
    bounds kept a while whatever is published."""
    query = listing.query
    if not query or listing.sub_words_bounded or not (listing.total or not with_suggestions):
        return listing
    reach = getattr(listing.page.paginator.object_list, "reach", None)
    if reach is None or (
        with_facets and not search.known_to_match_at_least(query, listing.kind, FACET_ROWS)
    ):
        reach = True
    search.answer_reaches(_answer(listing.kind, query, params, with_suggestions), reach)
    return listing


def cases(params, page=1, per_page=PER_PAGE, with_facets=True, with_suggestions=True) -> Listing:
    query = search.parse(params.get("q", ""))
    chosen = facets.CASES.selected(params)
    sort = params.get("sort") or ("relevance" if query else "newest")
    if sort not in SORTS or (sort == "relevance" and not query):
        sort = "newest"
    published = CaseStudy.objects.published()
    base = published
    if query:
        base = published.filter(
            pk__in=search.search_cases(query, ranked=False).values("case_study_id")
        )
    if sort == "relevance":
        chosen_cases = facets.CASES.apply(published, chosen) if chosen else None
        ordered = search.RankedPages(query, chosen_cases, search.Kind.CASE)
    else:
        ordered = (
            facets.CASES.apply(base, chosen).order_by(*SORTS[sort][1]).values_list("pk", flat=True)
        )
        if query:
            # Counting every match of a common word read them all (2 s at 100,000 cases);
            # the page itself walks the sort order's index and stops after it.
            over_cap = not chosen and search.known_to_match_at_least(query, search.Kind.CASE)
            ordered = search.CappedPages(ordered, over_cap)
        elif not chosen:
            ordered = _counted_by_summary(ordered, search.Kind.CASE)
    tally = _tally_counting(facets.CASES, search.Kind.CASE, query, chosen, ordered, with_facets)
    result_page = _page(ordered, page, per_page)

    # Without a query no snippet is cut: the long texts would be read for nothing.
    rows = case_cards() if query else case_cards().defer(*LONG_TEXTS)
    listing = Listing(kind="case", query=query, sort=sort, chosen=chosen, page=result_page,
                      ids=list(result_page.object_list), rows=partial(_in_order, rows),
                      cut=_cutter(case_texts, query),
                      sub_words_bounded=_sub_words_bounded(query, search.Kind.CASE))  # fmt: skip
    if tally is not None:
        listing.facets = facets.CASES.panel(tally, chosen)
    if query and not listing.total and with_suggestions:
        listing.suggestions = search.suggestions(query)
    return _answered(listing, params, with_suggestions, with_facets)


def _cutter(texts_of, query):
    """An object → the query's words in context, cut from `texts_of(object)`."""
    return (lambda obj: search.snippet(texts_of(obj), query)) if query else None


def _sub_words_bounded(query, kind) -> bool:
    return bool(query) and search.bounded(query, kind).pieces_bounded


def _tally_counting(facet_set, kind, query, chosen, ordered, with_facets):
    """The facet tally of the list (None: without facets). A search's, with no facet chosen,
    reads the very rows its count reads, up to the same COUNT_CAP + 1: their number is the
    count, one query fewer (8–10 ms for PMQA 4.0 among 100,000 cases)."""
    if not with_facets:
        return None
    tally = _facet_tally(facet_set, kind, query, chosen)
    if query and not chosen:
        ordered.counted_as(tally.keys.get(None, 0), exact=not tally.lower_bound)
    return tally


def _facet_tally(facet_set, kind, query, chosen) -> facets.Tally:
    """Counted over the index rows of the kind (those matching the query, if any), cached
    until the index changes; with nothing searched or chosen, read from the worker's summary
    (cases/facet_summary.py). A query's counts, and those of chosen facets, read at most
    COUNT_CAP + 1 rows per count (a common word's 90,000 took 0.5 s on a cold cache): beyond,
    they are lower bounds.

    A word known to match more than those rows (search.known_to_match_at_least) has lower
    bounds counted over the first FACET_ROWS of its rows in table order, where a publish
    adds its row at the end: they are kept a minute across publishes (7 ms for ชุมชน among
    100,000 cases, 14 ms among 25,000 lessons, after every publish)."""
    every = SearchDocument.objects.filter(kind=kind)
    chosen_keys = sorted(chosen.items())
    if query:
        docs = search.matches(query, kind, ranked=False)
        count = partial(facet_set.tally, docs, chosen, rows=FACET_ROWS)
        if search.known_to_match_at_least(query, kind, FACET_ROWS):
            return search.cached_a_while(("facets", kind, query.looked_for, chosen_keys), count)
    else:
        summary = facet_summary.counts(kind)
        if chosen:
            count = partial(facet_set.tally_of_chosen, every, chosen, FACET_ROWS, summary)
        elif summary is not None:
            return facets.Tally(summary)
        else:  # until the worker's first recount
            count = partial(facet_set.tally, every, chosen)
    return search.cached(("facets", kind, query.looked_for, chosen_keys), count)


def lesson_texts(lesson):
    return [lesson.background, lesson.key_process, lesson.success_factors, lesson.replication]


def lessons(params, page=1, per_page=PER_PAGE, with_facets=True, with_suggestions=True) -> Listing:
    query = search.parse(params.get("q", ""))
    chosen = facets.LESSONS.selected(params)
    public = search.public_lessons()
    chosen_lessons = facets.LESSONS.apply(public, chosen)
    if query:
        # Index rows are public lessons only: narrowed further only when facets are chosen.
        ordered = search.RankedPages(query, chosen_lessons if chosen else None, search.Kind.LESSON)
    else:
        ordered = chosen_lessons.order_by("-published_at", "-pk").values_list("pk", flat=True)
        if not chosen:
            ordered = _counted_by_summary(ordered, search.Kind.LESSON)
    tally = _tally_counting(facets.LESSONS, search.Kind.LESSON, query, chosen, ordered,
                            with_facets)  # fmt: skip
    result_page = _page(ordered, page, per_page)

    rows = public.select_related("case_study", "case_study__agency")
    listing = Listing(kind="lesson", query=query, sort="relevance" if query else "newest",
                      chosen=chosen, page=result_page, ids=list(result_page.object_list),
                      rows=partial(_in_order, rows), cut=_cutter(lesson_texts, query),
                      sub_words_bounded=_sub_words_bounded(query, search.Kind.LESSON))  # fmt: skip
    if tally is not None:
        listing.facets = facets.LESSONS.panel(tally, chosen)
    if query and not listing.total and with_suggestions:
        listing.suggestions = search.suggestions(query, search.Kind.LESSON)
    return _answered(listing, params, with_suggestions, with_facets)


def related_ids(case_id: int, agency_id: int | None, limit: int = 4) -> list[int]:
    """Other published case studies sharing a topic or the agency, most recent first: their
    ids, found by walking the list's newest-first index, each tested for a shared topic (a
    semi-join): a DISTINCT over the join read every case of a common topic with its texts
    (25 ms at 100,000 cases, on every case page after a publish). Asked by the case's id and
    agency: after a publish, the case page reads no more of the case than that."""
    sharing = []
    tagged = CaseStudy.topics.through.objects
    topic_ids = list(tagged.filter(casestudy_id=case_id).values_list("topic_id", flat=True))
    if topic_ids:
        sharing.append(Q(pk__in=tagged.filter(topic_id__in=topic_ids).values("casestudy_id")))
    if agency_id:
        sharing.append(Q(agency_id=agency_id))
    if not sharing:
        return []
    return list(
        CaseStudy.objects.published().exclude(pk=case_id).filter(reduce(operator.or_, sharing))
        .order_by(*SORTS["newest"][1]).values_list("pk", flat=True)[:limit]
    )  # fmt: skip
