"""Feedback to every agency (awards/feedback.py): drafted from the assessors' criterion
comments, edited by staff or the chair, released per category after the announcement, read on
the entry's page and as a PDF — never with an assessor's name or a score."""

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from awards import feedback, reports, scoring
from awards.models import AssessmentRound, Assignment, Feedback, FeedbackPoint, Panel
from portal.notifications.models import Notification
from portal.reports.kinds import ReportError, get_kind
from tests.awards.test_scoring import rubric_of_two, scored_sheet
from tests.factories import (
    AdminStaffFactory,
    AssessorFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided():
    """An entry of an announced cycle, scored by two named assessors with comments."""
    staff = StaffFactory()
    entry = ScreeningEntryFactory()
    criteria = rubric_of_two(entry.category)
    first = AssessorFactory(first_name="ประเสริฐ", last_name="ผู้ประเมินหนึ่ง")
    second = AssessorFactory(first_name="วิไล", last_name="ผู้ประเมินสอง")
    for assessor, comment in [(first, "ข้อมูลผลลัพธ์ชัดเจน"), (second, "ควรวัดความพึงพอใจ")]:
        sheet = scored_sheet(entry, criteria, (9, 3), assessor=assessor)
        sheet.scores.filter(criterion=criteria[0]).update(comment=comment)
    scoring.record_decision(entry, "not_awarded", staff, "ยังไม่ผ่านเกณฑ์")
    scoring.announce_results(entry.category.cycle, staff)
    return entry, criteria, (first, second), staff


def test_drafts_come_from_the_comments_once_and_keep_edits(decided):
    entry, criteria, _assessors, _staff = decided
    assert feedback.draft_announced() == 1
    report = Feedback.objects.get(entry=entry)
    first, second = report.points.order_by("criterion__order")
    assert first.strengths == "- ข้อมูลผลลัพธ์ชัดเจน\n- ควรวัดความพึงพอใจ"
    assert second.strengths == "- ดี"  # the same comment twice is written once
    FeedbackPoint.objects.filter(pk=first.pk).update(
        strengths="ข้อมูลผลลัพธ์ชัดเจน", improvements="ควรวัดความพึงพอใจของผู้รับบริการ"
    )
    assert feedback.draft_announced() == 0  # already drafted: nothing overwritten
    first.refresh_from_db()
    assert first.improvements == "ควรวัดความพึงพอใจของผู้รับบริการ"


def test_nothing_is_drafted_or_released_before_the_announcement():
    staff = StaffFactory()
    entry = ScreeningEntryFactory()
    rubric_of_two(entry.category)
    scoring.record_decision(entry, "not_awarded", staff)
    assert feedback.draft_announced() == 0
    feedback.draft(entry)
    with pytest.raises(feedback.FeedbackError, match="หลังประกาศผล"):
        feedback.release(entry.category, staff)


def test_release_per_category_tells_the_agency_which_reads_it_without_names_or_scores(
    client, decided, django_capture_on_commit_callbacks
):
    entry, _criteria, assessors, staff = decided
    feedback.draft_announced()
    official = UserFactory(agency=entry.agency)
    client.force_login(official)
    page = client.get(reverse("awards:entry", args=[entry.public_id])).content.decode()
    assert "ข้อมูลผลลัพธ์ชัดเจน" not in page  # not before it is released
    with pytest.raises(feedback.FeedbackError, match="เฉพาะเจ้าหน้าที่"):
        feedback.release(entry.category, assessors[0])

    with django_capture_on_commit_callbacks(execute=True):
        assert feedback.release(entry.category, staff) == 1
        assert feedback.release(entry.category, staff) == 0  # once
    told = Notification.objects.filter(kind="feedback_released")
    assert official.email in told.values_list("email", flat=True)
    assert any(official.email in m.to for m in mail.outbox)

    page = client.get(reverse("awards:entry", args=[entry.public_id])).content.decode()
    assert "ข้อมูลผลลัพธ์ชัดเจน" in page and "จุดแข็ง" in page
    for assessor in assessors:
        assert assessor.first_name not in page and assessor.last_name not in page
    assert "9.00" not in page and "ยังไม่ผ่านเกณฑ์" not in page  # no score, no committee note
    client.force_login(UserFactory())  # another agency
    assert client.get(reverse("awards:entry", args=[entry.public_id])).status_code == 404


def test_the_pdf_is_the_agencys_only_after_release(decided):
    entry, _criteria, assessors, staff = decided
    feedback.draft_announced()
    official = UserFactory(agency=entry.agency)
    kind = get_kind("feedback")
    assert not kind.available_to(official)
    with pytest.raises(ReportError, match="ยังไม่มีข้อเสนอแนะ"):
        reports.build_feedback_pdf(entry.pk)
    feedback.release(entry.category, staff)
    assert kind.allowed(official, entry.pk) and not kind.allowed(UserFactory(), entry.pk)
    built = reports.build_feedback_pdf(entry.pk)
    assert built.content.startswith(b"%PDF") and built.filename.startswith("feedback-LR-")
    released = feedback.released_to_agency(entry)
    html = render_to_string(
        "awards/pdf/feedback.html",
        {"entry": entry, "feedback": released, "points": feedback.points_for_agency(released)},
    )
    assert "ข้อมูลผลลัพธ์ชัดเจน" in html
    assert all(a.last_name not in html for a in assessors) and "9.00" not in html


def test_staff_or_the_chair_edit_until_released(decided):
    entry, _criteria, assessors, staff = decided
    report = feedback.draft(entry)
    chair = AssessorFactory()
    panel = Panel.objects.create(cycle=entry.category.cycle, name="คณะที่ 1", chair=chair)
    entry.assignments.update(panel=panel)
    Assignment.objects.create(
        entry=entry, assessor=chair, round=AssessmentRound.SCREENING, panel=panel
    )
    assert feedback.may_edit(staff, report) and feedback.may_edit(chair, report)
    assert not feedback.may_edit(assessors[0], report)  # a member, not the chair
    assert not feedback.may_edit(UserFactory(agency=entry.agency), report)
    feedback.release(entry.category, staff)
    report.refresh_from_db()
    assert not feedback.may_edit(staff, report)


def test_staff_draft_and_release_in_the_admin(client, decided):
    entry, _criteria, _assessors, _staff = decided
    staff = AdminStaffFactory()
    client.force_login(staff)
    changelist = reverse("admin:awards_feedback_changelist")
    assert client.post(reverse("admin:awards_feedback_draft")).status_code == 302
    report = Feedback.objects.get(entry=entry)
    response = client.post(
        changelist, {"action": "release_categories", "_selected_action": [report.pk]}
    )
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.released_by == staff and report.released_at <= timezone.now()
