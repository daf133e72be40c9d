"""The database itself refuses what must never be stored, whatever door the write uses."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from awards.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Cycle,
    Entry,
    PanelMember,
    Score,
    SiteVisit,
)
from tests.factories import (
    AgencyFactory,
    AssessorFactory,
    AssignmentFactory,
    CategoryFactory,
    CriterionFactory,
    EntryFactory,
    PanelFactory,
    PanelMemberFactory,
    ScoreFactory,
    ScoreSheetFactory,
)

pytestmark = pytest.mark.django_db


def test_score_above_the_criterion_maximum_is_refused_by_the_database():
    sheet = ScoreSheetFactory()
    criterion = CriterionFactory(category=sheet.assignment.entry.category, max_score=Decimal("10"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(sheet=sheet, criterion=criterion, value=Decimal("10.5"))
    assert not Score.objects.exists()


def test_raising_a_stored_score_above_the_maximum_is_refused_too():
    score = ScoreFactory(value=Decimal("7"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.filter(pk=score.pk).update(value=Decimal("11"))
    score.refresh_from_db()
    assert score.value == Decimal("7")


def test_score_at_the_maximum_is_accepted():
    score = ScoreFactory(value=Decimal("10"))
    assert score.value == Decimal("10")


def test_negative_score_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreFactory(value=Decimal("-1"))


def test_one_score_per_criterion_on_a_sheet():
    score = ScoreFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(sheet=score.sheet, criterion=score.criterion, value=Decimal("1"))


def test_criterion_weight_and_maximum_must_be_positive():
    category = CategoryFactory()
    for weight, maximum in [(Decimal("0"), Decimal("10")), (Decimal("10"), Decimal("0"))]:
        with pytest.raises(IntegrityError), transaction.atomic():
            Criterion.objects.create(
                category=category, round="screening", order=9, title_th="x",
                weight=weight, max_score=maximum,
            )  # fmt: skip


def test_cycle_must_close_after_it_opens():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            year_be=2571,
            applications_open_at=now,
            applications_close_at=now - datetime.timedelta(1),
        )


def test_cycle_year_is_a_buddhist_era_year():
    now = timezone.now()
    with pytest.raises(IntegrityError), transaction.atomic():
        Cycle.objects.create(
            year_be=2026,
            applications_open_at=now,
            applications_close_at=now + datetime.timedelta(1),
        )


def test_an_entry_beyond_draft_needs_a_reference_and_a_submission_time():
    entry = EntryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(state="submitted")


def test_entry_reference_is_unique():
    now = timezone.now()
    EntryFactory(state="submitted", reference="LR-2570-000001", submitted_at=now)
    with pytest.raises(IntegrityError), transaction.atomic():
        EntryFactory(state="submitted", reference="LR-2570-000001", submitted_at=now)


def test_conflict_names_exactly_one_of_agency_or_entry():
    assessor = AssessorFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        ConflictDeclaration.objects.create(assessor=assessor, reason="x")
    with pytest.raises(IntegrityError), transaction.atomic():
        ConflictDeclaration.objects.create(
            assessor=assessor, agency=AgencyFactory(), entry=EntryFactory(), reason="x"
        )


def test_an_assessor_is_assigned_once_per_entry_and_round():
    assignment = AssignmentFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Assignment.objects.create(
            entry=assignment.entry, assessor=assignment.assessor, round=assignment.round
        )


def test_consolidated_site_visit_needs_a_score_and_a_justification():
    entry = EntryFactory()
    panel = PanelFactory(cycle=entry.category.cycle)
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteVisit.objects.create(
            entry=entry, panel=panel, scheduled_at=timezone.now(), consolidated_at=timezone.now()
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteVisit.objects.create(
            entry=entry, panel=panel, scheduled_at=timezone.now(), consolidated_score=Decimal("101")
        )


def test_history_a_result_depends_on_cannot_be_deleted():
    score = ScoreFactory()
    with pytest.raises(ProtectedError):
        score.criterion.delete()
    with pytest.raises(ProtectedError):
        score.sheet.assignment.entry.delete()


def test_joining_and_leaving_a_panel_is_kept_in_history():
    member = PanelMemberFactory()
    member.delete()
    kinds = list(
        PanelMember.history.filter(panel=member.panel)
        .order_by("history_date")
        .values_list("history_type", flat=True)
    )
    assert kinds == ["+", "-"]


@pytest.mark.django_db(transaction=True)
def test_the_assessor_group_survives_a_flush():
    # Transactional tests end with `flush`; the admin assessor group must come back with its
    # permissions for the tests (and the e2e journeys) that follow.
    from django.contrib.auth.models import Group
    from django.core.management import call_command

    call_command("flush", "--noinput", verbosity=0)
    group = Group.objects.get(name="ผู้ตรวจประเมิน")
    assert group.permissions.filter(codename="change_score").exists()
