"""Facets of the case list and the lesson list (cases/facets.py): filters, counts against a
brute-force count, malformed values."""

import random
from collections import Counter

import pytest
from django.http import QueryDict
from django.urls import reverse

from cases import facets, listing
from cases.models import SearchDocument
from portal.agencies.models import SDG
from tests.factories import (
    AgencyFactory,
    BranchFactory,
    CaseStudyFactory,
    LessonFactory,
    TopicFactory,
    province,
)

from .conftest import index

pytestmark = pytest.mark.django_db

PROVINCES = ["TH-10", "TH-40", "TH-50", "TH-57"]


@pytest.fixture
def corpus(db):
    """Thirty case studies with random facet values, half of them about forests (ป่า), and
    their lessons; one unpublished case whose lesson must never be counted."""
    rnd = random.Random(7)
    branches = [BranchFactory(), BranchFactory(code="pmqa", name_th="สาขาคุณภาพการบริหาร")]
    agencies = [AgencyFactory() for _ in range(3)]
    topics = [TopicFactory() for _ in range(3)]
    sdgs = list(SDG.objects.order_by("number")[:4])
    levels = ["honour", "outstanding", "good", ""]
    cases = []
    for i in range(30):
        case = CaseStudyFactory(
            title=f"ป่า ต้นน้ำ {i}" if i % 2 else f"ห้องสมุด {i}",
            year_be=rnd.choice([2565, 2566, 2567]),
            branch=rnd.choice(branches),
            award_level=rnd.choice(levels),
            agency=rnd.choice(agencies),
            provinces=[province(c) for c in rnd.sample(PROVINCES, rnd.randint(0, 2))],
        )
        case.topics.set(rnd.sample(topics, rnd.randint(0, 2)))
        case.sdgs.set(rnd.sample(sdgs, rnd.randint(0, 2)))
        for _ in range(rnd.randint(0, 2)):
            LessonFactory(case_study=case, title=f"บทเรียน ป่า {i}" if i % 3 else f"บทเรียน {i}")
        cases.append(case)
    hidden = CaseStudyFactory(is_published=False, year_be=2566, branch=branches[0])
    LessonFactory(case_study=hidden)
    index(*cases, hidden)
    return {"cases": cases, "topics": topics, "sdgs": sdgs, "agencies": agencies}


def values_of(case) -> dict[str, set]:
    """A case study's facet values read from its fields (independently of facets.py)."""
    return {
        "year": {case.year_be},
        "branch": {case.branch.code} if case.branch else set(),
        "category": {case.category_id} if case.category_id else set(),
        "level": {case.award_level} if case.award_level else set(),
        "province": {p.code for p in case.provinces.all()},
        "agency": {case.agency_id} if case.agency_id else set(),
        "sdg": {s.number for s in case.sdgs.all()},
        "topic": {t.slug for t in case.topics.all()},
    }


def brute_force(items, facet_set, chosen):
    """{param: {value: count}} and the number of items having every chosen facet."""
    expected = {}
    for facet in facet_set.facets:
        counter = Counter()
        for values in items:
            if all(values[p] & set(v) for p, v in chosen.items() if p != facet.param):
                counter.update(values[facet.param])
        expected[facet.param] = dict(counter)
    total = sum(all(values[p] & set(v) for p, v in chosen.items()) for values in items)
    return expected, total


def shown(result):
    return {f["param"]: {v["value"]: v["count"] for v in f["values"]} for f in result.facets}


def query_string(q, chosen):
    params = QueryDict(mutable=True)
    if q:
        params["q"] = q
    for param, values in chosen.items():
        params.setlist(param, [str(v) for v in values])
    return params


CHOSEN = [
    {},
    {"province": ["TH-50"]},
    {"province": ["TH-50", "TH-40"], "year": [2566]},
    {"level": ["good", "honour"], "branch": ["pmqa"], "agency": "first"},
]


def _chosen(chosen, corpus):
    if chosen.get("agency") == "first":
        return {**chosen, "agency": [corpus["agencies"][0].pk]}
    return chosen


@pytest.mark.parametrize("q", ["", "ป่า"])
@pytest.mark.parametrize("chosen", CHOSEN)
def test_case_counts_match_a_brute_force_count(corpus, q, chosen):
    chosen = _chosen(chosen, corpus)
    items = [values_of(c) for c in corpus["cases"] if not q or q in c.title]
    expected, total = brute_force(items, facets.CASES, chosen)
    result = listing.cases(query_string(q, chosen), per_page=100)
    assert shown(result) == expected
    assert result.total == total
    for case, _snippet in result.results:  # the page has what the facets promise
        values = values_of(case)
        assert all(values[p] & set(v) for p, v in chosen.items())


