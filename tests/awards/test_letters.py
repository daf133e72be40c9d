"""Letters to a selection of entries (awards/letters.py, admin/letters.py; issue 17 item 4):
previewed per recipient in their language, sent once per recipient however often staff press
send, an unknown placeholder refused with nothing saved, a result never told before the cycle
is announced, the screen the secretariat's only."""

import pytest
from django.core import mail
from django.urls import reverse

from awards import letters, scoring
from awards.models import EntryState, Letter
from portal.notifications.models import Notification
from tests.factories import (
    AdminAssessorFactory,
    AdminStaffFactory,
    AssessorFactory,
    ScreeningEntryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def staff():
    return AdminStaffFactory()


@pytest.fixture
def shortlisted():
    """Two shortlisted entries of one category (one agency's official reads English) and one
    in screening, which a letter to the shortlisted does not reach."""
    first = ScreeningEntryFactory(state=EntryState.SHORTLISTED, reference="LR-2570-000001")
    second = ScreeningEntryFactory(
        state=EntryState.SHORTLISTED, category=first.category, reference="LR-2570-000002"
    )
    ScreeningEntryFactory(state=EntryState.SCREENING, category=first.category)
    english = UserFactory(agency=first.agency, language="en", email="reader@example.go.th")
    return first, second, english


def letter_to(entry, by, **fields):
    values = {
        "title": "แจ้งกำหนดการลงพื้นที่",
        "cycle": entry.category.cycle,
        "category": entry.category,
        "state": EntryState.SHORTLISTED,
        "subject": "ผลงาน {entry_reference} ผ่านเข้ารอบลงพื้นที่",
        "body": "เรียน {recipient_name}\nผลงาน {entry_title} โปรดเตรียมเอกสาร",
        "subject_en": "Entry {entry_reference}: site visit",
        "body_en": "Dear {recipient_name}\nPlease prepare the documents for {entry_title}.",
        **fields,
    }
    return Letter.objects.create(created_by=by, **values)


def test_the_preview_is_each_real_recipients_letter_in_their_language(staff, shortlisted):
    first, second, english = shortlisted
    letter = letter_to(first, staff)
    rendered = letters.preview(letter)
    by_address = {(one.entry, one.recipient.email): one for one in rendered}
    # The selection: the two shortlisted entries' officials and contact people, nobody else.
    assert {entry for entry, _address in by_address} == {first, second}
    assert {address for entry, address in by_address if entry == first} == {
        first.created_by.email, english.email, first.answers["contact_email"],
    }  # fmt: skip
    in_english = by_address[(first, english.email)]
    assert in_english.subject == "Entry LR-2570-000001: site visit"
    assert f"Please prepare the documents for {first.title}" in in_english.body
    in_thai = by_address[(first, first.created_by.email)]
    assert in_thai.subject == "ผลงาน LR-2570-000001 ผ่านเข้ารอบลงพื้นที่"
    assert in_thai.body.startswith(f"เรียน {first.created_by.get_full_name()}")
    assert not Notification.objects.exists()  # a preview sends nothing


def test_sending_queues_once_per_recipient_and_a_second_send_nothing_more(
    staff, shortlisted, django_capture_on_commit_callbacks
):
    first, second, english = shortlisted
    letter = letter_to(first, staff)
    recipients = len(letters.preview(letter))
    with django_capture_on_commit_callbacks(execute=True):
        assert letters.send(letter, staff) == recipients
    letter.refresh_from_db()
    assert letter.sent_at is not None
    assert letters.progress(letter) == {"queued": 0, "sent": recipients, "failed": 0}
    assert len(mail.outbox) == recipients
    [to_english] = [m for m in mail.outbox if m.to == [english.email]]
    assert to_english.subject == "Entry LR-2570-000001: site visit"

    with django_capture_on_commit_callbacks(execute=True):
        assert letters.send(letter, staff) == 0
    assert len(mail.outbox) == recipients
    assert Notification.objects.filter(kind="letter").count() == recipients


def test_only_the_secretariat_sends(shortlisted):
    first, _second, _english = shortlisted
    letter = letter_to(first, AdminStaffFactory())
    for user in (AssessorFactory(), first.created_by):
        with pytest.raises(letters.LetterError, match="เฉพาะเจ้าหน้าที่"):
            letters.send(letter, user)
    assert not Notification.objects.exists()


def test_a_result_is_never_told_before_the_cycle_is_announced(
    staff, django_capture_on_commit_callbacks
):
    entry = ScreeningEntryFactory(state=EntryState.SCREENING, reference="LR-2570-000009")
    scoring.record_decision(entry, "not_awarded", staff)
    letter = letter_to(
        entry, staff, state=EntryState.NOT_AWARDED, subject="ผลการตัดสิน: {award_level}",
        subject_en="", body_en="",
    )  # fmt: skip
    for attempt in (letters.preview, lambda letter: letters.send(letter, staff)):
        with pytest.raises(letters.LetterError, match="ยังไม่ประกาศผล"):
            attempt(letter)
    assert not Notification.objects.exists()
    letter.refresh_from_db()
    assert letter.sent_at is None

    scoring.announce_results(entry.category.cycle, staff)
    with django_capture_on_commit_callbacks(execute=True):
        assert letters.send(letter, staff) > 0
    assert {m.subject for m in mail.outbox if "ผลการตัดสิน" in m.subject} == {
        "ผลการตัดสิน: ไม่ได้รับรางวัล"
    }


def form_data(entry, **changed):
    """The admin's letter form to the shortlisted entries of `entry`'s category."""
    return {
        "title": "แจ้งผู้ผ่านเข้ารอบ",
        "cycle": entry.category.cycle_id,
        "category": entry.category_id,
        "state": EntryState.SHORTLISTED,
        "subject": "เรื่อง {entry_reference}",
        "body": "เรียน {agency}",
        "subject_en": "",
        "body_en": "",
        **changed,
    }


@pytest.mark.parametrize(
    ("field", "text", "message"),
    [
        ("body", "เรียน {agency_boss}", "ไม่รู้จักตัวแทนข้อความ {agency_boss}"),
        ("subject", "ผลงาน {entry_title.upper}", "ใช้ได้เฉพาะชื่อ"),
        ("body", "วงเล็บ { ไม่ครบ", "ต้องเป็นคู่"),
        ("subject_en", "An English subject without a body", "ทั้งเรื่องและข้อความ"),
    ],
)
def test_the_admin_refuses_a_bad_letter_and_saves_nothing(
    client, staff, shortlisted, field, text, message
):
    first = shortlisted[0]
    client.force_login(staff)
    response = client.post(reverse("admin:awards_letter_add"), form_data(first, **{field: text}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Letter.objects.exists()


def test_staff_compose_preview_and_send_in_the_admin(
    client, staff, shortlisted, django_capture_on_commit_callbacks
):
    first = shortlisted[0]
    client.force_login(staff)
    # A new letter starts from the letter template's wording.
    page = client.get(reverse("admin:awards_letter_add")).content.decode()
    assert "{entry_reference}" in page and "{award_level}" in page
    response = client.post(reverse("admin:awards_letter_add"), form_data(first))
    assert response.status_code == 302
    letter = Letter.objects.get()
    assert letter.created_by == staff
    page = client.get(reverse("admin:awards_letter_change", args=[letter.pk])).content.decode()
    assert "เรื่อง LR-2570-000001" in page and "เรื่อง LR-2570-000002" in page
    assert first.answers["contact_email"] in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:awards_letter_changelist"),
            {"action": "send", "_selected_action": [letter.pk]},
        )
    listing = client.get(reverse("admin:awards_letter_changelist")).content.decode()
    sent = letters.progress(letter)["sent"]
    assert sent == len(letters.preview(letter)) and f"ส่งแล้ว {sent}" in listing
    assert f"occasion=letter-{letter.pk}" in listing
    # The link opens the outbox on this letter's rows only.
    outbox = client.get(
        reverse("admin:portal_notification_changelist"),
        {"kind": "letter", "occasion": f"letter-{letter.pk}"},
    )
    assert outbox.status_code == 200
    assert outbox.context["cl"].result_count == sent


def test_assessors_do_not_see_letters(client, staff, shortlisted):
    letter = letter_to(shortlisted[0], staff)
    client.force_login(AdminAssessorFactory())
    assert client.get(reverse("admin:awards_letter_changelist")).status_code == 403
    change = client.get(reverse("admin:awards_letter_change", args=[letter.pk]))
    assert change.status_code in (302, 403, 404)
    assert "LR-2570" not in change.content.decode()
