import pytest
from django.core.management import call_command

from awards.models import Assignment, Entry, EntryState, Result, Score
from cases.models import CaseStudy, Lesson
from portal.accounts.models import Role, User
from portal.agencies.models import Agency

pytestmark = pytest.mark.django_db


def counts():
    return [
        m.objects.count()
        for m in (Agency, User, Entry, Assignment, Score, Result, CaseStudy, Lesson)
    ]


def test_demo_data_is_complete_and_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    first = counts()
    call_command("seed_demo", verbosity=0)
    assert counts() == first

    assert set(Entry.objects.values_list("state", flat=True)) == set(EntryState.values)
    assert CaseStudy.objects.published().count() >= 12
    assert all(case.lessons.published().exists() for case in CaseStudy.objects.published())
    assert (
        Agency.objects.count() >= 8 and Agency.objects.filter(parent__parent__isnull=False).exists()
    )
    assert set(User.objects.values_list("role", flat=True)) == set(Role.values)
    # A coordinator with a request waiting for them, so the approval flow can be tried.
    from portal.accounts.membership import requests_decidable_by

    assert requests_decidable_by(User.objects.get(username="official")).count() == 1
    # Award levels, score levels and eligibility are data: every demo decision is a level of its
    # entry's cycle and branch, PMQA 4.0 has its own, the open cycle asks before an entry starts.
    from awards import levels
    from awards.models import CriterionLevel, EligibilityQuestion, EligibilityRule, SiteVisit

    for decided in [*Result.objects.all(), *SiteVisit.objects.exclude(proposed_level="")]:
        code = getattr(decided, "award_level", None) or decided.proposed_level
        assert levels.level_for(decided.entry, code)
    assert Result.objects.filter(award_level="pmqa_advance").exists()
    assert CriterionLevel.objects.exists()
    assert EligibilityQuestion.objects.filter(category__code="pmqa-40").count() == 2
    assert EligibilityRule.objects.filter(years=3).exists()


def test_demo_refuses_to_run_in_production(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo", verbosity=0)


def test_demo_case_studies_are_indexed_and_searchable(settings, django_capture_on_commit_callbacks):
    from cases import search
    from cases.models import SearchDocument

    settings.DEBUG = True
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", verbosity=0)
    published = CaseStudy.objects.published()
    assert SearchDocument.objects.filter(kind="case").count() == published.count()
    hits = search.search_cases(search.parse("พื้นที่สูง"))
    assert published.get(external_id="demo-001").pk in {d.case_study_id for d in hits}
