"""Entry forms as data (awards/entry_forms.py, answers.py): the shipped PMQA 4.0 form from draft
to submitted, every kind of question refusing bad input on the server with nothing saved,
versions (a locked form is never changed; a submitted entry keeps its version), copying,
the admin's preview, the PDF and the API following the form."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from awards import attachments, entry_forms, submission
from awards.models import EntryState, Question, QuestionKind
from awards.reports import build_entry_pdf
from tests.awards.entry_helpers import PNG_BYTES, pdf, private_files  # noqa: F401
from tests.factories import CategoryFactory, EntryFactory, StaffFactory, UserFactory
from tests.portal.reports.test_pdf_text_layer import pdftotext, squeeze

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("private_files")]

PMQA_SECTIONS = [
    "profile", *(f"pmqa-{n}" for n in range(1, 8)), "documents", "contact",
]  # fmt: skip


def pmqa_answers() -> dict[str, dict]:
    """A complete PMQA 4.0 report, by section key."""
    text = "หน่วยงานอธิบายแนวทางและผลที่เกิดขึ้นจริง"
    return {
        "profile": {
            "title": "กรมทดสอบสู่องค์กรสมรรถนะสูงตามเกณฑ์ PMQA 4.0",
            "profile-1": "ลักษณะองค์การ " + text,
            "profile-2": "สภาวการณ์ " + text,
            "profile-staff": "1,250",
            "profile-network": False,
        },
        **{
            f"pmqa-{n}": {f"pmqa-{n}-1": text, f"pmqa-{n}-2": text, f"pmqa-{n}-level": "advance"}
            for n in range(1, 7)
        },
        "pmqa-7": {
            "pmqa-7-1": [{"name": "ตัวชี้วัดยุทธศาสตร์บรรลุเป้า", "unit": "ร้อยละ", "target": "85"}],
            "pmqa-7-2": [
                {
                    "name": "ความพึงพอใจของผู้รับบริการ",
                    "unit": "ร้อยละ",
                    "baseline": "80",
                    "target": "88",
                    "result": "92",
                },
            ],
            "pmqa-7-3": [{"name": "ความผูกพันของบุคลากร", "unit": "ร้อยละ", "result": "81"}],
        },  # fmt: skip
        "documents": {"certified-on": datetime.date(2024, 1, 20), "publish-consent": True},
        "contact": {
            "contact_name": "สมชาย ใจดี",
            "contact_email": "somchai@example.go.th",
            "contact_phone": "0 2356 9999",
        },
    }


@pytest.fixture
def pmqa_category():
    category = CategoryFactory(code="pmqa-40", name_th="PMQA 4.0")
    entry_forms.form_from_data(category, entry_forms.shipped("pmqa40"))
    return category


def test_a_pmqa_40_entry_goes_from_draft_to_submitted(pmqa_category):
    official = UserFactory()
    entry = submission.create_entry(pmqa_category, official.agency, official)
    assert entry.form.name == "แบบรายงานผลการดำเนินการตามเกณฑ์ PMQA 4.0"
    keys = [section.key for section, _status in submission.section_statuses(entry)]
    assert keys == PMQA_SECTIONS
    with pytest.raises(submission.IncompleteEntry) as refused:
        submission.submit(entry, official)
    assert [s.key for s in refused.value.sections] == PMQA_SECTIONS

    for key, values in pmqa_answers().items():
        entry = submission.save_section(entry, key, values, official)
    statuses = dict((s.key, status) for s, status in submission.section_statuses(entry))
    assert statuses["documents"] == "in_progress"  # the report file is still missing
    # The report must be a PDF (the question says so), 3 files at most.
    with pytest.raises(attachments.AttachmentError, match="รับเฉพาะ PDF"):
        attachments.add_attachment(
            entry, SimpleUploadedFile("ภาพ.png", PNG_BYTES), official, question="report-file"
        )
    attachments.add_attachment(entry, pdf(), official, question="report-file")

    entry = submission.submit(entry, official)
    assert entry.state == EntryState.SUBMITTED and entry.reference
    entry.form.refresh_from_db()
    assert entry.form.is_locked
    assert entry.answers["profile-staff"] == "1250"
    assert entry.answers["certified-on"] == "2024-01-20"
    assert entry.answers["pmqa-7-2"][0]["result"] == "92"


@pytest.mark.parametrize(
    ("key", "values", "message"),
    [
        ("basic", {"summary": "ก" * 1501}, "ต้องไม่เกิน 1,500 ตัวอักษร"),
        ("basic", {"title": "ก" * 301}, "ชื่อผลงานต้องไม่เกิน 300 ตัวอักษร"),
        ("basic", {"summary": 12}, "ต้องเป็นข้อความ"),
        ("solution", {"started_on": "2024-02-30"}, "วันที่"),
        ("solution", {"started_on": "2100-01-01"}, "ต้องไม่เป็นวันในอนาคต"),
        ("sdgs", {"sdgs": ["1", "99"]}, "โปรดเลือกจากรายการ"),
        ("contact", {"contact_email": "ไม่ใช่อีเมล"}, "อีเมลผู้ประสานงาน ไม่ถูกต้อง"),
        ("contact", {"contact_phone": "โทรหาฉัน"}, "หมายเลขโทรศัพท์ต้องเป็นตัวเลข"),
        ("basic", {"problem": "อยู่คนละส่วน"}, "ส่วนนี้ไม่มีคำถาม"),
        ("attachments", {"attachments": "ไฟล์.pdf"}, "ต้องแนบเป็นไฟล์"),
    ],
)
def test_the_server_refuses_bad_answers_in_thai_and_saves_nothing(key, values, message):
    entry = EntryFactory(title="ชื่อเดิม")
    before = dict(entry.answers)
    # A good answer beside the bad one is not saved either: a section saves whole or not.
    good = {"basic": {"title": "ชื่อใหม่"}, "contact": {"contact_name": "คนใหม่"}}.get(key, {})
    with pytest.raises(submission.InvalidAnswers) as refused:
        submission.save_section(entry, key, {**good, **values}, entry.created_by)
    assert message in str(refused.value)
    entry.refresh_from_db()
    assert entry.answers == before and entry.title == "ชื่อเดิม"


@pytest.mark.parametrize(
    ("code", "value", "message"),
    [
        ("pmqa-7-1", [{"unit": "ร้อยละ", "target": "80"}], "โปรดกรอกชื่อตัวชี้วัด"),
        ("pmqa-7-1", [{"name": "ตัวชี้วัด"}], "โปรดกรอกค่าเป้าหมายหรือผลลัพธ์"),
        ("pmqa-7-1", [{"name": "ก", "target": "1", "colour": "แดง"}], "ไม่รู้จัก “colour”"),
        ("pmqa-7-1", [{"name": "ก", "target": "1"}] * 21, "ไม่เกิน 20 ตัวชี้วัด"),
        ("pmqa-7-1", "ไม่ใช่ตาราง", "ต้องเป็นรายการตัวชี้วัด"),
        ("pmqa-1-level", "expert", "ไม่มีตัวเลือก “expert”"),
        ("pmqa-1-level", ["basic", "advance"], "เลือกได้ข้อเดียว"),
        ("profile-staff", "หนึ่งพัน", "ต้องเป็นตัวเลข"),
        ("profile-staff", "1" * 16, "ไม่เกิน 15 หลัก"),
        ("profile-network", "ใช่", "โปรดเลือก ใช่ หรือ ไม่ใช่"),
    ],
)
def test_pmqa_question_kinds_refuse_bad_answers(pmqa_category, code, value, message):
    entry = EntryFactory(category=pmqa_category, answers={})
    with pytest.raises(submission.InvalidAnswers) as refused:
        submission.save_answers(entry, {"profile-1": "ถูกต้อง", code: value}, entry.created_by)
    assert message in refused.value.errors[code]
    entry.refresh_from_db()
    assert entry.answers == {}


def test_a_changed_form_does_not_alter_a_submitted_entry(pmqa_category):
    from tests.awards.entry_helpers import complete

    project = CategoryFactory()
    entry = complete(EntryFactory(category=project))
    entry = submission.submit(entry, entry.created_by)
    v1 = entry.form
    v1.refresh_from_db()
    assert v1.is_locked
    sheet_before = [(row["section"].title, [a["label"] for a in row["answers"]])
                    for row in submission.answer_sheet(entry)]  # fmt: skip

    v2 = entry_forms.new_version(v1)
    assert (v2.version, v2.is_locked) == (2, False)
    summary = v2.questions.get(code="summary")
    summary.label_th = "บทสรุปผู้บริหาร"
    summary.max_length = 100
    summary.save()
    Question.objects.create(
        form=v2, section=summary.section, code="budget", kind=QuestionKind.NUMBER,
        label_th="งบประมาณที่ใช้ (บาท)", required=True,
    )  # fmt: skip

    entry.refresh_from_db()
    assert entry.form_id == v1.pk
    assert [(row["section"].title, [a["label"] for a in row["answers"]])
            for row in submission.answer_sheet(entry)] == sheet_before  # fmt: skip
    assert submission.incomplete_sections(entry) == []
    # A new entry answers the new version: the new question is asked and required.
    official = UserFactory()
    fresh = submission.create_entry(project, official.agency, official)
    assert fresh.form_id == v2.pk
    assert "budget" in [q.code for q in submission.section_by_key(fresh, "basic").question_list]
    with pytest.raises(submission.InvalidAnswers, match="ต้องไม่เกิน 100 ตัวอักษร"):
        submission.save_section(fresh, "basic", {"summary": "ก" * 101}, official)


def test_copy_form_makes_an_independent_form_for_another_category(pmqa_category):
    original = entry_forms.current_form(pmqa_category)
    next_year = CategoryFactory(cycle__year_be=2571)
    copy = entry_forms.copy_form(original, next_year)
    assert (copy.category, copy.version, copy.is_locked) == (next_year, 1, False)
    assert entry_forms.form_as_data(copy) == entry_forms.form_as_data(original)
    copy.questions.filter(code="profile-1").update(label_th="เปลี่ยนแล้ว")
    assert original.questions.get(code="profile-1").label_th == "ลักษณะองค์การ"


def test_a_category_without_a_form_gets_the_project_form():
    category = CategoryFactory()
    official = UserFactory()
    entry = submission.create_entry(category, official.agency, official)
    assert [s.key for s in submission.sections(entry.form)] == [
        "basic", "problem", "solution", "results", "partners", "sdgs", "attachments", "contact",
    ]  # fmt: skip


def test_the_pmqa_pdf_prints_the_form_and_the_answers(pmqa_category, tmp_path):
    entry = EntryFactory(category=pmqa_category, answers={})
    for key, values in pmqa_answers().items():
        entry = submission.save_section(entry, key, values, entry.created_by)
    text = squeeze(pdftotext(build_entry_pdf(entry.pk).content, tmp_path))
    for expected in (
        "ลักษณะสำคัญขององค์การ",
        "หมวด1การนำองค์การ",
        "หมวด7ผลลัพธ์การดำเนินการ",
        "ความพึงพอใจ",  # an indicator row: name, unit, baseline, target, result
        "ร้อยละ808892",
        "ระดับก้าวหน้า(Advance)",
        "20มกราคม2567",  # the certification date, in B.E.
        "1,250",
    ):
        assert expected in text, expected


def test_the_api_returns_answers_with_their_questions(pmqa_category):
    official = UserFactory()
    entry = EntryFactory(category=pmqa_category, agency=official.agency, answers={})
    api = APIClient()
    api.force_authenticate(official)
    url = f"/api/v1/entries/{entry.public_id}/"
    body = {"answers": {"pmqa-7-2": pmqa_answers()["pmqa-7"]["pmqa-7-2"], "profile-staff": 12}}
    response = api.patch(url, body, format="json")
    assert response.status_code == 200, response.json()
    sections = {s["key"]: s for s in response.json()["sections"]}
    assert [s["key"] for s in response.json()["sections"]] == PMQA_SECTIONS
    results = {q["code"]: q for q in sections["pmqa-7"]["questions"]}
    assert results["pmqa-7-2"]["kind"] == "indicators"
    assert results["pmqa-7-2"]["value"][0]["result"] == "92"
    levels = {q["code"]: q for q in sections["pmqa-1"]["questions"]}["pmqa-1-level"]
    assert [o["code"] for o in levels["options"]] == ["basic", "advance", "significance"]
    refused = api.patch(url, {"answers": {"pmqa-1-level": "expert"}}, format="json")
    assert refused.status_code == 400
    assert "pmqa-1-level" in refused.json()["answers"]


def test_the_admin_preview_shows_the_form_as_the_agency_sees_it(client, pmqa_category):
    form = entry_forms.current_form(pmqa_category)
    staff = StaffFactory(is_superuser=True)
    client.force_login(staff)
    page = client.get(f"/admin/awards/entryform/{form.pk}/preview/").content.decode()
    expected = (
        "ลักษณะสำคัญขององค์การ", "หมวด 6 การมุ่งเน้นระบบปฏิบัติการ", "ชื่อผลงาน", "pmqa-7-1-0-name",
        "ระดับพัฒนาอย่างมีนัยสำคัญ", "รายงานผลการดำเนินการฉบับเต็ม",
    )  # fmt: skip
    for text in expected:
        assert text in page, text
    official = UserFactory(is_staff=True)
    client.force_login(official)
    assert client.get(f"/admin/awards/entryform/{form.pk}/preview/").status_code in (302, 403)


def test_a_locked_form_cannot_be_changed_in_the_admin(client, pmqa_category):
    form = entry_forms.current_form(pmqa_category)
    entry_forms.lock(form)
    client.force_login(StaffFactory(is_superuser=True))
    url = f"/admin/awards/entryform/{form.pk}/change/"
    response = client.post(url, {"name": "แก้ชื่อ"})
    assert response.status_code == 403
    form.refresh_from_db()
    assert form.name == "แบบรายงานผลการดำเนินการตามเกณฑ์ PMQA 4.0"
    page = client.get(url).content.decode()
    assert "ล็อกแล้ว" in page
    response = client.post(
        "/admin/awards/entryform/",
        {"action": "make_new_version", "_selected_action": [form.pk]},
    )
    assert response.status_code == 302
    assert entry_forms.current_form(pmqa_category).version == 2


def test_every_pmqa_page_renders_and_the_indicator_table_saves_from_the_web(client, pmqa_category):
    official = UserFactory()
    entry = EntryFactory(category=pmqa_category, agency=official.agency, answers={})
    client.force_login(official)
    for key in PMQA_SECTIONS:
        response = client.get(f"/entries/{entry.public_id}/{key}/")
        assert response.status_code == 200, key
    row = {"pmqa-7-1-0-name": "ตัวชี้วัดยุทธศาสตร์", "pmqa-7-1-0-unit": "ร้อยละ"}
    row |= {"pmqa-7-1-0-baseline": "70", "pmqa-7-1-0-target": "85", "pmqa-7-1-0-result": ""}
    rows = {**row, "pmqa-7-2-0-name": "ความพึงพอใจ", "pmqa-7-2-0-target": "90"}
    rows |= {"pmqa-7-3-0-name": "ความผูกพัน", "pmqa-7-3-0-result": "80", "action": "later"}
    response = client.post(f"/entries/{entry.public_id}/pmqa-7/", rows)
    assert response.status_code == 302
    entry.refresh_from_db()
    assert entry.answers["pmqa-7-1"] == [
        {"name": "ตัวชี้วัดยุทธศาสตร์", "unit": "ร้อยละ", "baseline": "70", "target": "85",
         "result": ""},
    ]  # fmt: skip
    page = client.get(f"/entries/{entry.public_id}/check/").content.decode()
    assert "ตัวชี้วัดยุทธศาสตร์" in page and "หมวด 7 ผลลัพธ์การดำเนินการ" in page


def test_an_entry_added_in_the_admin_answers_its_categorys_form(client, pmqa_category, settings):
    from tests.factories import AdminStaffFactory, AgencyFactory

    settings.ADMIN_REQUIRE_2FA = False
    staff = AdminStaffFactory()
    client.force_login(staff)
    inlines = {f"{name}-{n}": 0 for name in ("attachments", "state_changes")
               for n in ("TOTAL_FORMS", "INITIAL_FORMS")}  # fmt: skip
    data = {"category": pmqa_category.pk, "agency": AgencyFactory().pk, "title": "ผลงานจากแอดมิน"}
    response = client.post("/admin/awards/entry/add/", {**data, **inlines})
    assert response.status_code == 302
    entry = pmqa_category.entries.get()
    assert entry.form == entry_forms.current_form(pmqa_category) and entry.created_by == staff


def test_the_score_sheet_text_follows_the_entrys_form(pmqa_category):
    entry = EntryFactory(category=pmqa_category, answers={})
    for key, values in pmqa_answers().items():
        entry = submission.save_section(entry, key, values, entry.created_by)
    text = dict(submission.entry_text(entry))
    assert text["1.1 การนำองค์การโดยผู้บริหารของส่วนราชการ"] == "หน่วยงานอธิบายแนวทางและผลที่เกิดขึ้นจริง"
    assert text["ระดับการพัฒนาที่หน่วยงานประเมินตนเองในหมวดนี้"] == "ระดับก้าวหน้า (Advance)"
    assert text["7.2 ผลลัพธ์ด้านผู้รับบริการและผู้มีส่วนได้ส่วนเสีย"] == (
        "ตัวชี้วัด ความพึงพอใจของผู้รับบริการ · หน่วยนับ ร้อยละ · ค่าฐาน 80 · ค่าเป้าหมาย 88 · ผลลัพธ์ 92"
    )
    assert text["จำนวนบุคลากรทั้งหมด (คน)"] == "1,250"
    assert "รายงานผลการดำเนินการฉบับเต็ม" not in text  # files are listed on their own
