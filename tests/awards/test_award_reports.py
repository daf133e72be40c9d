"""Award reports (awards/reports.py): an agency's entry as a PDF, a cycle's results as a
spreadsheet; built through the report machinery, files read back."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from awards.models import ScoreSheet
from awards.reports import build_entry_pdf, build_results_spreadsheet
from portal.reports import kinds, requesting
from portal.reports.models import Report
from portal.thai import be_stamp
from tests.factories import (
    AssessorFactory,
    CategoryFactory,
    CriterionFactory,
    EntryFactory,
    ScoreFactory,
    ScoreSheetFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)
from tests.report_files import pdf_contains, private_storage  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_storage")]


def test_entry_pdf_holds_the_whole_application():
    entry = EntryFactory(
        title="ศูนย์บริการประชาชนแบบเบ็ดเสร็จ",
        summary="ลดเวลารอคอยของประชาชนจากสามชั่วโมงเหลือสามสิบนาที",
        partners="เทศบาลนครขอนแก่นและมหาวิทยาลัยขอนแก่น",
        contact_name="นางสาวสมใจ ใจดี",
    )
    built = build_entry_pdf(entry.pk)
    assert built.filename.startswith("draft-") and built.content_type == "application/pdf"
    assert pdf_contains(
        built.content,
        entry.title,
        entry.answers.get("summary"),
        entry.answers.get("partners"),
        entry.answers.get("contact_name"),
        entry.agency.name_th,
        entry.category.name_th,
        "ฉบับร่าง",
    )


def test_entry_pdf_of_a_submitted_entry_is_named_by_its_reference():
    entry = ScreeningEntryFactory()
    built = build_entry_pdf(entry.pk)
    assert built.filename == f"{entry.reference}_{be_stamp()}.pdf"  # LR-2570-000123_2569-12-06.pdf
    assert pdf_contains(built.content, entry.reference)


def test_who_may_ask_for_an_entry_pdf():
    entry = EntryFactory()
    colleague = UserFactory(agency=entry.agency)
    kind = kinds.get_kind("entry")
    assert kind.allowed(colleague, entry.pk)
    assert kind.allowed(StaffFactory(), entry.pk)
    assert not kind.allowed(UserFactory(), entry.pk)  # another agency
    assert not kind.allowed(AssessorFactory(), entry.pk)  # not assigned
    assert [value for value, _ in kind.options(colleague)] == [entry.pk]
    assert kind.options(UserFactory()) == []


def scored_category():
    """Two criteria (weights 60/40, max 10); two entries, each scored by two assessors."""
    category = CategoryFactory(name_th="นวัตกรรมการบริการ")
    first = CriterionFactory(category=category, order=1, weight=Decimal(60), title_th="ความคิดริเริ่ม")
    second = CriterionFactory(category=category, order=2, weight=Decimal(40), title_th="ผลลัพธ์")
    entries = [
        ScreeningEntryFactory(category=category, title="ผลงานคะแนนสูง"),
        ScreeningEntryFactory(category=category, title="ผลงานคะแนนต่ำ"),
    ]
    values = {entries[0]: [(10, 10), (8, 6)], entries[1]: [(5, 5), (3, 3)]}
    for entry, sheets in values.items():
        for a, b in sheets:
            sheet = ScoreSheetFactory(
                assignment__entry=entry,
                state=ScoreSheet.State.SUBMITTED,
                submitted_at=timezone.now(),
            )
            ScoreFactory(sheet=sheet, criterion=first, value=Decimal(a), comment="ดี")
            ScoreFactory(sheet=sheet, criterion=second, value=Decimal(b), comment="ดี")
    return category, entries


def test_results_spreadsheet_has_a_row_per_entry_and_a_column_per_criterion():
    category, entries = scored_category()
    built = build_results_spreadsheet(category.cycle_id)
    assert built.filename == f"results-{category.cycle.year_be}_{be_stamp()}.xlsx"
    workbook = openpyxl.load_workbook(io.BytesIO(built.content))
    sheet = workbook.worksheets[0]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row and row[0] == "ลำดับ")
    assert any("ความคิดริเริ่ม" in str(cell) for cell in header)
    assert any("ผลลัพธ์" in str(cell) for cell in header)
    by_title = {row[2]: dict(zip(header, row, strict=False)) for row in rows if row[2] in
                {"ผลงานคะแนนสูง", "ผลงานคะแนนต่ำ"}}  # fmt: skip
    high, low = by_title["ผลงานคะแนนสูง"], by_title["ผลงานคะแนนต่ำ"]
    assert (high["ลำดับ"], low["ลำดับ"]) == (1, 2)
    # Sheet totals: (10/10·60 + 10/10·40) = 100 and (8/10·60 + 6/10·40) = 72 → mean 86, spread 28.
    assert high["คะแนนถ่วงน้ำหนักเฉลี่ย"] == 86.0
    assert high["ค่าความต่าง"] == 28.0
    assert low["คะแนนถ่วงน้ำหนักเฉลี่ย"] == 40.0
    assert high["เลขที่อ้างอิง"] == entries[0].reference


def test_results_spreadsheet_through_the_worker_is_for_the_secretariat_only(
    django_capture_on_commit_callbacks,
):
    category, _ = scored_category()
    with pytest.raises(kinds.ReportDenied):
        requesting.request_report(AssessorFactory(), "results", category.cycle_id)
    with django_capture_on_commit_callbacks(execute=True):
        report, _ = requesting.request_report(StaffFactory(), "results", category.cycle_id)
    report.refresh_from_db()
    assert report.state == Report.State.READY, report.error
    workbook = openpyxl.load_workbook(io.BytesIO(report.file.read()))
    assert workbook.sheetnames[0].startswith("นวัตกรรมการบริการ")


def test_results_of_a_missing_cycle_fail_clearly():
    with pytest.raises(kinds.ReportError):
        build_results_spreadsheet(999999)
