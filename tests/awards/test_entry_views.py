"""The officials' entry pages: who reaches them, bad input on every form, the whole flow."""

import datetime
import re
import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards import submission
from awards.models import Attachment, ConflictDeclaration, Entry, EntryState
from tests.awards.entry_helpers import (  # noqa: F401 (private_files is a fixture)
    PDF_BYTES,
    PNG_BYTES,
    close_cycle,
    complete,
    pdf,
    private_files,
    sdgs,
)
from tests.factories import (
    PASSWORD,
    AssessorFactory,
    AssignmentFactory,
    CategoryFactory,
    CycleFactory,
    EntryFactory,
    StaffFactory,
    UserFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]


@pytest.fixture
def official():
    return UserFactory()


@pytest.fixture
def entry(official):
    return EntryFactory(agency=official.agency, created_by=official)


@pytest.fixture
def signed_in(client, official):
    client.force_login(official)
    return client


def url(name, entry, **kwargs):
    return reverse(f"awards:{name}", kwargs={"public_id": entry.public_id, **kwargs})


def html(response):
    return response.content.decode()


# --- Who reaches what ---


def entry_urls(entry, attachment):
    return [
        ("get", url("entry", entry)),
        ("get", url("section", entry, key="basic")),
        ("post", url("section", entry, key="basic")),
        ("get", url("attachments", entry)),
        ("post", url("attachment_delete", entry, pk=attachment.pk)),
        ("get", url("check", entry)),
        ("post", url("submit", entry)),
        ("get", url("confirmation", entry)),
        ("get", url("withdraw", entry)),
    ]


@pytest.mark.parametrize("who", ["other_agency", "assessor", "assigned_assessor", "staff"])
def test_nobody_outside_the_agency_reaches_its_entry_pages(client, entry, who):
    attachment = complete(entry).attachments.get()
    user = {
        "other_agency": UserFactory,
        "assessor": AssessorFactory,
        "staff": StaffFactory,
        "assigned_assessor": lambda: AssignmentFactory(entry=entry).assessor,
    }[who]()
    client.force_login(user)
    for method, address in entry_urls(entry, attachment):
        response = getattr(client, method)(address, {"title": "ถูกแก้", "summary": "x"})
        assert response.status_code == 404, (who, method, address)
    entry.refresh_from_db()
    assert entry.title != "ถูกแก้" and entry.state == "draft"
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def test_anonymous_visitors_are_sent_to_sign_in(client, entry):
    attachment = complete(entry).attachments.get()
    addresses = [
        *entry_urls(entry, attachment),
        ("get", reverse("awards:dashboard")),
        ("get", reverse("awards:start")),
        ("get", url("attachment_download", entry, pk=attachment.pk)),
    ]
    for method, address in addresses:
        response = getattr(client, method)(address)
        assert response.status_code == 302, address
        assert response["Location"].startswith(reverse("portal:login")), address


def test_an_unknown_or_guessed_id_is_a_404(signed_in):
    assert signed_in.get(f"/entries/{uuid.uuid4()}/").status_code == 404
    assert signed_in.get("/entries/1/").status_code == 404


def test_attachment_download_for_agency_assigned_assessor_and_staff_only(client, entry):
    attachment = complete(entry).attachments.get()
    address = url("attachment_download", entry, pk=attachment.pk)
    allowed = [entry.created_by, AssignmentFactory(entry=entry).assessor, StaffFactory()]
    for user in allowed:
        client.force_login(user)
        response = client.get(address)
        assert response.status_code == 200, user
        assert b"".join(response.streaming_content) == PDF_BYTES
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "attachment;" in response["Content-Disposition"]
    for user in (UserFactory(), AssessorFactory()):
        client.force_login(user)
        assert client.get(address).status_code == 404, user
    # An attachment of another entry through this entry's URL: 404 too.
    other = complete(EntryFactory()).attachments.get()
    client.force_login(entry.created_by)
    assert client.get(url("attachment_download", entry, pk=other.pk)).status_code == 404


def test_an_assessor_who_declares_a_conflict_loses_access_to_the_files(client, entry):
    attachment = complete(entry).attachments.get()
    assessor = AssignmentFactory(entry=entry).assessor
    client.force_login(assessor)
    address = url("attachment_download", entry, pk=attachment.pk)
    assert client.get(address).status_code == 200
    ConflictDeclaration.objects.create(assessor=assessor, entry=entry, reason="เคยเป็นที่ปรึกษา")
    assert client.get(address).status_code == 404


