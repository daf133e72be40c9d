"""Spreadsheets (openpyxl) of the assessment: score sheets, the ranking of a category and a
cycle's results (a sheet per category). Figures come from awards/scoring.py only.

`build_results_workbook(cycle_id)` is what the report machinery (awards/reports.py) builds in
the worker; the admin downloads the smaller ones directly. Every cell is written through
portal/reports/spreadsheets.py (SafeSheet): user text is text, never a formula."""

import re

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from portal.reports.spreadsheets import XLSX, SafeSheet, workbook_bytes

from . import calibration, levels, scoring
from .models import AssessmentRound, Category, Criterion, Cycle, Result, ScoreSheet, SiteVisit

__all__ = [
    "XLSX",
    "workbook_bytes",
    "build_results_workbook",
    "build_ranking_workbook",
    "build_score_sheets_workbook",
]

BOLD = Font(bold=True)
FLAG = PatternFill("solid", fgColor="FCE4D6")


def _sheet_title(text: str, taken: set[str]) -> str:
    base = re.sub(r"[\[\]:*?/\\]", " ", text).strip()[:28] or "sheet"
    title, n = base, 2
    while title in taken:
        title, n = f"{base[:25]} ({n})", n + 1
    taken.add(title)
    return title


def _header(sheet: SafeSheet, cells: list[str]) -> list:
    written = sheet.append(cells)
    for cell in written:
        cell.font = BOLD
    ws = sheet.worksheet
    ws.freeze_panes = f"D{sheet.rows + 1}"
    for index, text in enumerate(cells, start=1):
        ws.column_dimensions[get_column_letter(index)].width = min(max(len(str(text)), 8) + 2, 40)
    return written


def _number(value):
    return float(value) if value is not None else None


def write_category(ws, category: Category, margin=None) -> None:
    """On `ws`, a fresh openpyxl worksheet: one row per entry: rank, screening criteria
    means, weighted mean, median, sheets, spread, then the site visit's criteria means,
    panel mean, consolidated score, decision."""
    criteria = {
        round_: list(scoring.rubric(category, round_))
        for round_ in (AssessmentRound.SCREENING, AssessmentRound.SITE_VISIT)
    }
    screening = scoring.ranking(category, AssessmentRound.SCREENING, margin)
    site = {row.entry.pk: row for row in scoring.ranking(category, AssessmentRound.SITE_VISIT)}
    visits = {
        visit.entry_id: visit
        for visit in SiteVisit.objects.filter(entry__category=category).order_by("scheduled_at")
    }
    results = {r.entry_id: r for r in Result.objects.filter(entry__category=category)}
    sheet = SafeSheet(ws)
    sheet.append([str(category)])[0].font = Font(bold=True, size=13)
    headers = _header(
        sheet,
        [_("ลำดับ"), _("เลขที่อ้างอิง"), _("ชื่อผลงาน"), _("หน่วยงาน"), _("สถานะ")]
        + [f"{_('กลั่นกรอง')} {c.order}. {c.display_title} ({c.max_score.normalize():f})"
           for c in criteria[AssessmentRound.SCREENING]]
        + [_("คะแนนถ่วงน้ำหนักเฉลี่ย"), _("คะแนนปรับมาตรฐาน"), _("ลำดับตามคะแนนปรับมาตรฐาน"),
           _("มัธยฐาน"), _("จำนวนแบบ"), _("ค่าความต่าง"), _("ความเห็นต่างเกินเกณฑ์")]
        + [f"{_('ลงพื้นที่')} {c.order}. {c.display_title} ({c.max_score.normalize():f})"
           for c in criteria[AssessmentRound.SITE_VISIT]]
        + [_("คะแนนลงพื้นที่เฉลี่ย"), _("ค่าความต่างลงพื้นที่"), _("คะแนนสรุปของคณะ"),
           _("ระดับที่เสนอ"), _("ผลการตัดสิน")],
    )  # fmt: skip
    # Column of the spread and of its flag (1-based); SafeSheet counts the rows, since
    # openpyxl's max_row walks every cell and would make a large sheet quadratic.
    spread_column = 5 + len(criteria[AssessmentRound.SCREENING]) + 6
    # How the calibrated score is made, on its heading (the sheet's rows stay one per entry).
    headers[spread_column - 5].comment = Comment(calibration.method(), _("สำนักงาน ก.พ.ร."))
    year, branch = category.cycle.year_be, category.branch.code
    for row in screening:
        entry = row.entry
        visit_row = site.get(entry.pk)
        visit = visits.get(entry.pk)
        result = results.get(entry.pk)
        sheet.append(
            [row.rank, entry.reference, entry.title, str(entry.agency), entry.get_state_display()]
            + [_number(row.criterion_means.get(c.pk)) for c in criteria[AssessmentRound.SCREENING]]
            + [_number(row.mean), _number(row.calibrated), row.calibrated_rank,
               _number(row.median), row.sheets, _number(row.spread),
               _("ใช่") if row.disagreement else ""]
            + [_number(visit_row.criterion_means.get(c.pk)) if visit_row else None
               for c in criteria[AssessmentRound.SITE_VISIT]]
            + [_number(visit_row.mean) if visit_row else None,
               _number(visit_row.spread) if visit_row else None,
               _number(visit.consolidated_score) if visit else None,
               levels.label(visit.proposed_level, year, branch) if visit else "",
               levels.label(result.award_level, year, branch) if result else ""]
        )  # fmt: skip
        if row.disagreement:
            for column in (spread_column, spread_column + 1):
                sheet.cell(row=sheet.rows, column=column).fill = FLAG


