"""Issue 20 item 2: publishing one case study does not make every cached page cold, and the
unfiltered lists' facet panel comes from the worker's summary, not from every index row."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import facet_summary, search, tasks
from cases.models import Adoption, CasePhoto, CaseStudy, FacetCount, Lesson, SearchDocument
from tests.factories import CaseStudyFactory, LessonFactory, TopicFactory, province

from .conftest import index

pytestmark = pytest.mark.django_db


def _publish(**fields):
    case = CaseStudyFactory(**fields)
    index(case)
    search.bump_generation()
    return case


def _change_text_behind_the_cache(case, text):
    """As if the page had been rendered before an edit that sent no signal: what the page
    shows then tells whether it was rendered again or served from the cache."""
    CaseStudy.objects.filter(pk=case.pk).update(summary=text)


def test_publishing_another_case_keeps_a_case_page_cached(
    client, django_capture_on_commit_callbacks
):
    forests = TopicFactory()
    case = _publish(summary="ข้อความเดิมของผลงานนี้")
    case.topics.set([forests])
    assert "ข้อความเดิม" in client.get(case.get_absolute_url()).content.decode()
    _change_text_behind_the_cache(case, "ข้อความใหม่ของผลงานนี้")

    with django_capture_on_commit_callbacks(execute=True):
        other = CaseStudyFactory(
            title="ผลงานที่เพิ่งเผยแพร่ในหัวข้อเดียวกัน",
            agency=case.agency, branch=case.branch, category=case.category,
        )  # fmt: skip
        other.topics.set([forests])
    html = client.get(case.get_absolute_url()).content.decode()
    assert "ข้อความเดิม" in html  # its own content: still the cached fragment
    # What lists other case studies follows the index: the new case is among the related.
    assert "ผลงานที่เพิ่งเผยแพร่ในหัวข้อเดียวกัน" in html


def test_after_a_publish_a_case_page_lists_the_others_without_reading_its_case(client):
    """After another case is published, a case page works out again what lists other case
    studies (related work, what its agency took up) from its id and agency alone: no case's
    long texts are read (a fifth of the page's time after a publish), and what its agency
    took up is one query however many it took up."""
    forests = TopicFactory()
    case = _publish()
    case.topics.set([forests])
    for title, code in (("ธนาคารขยะที่นำมาใช้", "TH-50"), ("ตลาดเขียวที่นำมาใช้", "TH-57")):
        Adoption.objects.create(case_study=_publish(title=title), agency=case.agency,
                                year_be=2568, province=province(code))  # fmt: skip
    client.get(case.get_absolute_url())

    related = _publish(title="ผลงานใหม่ในหัวข้อเดียวกัน")
    related.topics.set([forests])
    search.bump_generation()
    with CaptureQueriesContext(connection) as queries:
        html = client.get(case.get_absolute_url()).content.decode()
    assert "ผลงานใหม่ในหัวข้อเดียวกัน" in html
    assert "ธนาคารขยะที่นำมาใช้</a> — เชียงใหม่, พ.ศ. 2568" in html
    assert "ตลาดเขียวที่นำมาใช้</a> — เชียงราย, พ.ศ. 2568" in html
    assert not [q for q in queries if '"cases_casestudy"."problem"' in q["sql"]]
    assert len([q for q in queries if 'FROM "cases_adoption"' in q["sql"]]) == 1


def test_a_case_page_rendered_afresh_reads_its_lessons_once(client):
    """The template asks for the lessons twice (whether there are any, then each)."""
    case = _publish()
    for title in ("บทเรียนที่หนึ่ง", "บทเรียนที่สอง"):
        LessonFactory(case_study=case, title=title)
    with CaptureQueriesContext(connection) as queries:
        html = client.get(case.get_absolute_url()).content.decode()
    assert "บทเรียนที่หนึ่ง" in html and "บทเรียนที่สอง" in html
    assert len([q for q in queries if 'FROM "cases_lesson"' in q["sql"]]) == 1


def test_a_change_to_the_case_itself_renders_its_page_again(
    client, django_capture_on_commit_callbacks
):
    case = _publish(summary="ข้อความเดิมของผลงานนี้")
    client.get(case.get_absolute_url())
    _change_text_behind_the_cache(case, "ข้อความใหม่ของผลงานนี้")
    with django_capture_on_commit_callbacks(execute=True):
        CasePhoto.objects.create(case_study=case, image="cases/photos/x.jpg", caption="ภาพใหม่")
    html = client.get(case.get_absolute_url()).content.decode()
    assert "ข้อความใหม่" in html and "ภาพใหม่" in html


def test_renaming_a_province_renders_every_case_page_again(
    client, django_capture_on_commit_callbacks
):
    case = _publish(provinces=[province("TH-50")])
    client.get(case.get_absolute_url())
    with django_capture_on_commit_callbacks(execute=True):
        chiang_mai = province("TH-50")
        chiang_mai.name_th = "นครเชียงใหม่ (ชื่อทดสอบ)"
        chiang_mai.save()
    assert "นครเชียงใหม่ (ชื่อทดสอบ)" in client.get(case.get_absolute_url()).content.decode()


def test_a_photo_does_not_make_the_lists_cold(client, django_capture_on_commit_callbacks):
    case = _publish()
    before = search.generation()
    with django_capture_on_commit_callbacks(execute=True):
        CasePhoto.objects.create(case_study=case, image="cases/photos/x.jpg", caption="ภาพ")
    assert search.generation() == before


def _reads_index_rows(queries) -> bool:
    return any("cases_searchdocument" in q["sql"] for q in queries)


def test_unfiltered_list_facets_come_from_the_summary(client):
    cases = [_publish(year_be=2566, provinces=[province("TH-50")]) for _ in range(3)]
    cases.append(_publish(year_be=2567, provinces=[province("TH-40")]))
    assert facet_summary.refresh() == {"case": 4, "lesson": 0}
    search.bump_generation()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("cases:case_list"))
    assert not _reads_index_rows(ctx.captured_queries)
    panel = {f["param"]: {v["value"]: v["count"] for v in f["values"]}
             for f in response.context["listing"].facets}  # fmt: skip
    assert panel["year"] == {2566: 3, 2567: 1}
    assert panel["province"] == {"TH-50": 3, "TH-40": 1}
    # Chosen facets or a query are counted from the index, as before.
    with CaptureQueriesContext(connection) as ctx:
        client.get(reverse("cases:case_list"), {"year": 2566})
    assert _reads_index_rows(ctx.captured_queries)


def test_the_summary_equals_a_live_count(client):
    for year in (2565, 2566, 2566):
        _publish(year_be=year, provinces=[province("TH-10"), province("TH-50")])
    live = client.get(reverse("cases:case_list")).context["listing"].facets  # no summary yet
    assert not FacetCount.objects.exists()
    facet_summary.refresh()
    search.bump_generation()
    assert client.get(reverse("cases:case_list")).context["listing"].facets == live


def test_publishing_recounts_the_summary_once_per_burst(
    django_capture_on_commit_callbacks, monkeypatch
):
    queued = []
    monkeypatch.setattr(tasks.refresh_facet_summary, "apply_async", lambda **kw: queued.append(kw))
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            CaseStudyFactory()  # each indexed by the (eager) worker task
    assert len(queued) == 1 and queued[0]["countdown"] == facet_summary.REFRESH_DELAY
    facet_summary.refresh()  # the recount starts: the next change queues another
    with django_capture_on_commit_callbacks(execute=True):
        CaseStudyFactory()
    assert len(queued) == 2


def test_the_worker_recount_includes_a_new_publish(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        CaseStudyFactory(year_be=2568)
    assert facet_summary.counts("case")["year:2568"] == 1
    assert facet_summary.counts("case")[None] == SearchDocument.objects.filter(kind="case").count()


@pytest.mark.parametrize("with_summary", [True, False])
@pytest.mark.parametrize(
    "chosen",
    [{"year": [2566]}, {"year": [2566], "province": ["TH-50"]},
     {"province": ["TH-50", "TH-40"], "year": [2565, 2567]}],
)  # fmt: skip
def test_chosen_facets_count_as_reading_every_row_would(chosen, with_summary):
    from cases import facets

    for year, places in [(2565, ["TH-50"]), (2566, ["TH-50", "TH-40"]), (2566, ["TH-10"]),
                         (2567, ["TH-40"]), (2566, ["TH-50"])]:  # fmt: skip
        _publish(year_be=year, provinces=[province(code) for code in places])
    every = SearchDocument.objects.filter(kind="case")
    summary = facet_summary.refresh() and facet_summary.counts("case") if with_summary else None
    exact = facets.CASES.panel(facets.CASES.tally(every, chosen), chosen)
    tally = facets.CASES.tally_of_chosen(every, chosen, 1001, summary)
    assert facets.CASES.panel(tally, chosen) == exact
    # Bounded: with fewer rows allowed than there are, the counts say they are lower bounds.
    bounded = facets.CASES.panel(facets.CASES.tally_of_chosen(every, chosen, 1, summary), chosen)
    assert all(facet["lower_bound"] for facet in bounded)


def test_unfiltered_lists_and_home_do_not_count_every_case(client):
    from tests.factories import LessonFactory

    cases = [_publish(year_be=2566) for _ in range(2)]
    LessonFactory(case_study=cases[0], is_published=True)
    index(cases[0])
    facet_summary.refresh()
    search.bump_generation()
    for url in (reverse("cases:home"), reverse("cases:case_list"), reverse("cases:lesson_list")):
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        counting = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"]]
        assert not counting, (url, counting)
    assert response.context["listing"].total == 1
    home = client.get(reverse("cases:home")).content.decode()
    assert "2566" in home


def test_unpublishing_leaves_the_index_in_the_same_transaction():
    # The index holds public work only at every commit, so searches need not test each match
    # against the published case studies and lessons (issue 20: a lesson search's suggestions
    # took 3.8 s at 25,000 lessons doing so).
    from tests.factories import LessonFactory

    case = CaseStudyFactory()
    lesson = LessonFactory(case_study=case, is_published=True)
    other = LessonFactory(case_study=case, is_published=True)
    index(case)
    assert SearchDocument.objects.filter(case_study=case).count() == 3
    lesson.is_published = False
    lesson.save()  # no commit yet: the worker has not run
    assert not SearchDocument.objects.filter(lesson=lesson).exists()
    assert SearchDocument.objects.filter(lesson=other).exists()
    case.is_published = False
    case.save()
    assert not SearchDocument.objects.filter(case_study=case).exists()


def _rename_behind_the_cache(case, title):
    CaseStudy.objects.filter(pk=case.pk).update(title=title)


def test_a_list_renders_only_the_cards_a_publish_changed(
    client, django_capture_on_commit_callbacks
):
    """After a publish the list is worked out again (the new case is on it), but the other
    cards come from the cache until their own case changes."""
    case = _publish(title="ชื่อเดิมของผลงานแรก")
    assert "ชื่อเดิมของผลงานแรก" in client.get(reverse("cases:case_list")).content.decode()
    _rename_behind_the_cache(case, "ชื่อใหม่ของผลงานแรก")

    _publish(title="ผลงานที่เพิ่งเผยแพร่")
    html = client.get(reverse("cases:case_list")).content.decode()
    assert "ผลงานที่เพิ่งเผยแพร่" in html
    assert "ชื่อเดิมของผลงานแรก" in html  # its card: still the cached one

    with django_capture_on_commit_callbacks(execute=True):
        case.refresh_from_db()
        case.save()  # an edit of the case itself: its card is rendered again
    html = client.get(reverse("cases:case_list")).content.decode()
    assert "ชื่อใหม่ของผลงานแรก" in html and "ชื่อเดิมของผลงานแรก" not in html


def test_related_work_and_the_home_page_reuse_the_cached_cards(client):
    """A case page's related work and the home page's latest winners are cards like the
    lists': after a publish, those of unchanged case studies come from the cache."""
    forests = TopicFactory()
    neighbour = _publish(title="ชื่อเดิมของผลงานข้างเคียง")
    neighbour.topics.set([forests])
    case = _publish()
    case.topics.set([forests])
    assert "ชื่อเดิมของผลงานข้างเคียง" in client.get(case.get_absolute_url()).content.decode()
    _rename_behind_the_cache(neighbour, "ชื่อใหม่ของผลงานข้างเคียง")

    _publish(title="ผลงานที่เพิ่งเผยแพร่")
    for url in (case.get_absolute_url(), reverse("cases:home")):
        html = client.get(url).content.decode()
        assert "ชื่อเดิมของผลงานข้างเคียง" in html, url  # the card cached by the case page
        assert "ชื่อใหม่ของผลงานข้างเคียง" not in html, url
    assert "ผลงานที่เพิ่งเผยแพร่" in html  # the home page was worked out again


def test_a_search_after_a_publish_reuses_the_snippets(client, django_capture_on_commit_callbacks):
    """A snippet is cut from its case's texts for the query: a publish of another case
    changes neither, so the search is worked out again but no text is read or cut again."""
    case = _publish(summary="ป่าชุมชนของหมู่บ้านต้นน้ำแรก ชาวบ้านช่วยกันดูแล")
    url = reverse("cases:case_list") + "?q=ป่าชุมชน"
    assert "หมู่บ้านต้นน้ำแรก" in client.get(url).content.decode()
    _change_text_behind_the_cache(case, "ป่าชุมชนของหมู่บ้านริมน้ำที่สอง ชาวบ้านช่วยกันดูแล")

    # Of the same agency: a new agency's name joins the thesaurus, a new meaning for queries.
    new = _publish(
        title="ผลงานที่เพิ่งเผยแพร่", summary="ป่าชุมชนอีกแห่งหนึ่ง",
        agency=case.agency, branch=case.branch, category=case.category,
    )  # fmt: skip
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url).content.decode()
    assert "อีกแห่งหนึ่ง" in html  # the new case: its snippet cut now
    assert "หมู่บ้านต้นน้ำแรก" in html  # the other: the snippet cut before the publish
    # The texts of the new case only: the rows read are those of its id alone.
    texts_read = [q["sql"] for q in queries if '"cases_casestudy"."summary"' in q["sql"]]
    assert len(texts_read) == 1
    ids_read = re.search(r'"cases_casestudy"\."id" IN \(([^)]*)\)', texts_read[0]).group(1)
    assert [int(pk) for pk in ids_read.split(",")] == [new.pk]

    with django_capture_on_commit_callbacks(execute=True):
        case.refresh_from_db()
        case.save()  # an edit of the case itself: its snippet is cut again
    assert "หมู่บ้านริมน้ำที่สอง" in client.get(url).content.decode()