# --- Dashboard and start ---


def test_dashboard_lists_the_agency_entries_across_cycles_with_be_deadlines(signed_in, official):
    colleague_entry = EntryFactory(agency=official.agency, title="ผลงานของเพื่อนร่วมหน่วยงาน")
    old_cycle = CycleFactory(
        year_be=2567,
        applications_open_at=timezone.now() - datetime.timedelta(days=700),
        applications_close_at=timezone.now() - datetime.timedelta(days=600),
    )
    old = EntryFactory(
        agency=official.agency, category=CategoryFactory(cycle=old_cycle), title="ผลงานปี 2567"
    )
    submission.mark_submitted(old, official)
    EntryFactory(title="ผลงานของหน่วยงานอื่น")
    page = html(signed_in.get(reverse("awards:dashboard")))
    assert colleague_entry.title in page and "ผลงานปี 2567" in page
    assert "ผลงานของหน่วยงานอื่น" not in page
    assert "ฉบับร่าง" in page and "ส่งแล้ว" in page
    close = timezone.localtime(colleague_entry.category.cycle.applications_close_at)
    assert f"{close.year + 543}" in page and "ปิดรับสมัคร" in page
    assert reverse("awards:start") in page


def test_dashboard_without_agency_points_to_the_membership_request(client):
    client.force_login(UserFactory(agency=None))
    page = html(client.get(reverse("awards:dashboard")))
    assert reverse("portal:membership") in page
    response = client.get(reverse("awards:start"))
    assert response.status_code == 302 and response["Location"] == reverse("portal:membership")


def test_start_creates_a_draft_for_the_users_agency_whatever_is_posted(signed_in, official):
    category = CategoryFactory()
    token = uuid.uuid4()
    other_agency = UserFactory().agency
    data = {"category": category.pk, "token": token, "agency": other_agency.pk}
    response = signed_in.post(reverse("awards:start"), data)
    entry = Entry.objects.get()
    assert response.status_code == 302 and response["Location"] == url("entry", entry)
    assert entry.agency == official.agency and entry.public_id == token
    assert entry.created_by == official and entry.state == "draft"
    # The same form posted again (double click, back button): still one entry.
    assert signed_in.post(reverse("awards:start"), data)["Location"] == url("entry", entry)
    assert Entry.objects.count() == 1


@pytest.mark.parametrize("category_id", ["closed", "999999", "abc", ""])
def test_start_refuses_a_tampered_or_closed_category(signed_in, category_id):
    closed = CategoryFactory(
        cycle=CycleFactory(
            year_be=2560,
            applications_open_at=timezone.now() - datetime.timedelta(days=400),
            applications_close_at=timezone.now() - datetime.timedelta(days=300),
        )
    )
    CategoryFactory()  # an open one, listed
    value = closed.pk if category_id == "closed" else category_id
    response = signed_in.post(reverse("awards:start"), {"category": value, "token": uuid.uuid4()})
    page = html(response)
    assert response.status_code == 200
    assert 'class="error-summary"' in page
    assert "ประเภทรางวัล" in page
    assert not Entry.objects.exists()
    assert closed.name_th not in html(signed_in.get(reverse("awards:start")))


def test_start_with_another_agencys_entry_token_is_the_same_404_as_no_entry(signed_in):
    """The finding: posting another agency's entry UUID as the start form's token answered a
    distinct message, confirming the entry exists. Now it is the 404 of an entry that does
    not exist, and nothing is created or shown."""
    theirs = EntryFactory(title="ผลงานลับของหน่วยงานอื่น")
    category = CategoryFactory()
    response = signed_in.post(
        reverse("awards:start"), {"category": category.pk, "token": theirs.public_id}
    )
    missing_path = reverse("awards:entry", kwargs={"public_id": uuid.uuid4()})
    missing = signed_in.get(missing_path)
    assert response.status_code == missing.status_code == 404

    def page(response, path):  # less what differs on every page: its own path, the CSRF token
        token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]*"')
        return token.sub("", html(response)).replace(path, "")

    assert page(response, reverse("awards:start")) == page(missing, missing_path)
    assert "ไม่สามารถสร้างผลงานได้" not in html(response)
    assert Entry.objects.count() == 1 and Entry.objects.get().agency == theirs.agency
    # Nor does the other agency's entry page tell more.
    assert signed_in.get(url("entry", theirs)).status_code == 404


