"""Who may be shown which earlier entries beside an entry (awards/permissions.py,
past_entries_visible_to) and how one is labelled (awards/similar_work.py, past_entry); the
search that picks the most similar ones is tests/cases/test_similar.py."""

import pytest
from django.urls import reverse

from awards import assessment, permissions, similar_work
from awards.models import AssessmentRound, EntryState, Result
from tests.factories import (
    AgencyFactory,
    AssessorFactory,
    CategoryFactory,
    ConflictDeclarationFactory,
    CycleFactory,
    EntryFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def entry_in(year, agency, state=EntryState.SCREENING, **kwargs):
    category = CategoryFactory(cycle=CycleFactory(year_be=year))
    if state == EntryState.DRAFT:
        return EntryFactory(category=category, agency=agency, **kwargs)
    return ScreeningEntryFactory(category=category, agency=agency, state=state, **kwargs)


@pytest.fixture
def world():
    a, b = AgencyFactory(), AgencyFactory()
    current = entry_in(2570, a)  # being scored, and agency A's
    return {
        "a": a,
        "b": b,
        "current": current,
        "a_2568": entry_in(2568, a, EntryState.NOT_AWARDED),
        "b_2569": entry_in(2569, b, EntryState.AWARDED),
        "b_2570": entry_in(2570, b),  # the same cycle: never past work
        "a_withdrawn": entry_in(2569, a, EntryState.WITHDRAWN),
        "a_draft": entry_in(2569, a, EntryState.DRAFT),  # never submitted
    }


def visible(user, entry):
    return set(permissions.past_entries_visible_to(user, entry))


def test_the_assigned_assessor_and_staff_see_every_agencys_earlier_submitted_entries(world):
    assessor = AssessorFactory()
    assessment.assign(world["current"], assessor, AssessmentRound.SCREENING, StaffFactory())
    expected = {world["a_2568"], world["b_2569"]}
    assert visible(assessor, world["current"]) == expected
    assert visible(StaffFactory(), world["current"]) == expected


def test_an_official_sees_only_their_own_agencys_earlier_entries(world):
    official = UserFactory(agency=world["a"])
    assert visible(official, world["current"]) == {world["a_2568"]}


def test_the_wrong_people_see_none(world):
    # An official of agency B looking at agency A's entry; an assessor not assigned to it; an
    # assessor assigned who then declared a conflict with agency A.
    assert visible(UserFactory(agency=world["b"]), world["current"]) == set()
    assert visible(AssessorFactory(), world["current"]) == set()
    conflicted = AssessorFactory()
    assessment.assign(world["current"], conflicted, AssessmentRound.SCREENING, StaffFactory())
    ConflictDeclarationFactory(assessor=conflicted, agency=world["a"])
    assert visible(conflicted, world["current"]) == set()


def test_a_past_entry_is_labelled_with_its_cycle_agency_and_decided_outcome(world):
    b_2569 = world["b_2569"]
    Result.objects.create(entry=b_2569, award_level="good", decided_by=StaffFactory())
    assessor, staff = AssessorFactory(), StaffFactory()
    item = similar_work.past_entry(b_2569, assessor)
    assert (item.year_be, item.agency, item.award_level) == (2569, world["b"].name_th, "ระดับดี")
    assert item.reference == b_2569.reference and item.is_past_entry
    assert item.url == ""  # the assessor is not assigned to it: no door to open
    assert similar_work.past_entry(b_2569, staff).url == reverse(
        "admin:awards_entry_change", args=[b_2569.pk]
    )
    undecided = similar_work.past_entry(world["a_2568"], UserFactory(agency=world["a"]))
    assert undecided.award_level == ""
    assert undecided.url == reverse("awards:entry", kwargs={"public_id": world["a_2568"].public_id})
