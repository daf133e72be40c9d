import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import search
from tests.factories import CaseStudyFactory, LessonFactory, TopicFactory, province

from .conftest import index

pytestmark = pytest.mark.django_db


def test_search_page_combines_query_and_facets(client, thai_cases):
    response = client.get(reverse("cases:case_list"), {"q": "ป่า"})
    html = response.content.decode()
    assert response.status_code == 200
    for name in ("forest_title", "forest_summary", "forest_body"):
        assert thai_cases[name].title in html
    assert thai_cases["hospital"].title not in html
    assert "<mark>ป่า</mark>" in html
    # Facet counts follow the query: three forest cases, all in Chiang Mai (TH-50).
    facets = response.context["listing"].facets
    provinces = {v["value"]: v["count"] for f in facets if f["param"] == "province"
                 for v in f["values"]}  # fmt: skip
    assert provinces == {"TH-50": 3}
    response = client.get(reverse("cases:case_list"), {"q": "ป่า", "year": "2567"})
    listing = response.context["listing"]
    assert [c.pk for c, _ in listing.results] == [
        thai_cases["forest_summary"].pk, thai_cases["forest_body"].pk
    ]  # fmt: skip
    years = {v["value"]: v["count"] for f in listing.facets if f["param"] == "year"
             for v in f["values"]}  # fmt: skip
    assert years == {2567: 2, 2565: 1}  # a facet's own choice does not narrow its counts
    response = client.get(reverse("cases:case_list"), {"q": "ป่า", "province": "TH-40"})
    assert response.context["listing"].total == 0


def test_search_page_suggests_when_nothing_matches(client, thai_cases):
    response = client.get(reverse("cases:case_list"), {"q": "ป่าชุมชนยานอวกาศ"})
    assert response.status_code == 200
    assert response.context["listing"].total == 0
    assert response.context["listing"].suggestions
    assert "ลองค้นหา" in response.content.decode()


def test_bad_facet_values_are_ignored(client, thai_cases):
    response = client.get(
        reverse("cases:case_list"), {"year": "abc", "agency": "x", "sort": "nope", "page": "9"}
    )
    assert response.status_code == 200
    assert response.context["listing"].total == 4


