"""The public site on a phone (390 px: the results come first, the filters open from a button)
and on a desktop (1280 px: the header leads to every public section), with no serious or
critical axe-core violation on the pages visited."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.checks import screenshot, serious_violations
from tests.factories import AgencyFactory, CaseStudyFactory, LessonFactory, province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def public_cases():
    agency = AgencyFactory(name_th="สถาบันวิจัยและพัฒนาพื้นที่สูง", abbreviation="สวพส.")
    cases = [
        CaseStudyFactory(
            title=f"ป่าชุมชนสร้างรายได้บนพื้นที่สูง ระยะที่ {n}",
            summary="ชาวบ้านร่วมกันกำหนดแนวเขตป่าและที่ทำกินด้วยตนเอง",
            agency=agency,
            year_be=2567 - n % 3,
            award_level=["honour", "outstanding", "good"][n % 3],
            provinces=[province("TH-50" if n % 2 else "TH-10")],
        )
        for n in range(1, 9)
    ]
    LessonFactory(case_study=cases[0], title="ถอดบทเรียนการจัดการป่าชุมชนโดยคนในพื้นที่")
    return cases


def browse(browser, live_server, viewport):
    context = browser.new_context(locale="th-TH", base_url=live_server.url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def test_on_a_phone_results_come_first_and_filters_open_from_a_button(
    browser, live_server, public_cases
):
    context, page = browse(browser, live_server, PHONE)
    page.goto("/")
    # The header's links fold behind the menu button.
    menu = page.get_by_role("button", name="เมนู")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("link", name="ข้อมูลเปิด", exact=True)).to_be_hidden()
    assert serious_violations(page) == []
    screenshot(page, "issue19-phone-home")

    page.get_by_label("ค้นหาผลงานต้นแบบ").fill("ป่าชุมชน")
    page.get_by_role("button", name="ค้นหา").click()
    results = page.locator("ol.results > li")
    expect(results).to_have_count(8)
    # The first result is on the first screen, without scrolling.
    first = results.first.bounding_box()
    assert page.evaluate("window.scrollY") == 0
    assert first["y"] + 40 < PHONE["height"], first
    filters = page.locator("details.filters")
    expect(filters).not_to_have_attribute("open", "")
    expect(page.locator("#facet-province")).to_be_hidden()
    assert serious_violations(page) == []
    screenshot(page, "issue19-phone-search")

    page.get_by_text("ตัวกรองและการเรียงลำดับ").click()
    expect(page.locator("#facet-province")).to_be_visible()
    page.locator("#facet-province").get_by_label("เชียงใหม่").check()
    expect(page).to_have_url(re.compile("province=TH-50"))
    expect(results).to_have_count(4)
    expect(page.locator("#facet-province input:checked")).to_have_count(1)
    assert serious_violations(page) == []

    # The menu opens, and leads on.
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    page.get_by_role("link", name="บทเรียน (ถอดบทเรียน)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("บทเรียน (ถอดบทเรียน)")

    page.goto(public_cases[0].get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(public_cases[0].title)
    assert serious_violations(page) == []
    screenshot(page, "issue19-phone-case")
    context.close()


def test_without_javascript_a_phone_still_gets_results_first_and_every_link(
    browser, live_server, public_cases
):
    context = browser.new_context(
        java_script_enabled=False, base_url=live_server.url, viewport=PHONE
    )
    page = context.new_page()
    page.goto("/cases/?q=ป่าชุมชน")
    expect(page.get_by_role("link", name="ข้อมูลเปิด", exact=True)).to_be_visible()
    assert page.locator("ol.results > li").first.bounding_box()["y"] < PHONE["height"]
    page.locator("details.filters > summary").click()  # native: no script needed
    page.locator("#facet-province").get_by_label("เชียงใหม่").check()
    page.get_by_role("button", name="ใช้ตัวกรอง").click()
    expect(page.locator("ol.results > li")).to_have_count(4)
    context.close()


def test_on_a_desktop_the_header_leads_to_every_public_section(browser, live_server, public_cases):
    context, page = browse(browser, live_server, DESKTOP)
    page.goto("/")
    expect(page.get_by_role("button", name="เมนู")).to_be_hidden()
    # GOV.UK spacing: the heading keeps at least 20 px off the header bar.
    header = page.locator(".site-header").bounding_box()
    heading = page.get_by_role("heading", level=1).bounding_box()
    assert heading["y"] - (header["y"] + header["height"]) >= 20
    assert serious_violations(page) == []
    screenshot(page, "issue19-desktop-home")
    nav = page.get_by_role("navigation", name="เมนูหลัก")

    nav.get_by_role("link", name="ผลงานต้นแบบ").click()
    expect(page).to_have_url(re.compile("/cases/$"))
    expect(nav.get_by_role("link", name="ผลงานต้นแบบ")).to_have_attribute("aria-current", "page")
    # Beside the results on a wide screen: open without a click.
    expect(page.locator("#facet-year")).to_be_visible()
    page.get_by_label("คำค้น").fill("ป่าชุมชน")
    page.get_by_role("button", name="ค้นหา").click()
    expect(page.locator("ol.results > li")).to_have_count(8)
    assert serious_violations(page) == []
    screenshot(page, "issue19-desktop-search")

    nav.get_by_role("link", name="บทเรียน (ถอดบทเรียน)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("บทเรียน (ถอดบทเรียน)")
    nav.get_by_role("link", name="ผลรางวัลรายปี").click()
    expect(page).to_have_url(re.compile("/results/$"))
    assert serious_violations(page) == []
    page.get_by_role("link", name="2567").first.click()
    expect(page).to_have_url(re.compile("/results/2567/$"))
    assert serious_violations(page) == []
    nav.get_by_role("link", name="ข้อมูลเปิด").click()
    expect(page).to_have_url(re.compile("/opendata/$"))
    nav.get_by_role("link", name="API").click()
    expect(page).to_have_url(re.compile("/api/docs/$"))

    page.goto(public_cases[0].get_absolute_url())
    assert serious_violations(page) == []
    screenshot(page, "issue19-desktop-case")
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("navigation", name="Main menu")).to_be_visible()
    context.close()


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_an_agency_page_pages_through_its_work(browser, live_server, public_cases, viewport):
    agency = public_cases[0].agency
    for n in range(14):  # 22 in all: two pages of 20
        CaseStudyFactory(agency=agency, title=f"ผลงานเพิ่มเติมของสถาบัน ลำดับ {n}", year_be=2560)
    context, page = browse(browser, live_server, viewport)
    page.goto(f"/agencies/{agency.pk}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("สถาบันวิจัยและพัฒนาพื้นที่สูง")
    expect(page.locator("article.card")).to_have_count(20)
    pager = page.get_by_role("navigation", name="หน้าผลลัพธ์")
    expect(pager).to_contain_text("หน้า 1 จาก 2")
    # Nothing wider than the screen, the pager included.
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    assert serious_violations(page) == []
    screenshot(page, f"agency-{'phone' if viewport is PHONE else 'desktop'}", full_page=True)
    pager.get_by_role("link", name="ถัดไป").click()
    expect(page).to_have_url(re.compile(r"\?page=2$"))
    expect(page.locator("article.card")).to_have_count(2)
    assert serious_violations(page) == []
    context.close()
