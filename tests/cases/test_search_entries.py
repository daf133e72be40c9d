"""Past entries in the search index (SearchDocument kind ENTRY): written when an entry is
submitted, kept current as its state changes, removed when it is withdrawn, reopened or
deleted, healed by the repair and the rebuild — and never read by anything the public sees:
search pages, the API, suggestions, the vocabulary, facet counts, counts, sitemaps, feeds,
open data. The word กระจูด appears only in a private entry unless a test publishes it."""

import pytest
from django.core.management import call_command
from django.http import QueryDict
from django.utils import timezone

from awards import submission
from awards.models import Entry, EntryState
from cases import listing, search, tasks
from cases.models import SearchDocument, SearchWord
from tests.awards.entry_helpers import complete, private_files  # noqa: F401 (a fixture)
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    CaseStudyFactory,
    CategoryFactory,
    CycleFactory,
    EntryFactory,
    ScreeningEntryFactory,
    StaffFactory,
)

from .conftest import index

pytestmark = pytest.mark.django_db

WORD, MISSPELT = "กระจูด", "กระจูต"
PRIVATE = {"title": "ผ้าทอกระจูดของกลุ่มแม่บ้านริมทะเลสาบ", "summary": "สานกระจูดส่งขายทั่วประเทศ"}
PUBLIC_PAGES = [
    "/", "/cases/", f"/cases/?q={WORD}", f"/cases/?q={MISSPELT}", f"/lessons/?q={WORD}",
    f"/lessons/?q={MISSPELT}", f"/api/v1/cases/?q={WORD}", f"/api/v1/lessons/?q={WORD}",
    "/sitemap.xml", "/feeds/cases.rss", "/opendata/case-studies.csv",
    "/opendata/case-studies.json", "/opendata/lessons.json", "/opendata/results.json",
]  # fmt: skip


def params(q=""):
    return QueryDict(f"q={q}" if q else "")


def entry_rows():
    return SearchDocument.objects.filter(kind=SearchDocument.Kind.ENTRY)


@pytest.fixture
def private_entry(thai_cases):
    """A not-awarded entry of an earlier cycle, indexed (what the worker does after commit)."""
    category = CategoryFactory(cycle=CycleFactory(year_be=2568))
    entry = ScreeningEntryFactory(category=category, state=EntryState.NOT_AWARDED, **PRIVATE)
    assert tasks.index_entry(entry.pk) == "indexed"
    assert entry_rows().filter(entry=entry).exists()
    return entry


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def test_a_word_only_in_a_private_entry_finds_nothing_anywhere_public(client, private_entry):
    assert listing.cases(params(WORD)).total == 0
    assert listing.lessons(params(WORD)).total == 0
    assert search.count(search.parse(WORD)) == 0
    assert client.get("/api/v1/cases/", {"q": WORD}).json()["count"] == 0
    assert client.get("/api/v1/lessons/", {"q": WORD}).json()["count"] == 0
    for url in PUBLIC_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        html = body_of(response)
        assert private_entry.title not in html and private_entry.reference not in html, url


def test_a_word_only_in_a_private_entry_is_never_suggested(client, private_entry):
    assert not SearchWord.objects.filter(word=WORD).exists()  # not in the public vocabulary
    for kind in (search.Kind.CASE, search.Kind.LESSON):
        assert search.suggestions(search.parse(MISSPELT), kind) == []
        offered = [s["q"] for s in search.suggestions(search.parse(f"{WORD}ป่า"), kind)]
        assert offered == ["ป่า"]  # the private word is left out, never offered alone
    assert WORD not in body_of(client.get("/cases/", {"q": MISSPELT}))

    # The same word published is found and suggested: the checks above can see a leak.
    index(CaseStudyFactory(title="ผ้าทอกระจูดชุมชน"))
    assert listing.cases(params(WORD)).total == 1
    assert [s["q"] for s in search.suggestions(search.parse(MISSPELT))] == [WORD]


def test_private_rows_change_no_count(thai_cases):
    def counts():
        search.bump_generation()  # counts are cached per generation: count afresh
        found = [listing.cases(params("ป่า")), listing.lessons(params("ป่า"))]
        every = [listing.cases(params()), listing.lessons(params())]
        return [(x.total, x.facets) for x in found + every]

    before = counts()
    category = CategoryFactory(cycle=CycleFactory(year_be=2568))
    for n in range(3):
        entry = ScreeningEntryFactory(category=category, title=f"ป่าชุมชนบนดอยแห่งที่ {n}")
        tasks.index_entry(entry.pk)
    assert entry_rows().count() == 3
    assert counts() == before


