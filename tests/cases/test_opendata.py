"""Open data downloads (cases/opendata.py): CSV with a BOM, JSON, only what is public."""

import csv
import datetime
import io
import json

import pytest
from django.utils import timezone

from awards.models import EntryState, Result
from cases.models import Adoption
from tests.factories import (
    AgencyFactory,
    CaseStudyFactory,
    CategoryFactory,
    CycleFactory,
    LessonFactory,
    ScreeningEntryFactory,
    StaffFactory,
    province,
)

pytestmark = pytest.mark.django_db


def download(client, dataset, fmt):
    response = client.get(f"/opendata/{dataset}.{fmt}")
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def read_csv(body: bytes) -> list[dict]:
    assert body.startswith(b"\xef\xbb\xbf"), body[:10]  # the BOM Excel needs for Thai
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


@pytest.fixture
def data():
    agency = AgencyFactory(name_th="สำนักงานทดสอบข้อมูลเปิด")
    case = CaseStudyFactory(
        title="ตลาดนัดชุมชนออนไลน์", agency=agency, provinces=[province("TH-50")], year_be=2568
    )
    hidden = CaseStudyFactory(title="ผลงานที่ยังไม่เผยแพร่", is_published=False, published_at=None)
    lesson = LessonFactory(case_study=case, title="บทเรียนตลาดออนไลน์", contact="โทร 081-234-5678")
    LessonFactory(case_study=case, title="บทเรียนฉบับร่าง", is_published=False, published_at=None)
    LessonFactory(case_study=hidden, title="บทเรียนของผลงานที่ซ่อน")
    announced = ScreeningEntryFactory(
        state=EntryState.AWARDED, title="ผลงานที่ประกาศผลแล้ว", agency=agency
    )
    announced.category.cycle.results_published_at = timezone.now() - datetime.timedelta(days=1)
    announced.category.cycle.save()
    Result.objects.create(entry=announced, award_level="good", decided_by=StaffFactory())
    secret = ScreeningEntryFactory(
        state=EntryState.AWARDED,
        title="ผลงานที่ยังไม่ประกาศผล",
        category=CategoryFactory(cycle=CycleFactory(year_be=2572)),
    )
    Result.objects.create(entry=secret, award_level="good", decided_by=StaffFactory())
    adopter = AgencyFactory(name_th="เทศบาลที่นำไปขยายผล")
    Adoption.objects.create(
        case_study=case, agency=adopter, province=province("TH-57"), year_be=2569, note="=ใช้ทั้งตำบล"
    )
    Adoption.objects.create(
        case_study=hidden, agency=adopter, province=province("TH-10"), year_be=2569
    )
    return {"case": case, "lesson": lesson, "agency": agency, "adopter": adopter}


