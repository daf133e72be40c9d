"""An official of another agency finds a model project, signs in from its page, records that
the agency adopted it (a mistake first), and sees the province marked on the map — in a real
browser, checked by axe-core."""

import pytest
from playwright.sync_api import expect

from cases.models import Adoption
from tests.e2e.checks import screenshot, serious_violations
from tests.factories import PASSWORD, AgencyFactory, CaseStudyFactory, UserFactory, province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_official_records_an_adoption_and_sees_it_on_the_map(page):
    model = CaseStudyFactory(title="ธนาคารขยะชุมชนต้นแบบ", provinces=[province("TH-50")])
    official = UserFactory(agency=AgencyFactory(name_th="เทศบาลตำบลทดลองขยายผล"))

    page.goto(model.get_absolute_url())
    expect(page.get_by_text("ยังไม่มีหน่วยงานบันทึกการนำผลงานนี้ไปขยายผล")).to_be_visible()
    page.get_by_role("link", name="หน่วยงานของคุณนำผลงานนี้ไปใช้? บันทึกการนำไปขยายผล").click()
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(official.username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("บันทึกการนำไปขยายผล")
    assert serious_violations(page) == []

    page.get_by_label("ปีที่เริ่มนำไปใช้ (พ.ศ.)").fill("68")
    page.get_by_label("จังหวัดที่นำไปใช้").select_option(label="เชียงราย")
    page.get_by_label("สรุปสั้น ๆ").fill("ตั้งธนาคารขยะครบทุกหมู่บ้าน")
    page.get_by_role("button", name="บันทึก").click()
    summary = page.locator(".error-summary")
    expect(summary).to_contain_text("ปี พ.ศ. ต้องอยู่ระหว่าง 2540 ถึง")
    assert not Adoption.objects.exists()
    assert serious_violations(page) == []

    page.get_by_label("ปีที่เริ่มนำไปใช้ (พ.ศ.)").fill("2568")
    page.get_by_role("button", name="บันทึก").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(model.title)
    expect(page.get_by_text("บันทึกการนำไปขยายผลแล้ว")).to_be_visible()
    spread = page.locator("#spread")
    expect(spread.get_by_role("img")).to_be_visible()
    expect(spread.locator("path.spread-yes")).to_have_count(1)
    expect(spread.locator("path.spread-yes title")).to_have_text("เชียงราย: ขยายผล 1 ครั้ง")
    row = spread.locator("tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("เชียงราย")
    expect(row).to_contain_text("เทศบาลตำบลทดลองขยายผล")
    assert serious_violations(page) == []
    spread.scroll_into_view_if_needed()
    screenshot(page, "case-spread")
