"""Admin list pages stay fast at a real cycle's scale: 2,000 entries and 10,000 score rows,
a fixed number of queries per page whatever the page or the user."""

import time
from decimal import Decimal

import pytest
from django.utils import timezone

from awards import entry_forms
from awards.models import (
    AssessmentRound,
    Assignment,
    Criterion,
    Entry,
    EntryState,
    Score,
    ScoreSheet,
)
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    AgencyFactory,
    CategoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False  # the TOTP step of the admin has its own tests


ENTRIES = 2_000
CRITERIA = 5  # 2,000 sheets × 5 criteria = 10,000 score rows


@pytest.fixture
def cycle_at_scale():
    category = CategoryFactory()
    criteria = Criterion.objects.bulk_create(
        Criterion(
            category=category, round=AssessmentRound.SCREENING, order=n, title_th=f"เกณฑ์ {n}",
            weight=Decimal(20), max_score=Decimal(10),
        )
        for n in range(1, CRITERIA + 1)
    )  # fmt: skip
    agencies = [AgencyFactory() for _ in range(20)]
    official = UserFactory(agency=agencies[0])
    now = timezone.now()
    form = entry_forms.form_for_new_entry(category)
    entries = Entry.objects.bulk_create(
        Entry(
            category=category, form=form, agency=agencies[n % 20], created_by=official,
            title=f"ผลงานที่ {n}", state=EntryState.SCREENING,
            reference=f"LR-2570-{n:06d}", submitted_at=now,
        )
        for n in range(1, ENTRIES + 1)
    )  # fmt: skip
    assessors = [AdminAssessorFactory() for _ in range(4)]
    assignments = Assignment.objects.bulk_create(
        Assignment(entry=entry, assessor=assessors[n % 4], round=AssessmentRound.SCREENING)
        for n, entry in enumerate(entries)
    )
    sheets = ScoreSheet.objects.bulk_create(
        ScoreSheet(assignment=a, state=ScoreSheet.State.SUBMITTED, submitted_at=now)
        for a in assignments
    )
    Score.objects.bulk_create(
        Score(sheet=sheet, criterion=c, value=Decimal(n % 11), comment="ok")
        for n, sheet in enumerate(sheets)
        for c in criteria
    )
    assert Score.objects.count() == 10_000
    return {"category": category, "assessors": assessors, "staff": AdminStaffFactory()}


# (url, the most queries a page may take: session, user, permissions, count, rows, filters…;
# an assessor's pages one more than staff's at most: the conflict rule's agency tree, read once)
PAGES = [
    ("/admin/awards/entry/", 13),
    ("/admin/awards/scoresheet/", 11),
    ("/admin/awards/assignment/", 11),
]


@pytest.mark.parametrize(("url", "most"), PAGES)
@pytest.mark.parametrize("who", ["staff", "assessor"])
def test_list_pages_take_a_fixed_number_of_queries(
    client, cycle_at_scale, django_assert_max_num_queries, url, most, who
):
    user = cycle_at_scale["staff"] if who == "staff" else cycle_at_scale["assessors"][0]
    client.force_login(user)
    counts = []
    for page in (1, 5):
        started = time.perf_counter()
        with django_assert_max_num_queries(most) as captured:
            response = client.get(url, {"p": page})
        elapsed = time.perf_counter() - started
        assert response.status_code == 200
        assert elapsed < 5, f"{url} page {page}: {elapsed:.2f}s"
        counts.append(len(captured))
    assert counts[0] == counts[1]  # the same on any page: nothing per row
    expected = ENTRIES if who == "staff" else ENTRIES // 4
    assert response.context["cl"].result_count == expected


def test_the_ranking_of_2000_entries_is_quick(
    client, cycle_at_scale, django_assert_max_num_queries
):
    client.force_login(cycle_at_scale["staff"])
    started = time.perf_counter()
    # 12: with the sheets, the agency tree and the declarations that decide conflicts, and the
    # panels' consensus notes (issue 18)
    with django_assert_max_num_queries(12):
        response = client.get(
            "/admin/awards/entry/ranking/", {"category": cycle_at_scale["category"].pk}
        )
    assert response.status_code == 200
    assert len(response.context["rows"]) == ENTRIES
    assert time.perf_counter() - started < 10