def test_the_api_after_a_publish_reuses_the_snippets(client, django_capture_on_commit_callbacks):
    """The API's results carry the cards' snippets, kept the same way: after a publish of
    another case only the new case's is cut; an edit of the case cuts its own again."""
    from tests.factories import LessonFactory

    case = _publish(summary="ป่าชุมชนของหมู่บ้านต้นน้ำแรก ชาวบ้านช่วยกันดูแล")
    with django_capture_on_commit_callbacks(execute=True):
        lesson = LessonFactory(case_study=case, is_published=True,
                               background="ป่าชุมชนของหมู่บ้านต้นน้ำแรก เริ่มจากการประชุม")  # fmt: skip

    def snippets(path):
        results = client.get(path, {"q": "ป่าชุมชน"}).json()["results"]
        return {hit["id"]: hit["snippet"] for hit in results}

    assert "หมู่บ้านต้นน้ำแรก" in snippets("/api/v1/cases/")[case.pk]
    assert "หมู่บ้านต้นน้ำแรก" in snippets("/api/v1/lessons/")[lesson.pk]
    _change_text_behind_the_cache(case, "ป่าชุมชนของหมู่บ้านริมน้ำที่สอง ชาวบ้านช่วยกันดูแล")
    Lesson.objects.filter(pk=lesson.pk).update(background="ป่าชุมชนของหมู่บ้านริมน้ำที่สอง")

    new = _publish(
        title="ผลงานที่เพิ่งเผยแพร่", summary="ป่าชุมชนอีกแห่งหนึ่ง",
        agency=case.agency, branch=case.branch, category=case.category,
    )  # fmt: skip
    after = snippets("/api/v1/cases/")
    assert "อีกแห่งหนึ่ง" in after[new.pk]  # the new case: its snippet cut now
    assert "หมู่บ้านต้นน้ำแรก" in after[case.pk]  # the other: cut before the publish
    assert "หมู่บ้านต้นน้ำแรก" in snippets("/api/v1/lessons/")[lesson.pk]

    with django_capture_on_commit_callbacks(execute=True):
        case.refresh_from_db()
        case.save()  # an edit of the case itself: its snippets are cut again
    assert "หมู่บ้านริมน้ำที่สอง" in snippets("/api/v1/cases/")[case.pk]
    assert "หมู่บ้านริมน้ำที่สอง" in snippets("/api/v1/lessons/")[lesson.pk]


