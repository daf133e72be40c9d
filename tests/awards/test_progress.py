"""awards/progress.py and its admin pages: due dates per cycle or category, an assessor's own
work page (to do, drafts, submitted, visits coming, late), the staff's progress with who is
late; an assessor lands on their work page and never sees another's or the staff's page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards import assessment, progress
from awards.models import AssessmentRound, RoundDueDate, ScoreSheet
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    CategoryFactory,
    CriterionFactory,
    PanelFactory,
    ScreeningEntryFactory,
)

pytestmark = pytest.mark.django_db
SCREENING = AssessmentRound.SCREENING


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def work():
    staff, assessor, other = AdminStaffFactory(), AdminAssessorFactory(), AdminAssessorFactory()
    late_category, later_category = CategoryFactory(), CategoryFactory()
    cycle = late_category.cycle
    today = timezone.localdate()
    RoundDueDate.objects.create(
        cycle=cycle, round=SCREENING, due_on=today + datetime.timedelta(days=9)
    )
    RoundDueDate.objects.create(
        cycle=cycle,
        category=late_category,
        round=SCREENING,
        due_on=today - datetime.timedelta(days=1),
    )
    sheets = {}
    for name, category in (
        ("late", late_category),
        ("draft", later_category),
        ("done", later_category),
    ):
        entry = ScreeningEntryFactory(category=category, title=f"ผลงาน {name}")
        CriterionFactory(category=category)
        sheets[name] = assessment.assign(entry, assessor, SCREENING, staff).sheet
    assessment.assign(ScreeningEntryFactory(category=later_category), other, SCREENING, staff)
    sheets["draft"].scores.update(value=1)
    ScoreSheet.objects.filter(pk=sheets["done"].pk).update(
        state="submitted", submitted_at=timezone.now()
    )
    return staff, assessor, other, sheets, today


def test_an_assessors_work_is_sorted_into_to_do_drafts_and_submitted_with_due_dates(work):
    _staff, assessor, _other, sheets, today = work
    mine = progress.my_work(assessor)
    assert [i.sheet for i in mine.to_do] == [sheets["late"]]
    assert [i.sheet for i in mine.drafts] == [sheets["draft"]]
    assert [i.sheet for i in mine.submitted] == [sheets["done"]]
    # The category's own due date wins over the cycle's.
    assert mine.to_do[0].due_on == today - datetime.timedelta(days=1) and mine.to_do[0].late
    assert mine.drafts[0].due_on == today + datetime.timedelta(days=9) and not mine.drafts[0].late
    assert mine.late == 1


def test_staff_see_who_is_late_first(work):
    _staff, assessor, other, _sheets, _today = work
    rows = progress.progress(work[3]["late"].assignment.entry.category.cycle)
    assert (rows[0].assessor, rows[0].late, rows[0].outstanding) == (assessor, True, 1)
    assert {(r.assessor, r.assigned, r.submitted, r.late) for r in rows[1:]} == {
        (assessor, 2, 1, False),
        (other, 1, 0, False),
    }


def test_an_assessor_lands_on_their_own_work_page(client, work):
    _staff, assessor, _other, sheets, _today = work
    client.force_login(assessor)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302 and response.url == reverse("admin:awards_my_work")
    page = client.get(response.url)
    html = page.content.decode()
    for sheet in sheets.values():
        assert reverse("admin:awards_scoresheet_change", args=[sheet.pk]) in html
    assert "เลยกำหนด" in html
    assert "ผลงาน late" in html
    assert client.get(reverse("admin:awards_progress")).status_code == 403


def test_a_coming_site_visit_is_on_the_panel_members_page(client, work):
    staff, assessor, other, _sheets, _today = work
    entry = ScreeningEntryFactory(state="shortlisted")
    panel = PanelFactory(cycle=entry.category.cycle)
    panel.members.add(assessor)
    visit, _ = assessment.schedule_site_visit(
        entry, panel, timezone.now() + datetime.timedelta(days=3), staff, place="ศาลากลางจังหวัด"
    )
    assert progress.my_work(assessor).visits == [visit]
    assert progress.my_work(other).visits == []
    client.force_login(assessor)
    html = client.get(reverse("admin:awards_my_work")).content.decode()
    assert reverse("admin:awards_sitevisit_change", args=[visit.pk]) in html


def test_staff_progress_page_and_home(client, work):
    staff = work[0]
    client.force_login(staff)
    assert client.get(reverse("admin:index")).status_code == 200  # staff keep the index
    page = client.get(reverse("admin:awards_progress"))
    assert page.status_code == 200 and page.context["late"] == 1
    assert client.get(reverse("admin:awards_my_work")).status_code == 403
    assert client.get(reverse("admin:awards_progress"), {"cycle": "x"}).status_code == 200
