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


def test_case_detail_and_lessons_api(client, thai_cases):
    case = thai_cases["forest_title"]
    data = client.get(f"/api/v1/cases/{case.pk}/").json()
    assert data["title"] == case.title and data["lessons"][0]["id"] == thai_cases["lesson"].pk
    lessons = client.get("/api/v1/lessons/", {"q": "แนวเขต"}).json()
    assert [r["id"] for r in lessons["results"]] == [thai_cases["lesson"].pk]
    case.is_published = False
    case.save()
    assert client.get(f"/api/v1/cases/{case.pk}/").status_code == 404
    assert client.get("/api/v1/lessons/", {"q": "แนวเขต"}).json()["count"] == 0


def test_api_is_read_only(client, thai_cases, django_user_model):
    assert client.post("/api/v1/cases/", {"title": "x"}).status_code in (401, 403, 405)
    case = thai_cases["hospital"]
    assert client.delete(f"/api/v1/cases/{case.pk}/").status_code in (401, 403, 405)
