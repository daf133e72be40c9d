"""The award cycle's API: public data, and officials' entries (awards/api.py)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from awards.models import Entry, EntryState, Result
from portal.agencies.models import SDG
from tests.factories import (
    AssessorFactory,
    BranchFactory,
    CategoryFactory,
    CycleFactory,
    EntryFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def published_result(level="outstanding", **entry_kwargs):
    entry = ScreeningEntryFactory(state=EntryState.AWARDED, **entry_kwargs)
    cycle = entry.category.cycle
    cycle.results_published_at = timezone.now() - datetime.timedelta(days=1)
    cycle.save()
    return Result.objects.create(entry=entry, award_level=level, decided_by=StaffFactory())


# --- Public ------------------------------------------------------------------------------------


def test_branches_cycles_and_categories_link_to_each_other(api):
    category = CategoryFactory(cycle=CycleFactory(year_be=2568), branch=BranchFactory())
    branches = api.get("/api/v1/branches/").json()
    assert branches["results"][0]["code"] == "service"
    branch = api.get(branches["results"][0]["url"]).json()
    assert branch["name_th"] == "สาขาบริการภาครัฐ"
    cycle = api.get("/api/v1/cycles/2568/").json()
    assert cycle["year_ce"] == 2025 and cycle["is_open_for_entries"] is True
    listing = api.get("/api/v1/categories/", {"cycle": 2568, "branch": "service"}).json()
    assert [c["id"] for c in listing["results"]] == [category.pk]
    found = listing["results"][0]
    assert found["cycle"] == 2568 and found["cycle_url"].endswith("/api/v1/cycles/2568/")
    assert found["branch_url"].endswith("/api/v1/branches/service/")
    assert api.get("/api/v1/categories/", {"cycle": 2500}).json()["count"] == 0


def test_only_published_results_are_public(api):
    shown = published_result(title="ผลงานที่ประกาศผลแล้ว")
    hidden_entry = ScreeningEntryFactory(
        state=EntryState.AWARDED, category=CategoryFactory(cycle=CycleFactory(year_be=2571))
    )
    Result.objects.create(entry=hidden_entry, award_level="good", decided_by=StaffFactory())
    body = api.get("/api/v1/results/").json()
    assert [row["id"] for row in body["results"]] == [shown.pk]
    row = body["results"][0]
    assert row["title"] == "ผลงานที่ประกาศผลแล้ว" and row["award_level"] == "outstanding"
    assert row["agency"]["id"] == shown.entry.agency_id
    assert row["agency"]["url"].endswith(f"/api/v1/agencies/{shown.entry.agency_id}/")
    assert set(row["agency"]) == {"id", "name", "abbreviation", "url"}
    assert "screening_score" not in row and "remarks" not in row  # scores stay internal
    assert api.get(f"/api/v1/results/{hidden_entry.result.pk}/").status_code == 404
    level = api.get("/api/v1/results/", {"award_level": "good"}).json()
    assert level["count"] == 0


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/results/?cycle=abc",
        "/api/v1/results/?award_level=gold",
        "/api/v1/categories/?cycle=๒๕๖๘",
        "/api/v1/results/?page=0",
        "/api/v1/results/?page=999",
        "/api/v1/cycles/abcd/",
        "/api/v1/cycles/9999/",
        "/api/v1/branches/no-such/",
        "/api/v1/results/?ordering=secret",
    ],
)
def test_bad_public_input_is_a_clear_4xx_never_a_500(api, url):
    published_result()
    response = api.get(url)
    assert response.status_code in (200, 400, 404)
    if response.status_code != 404:
        assert response["Content-Type"].startswith("application/json")


def test_public_endpoints_refuse_writes(api):
    CategoryFactory()
    for url in ("/api/v1/branches/", "/api/v1/cycles/", "/api/v1/categories/", "/api/v1/results/"):
        assert api.post(url, {}, format="json").status_code in (401, 403, 405)
    api.force_authenticate(StaffFactory())
    assert api.post("/api/v1/branches/", {}, format="json").status_code == 405


# --- Officials -----------------------------------------------------------------------------------


@pytest.fixture
def official():
    return UserFactory()


@pytest.fixture
def category():
    return CategoryFactory()


def complete_body(category):
    SDG.objects.get(number=3)
    return {
        "category": category.pk,
        "title": "ระบบนัดหมายผู้ป่วยล่วงหน้า",
        "answers": {
            "summary": "ลดเวลารอคอย",
            "problem": "ผู้ป่วยรอนาน",
            "solution": "นัดหมายผ่านไลน์",
            "results": "รอน้อยลงครึ่งหนึ่ง",
            "indicators": "เวลารอเฉลี่ย",
            "partners": "โรงพยาบาลชุมชน",
            "sdgs": ["3"],
            "contact_name": "สมหญิง",
            "contact_email": "somying@example.go.th",
            "contact_phone": "02 000 0000",
        },
    }


def test_an_official_creates_edits_and_lists_a_draft(api, official, category):
    api.force_authenticate(official)
    created = api.post("/api/v1/entries/", complete_body(category), format="json")
    assert created.status_code == 201, created.json()
    body = created.json()
    entry = Entry.objects.get(public_id=body["id"])
    assert entry.agency == official.agency and entry.created_by == official
    assert entry.state == EntryState.DRAFT and entry.title == "ระบบนัดหมายผู้ป่วยล่วงหน้า"
    assert entry.answers["sdgs"] == ["3"]
    sections = {s["key"]: s["status"] for s in body["sections"]}
    assert sections["basic"] == "completed" and sections["attachments"] == "not_started"

    patched = api.patch(body["url"], {"answers": {"summary": "  สรุปใหม่  "}}, format="json")
    assert patched.status_code == 200
    entry.refresh_from_db()
    assert entry.answers.get("summary") == "สรุปใหม่"  # stripped, by save_section
    assert entry.history.first().history_user == official

    listing = api.get("/api/v1/entries/").json()
    assert [row["id"] for row in listing["results"]] == [str(entry.public_id)]


def test_submitting_through_the_api_obeys_the_same_completeness_rule(api, official, category):
    api.force_authenticate(official)
    url = api.post("/api/v1/entries/", complete_body(category), format="json").json()["url"]
    response = api.post(url + "submit/", headers={"Accept-Language": "th"})
    assert response.status_code == 400
    body = response.json()
    assert "ยังส่งไม่ได้" in body["detail"] and body["sections"] == ["attachments"]
    assert Entry.objects.get().state == EntryState.DRAFT


def test_submitting_a_complete_entry(api, official, category, monkeypatch):
    from awards import submission

    api.force_authenticate(official)
    url = api.post("/api/v1/entries/", complete_body(category), format="json").json()["url"]
    monkeypatch.setattr(submission, "incomplete_sections", lambda entry: [])
    response = api.post(url + "submit/")
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "submitted" and response.json()["reference"]
    # Editing a submitted entry is refused with the web form's message.
    refused = api.patch(url, {"title": "แก้หลังส่ง"}, format="json")
    assert refused.status_code == 400 and "แก้ไขไม่ได้" in refused.json()["detail"]


def test_after_the_deadline_nothing_is_saved_or_submitted(api, official, category):
    api.force_authenticate(official)
    url = api.post("/api/v1/entries/", complete_body(category), format="json").json()["url"]
    cycle = category.cycle
    cycle.applications_open_at = timezone.now() - datetime.timedelta(days=40)
    cycle.applications_close_at = timezone.now() - datetime.timedelta(minutes=1)
    cycle.save()
    patched = api.patch(url, {"title": "หลังปิดรับ"}, format="json")
    assert patched.status_code == 400 and "ปิดรับสมัครแล้ว" in patched.json()["detail"]
    assert api.post(url + "submit/").status_code == 400
    assert Entry.objects.get().title == "ระบบนัดหมายผู้ป่วยล่วงหน้า"
    late = api.post("/api/v1/entries/", complete_body(category), format="json")
    assert late.status_code == 400 and Entry.objects.count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"title": "ก" * 301}, "title"),
        ({"answers": {"contact_email": "not-an-email"}}, "answers"),
        ({"answers": {"sdgs": ["18"]}}, "answers"),
        ({"category": 999999}, "category"),
        ({"category": "abc"}, "category"),
        ({"answers": {"started_on": "2569-13-45"}}, "answers"),
        ({"answers": {"summary": "ก" * 1501}}, "answers"),
        ({"answers": {"no_such_question": "x"}}, "answers"),
    ],
)
def test_bad_input_names_the_field_in_thai_and_english(api, official, category, body, field):
    api.force_authenticate(official)
    data = {"category": category.pk, **body}
    thai = api.post("/api/v1/entries/", data, format="json", headers={"Accept-Language": "th"})
    english = api.post("/api/v1/entries/", data, format="json", headers={"Accept-Language": "en"})
    assert thai.status_code == english.status_code == 400
    assert field in thai.json() and field in english.json()
    assert thai.json()[field] != english.json()[field]  # the message is translated
    assert not Entry.objects.exists()


def test_malformed_json_is_a_400(api, official):
    api.force_authenticate(official)
    response = api.generic("POST", "/api/v1/entries/", "{not json", content_type="application/json")
    assert response.status_code == 400


def test_entries_from_the_wrong_side(api, official, category):
    entry = EntryFactory(agency=official.agency, category=category)
    url = f"/api/v1/entries/{entry.public_id}/"
    # Anonymous: 401 (token realm) or 403 (session), never the data.
    assert api.get("/api/v1/entries/").status_code in (401, 403)
    assert api.get(url).status_code in (401, 403)
    # Another agency's official: not found, cannot edit or submit.
    api.force_authenticate(UserFactory())
    assert api.get("/api/v1/entries/").json()["count"] == 0
    assert api.get(url).status_code == 404
    assert api.patch(url, {"title": "x"}, format="json").status_code == 404
    assert api.post(url + "submit/").status_code == 404
    # An assessor or staff creates nothing through the officials' door.
    for user in (AssessorFactory(), StaffFactory()):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404
        response = api.post("/api/v1/entries/", complete_body(category), format="json")
        assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.title != "x" and Entry.objects.count() == 1


def test_token_authentication_for_scripts(api, official, category):
    EntryFactory(agency=official.agency, category=category)
    token = Token.objects.create(user=official)
    bad = api.get("/api/v1/entries/", headers={"Authorization": "Token nope"})
    assert bad.status_code in (401, 403)
    response = api.get("/api/v1/entries/", headers={"Authorization": f"Token {token.key}"})
    assert response.status_code == 200 and response.json()["count"] == 1


def test_deleting_an_entry_is_not_an_api_action(api, official, category):
    entry = EntryFactory(agency=official.agency, category=category)
    api.force_authenticate(official)
    assert api.delete(f"/api/v1/entries/{entry.public_id}/").status_code == 405
    assert Entry.objects.filter(pk=entry.pk).exists()


def test_the_rules_answer_in_english_to_english_callers(api, official, category):
    api.force_authenticate(official)
    url = api.post("/api/v1/entries/", complete_body(category), format="json").json()["url"]
    english = api.post(url + "submit/", headers={"Accept-Language": "en"}).json()
    thai = api.post(url + "submit/", headers={"Accept-Language": "th"}).json()
    assert english["detail"].startswith("Cannot submit yet") and "Attachments" in english["detail"]
    assert thai["detail"].startswith("ยังส่งไม่ได้") and "เอกสารแนบ" in thai["detail"]
