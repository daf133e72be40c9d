"""awards/spreadsheets.py: the cycle's results workbook (a sheet per category, a row per entry,
a column per criterion, weighted totals, spread, rank) and the score-sheet export."""

import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from awards import spreadsheets
from awards.models import AssessmentRound, Assignment, Score, ScoreSheet
from tests.factories import (
    AssessorFactory,
    CategoryFactory,
    CriterionFactory,
    ScreeningEntryFactory,
)

pytestmark = pytest.mark.django_db
D = Decimal


def submitted(entry, criteria, values):
    assignment = Assignment.objects.create(
        entry=entry, assessor=AssessorFactory(), round=AssessmentRound.SCREENING
    )
    sheet = ScoreSheet.objects.create(
        assignment=assignment, state=ScoreSheet.State.SUBMITTED, submitted_at=timezone.now()
    )
    for criterion, value in zip(criteria, values, strict=True):
        Score.objects.create(sheet=sheet, criterion=criterion, value=D(value), comment="ok")
    return sheet


def reopen(workbook):
    buffer = io.BytesIO(spreadsheets.workbook_bytes(workbook))
    return load_workbook(buffer)


def test_results_workbook_has_a_sheet_per_category_and_a_row_per_entry():
    first = CategoryFactory(name_th="นวัตกรรมการบริการ")
    second = CategoryFactory(cycle=first.cycle, name_th="การพัฒนาการบริการ")
    criteria = [
        CriterionFactory(category=first, order=1, title_th="ปัญหา", weight=D(50), max_score=D(10)),
        CriterionFactory(category=first, order=2, title_th="ผลลัพธ์", weight=D(50), max_score=D(10)),
    ]
    top, low = ScreeningEntryFactory(category=first), ScreeningEntryFactory(category=first)
    submitted(top, criteria, [10, 8])  # 90
    submitted(top, criteria, [6, 6])  # 60: spread 30, above the margin of 15
    submitted(low, criteria, [5, 5])  # 50
    ScreeningEntryFactory(category=second)

    book = reopen(spreadsheets.build_results_workbook(first.cycle_id))

    assert book.sheetnames == ["นวัตกรรมการบริการ", "การพัฒนาการบริการ"]
    rows = list(book["นวัตกรรมการบริการ"].iter_rows(values_only=True))
    header = rows[1]
    assert header[:5] == ("ลำดับ", "เลขที่อ้างอิง", "ชื่อผลงาน", "หน่วยงาน", "สถานะ")
    assert "กลั่นกรอง 1. ปัญหา (10)" in header and "กลั่นกรอง 2. ผลลัพธ์ (10)" in header
    column = {name: index for index, name in enumerate(header)}
    body = rows[2:]
    assert [row[column["เลขที่อ้างอิง"]] for row in body] == [top.reference, low.reference]
    first_row = body[0]
    assert first_row[column["ลำดับ"]] == 1
    assert first_row[column["กลั่นกรอง 1. ปัญหา (10)"]] == 8.0
    assert first_row[column["คะแนนถ่วงน้ำหนักเฉลี่ย"]] == 75.0
    assert first_row[column["จำนวนแบบ"]] == 2
    assert first_row[column["ค่าความต่าง"]] == 30.0
    assert first_row[column["ความเห็นต่างเกินเกณฑ์"]] == "ใช่"
    spread_cell = book["นวัตกรรมการบริการ"].cell(row=3, column=column["ค่าความต่าง"] + 1)
    assert spread_cell.fill.fgColor.rgb.endswith("FCE4D6")  # flagged for the committee
    assert body[1][column["ลำดับ"]] == 2 and body[1][column["คะแนนถ่วงน้ำหนักเฉลี่ย"]] == 50.0
    assert len(list(book["การพัฒนาการบริการ"].iter_rows())) == 3  # title, header, one entry


def test_score_sheet_export_has_a_row_per_score():
    entry = ScreeningEntryFactory()
    criteria = [CriterionFactory(category=entry.category, order=n) for n in (1, 2)]
    sheet = submitted(entry, criteria, [7, 3])
    book = reopen(spreadsheets.build_score_sheets_workbook(ScoreSheet.objects.all()))
    rows = list(book.active.iter_rows(values_only=True))
    assert len(rows) == 3
    assert [row[10] for row in rows[1:]] == [7.0, 3.0]
    assert {row[4] for row in rows[1:]} == {str(sheet.assignment.assessor)}
