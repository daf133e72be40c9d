"""Writing the index: a case study or lesson as rows of terms (after commit, by the worker),
in bulk for rebuilds, and the periodic repair of what a lost message left stale. A submitted
entry is a private row (kind ENTRY) written the same way: its words never join the public
vocabulary, and the public pages are not rendered again for it."""

from concurrent.futures import ThreadPoolExecutor
from functools import partial
from typing import NamedTuple

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from awards import levels, permissions
from awards.models import Entry
from portal import thai
from portal.operations.cache import read_once_in

from .. import facets
from ..caching import bump_generation
from ..drafting import texts_from_answers
from ..models import CaseStudy, Lesson, SearchDocument, SearchWord
from .terms import chars_of, dictionary, folded, index_terms, is_whole_word

Kind = SearchDocument.Kind
# What the indexer writes; rows of a lower version are re-indexed by the periodic repair.
# 1: the sub-word layer (*_chars) and the vocabulary (issue 13); 2: its text bounded;
# 3: bounded at the positions' limit, PostgreSQL's trigrams built in linear time (cases/0011);
# 4: the award's boost from the levels' rank (data) instead of three fixed codes.
VERSION = 4
# The sub-word layer reads the first this-many characters of a text: PostgreSQL's tsvector
# positions stop at 16,383, past which a phrase of trigrams cannot be placed; both engines read
# the same so they find the same. Words further on are still found whole.
SUBWORD_MAX_CHARS = 16_383


def boost_of(case: CaseStudy) -> int:
    """The higher award first (rank 1 is the highest; levels are data), then the later year."""
    code = case.award_level
    award = max(0, 100 - levels.rank(code)) if levels.is_award(code) else 0
    return award * 10000 + case.year_be


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


def entry_texts(entry: Entry) -> tuple[str, str, str]:
    """(title, summary, body) of an entry, read from its answers as its model project would be
    (cases/drafting.py), so that a resubmission and the work it repeats are indexed alike."""
    texts = texts_from_answers(entry)
    agency = [entry.agency.name_th, entry.agency.abbreviation]
    body = "\n".join([texts["problem"], texts["approach"], texts["results"], " ".join(agency)])
    return entry.title, texts["summary"], body


def _terms(texts, d, vocabulary: set | None) -> dict:
    """The index columns of (title, summary, body); their whole words added to `vocabulary`
    (None: a private row's words are never offered as suggestions)."""
    texts = [thai.normalize(text) for text in texts]  # once, for the words and the sub-words
    title, summary, body = (index_terms(text, d, normalized=True) for text in texts)
    if vocabulary is not None:
        vocabulary.update(term for term in (*title, *summary, *body) if is_whole_word(term, d))
    return {
        "title_terms": " ".join(title),
        "summary_terms": " ".join(summary),
        "body_terms": " ".join(body),
        "title_chars": chars_of(texts[0], normalized=True)[:SUBWORD_MAX_CHARS],
        "summary_chars": chars_of(texts[1], normalized=True)[:SUBWORD_MAX_CHARS],
        "body_chars": chars_of(texts[2], normalized=True)[:SUBWORD_MAX_CHARS],
        "version": VERSION,
    }


def _row(kind, case, lesson, texts, d, facet_keys, boost, vocabulary: set) -> SearchDocument:
    return SearchDocument(
        kind=kind,
        case_study_id=case.pk,
        lesson_id=lesson.pk if lesson else None,
        boost=boost,
        facet_keys=facet_keys,
        source_updated_at=(lesson or case).updated_at,
        **_terms(texts, d, vocabulary),
    )


def _entry_row(entry: Entry, d) -> SearchDocument:
    """Ties among equally similar entries go to the later cycle."""
    return SearchDocument(
        kind=Kind.ENTRY,
        entry_id=entry.pk,
        boost=entry.category.cycle.year_be,
        source_updated_at=entry.updated_at,
        **_terms(entry_texts(entry), d, None),
    )


def _remember(vocabulary: set) -> None:
    """Whole words seen in the index, for suggestions. Kept, never removed: a word whose last
    document went is checked by counting before it is offered."""
    words = [w for w in vocabulary if len(w) <= SearchWord._meta.get_field("word").max_length]
    SearchWord.objects.bulk_create(
        [SearchWord(word=w, first=w[0], length=len(w)) for w in words],
        ignore_conflicts=True,
        batch_size=1000,
    )


def _cases_qs():
    return CaseStudy.objects.select_related("agency").prefetch_related("provinces", "topics")


def _lessons_qs():
    return Lesson.objects.select_related("case_study")


