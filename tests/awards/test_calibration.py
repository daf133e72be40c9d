"""awards/calibration.py: one harsh assessor no longer drags down the entries they scored —
the calibrated score ranks entries as their mean would without that assessor — shown in the
ranking beside the raw mean, with the disagreement flag kept."""

from decimal import Decimal

import pytest

from awards import calibration, scoring
from tests.awards.test_scoring import rubric_of_two, scored_sheet
from tests.factories import AssessorFactory, CategoryFactory, ScreeningEntryFactory

pytestmark = pytest.mark.django_db
D = Decimal
# (first criterion of 10, second of 5) → total: 60 % and 40 % weights
QUALITY = [(9, 5), (8, 5), (8, 4), (7, 4), (6, 3), (5, 2)]  # totals 94, 88, 80, 74, 60, 46


def harsh(values):
    return (max(values[0] - 4, 0), max(values[1] - 2, 0))  # 40 points lower


def test_the_calibrated_score_ranks_as_the_mean_without_the_harsh_assessor():
    category = CategoryFactory()
    criteria = rubric_of_two(category)
    entries = [ScreeningEntryFactory(category=category) for _ in QUALITY]
    fair = [AssessorFactory() for _ in range(3)]
    severe = AssessorFactory()
    # Panels score different subsets: fair[0] everything, fair[1] the first four, fair[2] the
    # last four; the harsh assessor only entries 1, 2 and 4.
    for i, (entry, values) in enumerate(zip(entries, QUALITY, strict=True)):
        scored_sheet(entry, criteria, values, assessor=fair[0])
        if i < 4:
            scored_sheet(entry, criteria, values, assessor=fair[1])
        if i >= 2:
            scored_sheet(entry, criteria, values, assessor=fair[2])
        if i in (1, 2, 4):
            scored_sheet(entry, criteria, harsh(values), assessor=severe)
    rows = {row.entry: row for row in scoring.ranking(category)}
    # Without the harsh assessor, each entry's mean is its quality: 94 > 88 > 80 > 74 > 60 > 46.
    by_raw_mean = sorted(entries, key=lambda e: -rows[e].mean)
    by_calibrated = sorted(entries, key=lambda e: -rows[e].calibrated)
    assert by_raw_mean != entries  # the harsh sheets reorder the raw mean …
    assert by_calibrated == entries  # … but not the calibrated score
    assert [rows[e].calibrated_rank for e in entries] == [1, 2, 3, 4, 5, 6]
    assert rows[entries[0]].calibrated == D("94.00")  # an entry the harsh one never saw
    assert rows[entries[1]].calibrated == D("88.00")
    assert rows[entries[1]].disagreement  # 88 against 48: the flag stays


def test_calibration_keeps_fair_scores_and_handles_lone_groups():
    assert calibration.calibrate([]) == {}
    # Two assessors who agree up to a constant: corrected to the same scale, centred.
    result = calibration.calibrate([(1, 10, D(80)), (1, 11, D(60)), (2, 10, D(70)), (2, 11, D(50))])
    assert result == {1: D("70.00"), 2: D("60.00")}
    # A group nobody else shares keeps its own totals.
    assert calibration.calibrate([(3, 12, D(55))]) == {3: D("55.00")}
    assert "ความเข้มงวด" in calibration.method()


def test_the_ranking_page_and_the_spreadsheet_show_it_with_the_method(client, settings):
    from awards import spreadsheets
    from tests.factories import AdminStaffFactory

    settings.ADMIN_REQUIRE_2FA = False
    category = CategoryFactory()
    criteria = rubric_of_two(category)
    entry = ScreeningEntryFactory(category=category)
    scored_sheet(entry, criteria, (8, 4))
    book = spreadsheets.build_ranking_workbook(category)
    rows = list(book.active.iter_rows(values_only=True))
    column = rows[1].index("คะแนนปรับมาตรฐาน")
    assert rows[2][column] == 80.0 and rows[2][column + 1] == 1
    assert "ความเข้มงวด" in book.active.cell(row=2, column=column + 1).comment.text
    client.force_login(AdminStaffFactory())
    html = client.get("/admin/awards/entry/ranking/", {"category": category.pk}).content.decode()
    assert "คะแนนปรับมาตรฐาน" in html and calibration.method() in html