# --- Section pages ---


def test_task_list_shows_each_section_and_its_status(signed_in, entry):
    page = html(signed_in.get(url("entry", entry)))
    for section in submission.sections(entry.form):
        assert str(section.title) in page
        assert url("section", entry, key=section.key) in page
    assert "เสร็จแล้ว" in page and "ยังไม่เริ่ม" in page


def test_continue_saves_and_goes_to_the_next_section(signed_in, entry):
    response = signed_in.post(
        url("section", entry, key="basic"),
        {"title": "ชื่อใหม่", "summary": "สรุปใหม่", "action": "continue"},
    )
    assert response["Location"] == url("section", entry, key="problem")
    entry.refresh_from_db()
    assert (entry.title, entry.answers.get("summary")) == ("ชื่อใหม่", "สรุปใหม่")


def test_save_and_come_back_later_goes_to_the_task_list(signed_in, entry):
    response = signed_in.post(
        url("section", entry, key="problem"), {"problem": "ปัญหา", "action": "later"}
    )
    assert response["Location"] == url("entry", entry)


def test_a_change_from_check_your_answers_returns_there(signed_in, entry):
    response = signed_in.post(
        url("section", entry, key="problem") + "?from=check", {"problem": "แก้จากหน้าตรวจสอบ"}
    )
    assert response["Location"] == url("check", entry)


def test_empty_required_fields_are_errors_next_to_the_field_and_in_the_summary(signed_in, entry):
    response = signed_in.post(url("section", entry, key="basic"), {"title": "", "summary": "  "})
    page = html(response)
    assert response.status_code == 200
    assert 'class="error-summary"' in page and 'href="#id_title"' in page
    assert page.count("โปรดกรอกชื่อผลงาน") == 2  # in the summary and next to the field
    assert "โปรดกรอกสรุปผลงานโดยย่อ" in page
    assert 'aria-invalid="true"' in page
    entry.refresh_from_db()
    assert entry.title.startswith("ผลงานทดสอบ")  # nothing saved


def test_oversized_text_is_refused_and_what_was_typed_is_kept(signed_in, entry):
    typed = "ปัญหา" * 1001  # 5,005 characters; the limit is 5,000
    response = signed_in.post(url("section", entry, key="problem"), {"problem": typed})
    page = html(response)
    assert "ต้องไม่เกิน 5,000 ตัวอักษร" in page and "5005" in page
    assert typed in page
    assert 'data-maxlength="5000"' in page and "maxlength=" not in page.replace(
        "data-maxlength", ""
    )
    entry.refresh_from_db()
    assert entry.answers.get("problem") == "สภาพปัญหา"


def test_html_is_stored_as_text_and_shown_escaped(signed_in, entry):
    script = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    signed_in.post(url("section", entry, key="problem"), {"problem": script})
    entry.refresh_from_db()
    assert entry.answers.get("problem") == script
    for page in (
        html(signed_in.get(url("check", entry))),
        html(signed_in.get(url("section", entry, key="problem"))),
    ):
        assert script not in page
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page


def test_optional_fields_are_marked(signed_in, entry):
    page = html(signed_in.get(url("section", entry, key="contact")))
    assert page.count("(ไม่บังคับ)") == 1  # contact_position only
    page = html(signed_in.get(url("section", entry, key="solution")))
    assert "(ไม่บังคับ)" in page  # started_on


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2567", "ต้องเป็นวันที่ที่มีอยู่จริง"),
        ("1", "1", "2024", "กรอกปีเป็น พ.ศ."),
        ("1", "1", "2600", "ต้องไม่เป็นวันในอนาคต"),
        ("ก", "1", "2567", "ต้องเป็นตัวเลข"),
        ("15", "", "2567", "ต้องมีวัน เดือน และปี พ.ศ."),
    ],
)
def test_wrong_dates_are_refused(signed_in, entry, day, month, year, message):
    data = {"solution": "ทำแล้ว", "started_on_0": day, "started_on_1": month, "started_on_2": year}
    page = html(signed_in.post(url("section", entry, key="solution"), data))
    assert message in page
    assert f'value="{day}"' in page if day else True
    entry.refresh_from_db()
    assert (
        entry.answers.get("started_on") is None and entry.answers.get("solution") == "การดำเนินการ"
    )