@pytest.mark.usefixtures("private_files")
def test_submitting_indexes_the_entry_after_commit(django_capture_on_commit_callbacks):
    entry = complete(EntryFactory(**PRIVATE))
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        submission.save_section(entry, "basic", {"title": entry.title}, entry.created_by)
    assert not callbacks  # a draft saved while it is written: nothing to index
    with django_capture_on_commit_callbacks(execute=True):
        submission.submit(entry, entry.created_by)
    row = entry_rows().get(entry=entry)
    assert WORD in row.title_terms.split() and row.case_study_id is None

    with django_capture_on_commit_callbacks(execute=True):
        submission.withdraw(entry, entry.created_by)
    assert not entry_rows().filter(entry=entry).exists()


@pytest.mark.usefixtures("private_files")
def test_reopening_removes_the_row_and_submitting_again_restores_it(
    django_capture_on_commit_callbacks,
):
    entry = complete(EntryFactory(**PRIVATE))
    with django_capture_on_commit_callbacks(execute=True):
        submission.submit(entry, entry.created_by)
        until = timezone.now() + timezone.timedelta(days=3)
        submission.reopen(entry, StaffFactory(), until, "แก้ไขเอกสารแนบ")
    assert not entry_rows().filter(entry=entry).exists()
    with django_capture_on_commit_callbacks(execute=True):
        submission.submit(Entry.objects.get(pk=entry.pk), entry.created_by)
    assert entry_rows().filter(entry=entry).exists()


def test_only_staff_read_entries_rows_in_the_admin(client, private_entry):
    row = entry_rows().get()
    for url in ("/admin/cases/searchdocument/", f"/admin/cases/searchdocument/{row.pk}/change/"):
        client.force_login(AdminAssessorFactory())
        refused = client.get(url, follow=True)
        assert WORD not in refused.content.decode() and private_entry.title not in body_of(refused)
        client.force_login(AdminStaffFactory())
        assert WORD in client.get(url).content.decode()


def test_indexing_an_entry_leaves_the_public_pages_cached(django_capture_on_commit_callbacks):
    entry = ScreeningEntryFactory(**PRIVATE)
    public, private = search.generation(), search.generation("entries")
    with django_capture_on_commit_callbacks(execute=True):
        tasks.index_entry(entry.pk)
    assert search.generation() == public  # no public page is rendered again for it
    assert search.generation("entries") != private  # what was cached about entries is not used


def test_deleting_an_entry_deletes_its_row(private_entry):
    Entry.objects.filter(pk=private_entry.pk).delete()
    assert not entry_rows().exists()
    assert tasks.index_entry(private_entry.pk) == "removed"  # a late message: nothing to do


def test_repair_heals_entries_a_lost_message_left_stale(private_entry):
    never_indexed = ScreeningEntryFactory(title="ตะกร้าสานจากผักตบชวา")
    # Messages lost: queryset.update sends no signal and no task runs.
    later = timezone.now() + timezone.timedelta(seconds=5)
    Entry.objects.filter(pk=private_entry.pk).update(state=EntryState.WITHDRAWN, updated_at=later)
    draft = EntryFactory(title="ฉบับร่างที่ไม่ต้องทำดัชนี")
    assert set(search.stale_entries()) == {private_entry.pk, never_indexed.pk}

    assert tasks.repair_search_index()["entries"] == 2

    assert list(entry_rows().values_list("entry_id", flat=True)) == [never_indexed.pk]
    assert not list(search.stale_entries()) and draft.pk not in search.stale_entries()
    assert tasks.repair_search_index()["entries"] == 0


def test_rebuild_writes_entries_and_keeps_them_private(capsys, private_entry):
    SearchDocument.objects.all().delete()
    call_command("rebuild_search_index", "--batch", "2", "--no-progress")
    assert "and 1 entries" in capsys.readouterr().out
    assert list(entry_rows().values_list("entry_id", flat=True)) == [private_entry.pk]
    assert listing.cases(params(WORD)).total == 0
    assert not SearchWord.objects.filter(word=WORD).exists()


def test_postgresql_keeps_entries_out_of_the_public_word_indexes(db):
    """The public GIN indexes hold the public kinds only (cases/0018, 0019): entries written at
    a deadline never grow the pending lists that make the planner avoid them."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's GIN indexes")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_searchdocument'"
            " AND indexdef LIKE '%USING gin%' AND indexname LIKE '%\\_vec'"
        )
        indexes = dict(cursor.fetchall())
    # One set per kind (cases/0019): a lesson search reads no case's row, nor a case search
    # a lesson's.
    for vector in ("title", "head", "all", "grams"):
        for kind in ("case", "lesson", "entry"):
            condition = f"WHERE ((kind)::text = '{kind}'::text)"
            assert condition in indexes[f"search_{kind}_{vector}_vec"]
    assert len(indexes) == 12
