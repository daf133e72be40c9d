import pytest

pytestmark = pytest.mark.django_db


def test_search_api_relevance_order_fields_and_facets(client, thai_cases):
    data = client.get("/api/v1/cases/", {"q": "ป่า"}).json()
    ids = [r["id"] for r in data["results"]]
    assert data["count"] == 3
    assert ids == [thai_cases[n].pk for n in ("forest_title", "forest_summary", "forest_body")]
    first = data["results"][0]
    assert {"id", "title", "url", "snippet", "external_id", "source_url"} <= set(first)
    assert first["url"].startswith("http") and "<mark>ป่า</mark>" in first["snippet"]
    data = client.get("/api/v1/cases/", {"q": "ป่า", "year": 2567, "level": "honour"}).json()
    assert [r["id"] for r in data["results"]] == [thai_cases["forest_body"].pk]
    data = client.get("/api/v1/cases/", {"province": "TH-40"}).json()
    assert [r["id"] for r in data["results"]] == [thai_cases["hospital"].pk]


def test_search_api_is_paginated(client, thai_cases):
    from tests.factories import CaseStudyFactory

    from .conftest import index

    index(*CaseStudyFactory.create_batch(22, title="ป่าสาธิต"))
    page1 = client.get("/api/v1/cases/", {"q": "ป่า"}).json()
    assert page1["count"] == 25 and len(page1["results"]) == 20 and page1["next"]
    page2 = client.get(page1["next"]).json()
    assert len(page2["results"]) == 5 and page2["previous"]
    assert not {r["id"] for r in page1["results"]} & {r["id"] for r in page2["results"]}


def test_case_detail_and_lessons_api(client, thai_cases, django_capture_on_commit_callbacks):
    case = thai_cases["forest_title"]
    data = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert data["title"] == case.title and data["lessons"][0]["id"] == thai_cases["lesson"].pk
    lessons = client.get("/api/v1/lessons/", {"q": "แนวเขต"}).json()
    assert [r["id"] for r in lessons["results"]] == [thai_cases["lesson"].pk]
    with django_capture_on_commit_callbacks(execute=True):  # the index changes on commit
        case.is_published = False
        case.save()
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert client.get("/api/v1/lessons/", {"q": "แนวเขต"}).json()["count"] == 0


def test_api_is_read_only(client, thai_cases, django_user_model):
    assert client.post("/api/v1/cases/", {"title": "x"}).status_code in (401, 403, 405)
    case = thai_cases["hospital"]
    assert client.delete(f"/api/v1/cases/{case.pk}/").status_code in (401, 403, 405)


@pytest.mark.parametrize("url", ["/api/v1/cases/", "/api/v1/lessons/", "/api/v1/agencies/"])
def test_every_list_pages_the_same_way(client, url):
    """Issue 15: page_size honoured (1–100), a page past the end or not a page is a 404 with
    DRF's message (in Thai under th), a bad page_size a 400 naming it."""
    from tests.factories import AgencyFactory, CaseStudyFactory, LessonFactory

    for _ in range(3):
        LessonFactory(case_study=CaseStudyFactory(agency=AgencyFactory()))
    first = client.get(url, {"page_size": 2}).json()
    assert len(first["results"]) == 2 and first["next"] and "page=2" in first["next"]
    last = client.get(url, {"page_size": 2, "page": 2}).json()
    assert len(last["results"]) >= 1
    for page in ("99", "0", "abc", "-1"):
        response = client.get(url, {"page": page}, headers={"Accept-Language": "en"})
        assert response.status_code == 404 and response.json() == {"detail": "Invalid page."}
    thai = client.get(url, {"page": 99}, headers={"Accept-Language": "th"})
    assert thai.status_code == 404 and thai.json() == {"detail": "หน้าไม่ถูกต้อง"}
    for size in ("0", "101", "abc", "-5"):
        response = client.get(url, {"page_size": size})
        assert response.status_code == 400 and list(response.json()) == ["page_size"], size
    assert len(client.get(url, {"page_size": 100}).json()["results"]) >= 3


def test_404_messages_follow_the_language(client):
    thai = client.get("/api/v1/cases/999999/", headers={"Accept-Language": "th"})
    english = client.get("/api/v1/cases/999999/", headers={"Accept-Language": "en"})
    assert thai.status_code == english.status_code == 404
    assert thai.json() == {"detail": "ไม่พบ"} and english.json() == {"detail": "Not found."}


def test_bad_filter_values_are_a_400_naming_the_parameter(client):
    cases = {
        "/api/v1/cases/": {"year": "abc", "sort": "bogus", "agency": "1e3"},
        "/api/v1/agencies/": {"parent": "abc", "root": "maybe", "ordering": "bogus", "kind": ""},
        "/api/v1/results/": {"cycle": "abc", "ordering": "-nope"},
    }
    for url, params in cases.items():
        for name, value in params.items():
            response = client.get(url, {name: value})
            assert response.status_code == 400, (url, name, value)
            assert name in response.json(), (url, response.json())


def test_topics_and_sdgs_have_endpoints_with_the_filters_values(client):
    from portal.agencies.models import SDG
    from tests.factories import CaseStudyFactory, TopicFactory

    topic = TopicFactory()
    case = CaseStudyFactory()
    case.topics.add(topic)
    case.sdgs.add(SDG.objects.get(number=6))
    listed = client.get("/api/v1/topics/").json()
    assert topic.slug in [t["slug"] for t in listed["results"]]
    assert client.get(f"/api/v1/topics/{topic.slug}/").json()["name_th"] == topic.name_th
    assert client.get("/api/v1/sdgs/6/").json()["number"] == 6
    detail = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert detail["topics"] == [topic.slug] and detail["sdgs"] == [6]
    assert set(detail["agency"]) == {"id", "name", "abbreviation", "url"}
