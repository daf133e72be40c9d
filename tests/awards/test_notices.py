"""What the award cycle tells people (awards/notices.py): each kind once, to the right people,
in their language, after commit; reminders by their schedule; nothing for an unannounced
result; screening keeps the date the agency was told (issue 17 item 7)."""

import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from awards import assessment, clarifications, notices, scoring, submission, tasks
from awards.models import AssessmentRound, Clarification, EntryState
from awards.submission import SubmissionError
from portal.accounts.models import Role
from portal.notifications.models import Notification, NotificationSchedule
from tests.factories import (
    AssessorFactory,
    EntryFactory,
    PanelFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def sent_to(kind):
    return sorted(row.email for row in Notification.objects.filter(kind=kind, state="sent"))


def mails_to(address):
    return [message for message in mail.outbox if message.to == [address]]


def agency_people(entry):
    """Who hears about an entry: its agency's active officials and its contact person."""
    officials = entry.agency.members.filter(role=Role.OFFICIAL, is_active=True)
    return sorted([*officials.values_list("email", flat=True), entry.answers["contact_email"]])


@pytest.fixture
def staff():
    return StaffFactory()


def test_assessor_told_what_and_by_when_once_in_their_language(
    staff, django_capture_on_commit_callbacks
):
    entry = ScreeningEntryFactory()
    cycle = entry.category.cycle
    cycle.site_visits_start_on = datetime.date(2027, 3, 1)
    cycle.save()
    thai, english = AssessorFactory(), AssessorFactory(language="en")
    with django_capture_on_commit_callbacks(execute=True):
        outcome = assessment.assign_many([entry], [thai, english], AssessmentRound.SCREENING, staff)
        assert mail.outbox == []
        # Assigning again is refused, and tells nobody a second time.
        again = assessment.assign_many([entry], [thai], AssessmentRound.SCREENING, staff)
    assert len(outcome.done) == 2 and len(again.refused) == 1
    assert sent_to("assessor_assigned") == sorted([thai.email, english.email])
    [to_thai], [to_english] = mails_to(thai.email), mails_to(english.email)
    assert entry.reference in to_thai.subject and "กลั่นกรองเอกสาร" in to_thai.subject
    assert "1 มีนาคม 2570" in to_thai.body  # the due date, B.E.
    assert "You have been assigned" in to_english.subject and "1 March 2027" in to_english.body
    assert entry.agency.display_name not in to_thai.to  # only the assessors


def test_nothing_is_told_when_the_assignment_rolls_back(staff, django_capture_on_commit_callbacks):
    entry, assessor = ScreeningEntryFactory(), AssessorFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            assessment.assign(entry, assessor, AssessmentRound.SCREENING, staff)
            raise RuntimeError
    assert not Notification.objects.exists() and mail.outbox == []


def test_reopening_tells_the_agency_the_reason_and_the_time(
    staff, django_capture_on_commit_callbacks
):
    entry = ScreeningEntryFactory(state=EntryState.SUBMITTED)
    official, stranger = UserFactory(agency=entry.agency), UserFactory()
    retired = UserFactory(agency=entry.agency, is_active=False)
    until = timezone.now() + datetime.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        submission.reopen(entry, staff, until, "โปรดเพิ่มตัวชี้วัดปี 2568")
    told = sent_to("entry_reopened")
    assert official.email in told and entry.answers["contact_email"] in told
    assert stranger.email not in told and retired.email not in told
    [message] = mails_to(official.email)
    assert "โปรดเพิ่มตัวชี้วัดปี 2568" in message.body and entry.reference in message.subject


def test_shortlisting_tells_the_agency_once(staff, django_capture_on_commit_callbacks):
    entry = ScreeningEntryFactory()
    official = UserFactory(agency=entry.agency)
    with django_capture_on_commit_callbacks(execute=True):
        assessment.shortlist([entry], staff)
        assessment.shortlist([entry], staff)  # refused the second time: no second message
    assert sent_to("entry_shortlisted") == agency_people(entry)
    assert official.email in agency_people(entry)
    assert "ผ่านเข้ารอบลงพื้นที่" in mails_to(official.email)[0].subject


def test_a_site_visit_sends_a_calendar_and_a_change_moves_it(
    staff, django_capture_on_commit_callbacks
):
    from icalendar import Calendar

    entry = ScreeningEntryFactory(state=EntryState.SHORTLISTED)
    official = UserFactory(agency=entry.agency)
    panel = PanelFactory(cycle=entry.category.cycle)
    member, conflicted = AssessorFactory(language="en"), AssessorFactory(agency=entry.agency)
    panel.members.add(member, conflicted)
    when = timezone.now() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        visit, _ = assessment.schedule_site_visit(entry, panel, when, staff, place="ศาลากลาง")
    people = sorted([*agency_people(entry), member.email, panel.chair.email])
    assert official.email in people
    assert sent_to("site_visit_scheduled") == people  # not the conflicted member
    [to_official] = mails_to(official.email)
    assert "ศาลากลาง" in to_official.body and panel.name in to_official.body
    [(filename, content, mimetype)] = to_official.attachments
    assert filename.endswith(".ics") and mimetype == "text/calendar"
    [event] = Calendar.from_ical(content).walk("VEVENT")
    assert event["LOCATION"] == "ศาลากลาง" and int(event["SEQUENCE"]) == 0
    assert event.decoded("DTSTART") == when.replace(microsecond=0)
    assert "Site visit" in mails_to(member.email)[0].subject  # in the member's language

    visit.notes = "เตรียมเอกสาร"
    with django_capture_on_commit_callbacks(execute=True):
        visit.save()  # nothing the invited need to know changed
    assert not Notification.objects.filter(kind="site_visit_changed").exists()

    visit.scheduled_at = when + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        visit.save()  # e.g. staff move it in the admin
    assert sent_to("site_visit_changed") == people
    [changed] = [m for m in mails_to(official.email) if m is not to_official]
    [event] = Calendar.from_ical(changed.attachments[0][1]).walk("VEVENT")
    assert (
        int(event["SEQUENCE"]) == 1 and event["UID"] == f"site-visit-{visit.pk}@lertrat.opdc.go.th"
    )


def decided(staff):
    entry = ScreeningEntryFactory()
    official = UserFactory(agency=entry.agency)
    scoring.record_decision(entry, "not_awarded", staff, "ยังขาดหลักฐานผลลัพธ์")
    return entry, official


def test_an_unannounced_result_sends_nothing(staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        entry, official = decided(staff)
        assert notices.results_announced(entry.category.cycle) == 0
    assert not Notification.objects.filter(kind="result_announced").exists()
    assert mails_to(official.email) == []


def test_announcing_tells_every_decided_agency_once(staff, django_capture_on_commit_callbacks):
    entry, official = decided(staff)
    with django_capture_on_commit_callbacks(execute=True):
        scoring.announce_results(entry.category.cycle, staff)
    assert sent_to("result_announced") == agency_people(entry)
    assert official.email in agency_people(entry)
    [message] = mails_to(official.email)
    assert "ไม่ได้รับรางวัล" in message.body and "/results/2570/" in message.body
    assert notices.results_announced(entry.category.cycle) == 0  # once


def test_a_draft_is_reminded_n_days_before_the_deadline_and_not_again(
    django_capture_on_commit_callbacks,
):
    draft = EntryFactory()  # the cycle closes in 30 days
    official = draft.created_by
    submitted = ScreeningEntryFactory(state=EntryState.SUBMITTED, category=draft.category)
    NotificationSchedule.objects.create(kind="deadline_approaching", days_before="30, 3")
    close = timezone.localdate(draft.category.cycle.applications_close_at)
    deadline = submission.deadline
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.remind_drafts(close - datetime.timedelta(days=31), (30, 3), deadline) == 0
        assert tasks.send_reminders()["drafts"] == 2  # 30 days before: the official, the contact
        assert tasks.send_reminders()["drafts"] == 0  # beat ran twice: not again
        later = close - datetime.timedelta(days=10)
        assert notices.remind_drafts(later, (30, 3), deadline) == 0  # still the 30-day step
        assert notices.remind_drafts(close - datetime.timedelta(days=2), (30, 3), deadline) == 2
    assert sent_to("deadline_approaching") == sorted(
        [official.email, draft.answers["contact_email"]] * 2
    )
    assert all(submitted.agency.pk != row.recipient_id for row in Notification.objects.all())
    first = mails_to(official.email)[0]
    assert "30" in first.subject and draft.title in first.subject


def test_score_sheets_are_reminded_before_and_once_when_overdue(
    staff, django_capture_on_commit_callbacks
):
    entry, assessor = ScreeningEntryFactory(), AssessorFactory()
    cycle = entry.category.cycle
    cycle.site_visits_start_on = datetime.date(2027, 3, 10)
    cycle.save()
    assessment.assign(entry, assessor, AssessmentRound.SCREENING, staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.remind_score_sheets(datetime.date(2027, 3, 1), (7, 1)) == 0
        assert notices.remind_score_sheets(datetime.date(2027, 3, 3), (7, 1)) == 1
        assert notices.remind_score_sheets(datetime.date(2027, 3, 4), (7, 1)) == 0
        assert notices.remind_score_sheets(datetime.date(2027, 3, 11), (7, 1)) == 1
        assert notices.remind_score_sheets(datetime.date(2027, 3, 12), (7, 1)) == 0
    assert sent_to("score_sheet_due") == [assessor.email]
    assert sent_to("score_sheet_overdue") == [assessor.email]


def test_the_secretariat_gets_a_daily_digest_of_what_is_late(
    staff, django_capture_on_commit_callbacks
):
    entry, assessor = ScreeningEntryFactory(), AssessorFactory()
    official = UserFactory(agency=entry.agency)
    cycle = entry.category.cycle
    cycle.site_visits_start_on = timezone.localdate() - datetime.timedelta(days=2)
    cycle.save()
    assessment.assign(entry, assessor, AssessmentRound.SCREENING, staff)
    question = clarifications.ask(
        entry, staff, "ขอหลักฐาน", timezone.now() + datetime.timedelta(days=1)
    )
    Clarification.objects.filter(pk=question.pk).update(
        due_at=timezone.now() - datetime.timedelta(days=3)
    )
    today = timezone.localdate()
    with django_capture_on_commit_callbacks(execute=True):
        assert notices.send_staff_digest(today) == 1
        assert notices.send_staff_digest(today) == 0  # once a day
    assert sent_to("staff_digest") == [staff.email]
    [digest] = mails_to(staff.email)
    assert entry.reference in digest.body and str(assessor) in digest.body
    assert "ยังไม่ได้ตอบ" in digest.body  # the unanswered question past its due date
    assert mails_to(official.email) == [] and mails_to(assessor.email) == []  # staff only


# --- Item 7: screening starts on the date the agency was told -----------------------------------


def test_assigning_before_the_screening_date_keeps_the_right_to_withdraw(staff):
    entry = ScreeningEntryFactory(state=EntryState.SUBMITTED)
    cycle = entry.category.cycle
    cycle.screening_starts_on = timezone.localdate() + datetime.timedelta(days=5)
    cycle.save()
    official = UserFactory(agency=entry.agency, role=Role.OFFICIAL)
    assessment.assign(entry, AssessorFactory(), AssessmentRound.SCREENING, staff)
    entry.refresh_from_db()
    assert entry.state == EntryState.SUBMITTED
    assert submission.withdrawal_refusal(entry) is None  # as the confirmation promised

    outcome = assessment.start_screening([entry], staff)  # nor by hand
    assert outcome.done == [] and "ตามที่แจ้งหน่วยงานไว้" in outcome.refused[0][1]

    # The date comes: the daily task starts it (and not twice); withdrawal then ends.
    assert submission.start_promised_screening(timezone.localdate()) == 0
    cycle.screening_starts_on = timezone.localdate()
    cycle.save()
    assert tasks.start_promised_screening() == 1
    assert tasks.start_promised_screening() == 0
    entry.refresh_from_db()
    assert entry.state == EntryState.SCREENING
    with pytest.raises(SubmissionError):
        submission.withdraw(entry, official)


def test_before_the_date_the_agency_may_withdraw_an_assigned_entry(staff):
    entry = ScreeningEntryFactory(state=EntryState.SUBMITTED)
    cycle = entry.category.cycle
    cycle.screening_starts_on = timezone.localdate() + datetime.timedelta(days=1)
    cycle.save()
    assessment.assign(entry, AssessorFactory(), AssessmentRound.SCREENING, staff)
    submission.withdraw(entry, UserFactory(agency=entry.agency), note="ขอส่งปีหน้า")
    entry.refresh_from_db()
    assert entry.state == EntryState.WITHDRAWN


def test_from_the_screening_date_assigning_starts_screening_as_before(staff):
    entry = ScreeningEntryFactory(state=EntryState.SUBMITTED)
    cycle = entry.category.cycle
    cycle.screening_starts_on = timezone.localdate()
    cycle.save()
    assessment.assign(entry, AssessorFactory(), AssessmentRound.SCREENING, staff)
    entry.refresh_from_db()
    assert entry.state == EntryState.SCREENING