def build_results_workbook(cycle_id: int, margin=None) -> Workbook:
    """A cycle's screening and site-visit results: a sheet per category, one row per entry,
    one column per criterion, weighted totals, spread and rank."""
    cycle = Cycle.objects.get(pk=cycle_id)
    workbook = Workbook()
    workbook.remove(workbook.active)
    taken: set[str] = set()
    categories = Category.objects.filter(cycle=cycle).select_related("branch", "cycle")
    for category in categories:
        write_category(
            workbook.create_sheet(_sheet_title(category.display_name, taken)), category, margin
        )
    if not workbook.worksheets:
        SafeSheet(workbook.create_sheet(_sheet_title(str(cycle), taken))).append(
            [_("ไม่มีประเภทรางวัล")]
        )
    return workbook


def build_ranking_workbook(category: Category, margin=None) -> Workbook:
    workbook = Workbook()
    write_category(workbook.active, category, margin)
    workbook.active.title = _sheet_title(category.display_name, set())
    return workbook


def build_score_sheets_workbook(sheets) -> Workbook:
    """One row per score of the given sheets (the caller decides which: e.g. an admin
    queryset already restricted to what the user may see)."""
    workbook = Workbook()
    workbook.active.title = _("แบบให้คะแนน")
    out = SafeSheet(workbook.active)
    _header(
        out,
        [_("เลขที่อ้างอิง"), _("ชื่อผลงาน"), _("ประเภทรางวัล"), _("รอบ"), _("ผู้ตรวจประเมิน"),
         _("สถานะแบบ"), _("คะแนนรวมถ่วงน้ำหนัก"), _("เกณฑ์"), _("น้ำหนัก"), _("คะแนนเต็ม"),
         _("คะแนน"), _("ความเห็น")],
    )  # fmt: skip
    sheets = (
        ScoreSheet.objects.filter(pk__in=sheets.values("pk"))
        .select_related("assignment__entry__category", "assignment__assessor")
        .prefetch_related("scores__criterion")
        .order_by("assignment__entry__reference", "assignment__round", "pk")
    )
    for sheet in sheets:
        assignment = sheet.assignment
        total = scoring.sheet_total(sheet)
        for score in sorted(sheet.scores.all(), key=lambda s: s.criterion.order):
            criterion: Criterion = score.criterion
            out.append(
                [assignment.entry.reference, assignment.entry.title,
                 assignment.entry.category.display_name, assignment.get_round_display(),
                 str(assignment.assessor), sheet.get_state_display(), _number(total),
                 str(criterion), _number(criterion.weight), _number(criterion.max_score),
                 _number(score.value), score.comment]
            )  # fmt: skip
    return workbook
