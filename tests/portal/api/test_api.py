"""The portal's API: agencies as a tree, provinces, the schema and its docs, throttling,
languages and the never-a-500 safety net (portal/agencies/api.py, portal/api/policy.py)."""

import re

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import AgencyFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def tree():
    ministry = AgencyFactory(name_th="กระทรวงทดสอบ", kind="ministry")
    department = AgencyFactory(name_th="กรมทดสอบการบริการ", parent=ministry)
    division = AgencyFactory(name_th="กองทดสอบนวัตกรรม", parent=department, kind="division")
    return ministry, department, division


def test_agencies_link_up_and_down_the_tree(api, tree):
    ministry, department, division = tree
    detail = api.get(f"/api/v1/agencies/{department.pk}/").json()
    assert detail["parent"] == ministry.pk
    assert detail["parent_url"].endswith(f"/api/v1/agencies/{ministry.pk}/")
    assert [a["id"] for a in detail["ancestors"]] == [ministry.pk]
    assert [c["id"] for c in detail["children"]] == [division.pk]
    assert detail["children_count"] == 1
    deepest = api.get(f"/api/v1/agencies/{division.pk}/").json()
    assert [a["name"] for a in deepest["ancestors"]] == ["กระทรวงทดสอบ", "กรมทดสอบการบริการ"]
    roots = api.get("/api/v1/agencies/", {"root": "true"}).json()
    assert [a["id"] for a in roots["results"]] == [ministry.pk]
    children = api.get("/api/v1/agencies/", {"parent": department.pk}).json()
    assert [a["id"] for a in children["results"]] == [division.pk]
    found = api.get("/api/v1/agencies/", {"q": "นวัตกรรม"}).json()
    assert [a["id"] for a in found["results"]] == [division.pk]


def test_the_nested_tree(api, tree):
    ministry, department, division = tree
    forest = api.get("/api/v1/agencies/tree/").json()
    top = next(node for node in forest if node["id"] == ministry.pk)
    assert top["children"][0]["id"] == department.pk
    assert top["children"][0]["children"][0]["id"] == division.pk
    branch = api.get("/api/v1/agencies/tree/", {"root": department.pk}).json()
    assert [node["id"] for node in branch] == [department.pk]
    assert api.get("/api/v1/agencies/tree/", {"root": "abc"}).status_code == 404
    assert api.get("/api/v1/agencies/tree/", {"root": 999999}).status_code == 404


def test_provinces_by_iso_code(api):
    bangkok = api.get("/api/v1/provinces/TH-10/").json()
    assert bangkok["name_th"] == "กรุงเทพมหานคร" and bangkok["name_en"] == "Bangkok"
    listing = api.get("/api/v1/provinces/", {"page_size": 100}).json()
    assert listing["count"] == 77
    north = api.get("/api/v1/provinces/", {"region": "north", "page_size": 100}).json()
    assert 0 < north["count"] < 77
    assert api.get("/api/v1/provinces/TH-99/").status_code == 404
    assert api.get("/api/v1/provinces/", {"region": "mars"}).status_code == 400


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/agencies/?parent=" + "9" * 400,
        "/api/v1/agencies/?parent=-1.7976931348623157e%2B308",
        "/api/v1/agencies/" + "9" * 40 + "/",
        "/api/v1/agencies/?kind=<script>",
        "/api/v1/agencies/?page=ไทย",
        "/api/v1/agencies/?ordering=-name_th,%00",
        "/api/v1/agencies/?q=" + "ก" * 5000,
        "/api/v1/provinces/%00/",
    ],
)
def test_hostile_input_is_never_a_500(api, url):
    AgencyFactory()
    assert api.get(url).status_code in (200, 400, 404)


def test_reference_data_is_read_only(api):
    api.force_authenticate(UserFactory())
    assert api.post("/api/v1/agencies/", {"name_th": "x"}, format="json").status_code == 405
    assert api.delete("/api/v1/provinces/TH-10/").status_code == 405


def test_errors_follow_accept_language(api):
    thai = api.get("/api/v1/entries/", headers={"Accept-Language": "th"})
    english = api.get("/api/v1/entries/", headers={"Accept-Language": "en"})
    assert thai.status_code == english.status_code == 401
    assert thai["WWW-Authenticate"].startswith("Token")
    assert english.json()["detail"] == "Authentication credentials were not provided."
    assert re.search("[\u0e00-\u0e7f]", thai.json()["detail"]), thai.json()
    assert thai["Content-Language"] == "th" and english["Content-Language"] == "en"


