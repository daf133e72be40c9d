"""Issue 16: a PMQA 4.0 entry goes from draft to result end to end, through the domain functions
the web form, the admin and the API call — the shipped `pmqa40` form answered section by
section, submitted, screened with PMQA criteria, shortlisted, visited, consolidated and decided
at one of PMQA 4.0's maturity levels, announced; the public sees the result and the agency is
told it."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.utils import timezone
from rest_framework.test import APIClient

from awards import assessment, attachments, levels, scoring, submission
from awards.models import AssessmentRound, Criterion, EntryState, Result, ScoreSheet
from portal.notifications.models import Notification
from tests.awards.entry_helpers import pdf, private_files  # noqa: F401
from tests.awards.test_entry_forms import pmqa_answers, pmqa_category  # noqa: F401
from tests.factories import AssessorFactory, BranchFactory, PanelFactory, StaffFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

# PMQA 4.0's seven categories as the screening rubric (the results category weighs most), and
# the site visit's check of approach, deployment and results.
SCREENING = [(f"หมวด {n}", Decimal(40 if n == 7 else 10)) for n in range(1, 8)]
SITE_VISIT = [("แนวทางและการนำไปปฏิบัติ", Decimal(50)), ("ผลลัพธ์ที่พบจริง", Decimal(50))]


@pytest.fixture
def pmqa(pmqa_category):  # noqa: F811
    """The shipped PMQA 4.0 form on a PMQA branch with its maturity levels and rubric."""
    category = pmqa_category
    category.branch = BranchFactory(code="pmqa", name_th="สาขาคุณภาพการบริหารจัดการภาครัฐ")
    category.save()
    levels.add_levels(category.cycle, levels.PMQA_LEVELS, category.branch)
    rubric = {AssessmentRound.SCREENING: SCREENING, AssessmentRound.SITE_VISIT: SITE_VISIT}
    for round_, rows in rubric.items():
        for order, (title, weight) in enumerate(rows, 1):
            Criterion.objects.create(
                category=category, round=round_, order=order, title_th=title,
                weight=weight, max_score=Decimal(10),
            )  # fmt: skip
    return category


def score(sheet, values, by):
    for row, value in zip(sheet.scores.order_by("criterion__order"), values, strict=True):
        row.value, row.comment = Decimal(value), "มีหลักฐานเชิงประจักษ์"
        row.save()
    return scoring.submit_sheet(sheet, by=by)


def test_a_pmqa_40_entry_from_draft_to_its_maturity_level(pmqa, django_capture_on_commit_callbacks):
    staff = StaffFactory()
    official = UserFactory()
    assessors = [AssessorFactory(), AssessorFactory()]
    with django_capture_on_commit_callbacks(execute=True):
        # Draft → submitted: every section of the PMQA 4.0 report, the report file.
        entry = submission.create_entry(pmqa, official.agency, official)
        for key, values in pmqa_answers().items():
            entry = submission.save_section(entry, key, values, official)
        attachments.add_attachment(entry, pdf(), official, question="report-file")
        entry = submission.submit(entry, official)

        # Screening: two assessors score the seven categories and submit.
        for assessor in assessors:
            assessment.assign(entry, assessor, AssessmentRound.SCREENING, by=staff)
        entry.refresh_from_db()
        assert entry.state == EntryState.SCREENING
        for assessor, values in zip(assessors, [[8] * 7, [6] * 7], strict=True):
            sheet = ScoreSheet.objects.get(assignment__entry=entry, assignment__assessor=assessor)
            assert [s.criterion.title_th for s in sheet.scores.order_by("criterion__order")] == [
                title for title, _weight in SCREENING
            ]
            score(sheet, values, assessor)
        [row] = scoring.ranking(pmqa)
        assert (row.entry, row.sheets, row.mean) == (entry, 2, Decimal("70.00"))

        # Shortlist, then the site visit: the panel scores, the chair proposes a PMQA level.
        outcome = assessment.shortlist([entry], staff)
        assert outcome.done == [entry] and not outcome.refused
        panel = PanelFactory(cycle=pmqa.cycle)
        panel.members.add(*assessors)
        visit, outcome = assessment.schedule_site_visit(
            entry, panel, timezone.now() + datetime.timedelta(days=7), by=staff,
            place="ศาลากลางจังหวัดเชียงใหม่",
        )  # fmt: skip
        assert len(outcome.done) == 3 and not outcome.refused  # the chair and two members
        for assignment in outcome.done:
            score(assignment.sheet, [9, 8], assignment.assessor)
        assert scoring.suggested_site_visit_score(visit) == Decimal("85.00")
        scoring.consolidate_site_visit(
            visit, panel.chair, Decimal(86), "ทุกหมวดมีแนวทางเป็นระบบและผลลัพธ์ดีขึ้นต่อเนื่อง", "pmqa_advance"
        )
        entry.refresh_from_db()
        assert entry.state == EntryState.SITE_VISITED

        # The committee's decision at a PMQA level, then the announcement.
        scoring.record_decision(entry, "pmqa_advance", staff, "มติคณะกรรมการ")
        scoring.announce_results(pmqa.cycle, staff)

    result = Result.objects.get(entry=entry)
    assert (result.award_level, result.screening_score, result.site_visit_score) == (
        "pmqa_advance", Decimal("70.00"), Decimal("86.00"),
    )  # fmt: skip
    entry.refresh_from_db()
    assert entry.state == EntryState.AWARDED
    assert [c.to_state for c in entry.state_changes.order_by("pk")] == [
        EntryState.SUBMITTED, EntryState.SCREENING, EntryState.SHORTLISTED,
        EntryState.SITE_VISITED, EntryState.AWARDED,
    ]  # fmt: skip

    # The public sees the result with the level's name (the published results of the API).
    published = APIClient().get("/api/v1/results/", {"award_level": "pmqa_advance"}).json()
    [public] = published["results"]
    assert (public["reference"], public["award_level_label"]) == (
        entry.reference, "ระดับก้าวหน้า (Advance)",
    )  # fmt: skip

    # The agency was told, once, with the level.
    told = Notification.objects.get(kind="result_announced", email=official.email)
    assert told.state == Notification.State.SENT
    [message] = [m for m in mail.outbox if m.to == [official.email] and m.subject == told.subject]
    assert "ระดับก้าวหน้า (Advance)" in message.body and entry.reference in message.body
    assert "/results/2570/" in message.body