def test_htmx_request_returns_results_and_facets_only(client, thai_cases):
    response = client.get(reverse("cases:case_list"), {"q": "ป่า"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "<html" not in html and 'hx-swap-oob="true"' in html and "results-inner" in html


def _queries(client, url, cards_cached=True):
    """The queries of a page rendered afresh (its cached fragment and counts out of date), its
    result cards cached (as after a publish: cases/fragments.py) or not (as after a rename)."""
    search.bump_generation()
    client.get(url)  # new agencies were added: the search dictionary is re-read once
    search.bump_generation()
    if not cards_cached:
        search.bump_names_generation()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_case_page_and_list_page_make_a_fixed_number_of_queries(client, db):
    small = CaseStudyFactory(provinces=[province("TH-10")])
    LessonFactory(case_study=small)
    small.topics.set([TopicFactory()])
    CaseStudyFactory(agency=small.agency)  # one related case study against many
    big = CaseStudyFactory(provinces=[province(c) for c in ("TH-10", "TH-50", "TH-40", "TH-57")])
    for _ in range(6):
        LessonFactory(case_study=big)
    big.topics.set([TopicFactory() for _ in range(4)])
    for _ in range(5):
        CaseStudyFactory(agency=big.agency, provinces=[province("TH-50")])
    index(small, big)
    assert _queries(client, small.get_absolute_url()) == _queries(client, big.get_absolute_url())
    first = _queries(client, reverse("cases:case_list"))
    uncached = _queries(client, reverse("cases:case_list"), cards_cached=False)
    assert uncached > first  # the rows of the cards, read only to render them
    for _ in range(10):
        CaseStudyFactory(provinces=[province("TH-50"), province("TH-40")])
    assert _queries(client, reverse("cases:case_list")) == first
    assert _queries(client, reverse("cases:case_list"), cards_cached=False) == uncached
    searched = _queries(client, reverse("cases:case_list") + "?q=ผลงาน&province=TH-50")
    CaseStudyFactory.create_batch(5, provinces=[province("TH-50")])
    assert _queries(client, reverse("cases:case_list") + "?q=ผลงาน&province=TH-50") == searched


def test_public_pages(client, thai_cases):
    case, lesson = thai_cases["forest_title"], thai_cases["lesson"]
    response = client.get(case.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert 'property="og:title"' in html and lesson.get_absolute_url() in html
    assert thai_cases["forest_summary"].title in html  # related: same agency
    assert client.get(lesson.get_absolute_url()).status_code == 200
    home = client.get(reverse("cases:home")).content.decode()
    assert thai_cases["forest_body"].title in home and "2567" in home
    assert client.get(reverse("cases:lesson_list"), {"q": "แนวเขต"}).context["listing"].total == 1
    agency = client.get(reverse("cases:agency_detail", args=[thai_cases["agency"].pk]))
    assert case.title in agency.content.decode()
    results = client.get(reverse("cases:cycle_results", args=[2567])).content.decode()
    assert thai_cases["forest_body"].title in results and case.title not in results
    assert client.get(reverse("cases:cycle_results", args=[2550])).status_code == 404
    rss = client.get(reverse("cases:feed_rss")).content.decode()
    assert case.title in rss
    atom = client.get(reverse("cases:feed_atom"))
    assert atom["Content-Type"].startswith("application/atom+xml")
    sitemap = client.get(reverse("cases:sitemap")).content.decode()
    assert "<urlset" in sitemap and "/cases/" in sitemap
    robots = client.get("/robots.txt").content.decode()
    assert "Sitemap:" in robots and "Disallow: /admin/" in robots


def test_unpublished_work_is_not_public(client, thai_cases):
    case = thai_cases["forest_title"]
    case.is_published = False
    case.save()
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(thai_cases["lesson"].get_absolute_url()).status_code == 404
    assert case.title not in client.get(reverse("cases:feed_rss")).content.decode()
    assert case.title not in client.get(reverse("cases:case_list")).content.decode()
    hidden = LessonFactory(case_study=thai_cases["hospital"], is_published=False)
    assert client.get(hidden.get_absolute_url()).status_code == 404


PUBLIC_PAGES = [  # (url name, query string, queries of a page served from the cache)
    ("cases:home", "", 0),
    ("cases:case_list", "", 0),
    ("cases:case_list", "?q=ป่า&year=2567", 0),
    ("cases:lesson_list", "?q=แนวเขต", 0),
    ("case", "", 1),  # the case study's id (its head is kept with its page)
]


def _public_url(name, query, case):
    return (case.get_absolute_url() if name == "case" else reverse(name)) + query


def _page(client, url):
    """The page without its CSRF token (the language switch's form: new on every request)."""
    html = client.get(url).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)


@pytest.mark.parametrize("name, query, cached_queries", PUBLIC_PAGES)
def test_public_pages_are_served_from_the_cache_until_the_index_changes(
    client, thai_cases, django_capture_on_commit_callbacks, name, query, cached_queries
):
    url = _public_url(name, query, thai_cases["forest_title"])
    first = _page(client, url)
    with CaptureQueriesContext(connection) as ctx:
        again = _page(client, url)
    assert len(ctx) == cached_queries
    assert again == first
    # Publishing changes the index generation (after commit): the page is rendered again.
    with django_capture_on_commit_callbacks(execute=True):
        new = CaseStudyFactory(agency=thai_cases["agency"], year_be=2567, title="ผลงานล่าสุดแนวเขตป่า")
        lesson = LessonFactory(case_study=new, title="บทเรียนล่าสุดเรื่องแนวเขต")
        index(new, lesson)
    with CaptureQueriesContext(connection) as ctx:
        fresh = _page(client, url)
    assert len(ctx) > cached_queries
    assert "ล่าสุดแนวเขต" in fresh and "ล่าสุดแนวเขต" not in first


def test_cached_public_pages_are_kept_apart_by_language(client, thai_cases):
    url = reverse("cases:home")
    assert "ผู้ได้รับรางวัลล่าสุด" in client.get(url).content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    assert "Latest winners" in english and "ผู้ได้รับรางวัลล่าสุด" not in english
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    assert "ผู้ได้รับรางวัลล่าสุด" in client.get(url).content.decode()


def test_cached_cards_are_kept_apart_by_language(client, thai_cases):
    """A card outlives a publish (cases/fragments.py), but a Thai reader's card is never an
    English reader's."""
    url = reverse("cases:case_list")
    thai = client.get(url).content.decode()
    assert "พ.ศ. " in thai
    search.bump_generation()  # as after a publish: the list again, the cards from the cache
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(url).content.decode()
    results = english[english.index('class="results"') :]
    assert "B.E. " in results and "พ.ศ. " not in results
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "th"
    search.bump_generation()
    assert "พ.ศ. " in client.get(url).content.decode()


def test_cached_pages_follow_changes_that_move_no_index_row(
    client, thai_cases, django_capture_on_commit_callbacks
):
    """A lesson unpublished, an agency renamed: rendered again once committed."""
    lesson, agency = thai_cases["lesson"], thai_cases["agency"]
    lessons, case_page = reverse("cases:lesson_list"), thai_cases["forest_title"].get_absolute_url()
    assert lesson.title in _page(client, lessons) and lesson.title in _page(client, case_page)
    with django_capture_on_commit_callbacks(execute=True):
        lesson.is_published = False
        lesson.save()
    assert lesson.title not in _page(client, lessons)
    assert lesson.title not in _page(client, case_page)

    assert "สถาบันเปลี่ยนชื่อใหม่" not in _page(client, reverse("cases:home"))
    with django_capture_on_commit_callbacks(execute=True):
        agency.name_th = "สถาบันเปลี่ยนชื่อใหม่"
        agency.save()
    assert "สถาบันเปลี่ยนชื่อใหม่" in _page(client, reverse("cases:home"))


def test_an_agency_page_shows_its_work_a_page_at_a_time(client):
    first = CaseStudyFactory(year_be=2568, title="ผลงานปีล่าสุดของหน่วยงาน")
    for _ in range(20):
        CaseStudyFactory(agency=first.agency, year_be=2560)
    url = reverse("cases:agency_detail", args=[first.agency.pk])
    page_one = client.get(url).content.decode()
    assert page_one.count('class="card result"') == 20
    assert "ผลงานปีล่าสุดของหน่วยงาน" in page_one and "หน้า 1 จาก 2" in page_one
    page_two = client.get(url, {"page": "2"}).content.decode()
    assert page_two.count('class="card result"') == 1 and "หน้า 2 จาก 2" in page_two
    assert client.get(url, {"page": "ไม่ใช่ตัวเลข"}).status_code == 200  # the first page
