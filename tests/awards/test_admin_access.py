"""Who reaches what in the admin: an assessor sees only their own assignments, sheets, entries
and site visits — through lists, change views, URL guessing, search, filters, autocomplete,
history, exports and actions; officials never get in."""

import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards import assessment
from awards.models import AssessmentRound, EntryState, ScoreSheet
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    CriterionFactory,
    ScreeningEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False  # the TOTP step of the admin has its own tests


@pytest.fixture
def world():
    staff = AdminStaffFactory()
    me, other = AdminAssessorFactory(username="me"), AdminAssessorFactory(username="other")
    mine = ScreeningEntryFactory(title="ผลงานของฉัน")
    category = mine.category
    for order in (1, 2):
        CriterionFactory(category=category, order=order, weight=Decimal(50), max_score=Decimal(10))
    theirs = ScreeningEntryFactory(category=category, title="ผลงานของคนอื่น")
    later_conflict = ScreeningEntryFactory(category=category, title="ผลงานที่แจ้งส่วนได้เสียภายหลัง")
    own_agency = ScreeningEntryFactory(
        category=category, agency=me.agency, title="ผลงานหน่วยงานตนเอง"
    )
    screening = AssessmentRound.SCREENING
    my_sheet = assessment.assign(mine, me, screening, staff).sheet
    their_sheet = assessment.assign(theirs, other, screening, staff).sheet
    assessment.assign(mine, other, screening, staff)
    conflicted_sheet = assessment.assign(later_conflict, me, screening, staff).sheet
    assessment.declare_conflict(me, me, "เคยเป็นที่ปรึกษา", entry=later_conflict)
    return {
        "staff": staff, "me": me, "other": other, "mine": mine, "theirs": theirs,
        "later_conflict": later_conflict, "own_agency": own_agency, "my_sheet": my_sheet,
        "their_sheet": their_sheet, "conflicted_sheet": conflicted_sheet,
    }  # fmt: skip


def change_url(obj):
    return reverse(f"admin:awards_{obj._meta.model_name}_change", args=[obj.pk])