def index_case(case_id: int) -> str:
    """Write (or remove) the index rows of one case study and its lessons. Idempotent."""
    case = _cases_qs().filter(pk=case_id).first()
    if case is None or not case.is_published:
        # A draft saved again changes nothing public: the lists stay cached.
        _remove(SearchDocument.objects.filter(case_study_id=case_id))
        return "removed"
    d, vocabulary = dictionary(), set()
    keys = facets.keys_of([case.pk])[case.pk]
    boost = boost_of(case)
    rows = [_row(Kind.CASE, case, None, case_texts(case), d, keys, boost, vocabulary)]
    for lesson in _lessons_qs().filter(case_study=case):
        if lesson.is_published:
            texts = lesson_texts(lesson)
            rows.append(_row(Kind.LESSON, case, lesson, texts, d, keys, boost, vocabulary))
    _replace(rows, SearchDocument.objects.filter(case_study_id=case_id), vocabulary)
    return "indexed"


def withdraw(case_id: int | None = None, lesson_id: int | None = None) -> None:
    """Remove what is no longer public from the index in the same transaction as the change:
    the index holds public work only, at every commit (publishing waits for the worker;
    unpublishing never does). A case study takes its lessons with it."""
    rows = SearchDocument.objects.filter(case_study_id=case_id) if case_id else (
        SearchDocument.objects.filter(lesson_id=lesson_id)
    )  # fmt: skip
    _remove(rows)


def index_lesson(lesson_id: int) -> str:
    lesson = _lessons_qs().filter(pk=lesson_id).first()
    if lesson is None or not (lesson.is_published and lesson.case_study.is_published):
        _remove(SearchDocument.objects.filter(lesson_id=lesson_id))
        return "removed"
    keys = facets.keys_of([lesson.case_study_id])[lesson.case_study_id]
    vocabulary = set()
    texts = lesson_texts(lesson)
    case, d = lesson.case_study, dictionary()
    row = _row(Kind.LESSON, case, lesson, texts, d, keys, boost_of(case), vocabulary)
    _replace([row], SearchDocument.objects.filter(lesson_id=lesson_id), vocabulary)
    return "indexed"


# A change of more public rows than this (a rebuild's batch), or of more text, is kept as one
# that may change anything: every answer checked against it would read it all.
CHANGED_ROWS_KEPT = 20
CHANGED_CHARS_KEPT = 400_000
CHANGED_FIELDS = ("kind", "id", "boost", "title_terms", "summary_terms", "body_terms",
                  "title_chars", "summary_chars", "body_chars")  # fmt: skip


class ChangedRow(NamedTuple):
    """An index row as a change of the index keeps it, for the answers that outlive the change
    (caching.answer_generation, query.may_change): its kind, where it stood in the relevance
    order (its id — None: newer than any —, its boost) and its fields' words and characters,
    folded, each a text where every word or piece the row is found by is a substring."""

    removed: bool
    kind: str
    id: int | None
    boost: int
    words: tuple  # title, summary, body
    chars: tuple


def as_changed(values, removed: bool = False) -> ChangedRow:
    """The row of these CHANGED_FIELDS values as a change keeps it."""
    kind, pk, boost, *texts = values
    return ChangedRow(removed, kind, pk, boost, tuple(map(folded, texts[:3])),
                      tuple(map(folded, texts[3:])))  # fmt: skip


def _held(rows) -> list | None:
    """What these index rows held, as a change keeps it; None when there are too many."""
    held = list(rows.values_list(*CHANGED_FIELDS)[: CHANGED_ROWS_KEPT + 1])
    if len(held) > CHANGED_ROWS_KEPT:
        return None
    return [as_changed(values, removed=True) for values in held]


def _changed_after_commit(changed) -> None:
    """The change numbered and kept once committed; too large a one as one that may change
    anything."""
    if changed and (
        len(changed) > CHANGED_ROWS_KEPT
        or sum(len(text) for row in changed for text in (*row.words, *row.chars))
        > CHANGED_CHARS_KEPT
    ):
        changed = None
    transaction.on_commit(partial(bump_generation, changed=changed))


def _remove(rows) -> None:
    held = _held(rows)
    if rows.delete()[0]:
        _changed_after_commit(held)


def _replace(rows, old, vocabulary):
    with transaction.atomic():
        changed = _held(old) if len(rows) <= CHANGED_ROWS_KEPT else None
        old.delete()
        SearchDocument.objects.bulk_create(rows)  # their ids: newer than any before
        _remember(vocabulary)
        if changed is not None:
            changed += [as_changed([getattr(row, f) for f in CHANGED_FIELDS]) for row in rows]
        _changed_after_commit(changed)


def index_cases_bulk(case_ids) -> int:
    """Index many case studies (and their lessons) in one transaction: for rebuilds."""
    rows, vocabulary = _rows_of(_sources(case_ids), dictionary())
    return _write(case_ids, rows, vocabulary)


def index_cases_in_batches(batches):
    """index_cases_bulk of each batch of case ids in turn, yielding (case studies, rows
    written) as each is written. A batch's words are worked out in a second thread while the
    last one is written: PostgreSQL computes that batch's vectors and index entries on the
    other core meanwhile (the segmenter holds Python's lock; waiting on the database does not),
    and that was a third of the time of indexing one batch after the other."""
    d = dictionary()
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="segmenter") as segmenter:
        last = None
        for case_ids in batches:
            words = segmenter.submit(_rows_of, _sources(case_ids), d)
            if last is not None:
                yield len(last[0]), _write(*last)
            last = (case_ids, *words.result())
        if last is not None:
            yield len(last[0]), _write(*last)


