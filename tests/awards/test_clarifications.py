"""The clarification round (awards/clarifications.py): who may ask, the agency told and
answering with text and files without the entry returning to draft; the answer in the
entry's record, PDF and score sheet."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from awards import assessment, clarifications
from awards.clarifications import ClarificationError
from awards.models import AssessmentRound, Attachment, Clarification, EntryState
from portal.notifications.models import Notification
from tests.awards.entry_helpers import pdf, private_files  # noqa: F401 (a fixture)
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    AssessorFactory,
    EntryFactory,
    PanelFactory,
    ScreeningEntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

SOON = datetime.timedelta(days=7)


@pytest.fixture
def staff():
    return AdminStaffFactory()


@pytest.fixture
def entry():
    return ScreeningEntryFactory()


def asked(entry, by, question="ขอหลักฐานจำนวนผู้รับบริการปี 2568"):
    return clarifications.ask(entry, by, question, timezone.now() + SOON)


def page(entry, item):
    return reverse("awards:clarification", args=[entry.public_id, item.pk])


def test_staff_ask_the_agency_is_told_and_screening_goes_on(
    staff, entry, django_capture_on_commit_callbacks
):
    official = UserFactory(agency=entry.agency, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        item = asked(entry, staff)
        assert mail.outbox == []
    entry.refresh_from_db()
    assert entry.state == EntryState.SCREENING  # not back to draft, screening not undone
    told = Notification.objects.filter(kind="clarification_requested")
    assert sorted(told.values_list("email", flat=True)) == sorted(
        [entry.created_by.email, official.email, entry.answers["contact_email"]]
    )
    [to_thai] = [m for m in mail.outbox if m.to == [entry.created_by.email]]
    assert "ขอหลักฐานจำนวนผู้รับบริการปี 2568" in to_thai.body and page(entry, item) in to_thai.body
    [to_english] = [m for m in mail.outbox if m.to == [official.email]]
    assert "clarification" in to_english.subject.lower()


def test_who_may_ask_and_about_what(staff, entry):
    chair = AssessorFactory()
    panel = PanelFactory(cycle=entry.category.cycle, chair=chair)
    member = AssessorFactory()
    panel.members.add(member)
    assessment.assign_to_panel([entry], panel, AssessmentRound.SCREENING, staff)
    assert asked(entry, chair).asked_by == chair  # the chair of a panel assessing it
    for someone in (member, AssessorFactory(), UserFactory(agency=entry.agency)):
        with pytest.raises(ClarificationError, match="เฉพาะเจ้าหน้าที่"):
            asked(entry, someone)
    for bad_entry in (EntryFactory(), ScreeningEntryFactory(state=EntryState.WITHDRAWN)):
        with pytest.raises(ClarificationError, match="เฉพาะผลงานที่ส่งแล้ว"):
            asked(bad_entry, staff)
    with pytest.raises(ClarificationError, match="คำถาม"):
        asked(entry, staff, question="   ")
    with pytest.raises(ClarificationError, match="อนาคต"):
        clarifications.ask(entry, staff, "คำถาม", timezone.now() - SOON)
    assert Clarification.objects.count() == 1


def test_staff_ask_in_the_admin_and_a_bad_question_saves_nothing(client, staff, entry):
    client.force_login(staff)
    url = reverse("admin:awards_clarification_add")
    due = timezone.localtime() + SOON
    form = {"entry": entry.pk, "question": "", "due_at_0": due.day, "due_at_1": due.month,
            "due_at_2": due.year + 543, "due_at_3": "16:00"}  # fmt: skip
    response = client.post(url, form)
    assert response.status_code == 200 and not Clarification.objects.exists()
    response = client.post(url, {**form, "question": "ขอรายละเอียดงบประมาณ"})
    assert response.status_code == 302, response.content.decode()[:3000]
    item = Clarification.objects.get()
    assert (item.entry, item.asked_by) == (entry, staff)
    assert Notification.objects.filter(kind="clarification_requested").exists()
    client.force_login(AdminAssessorFactory())  # chairs nothing: sees nothing, asks nothing
    listed = client.get(reverse("admin:awards_clarification_changelist"))
    assert listed.status_code == 200 and listed.context["cl"].result_count == 0
    assert client.get(reverse("admin:awards_clarification_change", args=[item.pk])).status_code in (
        302,
        404,
    )
    response = client.post(url, {**form, "question": "คำถามของผู้ไม่มีสิทธิ์"})
    assert response.status_code == 200 and Clarification.objects.count() == 1


def test_the_agency_answers_with_text_and_a_file(client, entry, django_capture_on_commit_callbacks):
    asker = StaffFactory()
    item = asked(entry, asker)
    official = UserFactory(agency=entry.agency)
    client.force_login(official)
    status = client.get(reverse("awards:entry", args=[entry.public_id])).content.decode()
    assert "ขอหลักฐานจำนวนผู้รับบริการปี 2568" in status and page(entry, item) in status
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page(entry, item), {"answer": "ผู้รับบริการ 12,000 ราย", "files": [pdf("สถิติ.pdf")]}
        )
    assert response.status_code == 302
    item.refresh_from_db()
    entry.refresh_from_db()
    assert item.answer == "ผู้รับบริการ 12,000 ราย" and item.answered_by == official
    assert entry.state == EntryState.SCREENING
    [file] = item.attachments.all()
    assert file.entry == entry and file.original_name == "สถิติ.pdf"
    assert [m.to for m in mail.outbox] == [[asker.email]]  # the asker hears the answer
    assert client.post(page(entry, item), {"answer": "อีกครั้ง"}).status_code == 200
    item.refresh_from_db()
    assert item.answer == "ผู้รับบริการ 12,000 ราย"  # answered once

    # Part of the entry's record: its PDF and the assessors' score sheet.
    printed = render_to_string("awards/pdf/entry.html", {"entry": entry})
    assert "ผู้รับบริการ 12,000 ราย" in printed and "สถิติ.pdf" in printed


def test_a_bad_file_saves_no_part_of_the_answer(client, entry):
    item = asked(entry, StaffFactory())
    client.force_login(UserFactory(agency=entry.agency))
    fake = SimpleUploadedFile("report.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client.post(page(entry, item), {"answer": "คำชี้แจง", "files": [fake]})
    assert response.status_code == 200 and "ไม่ใช่ชนิดที่รับ" in response.content.decode()
    item.refresh_from_db()
    assert item.answered_at is None and item.answer == ""
    assert not Attachment.objects.filter(clarification=item).exists()
    response = client.post(page(entry, item), {"answer": ""})
    assert "คำชี้แจง" in response.content.decode() and response.status_code == 200


def test_only_the_agency_answers_and_only_until_the_due_date(client, entry):
    item = asked(entry, StaffFactory())
    client.force_login(UserFactory())  # another agency's official
    assert client.get(page(entry, item)).status_code == 404
    assert client.post(page(entry, item), {"answer": "x"}).status_code == 404
    Clarification.objects.filter(pk=item.pk).update(due_at=timezone.now() - SOON)
    client.force_login(UserFactory(agency=entry.agency))
    response = client.post(page(entry, item), {"answer": "ช้าไป"})
    assert response.status_code == 200 and "เลยกำหนดตอบแล้ว" in response.content.decode()
    item.refresh_from_db()
    assert item.answered_at is None


def test_the_score_sheet_shows_the_answer(client, staff, entry):
    assessor = AdminAssessorFactory()
    assignment = assessment.assign(entry, assessor, AssessmentRound.SCREENING, staff)
    item = asked(entry, staff)
    clarifications.answer(item, UserFactory(agency=entry.agency), "ตอบแล้วพร้อมหลักฐาน")
    client.force_login(assessor)
    sheet = client.get(reverse("admin:awards_scoresheet_change", args=[assignment.sheet.pk]))
    content = sheet.content.decode()
    assert sheet.status_code == 200
    assert "ขอหลักฐานจำนวนผู้รับบริการปี 2568" in content and "ตอบแล้วพร้อมหลักฐาน" in content
