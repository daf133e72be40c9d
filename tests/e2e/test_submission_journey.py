"""An official writes an entry over two visits in a real browser, at phone width, partly by
keyboard: a validation error fixed, a PDF attached, answers checked, submitted; the reference
number and the e-mail arrive; the entry can no longer be edited."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from awards.models import Attachment, Entry
from tests.awards.entry_helpers import PDF_BYTES, sdgs
from tests.factories import PASSWORD, AgencyFactory, CategoryFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 740}


@pytest.fixture
def storage(tmp_path, monkeypatch):
    from django.core.files.storage import FileSystemStorage

    storage = FileSystemStorage(location=tmp_path, base_url=None)
    monkeypatch.setattr(Attachment._meta.get_field("file"), "storage", storage)
    return storage


def sign_in(page, username):
    page.goto("/accounts/login/?next=/entries/")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ผลงานของหน่วยงาน")


def open_menu(page):
    """On a phone the header's links fold behind the menu button: site.js (deferred) folds
    them once the page is parsed, so the page must be that far before asking."""
    page.wait_for_load_state("domcontentloaded")
    menu = page.get_by_role("button", name="เมนู")
    if menu.is_visible():
        menu.click()


def sign_out(page):
    open_menu(page)
    page.get_by_role("button", name="ออกจากระบบ").click()
    # Signing out ends the session server-side first: slow on a loaded machine.
    page.wait_for_url("/", wait_until="domcontentloaded", timeout=20_000)
    # Folded again on the home page: a hidden link is not a link a reader can find (the check
    # once passed only while site.js had not yet folded them, and failed in CI when it had).
    open_menu(page)
    expect(page.get_by_role("link", name="เข้าสู่ระบบ")).to_be_visible()


def continue_(page):
    page.get_by_role("button", name="บันทึกและดำเนินการต่อ").click()


def fits_the_phone(page):
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_an_official_writes_and_submits_an_entry(page, storage, tmp_path):
    agency = AgencyFactory(name_th="สถาบันวิจัยและพัฒนาพื้นที่สูง (องค์การมหาชน)", abbreviation="สวพส.")
    official = UserFactory(username="official", agency=agency, email="official@hrdi.or.th")
    category = CategoryFactory(name_th="นวัตกรรมการบริการ")
    sdgs(2, 15)
    problems = []
    # Nothing refused by the Content Security Policy, no script error, no broken resource.
    page.on("console", lambda m: problems.append(m.text) if "Refused" in m.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda r: problems.append(r.url)
        if r.status >= 400 and not r.url.endswith("/favicon.ico")
        else None,
    )
    page.set_viewport_size(PHONE)

    # --- First visit: start, a mistake, fixed, then "come back later".
    sign_in(page, "official")
    assert fits_the_phone(page)
    page.get_by_role("link", name="สมัครผลงานใหม่").click()
    # By keyboard: pick the category and start.
    radio = page.get_by_role("radio", name=re.compile("นวัตกรรมการบริการ"))
    radio.focus()
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("สมัครผลงาน")
    expect(page.locator(".task")).to_have_count(8)
    assert fits_the_phone(page)
    page.get_by_role("link", name="ข้อมูลพื้นฐานของผลงาน").click()
    title = page.get_by_label("ชื่อผลงาน")
    title.fill("ระบบติดตามแปลงเกษตรบนพื้นที่สูงด้วยภาพถ่ายดาวเทียม <script>")
    summary = page.get_by_label(re.compile("^สรุปผลงานโดยย่อ"))
    summary.fill("สรุป")
    expect(page.locator("#id_summary-count")).to_have_text("เหลืออีก 1,496 ตัวอักษร")
    summary.fill("")
    continue_(page)
    # The error: in the summary at the top (focused) and next to the field; typing kept.
    error_summary = page.locator(".error-summary")
    expect(error_summary).to_be_focused()
    expect(error_summary).to_contain_text("โปรดกรอกสรุปผลงานโดยย่อ")
    expect(page.locator("#id_summary-error")).to_contain_text("โปรดกรอกสรุปผลงานโดยย่อ")
    expect(title).to_have_value(re.compile("ภาพถ่ายดาวเทียม <script>$"))
    error_summary.get_by_role("link").click()
    expect(summary).to_be_focused()
    page.keyboard.type("ชุมชนบนพื้นที่สูงติดตามแปลงเกษตรได้เองผ่านภาพถ่ายดาวเทียม")
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("สภาพปัญหาและความเป็นมา")
    page.get_by_label(re.compile("^สภาพปัญหาและความเป็นมา")).fill("เกษตรกรบนดอยไม่มีข้อมูลแปลงที่ทันสมัย")
    page.get_by_role("button", name="บันทึกไว้ก่อน กลับมาทำต่อภายหลัง").click()
    expect(page.locator(".messages")).to_contain_text("บันทึกแล้ว")
    sign_out(page)

    # --- Second visit: the work is still there; finish every section.
    sign_in(page, "official")
    page.get_by_role("link", name=re.compile("ระบบติดตามแปลงเกษตร")).click()
    expect(page.locator("#status-basic")).to_have_text("เสร็จแล้ว")
    expect(page.locator("#status-problem")).to_have_text("เสร็จแล้ว")
    expect(page.locator("#status-solution")).to_have_text("ยังไม่เริ่ม")
    page.get_by_role("link", name="แนวทางและการดำเนินการ").click()
    page.get_by_label(re.compile("^แนวทางและการดำเนินการ")).fill("ใช้ภาพถ่ายดาวเทียมร่วมกับชุมชน")
    page.get_by_label("วันที่").fill("1")
    page.get_by_label("เดือน").fill("6")
    page.get_by_label("ปี พ.ศ.").fill("2566")
    continue_(page)
    page.get_by_label(re.compile("^ผลลัพธ์และผลสัมฤทธิ์")).fill("ผลผลิตเพิ่มขึ้นร้อยละ 20")
    page.get_by_label(re.compile("^ตัวชี้วัดและค่าเป้าหมาย")).fill("ร้อยละของแปลงที่ติดตามได้")
    continue_(page)
    page.get_by_label(re.compile("^ภาคีเครือข่าย")).fill("ชุมชน อบต. และมหาวิทยาลัย")
    continue_(page)
    page.get_by_label(re.compile("SDG 2:")).check()
    page.get_by_label(re.compile("SDG 15:")).check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("เอกสารแนบ")
    document = tmp_path / "รายงานผลการดำเนินงาน.pdf"
    document.write_bytes(PDF_BYTES)
    page.get_by_label("เลือกไฟล์").set_input_files(str(document))
    page.get_by_role("button", name="อัปโหลดไฟล์").click()
    expect(page.locator(".messages")).to_contain_text("แนบไฟล์")
    expect(page.get_by_role("link", name="รายงานผลการดำเนินงาน.pdf")).to_be_visible()
    page.get_by_role("link", name="ดำเนินการต่อ").click()
    page.get_by_label("ชื่อผู้ประสานงาน").fill("สมศรี ใจดี")
    page.get_by_label("อีเมลผู้ประสานงาน").fill("contact@hrdi.or.th")
    page.get_by_label("โทรศัพท์ผู้ประสานงาน").fill("053 328 496")
    continue_(page)

    # --- Check your answers, change one, submit.
    expect(page.get_by_role("heading", level=1)).to_have_text("ตรวจสอบคำตอบก่อนส่ง")
    expect(page.locator("body")).to_contain_text("1 มิถุนายน 2566")
    expect(page.locator("body")).to_contain_text("ภาพถ่ายดาวเทียม <script>")  # shown as text
    assert fits_the_phone(page)
    page.get_by_role("link", name="แก้ไข ภาคีเครือข่ายและผู้มีส่วนได้ส่วนเสีย").click()
    page.get_by_label(re.compile("^ภาคีเครือข่าย")).fill("ชุมชน อบต. มหาวิทยาลัย และภาคเอกชน")
    page.get_by_role("button", name="บันทึกและกลับไปหน้าตรวจสอบ").click()
    expect(page.locator("body")).to_contain_text("และภาคเอกชน")
    page.get_by_role("button", name="ยืนยันและส่งผลงาน").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("ส่งผลงานเรียบร้อยแล้ว")
    expect(page.locator(".reference")).to_have_text("LR-2570-000001")
    assert fits_the_phone(page)
    entry = Entry.objects.get()
    assert (entry.state, entry.reference, entry.agency, entry.category) == (
        "submitted",
        "LR-2570-000001",
        agency,
        category,
    )
    assert entry.submitted_by == official and entry.attachments.count() == 1
    assert all("LR-2570-000001" in message.subject for message in mail.outbox)
    assert sorted(m.to[0] for m in mail.outbox) == ["contact@hrdi.or.th", "official@hrdi.or.th"]

    # --- Try to edit: refused.
    page.goto(f"/entries/{entry.public_id}/basic/")
    expect(page.locator(".messages")).to_contain_text("แก้ไขไม่ได้")
    expect(page.get_by_role("heading", level=1)).to_contain_text("ระบบติดตามแปลงเกษตร")
    expect(page.get_by_role("link", name="ถอนใบสมัคร")).to_be_visible()
    assert problems == []