def test_a_buddhist_era_date_is_stored_as_a_date(signed_in, entry):
    data = {"solution": "ทำแล้ว", "started_on_0": "15", "started_on_1": "6", "started_on_2": "2566"}
    signed_in.post(url("section", entry, key="solution"), data)
    entry.refresh_from_db()
    assert entry.answers["started_on"] == "2023-06-15"
    page = html(signed_in.get(url("check", entry)))
    assert "15 มิถุนายน 2566" in page


def test_sdgs_are_chosen_and_a_tampered_id_is_refused(signed_in, entry):
    assert signed_in.post(url("section", entry, key="sdgs"), {"sdgs": ["16"]}).status_code == 302
    entry.refresh_from_db()
    assert entry.answers["sdgs"] == ["16"]
    page = html(signed_in.post(url("section", entry, key="sdgs"), {"sdgs": ["16", "999999"]}))
    assert "โปรดเลือกจากรายการ" in page
    page = html(signed_in.post(url("section", entry, key="sdgs"), {}))
    assert "โปรดเลือก" in page
    entry.refresh_from_db()
    assert entry.answers["sdgs"] == ["16"]


def test_an_unknown_section_is_a_404(signed_in, entry):
    assert signed_in.get(url("section", entry, key="nope")).status_code == 404


# --- Attachments ---


def upload(client, entry, file, **extra):
    return client.post(url("attachments", entry), {"file": file, "description": "", **extra})


def test_a_pdf_is_attached_under_a_generated_name(signed_in, entry):
    storage = Attachment._meta.get_field("file").storage
    response = upload(signed_in, entry, pdf("../../etc/รายงาน ผล.pdf"))
    assert response.status_code == 302
    attachment = entry.attachments.get()
    assert attachment.content_type == "application/pdf" and attachment.size == len(PDF_BYTES)
    assert attachment.original_name.endswith("รายงาน ผล.pdf")
    assert "รายงาน" not in attachment.file.name and ".." not in attachment.file.name
    assert attachment.file.name.startswith(f"attachments/{entry.public_id}/")
    assert storage.exists(attachment.file.name)
    page = html(signed_in.get(url("attachments", entry)))
    assert "รายงาน ผล.pdf" in page and url("attachment_download", entry, pk=attachment.pk) in page


def test_an_image_is_accepted(signed_in, entry):
    upload(signed_in, entry, SimpleUploadedFile("photo.png", PNG_BYTES, content_type="image/png"))
    assert entry.attachments.get().content_type == "image/png"


def test_type_is_checked_by_content_not_by_name(signed_in, entry):
    fake = SimpleUploadedFile("รายงาน.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    page = html(upload(signed_in, entry, fake))
    assert "ไม่ใช่ชนิดที่รับ" in page and "รายงาน.pdf" in page
    html_file = SimpleUploadedFile("a.pdf", b"<html><script>alert(1)</script></html>", "text/html")
    assert "ไม่ใช่ชนิดที่รับ" in html(upload(signed_in, entry, html_file))
    assert not entry.attachments.exists()


def test_an_empty_file_is_refused(signed_in, entry):
    page = html(upload(signed_in, entry, SimpleUploadedFile("ว่าง.pdf", b"", "application/pdf")))
    assert "ว่างเปล่า" in page and 'class="error-summary"' in page
    assert not entry.attachments.exists()


def test_a_file_too_large_is_refused(signed_in, entry, settings):
    settings.ATTACHMENT_MAX_BYTES = 100
    page = html(upload(signed_in, entry, pdf(content=PDF_BYTES + b"0" * 200)))
    assert "ใหญ่เกินกำหนด" in page and "100" in page
    assert not entry.attachments.exists()


def test_too_many_files_are_refused(signed_in, entry, settings):
    settings.ATTACHMENT_MAX_COUNT = 1
    upload(signed_in, entry, pdf())
    page = html(upload(signed_in, entry, pdf("ไฟล์ที่สอง.pdf")))
    assert "แนบไฟล์ได้ไม่เกิน 1 ไฟล์" in page
    assert entry.attachments.count() == 1


def test_no_file_chosen(signed_in, entry):
    page = html(signed_in.post(url("attachments", entry), {"description": "x"}))
    assert "โปรดเลือกไฟล์ที่จะแนบ" in page


def test_a_file_is_removed_while_the_entry_is_a_draft(
    signed_in, entry, django_capture_on_commit_callbacks
):
    storage = Attachment._meta.get_field("file").storage
    upload(signed_in, entry, pdf())
    attachment = entry.attachments.get()
    stored = attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url("attachment_delete", entry, pk=attachment.pk))
    assert response.status_code == 302 and not entry.attachments.exists()
    assert not storage.exists(stored)