def test_an_empty_snippet_is_kept_like_any_other(client):
    """A case found by its title alone, with no text to cut a snippet from: its empty snippet
    is kept, and read back as kept (the API falls back to the start of the summary)."""
    case = _publish(title="ป่าชุมชนไม่มีเนื้อหา", summary="", problem="", approach="",
                    results="", body="")  # fmt: skip
    for _ in range(2):  # cut, then read from the cache after a publish
        response = client.get("/api/v1/cases/", {"q": "ป่าชุมชน"})
        assert response.status_code == 200
        assert [hit["id"] for hit in response.json()["results"]] == [case.pk]
        search.bump_generation()


def test_the_api_answers_from_the_cache_until_the_index_changes(client):
    """A search through the API is worked out once per index generation, address and
    language, as the pages are: asked again, no index row is read; a publish shows the new
    case; English names the award level in English."""
    case = _publish(title="ป่าชุมชนต้นน้ำ", award_level="outstanding")
    url = "/api/v1/cases/"

    def ask(language="th"):
        return client.get(url, {"q": "ป่าชุมชน"}, headers={"Accept-Language": language}).json()

    first = ask()
    with CaptureQueriesContext(connection) as queries:
        assert ask() == first
    assert not [q for q in queries if "cases_searchdocument" in q["sql"]]
    assert first["results"][0]["award_level_label"] == "ระดับดีเด่น"
    assert ask("en")["results"][0]["award_level_label"] == "Outstanding"

    new = _publish(title="ป่าชุมชนอีกแห่งหนึ่ง")
    assert {hit["id"] for hit in ask()["results"]} == {case.pk, new.pk}