def test_officials_never_get_into_the_admin(client):
    official = UserFactory()
    client.force_login(official)
    assert client.get("/admin/").status_code == 302
    official.is_staff = True  # even when someone ticks the box by mistake
    official.save()
    response = client.get("/admin/awards/entry/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_assessor_lists_only_their_entries(client, world):
    client.force_login(world["me"])
    page = client.get("/admin/awards/entry/").content.decode()
    assert "ผลงานของฉัน" in page
    for hidden in ("ผลงานของคนอื่น", "ผลงานที่แจ้งส่วนได้เสียภายหลัง", "ผลงานหน่วยงานตนเอง"):
        assert hidden not in page
    # search does not reach beyond either
    assert client.get("/admin/awards/entry/", {"q": "ผลงานของคนอื่น"}).context["cl"].result_count == 0
    assert client.get("/admin/awards/entry/", {"q": "ผลงานของฉัน"}).context["cl"].result_count == 1


@pytest.mark.parametrize("key", ["theirs", "later_conflict", "own_agency"])
def test_assessor_cannot_open_another_entry_by_url(client, world, key):
    client.force_login(world["me"])
    response = client.get(change_url(world[key]))
    assert response.status_code == 302  # "does not exist" for this user
    assert response["Location"] == reverse("admin:index")
    history = client.get(change_url(world[key]).replace("/change/", "/history/"))
    assert history.status_code in (302, 403, 404)
    assert world[key].title not in history.content.decode()


def test_assessor_sees_only_their_own_score_sheets(client, world):
    client.force_login(world["me"])
    page = client.get("/admin/awards/scoresheet/").content.decode()
    assert world["mine"].reference in page
    assert world["theirs"].reference not in page
    assert world["later_conflict"].reference not in page
    assert ">other<" not in page and "other" not in page.split('id="changelist-filter"')[-1]
    assert client.get(change_url(world["their_sheet"])).status_code == 302
    assert client.get(change_url(world["conflicted_sheet"])).status_code == 302
    # a historical version of another's sheet, by URL
    record = world["their_sheet"].history.first()
    url = change_url(world["their_sheet"]).replace("/change/", f"/history/{record.pk}/")
    assert client.get(url).status_code in (302, 403, 404)


def test_assessor_cannot_write_another_assessors_sheet(client, world):
    client.force_login(world["me"])
    sheet = world["their_sheet"]
    score = sheet.scores.first()
    response = client.post(
        change_url(sheet),
        {
            "overall_comment": "แอบแก้",
            "scores-TOTAL_FORMS": "1", "scores-INITIAL_FORMS": "1",
            "scores-MIN_NUM_FORMS": "0", "scores-MAX_NUM_FORMS": "0",
            "scores-0-id": score.pk, "scores-0-sheet": sheet.pk,
            "scores-0-value": "1", "scores-0-comment": "x", "_submit_sheet": "1",
        },
    )  # fmt: skip
    assert response.status_code in (302, 403)
    sheet.refresh_from_db()
    score.refresh_from_db()
    assert (sheet.overall_comment, sheet.state, score.value) == ("", ScoreSheet.State.DRAFT, None)


def test_export_action_only_exports_what_the_assessor_sees(client, world):
    client.force_login(world["me"])
    ids = [world["my_sheet"].pk, world["their_sheet"].pk, world["conflicted_sheet"].pk]
    response = client.post(
        "/admin/awards/scoresheet/", {"action": "export_xlsx", "_selected_action": ids}
    )
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    references = {row[0] for row in rows[1:]}
    assert references == {world["mine"].reference}


def test_staff_actions_are_not_offered_to_assessors(client, world):
    client.force_login(world["me"])
    page = client.get("/admin/awards/entry/").content.decode()
    assert 'value="shortlist"' not in page and 'value="assign"' not in page
    client.post(
        "/admin/awards/entry/", {"action": "shortlist", "_selected_action": [world["mine"].pk]}
    )
    world["mine"].refresh_from_db()
    assert world["mine"].state == EntryState.SCREENING
    assert client.get(reverse("admin:awards_entry_ranking")).status_code == 403
    assert client.get(reverse("admin:awards_assignment_load")).status_code == 403


def test_autocomplete_offers_only_assigned_entries(client, world):
    client.force_login(world["me"])
    response = client.get(
        "/admin/autocomplete/",
        {"app_label": "awards", "model_name": "conflictdeclaration", "field_name": "entry"},
    )
    assert response.status_code == 200
    ids = {int(item["id"]) for item in json.loads(response.content)["results"]}
    assert ids == {world["mine"].pk}


def test_nothing_a_result_depends_on_can_be_deleted(client, world):
    client.force_login(world["staff"])
    for obj in (world["my_sheet"], world["mine"], world["my_sheet"].assignment):
        url = change_url(obj).replace("/change/", "/delete/")
        assert client.get(url).status_code == 403
    assert ScoreSheet.objects.filter(pk=world["my_sheet"].pk).exists()


def test_staff_see_every_sheet_but_cannot_change_scores(client, world):
    client.force_login(world["staff"])
    page = client.get("/admin/awards/scoresheet/").content.decode()
    assert world["mine"].reference in page and world["theirs"].reference in page
    page = client.get(change_url(world["their_sheet"])).content.decode()
    assert 'name="_submit_sheet"' not in page and 'name="scores-0-value"' not in page


def test_demo_assessors_can_work_in_the_admin():
    from portal.accounts.demo import load_agencies, load_users

    users = load_users(load_agencies())
    for name in ("assessor", "assessor2", "chair"):
        assert users[name].has_perm("awards.change_scoresheet")
        assert not users[name].has_perm("awards.delete_scoresheet")
        assert not users[name].has_perm("awards.add_assignment")
    assert not users["official"].has_perm("awards.view_entry")


def test_a_submitted_entry_is_read_only_even_for_staff(client, world):
    client.force_login(world["staff"])
    url = change_url(world["mine"])
    assert 'name="title"' not in client.get(url).content.decode()
    client.post(url, {"title": "แก้หลังส่ง"})
    world["mine"].refresh_from_db()
    assert world["mine"].title == "ผลงานของฉัน"


def test_a_large_export_is_sent_to_the_worker_instead(client, world, monkeypatch):
    monkeypatch.setattr("awards.admin.score_sheets.EXPORT_LIMIT", 1)
    client.force_login(world["staff"])
    ids = [world["my_sheet"].pk, world["their_sheet"].pk]
    response = client.post(
        "/admin/awards/scoresheet/", {"action": "export_xlsx", "_selected_action": ids}
    )
    assert response.status_code == 302
    assert not response.get("Content-Type", "").startswith("application/vnd")