@pytest.mark.parametrize("q", ["", "ป่า"])
@pytest.mark.parametrize("chosen", CHOSEN)
def test_lesson_counts_match_a_brute_force_count(corpus, q, chosen):
    chosen = _chosen(chosen, corpus)
    lessons = [
        lesson
        for case in corpus["cases"]
        for lesson in case.lessons.all()
        if not q or q in lesson.title or q in case.title  # a lesson's text has its case's title
    ]
    expected, total = brute_force(
        [values_of(x.case_study) for x in lessons], facets.LESSONS, chosen
    )
    result = listing.lessons(query_string(q, chosen), per_page=100)
    assert shown(result) == expected
    assert result.total == total
    ids = {lesson.pk for lesson, _snippet in result.results}
    assert ids == {
        x.pk for x in lessons if all(values_of(x.case_study)[p] & set(v) for p, v in chosen.items())
    }


def test_lesson_facets_are_those_of_their_case_study(corpus):
    assert [f.param for f in facets.LESSONS.facets] == [
        "year", "branch", "level", "province", "agency", "topic"
    ]  # fmt: skip
    # A case-only facet in a lesson URL is not a lesson facet: ignored.
    result = listing.lessons(QueryDict("sdg=1&category=5"), per_page=100)
    assert result.chosen == {}
    assert result.total == sum(c.lessons.count() for c in corpus["cases"])


def test_lesson_page_filters_and_shows_facets(client, corpus):
    response = client.get(reverse("cases:lesson_list"), {"q": "ป่า", "province": "TH-50"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="facet-province"' in html and 'value="TH-50" checked' in html
    assert 'id="facet-sdg"' not in html and 'name="sort"' not in html
    expected = {
        lesson.pk
        for case in corpus["cases"]
        if "TH-50" in values_of(case)["province"]
        for lesson in case.lessons.all()
        if "ป่า" in lesson.title or "ป่า" in case.title
    }
    assert {x.pk for x, _snippet in response.context["listing"].results} == expected


def test_lessons_api_filters_by_facet(client, corpus):
    topic = corpus["topics"][0]
    data = client.get("/api/v1/lessons/", {"topic": topic.slug, "year": 2566}).json()
    expected = {
        lesson.pk
        for case in corpus["cases"]
        if case.year_be == 2566 and topic in case.topics.all()
        for lesson in case.lessons.all()
    }
    assert {r["id"] for r in data["results"]} == expected and data["count"] == len(expected)


BAD = {
    "year": ["abc", "²", "๒๕๖๖", "9" * 5000, "-1", "2566.0"],
    "agency": ["1e3", "", " "],
    "province": ["x" * 500],
    "level": ["\x1b[31m"],
}


@pytest.mark.parametrize("url", ["/cases/", "/lessons/"])
def test_malformed_facet_values_are_ignored_by_the_public_pages(client, corpus, url):
    """A hand-edited address still shows results on the public pages (the API answers 400)."""
    everything = client.get(url)
    response = client.get(url, BAD)
    assert response.status_code == 200
    assert response.context["listing"].total == everything.context["listing"].total
    assert response.context["listing"].chosen == {}
    # A NUL anywhere in the query string is refused before any view (issue 11: bounded input).
    assert client.get(url, {"province": "TH-50\x00"}).status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/lessons/"])
def test_a_malformed_facet_value_is_a_400_naming_it_in_the_api(client, corpus, url):
    """Issue 15: the API never ignores a bad filter value silently."""
    for param, values in {**BAD, "sort": ["bogus"]}.items():
        for value in values:
            if param == "sort" and url.endswith("lessons/"):
                continue
            response = client.get(url, {param: value}, headers={"Accept-Language": "en"})
            assert response.status_code == 400, (param, value)
            assert list(response.json()) == [param], response.json()
    too_many = client.get(url, {"year": [str(y) for y in range(2560, 2575)]})
    assert too_many.status_code == 400 and list(too_many.json()) == ["year"]
    assert client.get(url, {"province": "TH-50\x00"}).status_code == 400


def test_unknown_values_find_nothing_and_eleven_values_are_cut_to_ten(client, corpus):
    response = client.get("/cases/", {"province": "TH-99", "topic": "ไม่มีหัวข้อนี้"})
    assert response.status_code == 200 and response.context["listing"].total == 0
    numbers = [str(n) for n in range(1, 12)]
    chosen = facets.CASES.selected(QueryDict("&".join(f"sdg={n}" for n in numbers)))
    assert chosen == {"sdg": list(range(1, 11))}
    response = client.get("/lessons/", {"year": [str(y) for y in range(2560, 2575)]})
    assert response.status_code == 200
    assert response.context["listing"].chosen == {"year": list(range(2560, 2570))}


def test_index_rows_follow_facet_changes(corpus, django_capture_on_commit_callbacks):
    case = corpus["cases"][0]
    sdg = SDG.objects.get(number=17)
    with django_capture_on_commit_callbacks(execute=True):
        case.sdgs.add(sdg)
    rows = SearchDocument.objects.filter(case_study=case)
    assert rows.exists()
    assert all("sdg:17" in row.facet_keys for row in rows)  # the lessons' rows too