# --- Check your answers, submit, confirmation ---


def test_check_your_answers_shows_every_section_with_change_links(signed_in, entry):
    complete(entry)
    page = html(signed_in.get(url("check", entry)))
    for section in submission.sections(entry.form):
        assert str(section.title) in page
        assert url("section", entry, key=section.key) + "?from=check" in page
    assert entry.title in page and "รายงานผล.pdf" in page and "SDG 16" in page
    assert url("submit", entry) in page


def test_check_your_answers_reads_the_entry_in_a_fixed_number_of_queries(
    signed_in, entry, django_assert_max_num_queries
):
    """Each section's status asks whether there are attachments: fetched once for the page
    (session, user, entry with its form version, its attachments, the form's sections and
    questions, and the header's count of unread notifications), not once per status (11
    before)."""
    complete(entry)
    entry.answers = {**entry.answers, "sdgs": ["1", "3", "4", "16"]}
    entry.save()
    with django_assert_max_num_queries(7):
        page = html(signed_in.get(url("check", entry)))
    assert page.index("SDG 3") < page.index("SDG 4") < page.index("SDG 16")  # still in order


def test_submitting_an_incomplete_entry_lists_what_is_missing(signed_in, entry):
    page = html(signed_in.post(url("submit", entry)))
    assert "ยังส่งไม่ได้" in page
    assert url("section", entry, key="sdgs") + "?from=check" in page
    entry.refresh_from_db()
    assert entry.state == "draft"


def test_submit_confirms_with_a_reference_and_an_email(
    signed_in, entry, django_capture_on_commit_callbacks
):
    complete(entry)
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(url("submit", entry))
    assert response["Location"] == url("confirmation", entry)
    entry.refresh_from_db()
    assert entry.state == "submitted" and entry.reference == "LR-2570-000001"
    page = html(signed_in.get(response["Location"]))
    assert "LR-2570-000001" in page and "ส่งผลงานเรียบร้อยแล้ว" in page
    # One confirmation to each: the submitter and the entry's contact person.
    assert len(mail.outbox) == 2 and all("LR-2570-000001" in m.subject for m in mail.outbox)


def test_double_submit_is_one_submission(signed_in, entry, django_capture_on_commit_callbacks):
    complete(entry)
    with django_capture_on_commit_callbacks(execute=True):
        first = signed_in.post(url("submit", entry))
        second = signed_in.post(url("submit", entry))
    assert first["Location"] == second["Location"] == url("confirmation", entry)
    assert entry.state_changes.count() == 1 and len(mail.outbox) == 2  # submitter, contact
    assert Entry.objects.filter(reference__isnull=False).count() == 1


def test_after_submission_editing_is_refused(signed_in, entry):
    complete(entry)
    signed_in.post(url("submit", entry))
    response = signed_in.get(url("section", entry, key="basic"))
    assert response.status_code == 302 and response["Location"] == url("entry", entry)
    page = html(signed_in.get(response["Location"]))
    assert "แก้ไขไม่ได้" in page
    signed_in.post(url("section", entry, key="basic"), {"title": "แก้หลังส่ง", "summary": "x"})
    response = upload(signed_in, entry, pdf("หลังส่ง.pdf"))
    attachment = entry.attachments.get()
    signed_in.post(url("attachment_delete", entry, pk=attachment.pk))
    entry.refresh_from_db()
    assert entry.title != "แก้หลังส่ง" and entry.attachments.count() == 1
    assert signed_in.get(url("check", entry))["Location"] == url("entry", entry)