def _sources(case_ids) -> list:
    """What the index rows of these case studies (and their published lessons) are made of,
    read from the database: [(kind, case, lesson, texts, facet keys, boost)]."""
    cases = list(_cases_qs().filter(pk__in=case_ids, is_published=True))
    keys = facets.keys_of([case.pk for case in cases])
    lessons = _lessons_qs().filter(case_study__in=cases, is_published=True)
    with read_once_in():  # the award levels, for every row's boost
        sources = [(Kind.CASE, case, None, case_texts(case), keys[case.pk], boost_of(case))
                   for case in cases]  # fmt: skip
        sources += [
            (Kind.LESSON, lesson.case_study, lesson, lesson_texts(lesson),
             keys[lesson.case_study_id], boost_of(lesson.case_study))
            for lesson in lessons
        ]  # fmt: skip
    return sources


def _rows_of(sources, d) -> tuple[list, set]:
    """The index rows of `_sources` and the whole words they hold: no database read, so that
    another thread may work them out."""
    rows, vocabulary = [], set()
    for kind, case, lesson, texts, keys, boost in sources:
        rows.append(_row(kind, case, lesson, texts, d, keys, boost, vocabulary))
    return rows, vocabulary


def _write(case_ids, rows, vocabulary) -> int:
    _replace(rows, SearchDocument.objects.filter(case_study_id__in=list(case_ids)), vocabulary)
    return len(rows)


def _entries_qs():
    return Entry.objects.select_related("agency", "category__cycle", "form")


def _replace_entries(rows, entry_ids):
    with transaction.atomic():
        SearchDocument.objects.filter(entry_id__in=list(entry_ids)).delete()
        SearchDocument.objects.bulk_create(rows)
        transaction.on_commit(lambda: bump_generation("entries"))


def index_entry(entry_id: int) -> str:
    """Write (or remove) the private row of one entry: past work (permissions.PAST_WORK) has
    one, a draft or a withdrawn entry none. Idempotent."""
    entry = _entries_qs().filter(pk=entry_id).first()
    rows = [_entry_row(entry, dictionary())] if entry and permissions.is_past_work(entry) else []
    _replace_entries(rows, [entry_id])
    return "indexed" if rows else "removed"


def index_entries_bulk(entry_ids) -> int:
    """Index many entries in one transaction (for rebuilds); those no longer past work lose
    their rows."""
    d = dictionary()
    rows = [_entry_row(e, d) for e in _entries_qs().filter(permissions.PAST_WORK, pk__in=entry_ids)]
    _replace_entries(rows, entry_ids)
    return len(rows)


def _older_rows():
    """Rows an older indexer wrote (without the sub-word layer): re-indexed by the repair."""
    return SearchDocument.objects.filter(version__lt=VERSION)


def stale_cases():
    """Case studies whose index row is missing, older than the case, or should be gone."""
    indexed = SearchDocument.objects.filter(kind=Kind.CASE, case_study=OuterRef("pk"))
    return (
        CaseStudy.objects.annotate(indexed=Subquery(indexed.values("source_updated_at")[:1]))
        .filter(
            Q(is_published=True, indexed__isnull=True)
            | Q(is_published=True, updated_at__gt=F("indexed"))
            | Q(is_published=True, pk__in=_older_rows().values("case_study_id"))
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
            | (public & Q(pk__in=_older_rows().values("lesson_id")))
            | (~public & Q(indexed__isnull=False))
        )
        .values_list("pk", flat=True)
    )


def stale_entries():
    """Entries whose private row is missing, older than the entry, or should be gone."""
    indexed = SearchDocument.objects.filter(entry=OuterRef("pk"))
    past = permissions.PAST_WORK
    return (
        Entry.objects.annotate(indexed=Subquery(indexed.values("source_updated_at")[:1]))
        .filter(
            (past & Q(indexed__isnull=True))
            | (past & Q(updated_at__gt=F("indexed")))
            | (past & Q(pk__in=_older_rows().filter(kind=Kind.ENTRY).values("entry_id")))
            | (~past & Q(indexed__isnull=False))
        )
        .values_list("pk", flat=True)
    )


def repair(limit: int = 500) -> dict:
    """Re-index what a lost message left stale (at most `limit` of each kind per run)."""
    done = {}
    for name, stale, index in [
        ("cases", stale_cases, index_case),
        ("lessons", stale_lessons, index_lesson),
        ("entries", stale_entries, index_entry),
    ]:
        ids = list(stale()[:limit])
        for pk in ids:
            index(pk)
        done[name] = len(ids)
    return {**done, "at": timezone.now().isoformat()}