def test_anonymous_traffic_is_throttled(api, settings):
    settings.API_ANON_THROTTLE_RATE = "3/minute"
    from django.core.cache import cache

    cache.clear()
    statuses = [api.get("/api/v1/provinces/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    limited = api.get("/api/v1/provinces/", headers={"Accept-Language": "en"})
    assert limited.status_code == 429 and "Retry-After" in limited
    assert "throttled" in limited.json()["detail"]
    thai = api.get("/api/v1/provinces/", headers={"Accept-Language": "th"})
    assert thai.status_code == 429 and "บ่อยเกินกำหนด" in thai.json()["detail"]
    # Signed-in callers are not counted as anonymous traffic.
    api.force_authenticate(UserFactory())
    assert api.get("/api/v1/provinces/").status_code == 200
    cache.clear()


def test_the_schema_is_valid_openapi_3_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    text = target.read_text()
    assert text.startswith("openapi: 3.")
    for path in (
        "/api/v1/agencies/tree/",
        "/api/v1/entries/{public_id}/submit/",
        "/api/v1/score-sheets/{id}/submit/",
        "/api/v1/results/",
        "/api/v1/provinces/",
    ):
        assert f"  {path}:" in text, path
    assert "tokenAuth" in text and "cookieAuth" in text


def test_the_schema_endpoint_and_the_docs_load_nothing_from_a_cdn(client):
    schema = client.get("/api/schema/", headers={"Accept": "application/json"})
    assert schema.status_code == 200 and schema.json()["openapi"].startswith("3.")
    for url in ("/api/docs/", "/api/redoc/"):
        html = client.get(url).content.decode()
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources, url
        assert all(s.startswith("/") for s in sources), sources  # served by the portal
        assert "<script>" not in html and "<style>" not in html and "style=" not in html
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    for source in re.findall(r'src="([^"]+)"', client.get("/api/docs/").content.decode()):
        if source.startswith("/static/"):
            assert client.get(source).status_code == 200, source


def test_every_list_refuses_a_query_parameter_it_does_not_know(api):
    """A misspelt filter (`?provice=TH-10`) must not hand back every row as if filtered: each
    list of the schema answers 400 naming it, in Thai, with what it accepts — and accepts every
    parameter the schema documents for it (portal/api/policy.refuse_unknown_parameters)."""
    from drf_spectacular.generators import SchemaGenerator

    api.force_authenticate(UserFactory())
    schema = SchemaGenerator().get_schema(request=None, public=True)
    lists = [
        (path, operation)
        for path, item in schema["paths"].items()
        if "{" not in path and (operation := item.get("get"))
    ]
    assert len(lists) >= 12, [path for path, _ in lists]
    for path, operation in lists:
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        response = api.get(path, {"provice": "TH-10"}, headers={"Accept-Language": "th"})
        assert response.status_code == 400, (path, response.status_code)
        detail = response.json()["detail"]
        assert detail.startswith("ไม่รู้จักพารามิเตอร์: provice"), (path, detail)
        accepted = set(detail.split("ใช้ได้: ")[1].rstrip(")").split(", ")) - {"-"}
        assert accepted == documented, (path, accepted, documented)
        assert "400" in operation["responses"]
        assert api.get(path, {"format": "json"}).status_code == 200, path
    english = api.get("/api/v1/topics/", {"lang": "en"}, headers={"Accept-Language": "en"})
    assert english.json()["detail"].startswith("Unknown query parameter(s): lang")


def test_a_method_an_endpoint_lacks_is_405_before_sign_in(api):
    for method, path in [("trace", "/api/v1/entries/"), ("delete", "/api/v1/score-sheets/1/"),
                         ("put", "/api/v1/agencies/")]:  # fmt: skip
        response = api.generic(method.upper(), path)
        assert response.status_code == 405, (method, path, response.status_code)
        assert "GET" in response["Allow"] and method.upper() not in response["Allow"]
        assert re.search("[\u0e00-\u0e7f]", response.json()["detail"])
    assert api.get("/api/v1/entries/").status_code == 401  # a method it has: sign in first


def test_booleans_and_pages_are_written_as_the_schema_says(api):
    AgencyFactory()
    assert api.get("/api/v1/agencies/", {"root": "true"}).status_code == 200
    for bad in ("0", "1", "True", "yes"):
        response = api.get("/api/v1/agencies/", {"root": bad})
        assert response.status_code == 400 and "root" in response.json(), bad
    for page in ("", "0", "abc"):
        assert api.get("/api/v1/branches/", {"page": page}).status_code == 404, page