def test_case_studies_csv_has_a_bom_thai_text_and_only_published_rows(client, data):
    response, body = download(client, "case-studies", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="lertrat-case-studies.csv"' in response["Content-Disposition"]
    rows = read_csv(body)
    assert [row["title"] for row in rows] == ["ตลาดนัดชุมชนออนไลน์"]
    row = rows[0]
    assert row["id"] == str(data["case"].pk) and row["provinces"] == "TH-50"
    assert row["agency_id"] == str(data["agency"].pk)
    assert row["url"].endswith(f"/cases/{data['case'].slug}/")


def test_lessons_leave_out_drafts_hidden_cases_and_personal_contacts(client, data):
    rows = read_csv(download(client, "lessons", "csv")[1])
    assert [row["title"] for row in rows] == ["บทเรียนตลาดออนไลน์"]
    assert "contact" not in rows[0] and "081-234-5678" not in json.dumps(rows, ensure_ascii=False)


def test_results_only_of_announced_cycles(client, data):
    rows = read_csv(download(client, "results", "csv")[1])
    assert [row["title"] for row in rows] == ["ผลงานที่ประกาศผลแล้ว"]
    assert rows[0]["award_level"] == "good" and rows[0]["award_level_th"] == "ระดับดี"
    assert "screening_score" not in rows[0]


def test_agencies_json_documents_its_fields_and_licence(client, data):
    response, body = download(client, "agencies", "json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    document = json.loads(body)
    assert document["dataset"] == "agencies" and "Open Government" in document["licence"]["name"]
    assert document["count"] == len(document["records"]) >= 1
    names = {field["name"] for field in document["fields"]}
    assert {"id", "name_th", "parent_id"} <= names
    assert "สำนักงานทดสอบข้อมูลเปิด" in {r["name_th"] for r in document["records"]}
    assert "สำนักงานทดสอบข้อมูลเปิด".encode() in body  # real UTF-8, not \\u escapes


def test_json_and_csv_hold_the_same_records(client, data):
    rows = read_csv(download(client, "case-studies", "csv")[1])
    records = json.loads(download(client, "case-studies", "json")[1])["records"]
    assert [str(r["id"]) for r in records] == [row["id"] for row in rows]
    assert records[0]["title"] == rows[0]["title"]


def test_the_page_documents_every_dataset_and_the_licence(client, data):
    html = client.get("/opendata/").content.decode()
    for slug in ("case-studies", "lessons", "adoptions", "agencies", "results"):
        assert f"/opendata/{slug}.csv" in html and f"/opendata/{slug}.json" in html
    assert "สัญญาอนุญาต" in html and "Open Government Licence" in html
    assert "ระบุแหล่งที่มา" in html
    assert "<script>" not in html and "style=" not in html


@pytest.mark.parametrize(
    "url", ["/opendata/nope.csv", "/opendata/lessons.xml", "/opendata/lessons.CSV"]
)
def test_unknown_datasets_and_formats_are_404(client, url):
    assert client.get(url).status_code == 404


def test_downloads_are_read_only(client):
    assert client.post("/opendata/lessons.csv").status_code == 405


def test_the_datapackage_validates_with_frictionless(client, data, tmp_path):
    """Issue 15: a Frictionless Data Package a catalogue can harvest — typed fields, the
    licence with its URL and identifier — and `frictionless validate` passes on it (the CSVs
    downloaded beside it, as a harvester would)."""
    from frictionless import validate

    package = client.get("/opendata/datapackage.json").json()
    assert package["licenses"][0]["path"].endswith("/opendata/#licence")
    assert package["licenses"][0]["name"] == "OGL-TH-style"
    for resource in package["resources"]:
        assert resource["path"].startswith("http://testserver/opendata/")
        name = f"{resource['name']}.csv"
        (tmp_path / name).write_bytes(download(client, resource["name"], "csv")[1])
        resource["path"] = name
        types = {f["name"]: f["type"] for f in resource["schema"]["fields"]}
        assert types["id"] == "integer"
    (tmp_path / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False))
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.stats["tasks"] == 5


def test_the_dcat_catalogue_describes_every_dataset(client, data):
    response = client.get("/opendata/catalog.jsonld")
    assert response["Content-Type"].startswith("application/ld+json")
    catalog = response.json()
    assert catalog["@type"] == "dcat:Catalog" and "dcat" in catalog["@context"]
    identifiers = {d["dct:identifier"] for d in catalog["dcat:dataset"]}
    assert identifiers == {
        f"lertrat-{s}" for s in ("case-studies", "lessons", "adoptions", "agencies", "results")
    }
    for dataset in catalog["dcat:dataset"]:
        urls = [d["dcat:downloadURL"]["@id"] for d in dataset["dcat:distribution"]]
        assert {u.rsplit(".", 1)[1] for u in urls} == {"csv", "json"}
        assert dataset["dct:license"]["@id"].endswith("/opendata/#licence")


def test_json_is_typed_lists_are_arrays_missing_is_null(client, data):
    root = AgencyFactory(name_th="กระทรวงรากของต้นไม้")
    cases = json.loads(download(client, "case-studies", "json")[1])
    record = cases["records"][0]
    assert record["provinces"] == ["TH-50"] and isinstance(record["sdgs"], list)
    assert isinstance(record["id"], int) and record["agency_id"] == data["agency"].pk
    fields = {f["name"]: f["type"] for f in cases["fields"]}
    assert fields["provinces"] == "array" and fields["year_be"] == "integer"
    agencies = json.loads(download(client, "agencies", "json")[1])["records"]
    top = next(a for a in agencies if a["id"] == root.pk)
    assert top["parent_id"] is None
    assert all(a["parent_id"] is None or isinstance(a["parent_id"], int) for a in agencies)


def test_adoptions_are_open_data_of_published_models_only(client, data):
    """Issue 19: where a model project has spread, joinable by id to the case studies and
    agencies; never who recorded it; a note cannot run as a formula in a spreadsheet."""
    records = json.loads(download(client, "adoptions", "json")[1])["records"]
    assert [(r["case_study_id"], r["agency_id"], r["province"], r["year_be"]) for r in records] == [
        (data["case"].pk, data["adopter"].pk, "TH-57", 2569)
    ]
    assert "recorded_by" not in records[0] and records[0]["note"] == "=ใช้ทั้งตำบล"
    rows = read_csv(download(client, "adoptions", "csv")[1])
    assert [row["province"] for row in rows] == ["TH-57"]
    assert rows[0]["note"] == "'=ใช้ทั้งตำบล"