def test_after_the_deadline_a_draft_is_read_only_with_a_clear_message(signed_in, entry):
    complete(entry)
    close_cycle(entry)
    page = html(signed_in.get(url("entry", entry)))
    assert "ปิดรับสมัครแล้วเมื่อ" in page
    assert url("section", entry, key="basic") not in page
    response = signed_in.post(
        url("section", entry, key="basic"), {"title": "หลังปิด", "summary": "x"}
    )
    assert response.status_code == 302
    page = html(signed_in.post(url("submit", entry)))
    assert "ปิดรับสมัครแล้ว" in page
    entry.refresh_from_db()
    assert entry.state == "draft" and entry.title != "หลังปิด"


def test_status_page_shows_the_history_and_withdrawal(signed_in, entry, official):
    complete(entry)
    submission.submit(entry, official)
    page = html(signed_in.get(url("entry", entry)))
    assert "ความเป็นมาของสถานะ" in page and "ส่งแล้ว" in page
    assert url("withdraw", entry) in page
    page = html(signed_in.post(url("withdraw", entry), {"note": "ขอถอน"}))
    assert "โปรดยืนยันการถอนใบสมัคร" in page
    response = signed_in.post(url("withdraw", entry), {"note": "ขอถอน", "confirm": "on"})
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == EntryState.WITHDRAWN
    assert entry.state_changes.last().changed_by == official
    assert signed_in.get(url("withdraw", entry)).status_code == 302  # not twice


# --- Staff: reopen (recorded) and the admin's door to the same rules ---


def test_staff_reopen_an_entry_with_a_reason(client, entry):
    entry = submission.submit(complete(entry), entry.created_by)
    address = url("reopen", entry)
    for user in (entry.created_by, AssignmentFactory(entry=entry).assessor, UserFactory()):
        client.force_login(user)
        assert client.get(address).status_code == 404
        client.post(address, {"until_0": "1", "until_1": "1", "until_2": "2600", "note": "x"})
    staff = StaffFactory()
    client.force_login(staff)
    page = html(client.post(address, {"until_0": "1", "until_1": "1", "until_2": "2560"}))
    assert "ต้องไม่ใช่วันที่ผ่านมาแล้ว" in page and "โปรดกรอกเหตุผลที่เปิดให้แก้ไข" in page
    entry.refresh_from_db()
    assert entry.state == "submitted"
    next_year = timezone.localdate().year + 544
    data = {"until_0": "15", "until_1": "1", "until_2": str(next_year), "note": "แก้ตัวเลข"}
    response = client.post(address, data)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.state == "draft" and entry.reopened_until.year == next_year - 543
    change = entry.state_changes.last()
    assert (change.to_state, change.changed_by, change.note) == ("draft", staff, "แก้ตัวเลข")


def test_the_admin_submit_action_applies_the_same_rule(client):
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    incomplete = EntryFactory(partners="")
    ready = complete(EntryFactory())
    changelist = reverse("admin:awards_entry_changelist")
    data = {"action": "submit_entries", "_selected_action": [incomplete.pk, ready.pk]}
    response = client.post(changelist, data, follow=True)
    page = html(response)
    assert "ยังส่งไม่ได้" in page
    incomplete.refresh_from_db()
    ready.refresh_from_db()
    assert incomplete.state == "draft" and ready.state == "submitted" and ready.reference
    closed = close_cycle(complete(EntryFactory()))
    client.post(changelist, {"action": "submit_entries", "_selected_action": [closed.pk]})
    closed.refresh_from_db()
    assert closed.state == "draft"


def test_the_admin_cannot_silently_edit_a_submitted_entry(client, entry):
    entry = submission.submit(complete(entry), entry.created_by)
    client.force_login(StaffFactory(is_superuser=True))
    change = reverse("admin:awards_entry_change", args=[entry.pk])
    page = html(client.get(change))
    assert url("reopen", entry) in page
    assert 'name="title"' not in page


def test_colleagues_of_the_same_agency_work_on_the_same_entry(client, entry):
    colleague = UserFactory(agency=entry.agency)
    client.force_login(colleague)
    client.post(url("section", entry, key="problem"), {"problem": "เพื่อนร่วมงานเขียนต่อ"})
    entry.refresh_from_db()
    assert entry.answers.get("problem") == "เพื่อนร่วมงานเขียนต่อ"
    last = entry.history.first()
    assert last.history_user == colleague  # who changed what is kept


def test_signing_in_takes_an_official_to_the_agency_entries(client, official):
    response = client.post(
        reverse("portal:login"), {"username": official.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("awards:dashboard")
