"""Assessors through the API: their assignments and their own score sheets (awards/api.py
calling awards/scoring.py and awards/permissions.py)."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from awards.models import ScoreSheet
from tests.factories import (
    AssessorFactory,
    AssignmentFactory,
    ConflictDeclarationFactory,
    CriterionFactory,
    ScoreFactory,
    ScoreSheetFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def sheet():
    """A draft sheet with two criteria (max 10 each), nothing scored yet."""
    entry = ScreeningEntryFactory(title="ผลงานที่ได้รับมอบหมาย")
    assignment = AssignmentFactory(entry=entry)
    sheet = ScoreSheetFactory(assignment=assignment)
    for order in (1, 2):
        criterion = CriterionFactory(category=entry.category, order=order, weight=Decimal(50))
        ScoreFactory(sheet=sheet, criterion=criterion, value=None, comment="")
    return sheet


def criteria(sheet):
    return [score.criterion_id for score in sheet.scores.order_by("criterion__order")]


def test_an_assessor_lists_their_assignments_and_reads_their_sheet(api, sheet):
    assessor = sheet.assignment.assessor
    AssignmentFactory()  # someone else's
    api.force_authenticate(assessor)
    listing = api.get("/api/v1/assignments/").json()
    assert [row["id"] for row in listing["results"]] == [sheet.assignment_id]
    row = listing["results"][0]
    assert row["entry"]["title"] == "ผลงานที่ได้รับมอบหมาย" and row["sheet"] == sheet.pk
    body = api.get(f"/api/v1/score-sheets/{sheet.pk}/").json()
    assert body["state"] == "draft" and len(body["scores"]) == 2
    assert body["scores"][0]["criterion"]["max_score"] == "10.00"


def test_an_assessor_scores_and_submits(api, sheet):
    api.force_authenticate(sheet.assignment.assessor)
    first, second = criteria(sheet)
    url = f"/api/v1/score-sheets/{sheet.pk}/"
    response = api.patch(
        url,
        {
            "overall_comment": "ผลงานโดดเด่น",
            "scores": [
                {"criterion": first, "value": "8", "comment": "ดีมาก"},
                {"criterion": second, "value": "6.5", "comment": "ดี"},
            ],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["total"] == "72.50"  # (8/10·50 + 6.5/10·50) on a scale of 100
    sheet.refresh_from_db()
    assert sheet.overall_comment == "ผลงานโดดเด่น"
    assert sheet.scores.get(criterion_id=second).history.first().history_user == (
        sheet.assignment.assessor
    )
    submitted = api.post(url + "submit/")
    assert submitted.status_code == 200 and submitted.json()["state"] == "submitted"
    # A submitted sheet is not written again.
    again = api.patch(url, {"scores": [{"criterion": first, "value": "1"}]}, format="json")
    assert again.status_code == 400
    assert sheet.scores.get(criterion_id=first).value == Decimal("8")


def test_an_incomplete_sheet_is_not_submitted(api, sheet):
    api.force_authenticate(sheet.assignment.assessor)
    first, _second = criteria(sheet)
    api.patch(
        f"/api/v1/score-sheets/{sheet.pk}/",
        {"scores": [{"criterion": first, "value": "5", "comment": "พอใช้"}]},
        format="json",
    )
    response = api.post(
        f"/api/v1/score-sheets/{sheet.pk}/submit/", headers={"Accept-Language": "th"}
    )
    assert response.status_code == 400 and "ไม่ครบ" in response.json()["detail"]
    sheet.refresh_from_db()
    assert sheet.state == ScoreSheet.State.DRAFT


@pytest.mark.parametrize(
    ("row", "field"),
    [
        ({"value": "11"}, "value"),  # above the criterion's maximum
        ({"value": "-1"}, "value"),
        ({"value": "abc"}, "value"),
        ({"value": "1.234"}, "value"),
        ({"criterion": 999999, "value": "1"}, "criterion"),
    ],
)
def test_bad_scores_are_refused_and_nothing_is_saved(api, sheet, row, field):
    api.force_authenticate(sheet.assignment.assessor)
    first, second = criteria(sheet)
    body = {
        "scores": [
            {"criterion": second, "value": "3", "comment": "ok"},
            {"criterion": first, **row},
        ]
    }
    response = api.patch(f"/api/v1/score-sheets/{sheet.pk}/", body, format="json")
    assert response.status_code == 400
    assert field in str(response.json())
    assert sheet.scores.get(criterion_id=second).value is None  # all or nothing


def test_the_same_criterion_twice_is_refused(api, sheet):
    api.force_authenticate(sheet.assignment.assessor)
    first, _ = criteria(sheet)
    body = {"scores": [{"criterion": first, "value": "1"}, {"criterion": first, "value": "2"}]}
    assert api.patch(f"/api/v1/score-sheets/{sheet.pk}/", body, format="json").status_code == 400


def test_sheets_from_the_wrong_side(api, sheet):
    url = f"/api/v1/score-sheets/{sheet.pk}/"
    first, _ = criteria(sheet)
    body = {"scores": [{"criterion": first, "value": "9"}]}
    assert api.get(url).status_code in (401, 403)
    assert api.get("/api/v1/assignments/").status_code in (401, 403)
    # Another assessor, an official, and staff (staff read sheets in the admin, not here).
    for user in (
        AssessorFactory(),
        UserFactory(agency=sheet.assignment.entry.agency),
        StaffFactory(),
    ):
        api.force_authenticate(user)
        assert api.get(url).status_code == 404
        assert api.patch(url, body, format="json").status_code == 404
        assert api.post(url + "submit/").status_code == 404
        assert api.get("/api/v1/score-sheets/").json()["count"] == 0
        assert api.get("/api/v1/assignments/").json()["count"] == 0
    assert sheet.scores.get(criterion_id=first).value is None


def test_a_conflicted_assessor_loses_the_sheet(api, sheet):
    assessor = sheet.assignment.assessor
    ConflictDeclarationFactory(assessor=assessor, agency=sheet.assignment.entry.agency)
    api.force_authenticate(assessor)
    assert api.get("/api/v1/assignments/").json()["count"] == 0
    assert api.get(f"/api/v1/score-sheets/{sheet.pk}/").status_code == 404


def test_sheets_cannot_be_created_or_deleted_through_the_api(api, sheet):
    api.force_authenticate(sheet.assignment.assessor)
    assert api.post("/api/v1/score-sheets/", {}, format="json").status_code == 405
    assert api.delete(f"/api/v1/score-sheets/{sheet.pk}/").status_code == 405
    assert api.put(f"/api/v1/score-sheets/{sheet.pk}/", {}, format="json").status_code == 405
