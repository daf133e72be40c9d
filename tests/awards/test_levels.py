"""awards/levels.py: award levels are data per cycle and branch — offered, checked, named and
ranked from the AwardLevel rows wherever a level is decided or shown."""

from decimal import Decimal

import pytest
from django.http import QueryDict
from django.utils import timezone, translation

from awards import levels, scoring
from awards.models import AwardLevel, AwardLevelKind, Result, SiteVisit
from awards.scoring import ScoringError
from cases import listing
from cases.models import CaseStudy
from tests.cases.conftest import index
from tests.factories import (
    AdminStaffFactory,
    BranchFactory,
    CaseStudyFactory,
    CategoryFactory,
    CycleFactory,
    PanelFactory,
    ScreeningEntryFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def pmqa():
    """Cycle 2570 with the standard levels for all branches and PMQA 4.0's for PMQA only."""
    cycle = CycleFactory()
    branch = BranchFactory(code="pmqa", name_th="สาขาคุณภาพการบริหารจัดการภาครัฐ")
    levels.add_levels(cycle, levels.PMQA_LEVELS, branch)
    return {
        "cycle": cycle,
        "pmqa": CategoryFactory(cycle=cycle, branch=branch, code="pmqa-40"),
        "service": CategoryFactory(cycle=cycle, code="service-innovation"),
    }


def visited(category):
    return ScreeningEntryFactory(category=category, state="site_visited")


def test_levels_offered_are_those_of_the_entrys_cycle_and_branch(pmqa):
    pmqa_codes = [code for code, _label in levels.choices_for(pmqa["pmqa"])]
    service_codes = [code for code, _label in levels.choices_for(pmqa["service"])]
    # highest first, by the rank the rows give
    assert pmqa_codes == [
        "honour", "outstanding", "pmqa_significance", "good", "pmqa_advance", "pmqa_basic",
        "not_awarded",
    ]  # fmt: skip
    assert service_codes == ["honour", "outstanding", "good", "not_awarded"]


def test_a_level_of_another_branch_or_cycle_is_refused(pmqa):
    staff = StaffFactory()
    entry = visited(pmqa["service"])
    later = CycleFactory(year_be=2571)
    AwardLevel.objects.create(cycle=later, code="excellent", name_th="ระดับเป็นเลิศ", rank=1)
    for code in ("pmqa_advance", "excellent", "bogus", ""):
        with pytest.raises(ScoringError, match="ปีรางวัลและสาขาของผลงานนี้"):
            scoring.record_decision(entry, code, staff)
    assert not Result.objects.exists()
    result = scoring.record_decision(visited(pmqa["pmqa"]), "pmqa_advance", staff)
    assert result.award_level == "pmqa_advance"
    assert levels.label_of(result) == "ระดับก้าวหน้า (Advance)"
    assert result.entry.state == "awarded"
    assert result.entry.state_changes.last().note == "มติคณะกรรมการ: ระดับก้าวหน้า (Advance)"


def test_not_awarded_is_the_level_of_that_kind_whatever_its_code(pmqa):
    entry = ScreeningEntryFactory(category=pmqa["service"])
    AwardLevel.objects.filter(cycle=pmqa["cycle"], code="not_awarded").update(code="no_award")
    levels.forget()  # update() sends no signal
    result = scoring.record_decision(entry, levels.not_awarded_code(entry), StaffFactory())
    assert (result.award_level, levels.is_award("no_award"), result.entry.state) == (
        "no_award", False, "not_awarded",
    )  # fmt: skip


def test_the_chairs_proposed_level_is_checked_against_the_entry(pmqa):
    entry = visited(pmqa["service"])
    visit = SiteVisit.objects.create(
        entry=entry, panel=PanelFactory(cycle=pmqa["cycle"]), scheduled_at=timezone.now()
    )
    errors = scoring.consolidation_errors(visit, Decimal(80), "เหตุผล", "pmqa_advance")
    assert set(errors) == {"proposed_level"}
    assert "ปีรางวัลและสาขา" in errors["proposed_level"]
    assert scoring.consolidation_errors(visit, Decimal(80), "เหตุผล", "good") == {}


def test_admin_offers_the_entrys_levels_and_refuses_another_branchs(client, pmqa):
    staff = AdminStaffFactory()
    client.force_login(staff)
    page = client.get("/admin/awards/result/add/").content.decode()
    assert '<optgroup label="2570 · สาขาคุณภาพการบริหารจัดการภาครัฐ">' in page
    assert "ระดับก้าวหน้า (Advance)" in page
    entry = visited(pmqa["service"])
    response = client.post(
        "/admin/awards/result/add/", {"entry": entry.pk, "award_level": "pmqa_advance"}
    )
    assert response.status_code == 200
    assert "กรุณาเลือกระดับรางวัลของปีรางวัลและสาขาของผลงานนี้" in response.content.decode()
    assert not Result.objects.exists()
    # The list names and filters levels by their names, not their codes.
    scoring.record_decision(visited(pmqa["pmqa"]), "pmqa_advance", staff)
    listed = client.get("/admin/awards/result/").content.decode()
    assert 'href="?award_level=pmqa_advance"' in listed
    assert listed.count("ระดับก้าวหน้า (Advance)") >= 2  # the filter and the row
    assert "pmqa_advance</a>" not in listed


def test_names_and_ranks_come_from_the_rows_and_follow_a_change(
    client, db, django_capture_on_commit_callbacks
):
    for year, level in [(2560, "good"), (2561, "outstanding"), (2562, "pmqa_advance")]:
        CaseStudyFactory(title=f"ผลงาน {year}", year_be=year, award_level=level)
    index(*CaseStudy.objects.all())

    def facet():
        found = next(f for f in listing.cases(QueryDict("")).facets if f["param"] == "level")
        return [(v["value"], str(v["label"])) for v in found["values"]]

    # Standing levels (no cycle) name the codes of years without a cycle, in rank order.
    assert facet() == [
        ("outstanding", "ระดับดีเด่น"), ("good", "ระดับดี"), ("pmqa_advance", "ระดับก้าวหน้า (Advance)"),
    ]  # fmt: skip
    with translation.override("en"):
        assert [label for _code, label in facet()] == ["Outstanding", "Good", "Advance level"]
    # The secretariat renames and re-ranks: every page follows at once (the cache is forgotten).
    good = AwardLevel.objects.get(cycle=None, code="good")
    good.name_th, good.rank = "ระดับดีมาก", 1
    with django_capture_on_commit_callbacks(execute=True):
        good.save()
    assert facet()[0] == ("good", "ระดับดีมาก")
    page = client.get("/cases/?level=good").content.decode()
    assert "ระดับดีมาก" in page
    # A cycle's own name for its branch wins over the standing one on that year's cases.
    cycle = CycleFactory(year_be=2563)
    branch = BranchFactory(code="service")
    AwardLevel.objects.create(
        cycle=cycle, branch=branch, code="outstanding", name_th="ดีเด่นบริการ", rank=2
    )
    case = CaseStudyFactory(year_be=2563, branch=branch, award_level="outstanding")
    assert case.award_level_label == "ดีเด่นบริการ"
    assert CaseStudyFactory(year_be=2561, award_level="outstanding").award_level_label == (
        "ระดับดีเด่น"
    )


def test_a_code_is_for_all_branches_or_per_branch_in_a_cycle(pmqa):
    cycle = pmqa["cycle"]
    per_branch = AwardLevel(
        cycle=cycle, branch=pmqa["pmqa"].branch, code="good", name_th="ดี", rank=3
    )
    assert levels.clash(per_branch) == "รหัสนี้กำหนดไว้แล้วสำหรับทุกสาขาของปีรางวัลนี้"
    for_all = AwardLevel(cycle=cycle, code="pmqa_basic", name_th="พื้นฐาน", rank=4)
    assert levels.clash(for_all) == "รหัสนี้กำหนดไว้แล้วในปีรางวัลนี้"
    # A code a result carries can be renamed, not re-coded.
    scoring.record_decision(visited(pmqa["service"]), "good", StaffFactory())
    good = AwardLevel.objects.get(cycle=cycle, code="good")
    good.name_th = "ระดับดี (ใหม่)"
    assert levels.clash(good) is None
    good.code = "fine"
    assert "เปลี่ยนรหัสไม่ได้" in levels.clash(good)


def test_api_results_filter_by_a_known_code_and_categories_list_their_levels(client, pmqa):
    unknown = client.get("/api/v1/results/", {"award_level": "bogus"})
    assert unknown.status_code == 200 and unknown.json()["count"] == 0
    assert client.get("/api/v1/results/", {"award_level": "pmqa_advance"}).status_code == 200
    data = client.get(f"/api/v1/categories/{pmqa['pmqa'].pk}/").json()
    assert [level["code"] for level in data["award_levels"]][:3] == [
        "honour", "outstanding", "pmqa_significance",
    ]  # fmt: skip
    assert data["award_levels"][-1] == {
        "code": "not_awarded", "name_th": "ไม่ได้รับรางวัล", "name_en": "Not awarded",
        "kind": AwardLevelKind.NOT_AWARDED, "rank": 99,
    }  # fmt: skip