def test_the_api_answer_names_the_address_it_was_asked_at(client, settings):
    """Kept by the address asked: the same search through another allowed host links there."""
    settings.ALLOWED_HOSTS = ["testserver", "lertrat.example"]
    for n in range(2):
        _publish(title=f"ป่าชุมชนแห่งที่ {n}")
    for host in ("testserver", "lertrat.example", "testserver"):
        answer = client.get("/api/v1/cases/", {"q": "ป่าชุมชน", "page_size": 1},
                            HTTP_HOST=host).json()  # fmt: skip
        assert answer["next"].startswith(f"http://{host}/api/v1/cases/")
        assert answer["results"][0]["url"].startswith(f"http://{host}/cases/")


def test_a_lesson_card_follows_its_case(client, django_capture_on_commit_callbacks):
    from tests.factories import LessonFactory

    case = _publish(title="ผลงานของบทเรียน")
    with django_capture_on_commit_callbacks(execute=True):
        LessonFactory(case_study=case, is_published=True, title="บทเรียนจากผลงาน")
    assert "ผลงานของบทเรียน" in client.get(reverse("cases:lesson_list")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        case.title = "ผลงานของบทเรียนชื่อใหม่"
        case.save()
    html = client.get(reverse("cases:lesson_list")).content.decode()
    assert "ผลงานของบทเรียนชื่อใหม่" in html


def test_a_renamed_agency_renders_the_cards_again(client, django_capture_on_commit_callbacks):
    case = _publish()
    client.get(reverse("cases:case_list"))
    with django_capture_on_commit_callbacks(execute=True):
        case.agency.name_th = "สำนักงานชื่อใหม่เพื่อการทดสอบ"
        case.agency.save()
    assert "สำนักงานชื่อใหม่เพื่อการทดสอบ" in client.get(reverse("cases:case_list")).content.decode()


def test_facet_names_are_read_again_only_when_a_name_changes(
    client, django_capture_on_commit_callbacks
):
    _publish(provinces=[province("TH-50")])
    facet_summary.refresh()
    client.get(reverse("cases:case_list"))
    chiang_mai = province("TH-50")
    type(chiang_mai).objects.filter(pk=chiang_mai.pk).update(name_th="ชื่อที่ยังไม่ประกาศ")

    _publish(provinces=[province("TH-50")])
    facet_summary.refresh()  # new counts: the panel is rendered again, with the names it had
    assert "ชื่อที่ยังไม่ประกาศ" not in html_of_panel(client)
    with django_capture_on_commit_callbacks(execute=True):
        chiang_mai.refresh_from_db()
        chiang_mai.save()  # a rename through the admin: every name is read again
    assert "ชื่อที่ยังไม่ประกาศ" in html_of_panel(client)


def html_of_panel(client):
    html = client.get(reverse("cases:case_list")).content.decode()
    assert "(2)" in html  # the new counts
    return html[html.index('id="facets"') : html.index('id="results"')]


def test_the_summary_is_read_from_the_database_once_per_recount():
    _publish(year_be=2566)
    facet_summary.refresh()
    assert facet_summary.counts("case")["year:2566"] == 1
    with CaptureQueriesContext(connection) as ctx:
        assert facet_summary.total("case") == 1 and facet_summary.counts("case")
    assert not ctx.captured_queries
    _publish(year_be=2567)
    facet_summary.refresh()
    assert facet_summary.counts("case")["year:2567"] == 1 and facet_summary.total("case") == 2


def test_a_common_words_search_after_a_publish_counts_nothing_again(client, monkeypatch):
    # A word found whole in more than COUNT_CAP documents has "more than COUNT_CAP" matches
    # and its facet counts are lower bounds over a sample of them: after a publish neither is
    # counted again (cases/search/query.py known_to_match_at_least, cases/listing.py).
    from cases.facets import FacetSet
    from cases.search.query import CappedPages

    search.forget_dictionary()
    monkeypatch.setattr("cases.search.query.COUNT_CAP", 2)
    monkeypatch.setattr("cases.listing.FACET_ROWS", 3)
    counted = []
    for cls, name in ((CappedPages, "_count_rows"), (FacetSet, "tally")):
        monkeypatch.setattr(cls, name, _recorded(getattr(cls, name), counted))
    for year in (2565, 2566, 2566):
        _publish(title="ธนาคารขยะชุมชน", year_be=year)
    url = reverse("cases:case_list")
    first = client.get(url, {"q": "ชุมชน"}).content.decode()
    # Found common (counting its whole words to the cap) its matches are not counted again.
    assert counted == ["tally"] and "อย่างน้อย" in first  # lower bounds, said as such
    newest = _publish(title="ธนาคารขยะชุมชนแห่งใหม่", year_be=2567)
    counted.clear()
    html = client.get(url, {"q": "ชุมชน"}).content.decode()
    assert counted == []
    assert newest.get_absolute_url() in html  # the page itself is read again: the new case leads
    assert "อย่างน้อย" in html and "มากกว่า 2" in html
    # A renamed province or agency: the counts kept a while are named again, so counted again.
    search.bump_names_generation()
    search.bump_generation()  # as a rename does (cases/signals.py)
    client.get(url, {"q": "ชุมชน"})
    assert counted == ["tally"]
    counted.clear()
    # Two common words may match few together: counted, once — the facet tally reads the
    # rows the count would (cases/listing.py _tally_counting).
    client.get(url, {"q": "ธนาคาร ชุมชน"})
    assert counted == ["tally"]
    counted.clear()
    client.get(url, {"q": "ธนาคาร ชุมชน", "year": "2566"})  # a facet chosen: a count of its own
    assert counted == ["tally", "_count_rows"]


def _recorded(method, calls):
    def recorded(*args, **kwargs):
        calls.append(method.__name__)
        return method(*args, **kwargs)

    return recorded


def test_a_rare_words_counts_are_fresh_after_a_publish(client):
    search.forget_dictionary()
    _publish(title="ธนาคารขยะชุมชน", year_be=2566)
    url = reverse("cases:case_list")
    client.get(url, {"q": "ธนาคารขยะ"})
    _publish(title="ธนาคารขยะแห่งใหม่", year_be=2567)
    html = client.get(url, {"q": "ธนาคารขยะ"}).content.decode()
    assert re.search(r"2567\s*<span class=\"count\">\(1\)", html)


def _published_and_indexed(capture, like=None, **fields):
    """Published, then indexed by the worker after commit: the change kept with its rows. Of
    the same agency as `like` (a new agency's name joins the thesaurus: a change of meaning
    for every query)."""
    if like is not None:
        fields |= {"agency": like.agency, "branch": like.branch, "category": like.category}
    with capture(execute=True):
        case = CaseStudyFactory(**fields)
    return case


def _reads_the_index(client, url, params) -> tuple[bool, str]:
    with CaptureQueriesContext(connection) as queries:
        html = client.get(url, params).content.decode()
    return any("cases_searchdocument" in q["sql"] for q in queries), html


def test_publishing_work_a_search_cannot_find_keeps_its_answer(
    client, django_capture_on_commit_callbacks
):
    """A search's page and API answer outlive a publish whose index rows its words are not
    in (caching.answer_generation): no index row is read again. A publish its words are in,
    and an unpublish of what it found, show at once."""
    capture = django_capture_on_commit_callbacks
    search.forget_dictionary()
    forest = _published_and_indexed(capture, title="ป่าชุมชนต้นน้ำ", summary="ชาวบ้านดูแลป่า")
    page, api = reverse("cases:case_list"), "/api/v1/cases/"
    for url in (page, api):
        assert _reads_the_index(client, url, {"q": "ป่าชุมชน"})[0]

    client.get(page)
    permit = _published_and_indexed(capture, forest, title="ลดขั้นตอนใบอนุญาต", summary="ยื่นคำขอ")
    for url in (page, api):
        read, html = _reads_the_index(client, url, {"q": "ป่าชุมชน"})
        assert not read and forest.get_absolute_url() in html
    # A list with nothing searched has every case in it: worked out again.
    assert permit.get_absolute_url() in client.get(page).content.decode()

    # Found inside a longer word: the sub-word layer finds it, so the answer is worked out again.
    inside = _published_and_indexed(capture, forest, title="ผ้าป่าชุมชนบ้านใหม่", summary="ทอดผ้า")
    for url in (page, api):
        read, html = _reads_the_index(client, url, {"q": "ป่าชุมชน"})
        assert read and inside.get_absolute_url() in html

    with capture(execute=True):
        forest.is_published = False
        forest.save()
    for url in (page, api):
        assert forest.get_absolute_url() not in client.get(url, {"q": "ป่าชุมชน"}).content.decode()


def test_an_answer_that_found_nothing_follows_every_publish(
    client, django_capture_on_commit_callbacks
):
    """A search that found nothing offers suggestions from the whole vocabulary, which any
    publish may change: it is worked out again after every one."""
    search.forget_dictionary()
    url = reverse("cases:case_list")
    bank = _published_and_indexed(django_capture_on_commit_callbacks, title="ธนาคารขยะชุมชน")
    assert "ไม่พบ" in client.get(url, {"q": "โรงพยาบาล"}).content.decode()
    _published_and_indexed(django_capture_on_commit_callbacks, bank, title="ลดขั้นตอนใบอนุญาต")
    assert _reads_the_index(client, url, {"q": "โรงพยาบาล"})[0]


def test_too_many_changes_or_one_without_rows_work_an_answer_out_again(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    from cases import caching

    search.forget_dictionary()
    url = reverse("cases:case_list")
    forest = _published_and_indexed(django_capture_on_commit_callbacks, title="ป่าชุมชนต้นน้ำ")
    client.get(url, {"q": "ป่าชุมชน"})
    monkeypatch.setattr(caching, "CHANGES_READ", 2)
    for n in range(3):
        _published_and_indexed(django_capture_on_commit_callbacks, forest, title=f"ใบอนุญาต {n}")
    assert _reads_the_index(client, url, {"q": "ป่าชุมชน"})[0]  # three changes: more than 2
    assert not _reads_the_index(client, url, {"q": "ป่าชุมชน"})[0]
    search.bump_generation()  # a rebuild, the thesaurus: anything may have changed
    assert _reads_the_index(client, url, {"q": "ป่าชุมชน"})[0]
    # A change of more text than is kept is one that may change anything.
    monkeypatch.setattr("cases.search.indexing.CHANGED_CHARS_KEPT", 20)
    _published_and_indexed(django_capture_on_commit_callbacks, forest, title="ใบอนุญาตฉบับยาว")
    assert _reads_the_index(client, url, {"q": "ป่าชุมชน"})[0]


QUERIES_PER_CASE = 40


def test_every_row_a_search_finds_is_one_its_check_says_it_may_match(thai_cases):
    """query.best_tier must never put a row the engine finds in a worse tier than the engine
    does (nor say it cannot match), or a kept answer would miss it: checked for every word
    of the documents, pieces of their text (the sub-word layer), two words together,
    thesaurus equivalents and Latin with diacritics."""
    import random

    from cases.search import indexing

    rng = random.Random(20261207)
    café = CaseStudyFactory(title="ร้าน Café ของชุมชน", summary="กาแฟดอยจากวิสาหกิจชุมชน")
    index(café)  # SQLite's word tokenizer finds it for "cafe"
    rows = {
        row[0]: indexing.as_changed(row[1:])
        for row in SearchDocument.objects.filter(kind="case").values_list(
            "case_study_id", *indexing.CHANGED_FIELDS
        )
    }
    queries = {"สวพส.", "โรงพยาบาล ชุมชน", "cafe", "Café", "PMQA 4.0", "e-Service"}
    for row in rows.values():
        words, chars = " ".join(row.words).split(), " ".join(row.chars).split()
        queries.update(rng.sample(words, min(QUERIES_PER_CASE // 2, len(words))))
        for _ in range(QUERIES_PER_CASE // 2):
            text = rng.choice(chars)
            start = rng.randrange(len(text))
            queries.add(text[start : start + rng.randint(3, 8)])
        queries.add(" ".join(rng.sample(words, 2)))
    found_pairs, unfound_pairs, said_no, tiers_seen = 0, 0, 0, set()
    for text in sorted(queries):
        query = search.parse(text)
        if not query:  # nothing left to look for (punctuation)
            continue
        found = dict(search.matches(query, "case").values_list("case_study_id", "tier"))
        for case_id, row in rows.items():
            if case_id in found:
                tier = search.best_tier(query, row)
                assert tier is not None and tier <= found[case_id], (text, case_id)
                found_pairs += 1
                tiers_seen.add(found[case_id])
            else:
                unfound_pairs += 1
                said_no += search.best_tier(query, row) is None
    assert found_pairs > 100 and tiers_seen == set(range(6))
    # Not a check that says "may" of everything: of the rows not found, it rules most out.
    assert said_no > unfound_pairs / 2


def test_a_common_words_full_page_outlives_a_publish_that_ranks_after_it(
    client, django_capture_on_commit_callbacks, monkeypatch
):
    """Past COUNT_CAP matches (a word in most documents), a page of the relevance order is
    kept across a publish whose case would rank after its last row (the word only in its
    text, where the page's are in titles); one that would rank on it shows at once."""
    monkeypatch.setattr("cases.search.query.COUNT_CAP", 2)
    monkeypatch.setattr("cases.listing.FACET_ROWS", 3)
    search.forget_dictionary()
    capture = django_capture_on_commit_callbacks
    first = _published_and_indexed(capture, title="ธนาคารขยะชุมชน", award_level="good")
    for n in range(3):
        _published_and_indexed(capture, first, title=f"ชุมชนแห่งที่ {n}", award_level="good")
    page = {"q": "ชุมชน", "page_size": 2}
    for url, params in (("/api/v1/cases/", page), (reverse("cases:case_list"), {"q": "ชุมชน"})):
        assert _reads_the_index(client, url, params)[0]

    _published_and_indexed(capture, first, title="ลดขั้นตอนใบอนุญาต", body="ชาวชุมชนยื่นคำขอ",
                           award_level="good")  # fmt: skip
    # (Pages end at COUNT_CAP, past which there are more: the web page's, of two, is full too.)
    for url, params in (("/api/v1/cases/", page), (reverse("cases:case_list"), {"q": "ชุมชน"})):
        assert not _reads_the_index(client, url, params)[0]

    leading = _published_and_indexed(capture, first, title="ชุมชนต้นแบบ", award_level="good")
    read, body = _reads_the_index(client, "/api/v1/cases/", page)
    assert read and json.loads(body)["results"][0]["id"] == leading.pk


def test_a_query_is_parsed_once_per_meaning(thai_cases):
    """A cached page still parses its query for its key: once per process, dictionary and
    thesaurus as loaded; a thesaurus or dictionary change parses it again."""
    from cases.models import ThesaurusGroup

    first = search.parse("ป่าชุมชน")
    assert search.parse(" ป่าชุมชน ") is first
    ThesaurusGroup.objects.create(kind="synonym", terms="ป่าชุมชน\nป่าของหมู่บ้าน")
    again = search.parse("ป่าชุมชน")
    assert again is not first and again.also == ["ป่าของหมู่บ้าน"]
    search.forget_dictionary()
    assert search.parse("ป่าชุมชน") is not again
