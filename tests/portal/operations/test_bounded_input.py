"""Bounded input (issue 11, item 4), from the attacker's side: deeply nested JSON to the API,
NUL in every kind of URL part (path converters, query strings) on whichever database the
suite runs on — SQLite normally, PostgreSQL when DATABASE_URL points at it, as in CI — a huge
Content-Length refused before a byte of the body is read, and Django's 400/413 answers in
Thai in the site's style (JSON under /api/)."""

import json
import uuid
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import connection
from django.utils import translation
from rest_framework.test import APIClient

from awards.models import Entry
from portal import gunicorn_conf
from portal.operations.errors import bad_request
from portal.operations.request_limits import body_cap, too_big
from tests.factories import (
    AssignmentFactory,
    CaseStudyFactory,
    CategoryFactory,
    CriterionFactory,
    EntryFactory,
    LessonFactory,
    ScoreFactory,
    ScoreSheetFactory,
    ScreeningEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

MIB = 1024 * 1024


def nested(depth: int) -> str:
    return '{"title": ' + "[" * depth + "]" * depth + "}"


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def sheet():
    entry = ScreeningEntryFactory()
    sheet = ScoreSheetFactory(assignment=AssignmentFactory(entry=entry))
    ScoreFactory(sheet=sheet, criterion=CriterionFactory(category=entry.category), value=None)
    return sheet


# --- JSON depth ---------------------------------------------------------------------------


def json_targets(api, sheet):
    official = UserFactory()
    entry = EntryFactory(agency=official.agency, created_by=official, category=CategoryFactory())
    return [
        (official, "post", "/api/v1/entries/"),
        (official, "patch", f"/api/v1/entries/{entry.public_id}/"),
        (sheet.assignment.assessor, "patch", f"/api/v1/score-sheets/{sheet.pk}/"),
    ]


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_is_a_clear_400_in_thai(api, sheet, depth):
    for user, method, url in json_targets(api, sheet):
        api.force_authenticate(user)
        response = getattr(api, method)(
            url, nested(depth), content_type="application/json", headers={"Accept-Language": "th"}
        )
        assert response.status_code == 400, (url, response.status_code)
        assert "ซ้อนกันลึกเกินไป" in response.json()["detail"], url


def test_the_limit_is_the_setting_and_ordinary_bodies_pass(api, sheet):
    api.force_authenticate(sheet.assignment.assessor)
    url = f"/api/v1/score-sheets/{sheet.pk}/"
    limit = settings.API_JSON_MAX_DEPTH
    # {"overall_comment": "…", "x": [[…]]}: the object is level 1, the lists below it.
    body = '{"overall_comment": "ดี", "x": ' + "[" * (limit - 1) + "]" * (limit - 1) + "}"
    assert api.patch(url, body, content_type="application/json").status_code == 200
    body = '{"overall_comment": "ดี", "x": ' + "[" * limit + "]" * limit + "}"
    assert api.patch(url, body, content_type="application/json").status_code == 400


def test_nul_in_json_is_a_400(api, sheet):
    api.force_authenticate(sheet.assignment.assessor)
    response = api.patch(
        f"/api/v1/score-sheets/{sheet.pk}/",
        json.dumps({"overall_comment": "ดี\u0000มาก"}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "NUL" in response.json()["detail"]


# --- NUL and control characters in the URL -------------------------------------------------


PATHS = [
    "/cases/%00/",
    "/lessons/%00/",
    "/cases/abc%00def/",
    "/lessons/%01%1f/",
    "/privacy/v/%00/",
    "/opendata/%00.csv",
    "/accounts/verify/%00/%00/",
    "/api/v1/cases/%00/",
    "/api/v1/lessons/%00/",
    "/admin/cases/casestudy/%00/change/",
    f"/entries/{uuid.uuid4()}/%00/",
]
QUERIES = [
    "/cases/?q=%00",
    "/cases/?topic=%00&province=%00",
    "/lessons/?q=a%00b",
    "/api/v1/cases/?q=%00",
    "/api/v1/lessons/?q=%00",
    "/api/v1/cases/?%00=1",
    "/opendata/?x=%00",
    "/accounts/login/?next=%00",
]


@pytest.mark.parametrize("url", PATHS)
def test_nul_in_a_path_is_a_404_on_this_database(client, url):
    CaseStudyFactory(slug="abc")
    assert client.get(url).status_code == 404, (connection.vendor, url)


@pytest.mark.parametrize("url", QUERIES)
def test_nul_in_a_query_string_is_a_400_in_thai(client, url):
    response = client.get(url)
    assert response.status_code == 400, (connection.vendor, url)
    if not url.startswith("/api/"):
        assert "คำขอไม่ถูกต้อง" in response.content.decode()


def test_the_same_pages_answer_normally_without_nul(client):
    case = CaseStudyFactory()
    lesson = LessonFactory(case_study=case)
    assert client.get(f"/cases/{case.slug}/").status_code == 200
    assert client.get(f"/lessons/{lesson.slug}/").status_code == 200
    assert client.get("/cases/?q=น้ำ").status_code == 200


def test_a_session_cookie_with_nul_is_ignored_not_a_500(client):
    client.cookies["sessionid"] = "\x00" * 32
    assert client.get("/").status_code == 200


# --- The request body cap --------------------------------------------------------------------


class Unreadable:
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def huge_post(client, url, size=500 * MIB, **extra):
    return client.generic(
        "POST",
        url,
        CONTENT_LENGTH=str(size),
        **{"CONTENT_TYPE": "multipart/form-data; boundary=x", "wsgi.input": Unreadable(), **extra},
    )


def test_a_500_mib_upload_is_refused_with_a_thai_413_before_it_is_read(client):
    official = UserFactory()
    entry = EntryFactory(agency=official.agency, created_by=official)
    client.force_login(official)
    response = huge_post(client, f"/entries/{entry.public_id}/attachments/")
    assert response.status_code == 413
    page = response.content.decode()
    assert "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป" in page and "10.0" in page  # the attachment limit
    assert '<html lang="th">' in page and "/static/css/portal.css" in page
    assert not Entry.objects.get(pk=entry.pk).attachments.exists()


def test_the_api_answers_413_in_json(client):
    response = huge_post(client, "/api/v1/entries/", CONTENT_TYPE="application/json")
    assert response.status_code == 413
    assert "ขนาดใหญ่เกิน" in response.json()["detail"]


def test_anonymous_and_admin_bodies_are_capped_too(client):
    assert huge_post(client, "/accounts/login/").status_code == 413
    assert huge_post(client, "/admin/login/").status_code == 413


def test_the_cap_is_the_attachment_limit_plus_a_margin():
    assert (
        settings.ATTACHMENT_MAX_BYTES
        < body_cap("/entries/x/attachments/")
        <= (settings.ATTACHMENT_MAX_BYTES + 2 * MIB)
    )
    # A case study is saved in the admin with its photos and documents in one form.
    assert body_cap("/admin/cases/casestudy/1/change/") > body_cap("/entries/")
    assert too_big("/entries/", str(500 * MIB)) and not too_big("/entries/", "1024")
    assert not too_big("/entries/", None)


def test_a_content_length_that_is_not_a_number_is_a_400(client):
    response = client.generic("POST", "/accounts/login/", CONTENT_LENGTH="12abc")
    assert response.status_code == 400


def test_more_than_data_upload_max_memory_size_in_a_form_is_a_413(client):
    body = "username=" + "a" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1)
    response = client.post(
        "/accounts/login/", body, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 413
    assert "ข้อมูลที่ส่งมีขนาดใหญ่เกินไป" in response.content.decode()


def test_under_gunicorn_the_connection_is_closed_rather_than_drained():
    """gunicorn reads what the app left of a body before the next request on a kept-alive
    connection; pre_request marks an oversized one to close after the 413 instead."""
    log = SimpleNamespace(debug=lambda *args: None)
    request = SimpleNamespace(
        method="POST", path="/entries/", headers=[("CONTENT-LENGTH", str(500 * MIB))]
    )
    request.must_close = False
    gunicorn_conf.pre_request(SimpleNamespace(log=log), request)
    assert request.must_close is True
    request = SimpleNamespace(method="POST", path="/entries/", headers=[("CONTENT-LENGTH", "9")])
    request.must_close = False
    gunicorn_conf.pre_request(SimpleNamespace(log=log), request)
    assert request.must_close is False


# --- Django's 400 pages ---------------------------------------------------------------------


def test_too_many_fields_is_a_thai_400_page(client):
    fields = "&".join(f"f{n}=1" for n in range(settings.DATA_UPLOAD_MAX_NUMBER_FIELDS + 1))
    response = client.post(
        "/accounts/login/", fields, content_type="application/x-www-form-urlencoded"
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "คำขอไม่ถูกต้อง" in page and "/static/css/portal.css" in page


def test_a_forged_host_is_a_thai_400_page(client):
    response = client.get("/", HTTP_HOST="attacker.example")
    assert response.status_code == 400
    assert "คำขอไม่ถูกต้อง" in response.content.decode()


def test_the_400_handler_answers_json_under_the_api(rf):
    with translation.override("th"):
        response = bad_request(rf.get("/api/v1/cases/"), SuspiciousOperation("x"))
    assert response.status_code == 400
    assert json.loads(response.content) == {"detail": "คำขอไม่ถูกต้อง"}
