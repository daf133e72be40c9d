"""A form configured in the admin is what the agency fills in (issue 16), in a real browser:
staff add a section and its questions (a number, yes/no, an indicator table) to a category's
form and preview it (axe-core: no serious or critical finding); an official starts an entry in
that category, sees those questions, has a bad number refused in Thai, fills the indicator
table and submits; the answers are stored as the form's questions say."""

import re

import pytest
from playwright.sync_api import expect

from awards import entry_forms
from awards.models import Attachment, Entry
from tests.awards.entry_helpers import PDF_BYTES
from tests.e2e.checks import screenshot, serious_violations
from tests.factories import PASSWORD, AdminStaffFactory, CategoryFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.ADMIN_REQUIRE_2FA = False


@pytest.fixture
def storage(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path, base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


def new_page(browser, live_server):
    context = browser.new_context(
        locale="th-TH", base_url=live_server.url, viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_form_set_up_in_the_admin_is_what_the_agency_fills_in(
    browser, live_server, storage, tmp_path
):
    AdminStaffFactory(username="secretariat")
    official = UserFactory(username="official")
    category = CategoryFactory(name_th="รางวัลทดลองแบบฟอร์ม")
    # The secretariat starts from a one-section form (the title and one text question).
    form = entry_forms.form_from_data(
        category,
        {
            "name": "แบบฟอร์มทดลอง",
            "sections": [
                {
                    "key": "basic",
                    "title_th": "ข้อมูลพื้นฐาน",
                    "questions": [
                        {
                            "code": "summary",
                            "kind": "long_text",
                            "label_th": "สรุปผลงาน",
                            "max_length": 500,
                        },
                        {
                            "code": "evidence",
                            "kind": "attachments",
                            "label_th": "หลักฐาน",
                            "file_types": "pdf",
                            "max_files": 1,
                        },
                    ],
                }
            ],
        },  # fmt: skip
    )

    # --- Staff add a section, then its questions, in the admin.
    admin = new_page(browser, live_server)
    admin.goto("/admin/login/?next=/admin/")
    admin.fill("#id_username", "secretariat")
    admin.fill("#id_password", PASSWORD)
    admin.click("input[type=submit]")
    admin.wait_for_url("**/admin/")
    admin.goto(f"/admin/awards/entryform/{form.pk}/change/")
    admin.fill("[name=sections-1-order]", "2")
    admin.fill("[name=sections-1-key]", "outcomes")
    admin.fill("[name=sections-1-title_th]", "ผลลัพธ์ที่วัดได้")
    admin.fill("[name=sections-1-help_th]", "ตัวเลขที่ตรวจสอบได้ย้อนหลังอย่างน้อย 2 ปี")
    admin.click("input[name=_continue]")
    expect(admin.locator(".messagelist")).to_be_visible()
    questions = [
        ("people", "number", "จำนวนผู้รับบริการต่อปี (คน)"),
        ("online", "yes_no", "ให้บริการออนไลน์ได้ครบทุกขั้นตอนหรือไม่"),
        ("kpis", "indicators", "ตัวชี้วัดผลลัพธ์"),
    ]
    for order, (code, kind, label) in enumerate(questions, start=1):
        row = f"questions-{order + 1}"  # rows 0 and 1 are the form's first questions
        section = admin.locator(f"[name={row}-section]")
        section.select_option(label="2. ผลลัพธ์ที่วัดได้")
        admin.fill(f"[name={row}-order]", str(order))
        admin.fill(f"[name={row}-code]", code)
        admin.select_option(f"[name={row}-kind]", kind)
        admin.fill(f"[name={row}-label_th]", label)
        admin.click("input[name=_continue]")
        expect(admin.locator(".messagelist")).to_be_visible()
        expect(admin.locator(".errornote")).to_have_count(0)
    assert list(form.questions.values_list("code", flat=True)) == [
        "summary", "evidence", "people", "online", "kpis",
    ]  # fmt: skip

    # The preview: what the agency will see, accessible.
    admin.goto(f"/admin/awards/entryform/{form.pk}/preview/")
    expect(admin.get_by_role("heading", name="2. ผลลัพธ์ที่วัดได้")).to_be_visible()
    expect(admin.get_by_text("จำนวนผู้รับบริการต่อปี (คน)")).to_be_visible()
    assert serious_violations(admin) == []
    screenshot(admin, "issue16-form-preview", full_page=True)

    # --- The official fills in exactly that form.
    page = new_page(browser, live_server)
    page.goto("/accounts/login/?next=/entries/")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(official.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.get_by_role("link", name="สมัครผลงานใหม่").click()
    page.get_by_role("radio", name=re.compile("รางวัลทดลองแบบฟอร์ม")).check()
    page.get_by_role("button", name=re.compile("เริ่ม")).click()
    expect(page.locator(".task")).to_have_count(2)
    expect(page.locator("#status-outcomes")).to_have_text("ยังไม่เริ่ม")

    page.get_by_role("link", name="ข้อมูลพื้นฐาน").click()
    page.get_by_label("ชื่อผลงาน").fill("บริการออนไลน์ครบวงจร")
    page.get_by_label(re.compile("^สรุปผลงาน")).fill("ประชาชนยื่นคำขอได้จากบ้าน")
    page.get_by_role("link", name=re.compile("แนบหรือลบไฟล์")).click()
    document = tmp_path / "หลักฐาน.pdf"
    document.write_bytes(PDF_BYTES)
    page.get_by_label("เลือกไฟล์").set_input_files(str(document))
    page.get_by_role("button", name="อัปโหลดไฟล์").click()
    expect(page.locator(".messages")).to_contain_text("แนบไฟล์")
    page.get_by_role("link", name=re.compile("กลับไปที่")).click()
    page.get_by_label("ชื่อผลงาน").fill("บริการออนไลน์ครบวงจร")
    page.get_by_label(re.compile("^สรุปผลงาน")).fill("ประชาชนยื่นคำขอได้จากบ้าน")
    page.get_by_role("button", name="บันทึกและดำเนินการต่อ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("ผลลัพธ์ที่วัดได้")
    expect(page.get_by_text("ตัวเลขที่ตรวจสอบได้ย้อนหลังอย่างน้อย 2 ปี")).to_be_visible()
    page.get_by_label(re.compile("^จำนวนผู้รับบริการต่อปี")).fill("หลายพัน")
    page.get_by_label("ใช่", exact=True).check()
    page.get_by_label("แถวที่ 1 ตัวชี้วัด").fill("ระยะเวลารอคอยเฉลี่ย")
    page.get_by_label("แถวที่ 1 หน่วยนับ").fill("นาที")
    page.get_by_label("แถวที่ 1 ค่าฐาน").fill("45")
    page.get_by_label("แถวที่ 1 ค่าเป้าหมาย").fill("15")
    page.get_by_label("แถวที่ 1 ผลลัพธ์").fill("12")
    page.get_by_role("button", name="บันทึกและดำเนินการต่อ").click()
    # Refused by the server, in Thai, next to the question; nothing of the section saved.
    expect(page.locator(".error-summary")).to_contain_text("ต้องเป็นตัวเลข")
    entry = Entry.objects.get()
    assert "kpis" not in entry.answers
    expect(page.get_by_label("แถวที่ 1 ตัวชี้วัด")).to_have_value("ระยะเวลารอคอยเฉลี่ย")
    page.get_by_label(re.compile("^จำนวนผู้รับบริการต่อปี")).fill("4,800")
    page.get_by_role("button", name="บันทึกและดำเนินการต่อ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("ตรวจสอบคำตอบก่อนส่ง")
    expect(page.locator("body")).to_contain_text("4,800")
    expect(page.locator("body")).to_contain_text("ระยะเวลารอคอยเฉลี่ย")
    assert serious_violations(page) == []
    page.get_by_role("button", name="ยืนยันและส่งผลงาน").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ส่งผลงานเรียบร้อยแล้ว")

    entry.refresh_from_db()
    assert entry.state == "submitted" and entry.form == form
    assert entry.answers == {
        "summary": "ประชาชนยื่นคำขอได้จากบ้าน",
        "people": "4800",
        "online": True,
        "kpis": [
            {"name": "ระยะเวลารอคอยเฉลี่ย", "unit": "นาที", "baseline": "45", "target": "15",
             "result": "12"},
        ],
    }  # fmt: skip
    form.refresh_from_db()
    assert form.is_locked
