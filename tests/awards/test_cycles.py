"""awards/cycles.py: copying a cycle makes next year's set-up as new rows — categories, rubrics
with their score levels, award levels, eligibility, panels — and nothing of the old one changes;
entries, assignments and results stay behind."""

import datetime
from decimal import Decimal

import pytest
from django.core import serializers
from django.utils import timezone

from awards import cycles, entry_forms, levels, submission
from awards.models import (
    AwardLevel,
    Category,
    Criterion,
    CriterionLevel,
    Cycle,
    EligibilityQuestion,
    EligibilityRule,
    Entry,
    Panel,
    Result,
    SiteVisitChecklistItem,
)
from tests.factories import (
    AdminStaffFactory,
    AssessorFactory,
    AssignmentFactory,
    BranchFactory,
    CategoryFactory,
    CriterionFactory,
    CycleFactory,
    PanelFactory,
    PanelMemberFactory,
    ScreeningEntryFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    """Cycle 2569, its whole set-up, and the work done in it."""
    opened = timezone.make_aware(datetime.datetime(2025, 12, 1, 9))
    cycle = CycleFactory(
        year_be=2569,
        title="รางวัลเลิศรัฐ ประจำปี พ.ศ. 2569",
        applications_open_at=opened,
        applications_close_at=opened + datetime.timedelta(days=90),
        site_visits_start_on=datetime.date(2026, 6, 1),
        results_published_at=opened + datetime.timedelta(days=300),
    )
    pmqa = BranchFactory(code="pmqa")
    levels.add_levels(cycle, levels.PMQA_LEVELS, pmqa)
    category = CategoryFactory(cycle=cycle, branch=pmqa, code="pmqa-40", name_th="PMQA 4.0")
    CategoryFactory(cycle=cycle, code="service-innovation")
    criterion = CriterionFactory(category=category, title_th="การนำองค์การ")
    CriterionLevel.objects.create(criterion=criterion, score=Decimal(5), label_th="โดดเด่น")
    EligibilityQuestion.objects.create(
        category=category, text_th="มีรายงานครบ 7 หมวด", refusal_th="ต้องครบ"
    )
    EligibilityRule.objects.create(category=category, years=3)
    panel = PanelFactory(cycle=cycle, name="คณะ PMQA 1")
    PanelMemberFactory(panel=panel, assessor=panel.chair)
    PanelMemberFactory(panel=panel, assessor=AssessorFactory())
    entry = ScreeningEntryFactory(category=category, state="not_awarded")
    AssignmentFactory(entry=entry, assessor=panel.chair, panel=panel)
    Result.objects.create(entry=entry, award_level="not_awarded", decided_by=StaffFactory())
    return cycle


def snapshot(cycle):
    """Every row of a cycle's set-up, serialised: what must not change."""
    rows = [
        cycle,
        *cycle.categories.all(),
        *Criterion.objects.filter(category__cycle=cycle),
        *CriterionLevel.objects.filter(criterion__category__cycle=cycle),
        *AwardLevel.objects.filter(cycle=cycle),
        *EligibilityQuestion.objects.filter(category__cycle=cycle),
        *EligibilityRule.objects.filter(category__cycle=cycle),
        *Panel.objects.filter(cycle=cycle),
    ]
    return serializers.serialize("json", rows)


def test_copy_makes_next_years_cycle_as_new_rows(source):
    staff = StaffFactory()
    copy = cycles.copy_cycle(source, staff)
    assert copy.year_be == 2570 and copy.pk != source.pk
    assert copy.title == "รางวัลเลิศรัฐ ประจำปี พ.ศ. 2570"
    assert copy.applications_open_at == source.applications_open_at.replace(year=2026)
    assert copy.site_visits_start_on == datetime.date(2027, 6, 1)
    assert copy.results_published_at is None
    assert sorted(copy.categories.values_list("code", flat=True)) == [
        "pmqa-40", "service-innovation",
    ]  # fmt: skip
    category = copy.categories.get(code="pmqa-40")
    criterion = category.criteria.get()
    assert criterion.title_th == "การนำองค์การ"
    assert list(criterion.levels.values_list("score", "label_th")) == [(Decimal(5), "โดดเด่น")]
    assert sorted(AwardLevel.objects.filter(cycle=copy).values_list("code", flat=True)) == sorted(
        AwardLevel.objects.filter(cycle=source).values_list("code", flat=True)
    )
    assert category.eligibility_questions.get().text_th == "มีรายงานครบ 7 หมวด"
    assert category.eligibility_rules.get().years == 3
    panel = copy.panels.get()
    assert (panel.name, panel.chair) == ("คณะ PMQA 1", source.panels.get().chair)
    assert set(panel.members.all()) == set(source.panels.get().members.all())
    # Work stays with its year.
    assert not Entry.objects.filter(category__cycle=copy).exists()
    assert not panel.assignment_set.exists()
    assert copy.history.first().history_user == staff


def test_the_copy_is_independent_of_the_old_cycle(source):
    before = snapshot(source)
    copy = cycles.copy_cycle(source, StaffFactory())
    assert snapshot(source) == before  # copying changed nothing
    category = copy.categories.get(code="pmqa-40")
    category.name_th = "PMQA 4.0 ปรับปรุง"
    category.save()
    Criterion.objects.filter(category=category).update(weight=Decimal(50))
    CriterionLevel.objects.filter(criterion__category=category).update(label_th="ดีเยี่ยม")
    AwardLevel.objects.filter(cycle=copy, code="pmqa_advance").update(name_th="ก้าวหน้า")
    EligibilityQuestion.objects.filter(category=category).delete()
    EligibilityRule.objects.filter(category=category).update(years=1)
    copy.panels.get().members.clear()
    assert snapshot(source) == before  # editing the copy changed nothing of the old cycle
    assert source.panels.get().members.count() == 2


def test_the_copy_carries_the_site_visit_checklist_as_new_items(source):
    category = source.categories.get(code="pmqa-40")
    SiteVisitChecklistItem.objects.create(cycle=source, order=1, text_th="ตรวจหลักฐานผลลัพธ์")
    SiteVisitChecklistItem.objects.create(cycle=source, category=category, text_th="ทุกหมวด")
    copy = cycles.copy_cycle(source, StaffFactory())
    copied = SiteVisitChecklistItem.objects.filter(cycle=copy).order_by("pk")
    assert [(item.text_th, item.category) for item in copied] == [
        ("ตรวจหลักฐานผลลัพธ์", None), ("ทุกหมวด", copy.categories.get(code="pmqa-40")),
    ]  # fmt: skip
    assert SiteVisitChecklistItem.objects.filter(cycle=source).count() == 2


def test_the_copy_carries_each_categorys_entry_form_to_adjust(source):
    category = source.categories.get(code="pmqa-40")
    form = entry_forms.form_from_data(category, entry_forms.shipped("pmqa40"))
    entry_forms.lock(form)
    copy = cycles.copy_cycle(source, StaffFactory())
    copied = entry_forms.current_form(copy.categories.get(code="pmqa-40"))
    assert copied.pk != form.pk and copied.version == 1 and not copied.is_locked
    assert list(copied.questions.values_list("code", flat=True)) == list(
        form.questions.values_list("code", flat=True)
    )
    copied.questions.filter(code=copied.questions.first().code).update(label_th="แก้ในปีใหม่")
    assert not form.questions.filter(label_th="แก้ในปีใหม่").exists()
    # A category without a form of its own gets the default when its first entry starts.
    assert entry_forms.current_form(copy.categories.get(code="service-innovation")) is None


def test_the_copy_is_a_draft_closed_and_hidden_until_staff_untick_it(client, source):
    source.applications_open_at = timezone.now() - datetime.timedelta(days=400)
    source.applications_close_at = timezone.now() + datetime.timedelta(days=30 - 365)
    source.save()  # moved a year, the copy's window is open today
    copy = cycles.copy_cycle(source, StaffFactory())
    category = copy.categories.get(code="pmqa-40")
    assert copy.is_draft and not copy.is_open_for_entries()
    assert category not in submission.open_categories()
    assert client.get("/api/v1/cycles/2570/").status_code == 404
    assert client.get(f"/api/v1/categories/{category.pk}/").status_code == 404
    copy.is_draft = False
    copy.save()
    assert copy.is_open_for_entries() and category in submission.open_categories()
    assert client.get("/api/v1/cycles/2570/").status_code == 200


def test_a_year_that_exists_is_refused_in_thai(source):
    CycleFactory(year_be=2570)
    cycles_before = Cycle.objects.count()
    with pytest.raises(cycles.CopyError, match="มีปีรางวัล พ.ศ. 2570 อยู่แล้ว"):
        cycles.copy_cycle(source, StaffFactory())
    assert Cycle.objects.count() == cycles_before
    assert Category.objects.filter(cycle__year_be=2570).count() == 0


def test_only_the_secretariat_copies(source):
    with pytest.raises(cycles.CopyError, match="เฉพาะเจ้าหน้าที่"):
        cycles.copy_cycle(source, AssessorFactory())
    assert not Cycle.objects.filter(year_be=2570).exists()


def test_29_february_moves_to_28():
    assert cycles.next_year(datetime.date(2028, 2, 29)) == datetime.date(2029, 2, 28)
    assert cycles.next_year(None) is None


def test_the_admin_action_copies_once_then_explains(client, source):
    client.force_login(AdminStaffFactory())
    action = {"action": "copy_to_next_year", "_selected_action": [source.pk]}
    response = client.post("/admin/awards/cycle/", action)
    copy = Cycle.objects.get(year_be=2570)
    assert response.url == f"/admin/awards/cycle/{copy.pk}/change/"
    response = client.post("/admin/awards/cycle/", action, follow=True)
    assert "มีปีรางวัล พ.ศ. 2570 อยู่แล้ว" in response.content.decode()
    assert Cycle.objects.filter(year_be=2570).count() == 1
