"""A visitor searches in Thai, narrows by province and year, opens a case study and its
lessons learned."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import CaseStudyFactory, LessonFactory, province

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def forest_cases():
    # Saved and committed: the post-commit indexing task runs in-process (eager).
    chiang_mai = CaseStudyFactory(
        title="ป่าชุมชนสร้างรายได้บนพื้นที่สูง",
        summary="ชาวบ้านร่วมกันกำหนดแนวเขตป่าและที่ทำกินด้วยตนเอง",
        year_be=2567,
        award_level="outstanding",
        provinces=[province("TH-50")],
    )
    CaseStudyFactory(
        title="ฟื้นฟูป่าต้นน้ำด้วยฝายชะลอน้ำ",
        summary="อาสาสมัครสร้างฝายและปลูกป่าบนดอย",
        year_be=2566,
        provinces=[province("TH-50")],
    )
    CaseStudyFactory(
        title="ป่าในเมืองเพื่อสุขภาพของคนกรุง",
        summary="สวนป่าในเขตเมืองเป็นพื้นที่ออกกำลังกาย",
        year_be=2567,
        provinces=[province("TH-10")],
    )
    CaseStudyFactory(title="ลดเวลารอคอยในโรงพยาบาล", summary="นัดหมายล่วงหน้า", year_be=2567)
    LessonFactory(
        case_study=chiang_mai,
        title="ถอดบทเรียนการจัดการป่าชุมชนโดยคนในพื้นที่",
        success_factors="ผู้นำชุมชนเข้มแข็งและข้อมูลแผนที่ที่ทุกคนเห็นตรงกัน",
    )
    return chiang_mai


def test_visitor_searches_narrows_and_reads_lessons(page, forest_cases):
    page.goto("/")
    page.get_by_label("ค้นหาผลงานต้นแบบ").fill("ป่า")
    page.get_by_role("button", name="ค้นหา").click()

    results = page.locator("ol.results > li")
    expect(results).to_have_count(3)
    expect(page.locator("ol.results mark").first).to_have_text("ป่า")
    expect(page.get_by_text("ลดเวลารอคอยในโรงพยาบาล")).to_have_count(0)

    page.locator("#facet-province").get_by_label("เชียงใหม่").check()
    expect(results).to_have_count(2)
    expect(page).to_have_url(re.compile("province=TH-50"))
    expect(page.locator("#facet-province input:checked")).to_have_count(1)
    page.locator("#facet-year").get_by_label("2567").check()
    expect(page).to_have_url(re.compile("year=2567"))
    expect(results).to_have_count(1)
    assert "province=TH-50" in page.url and "year=2567" in page.url

    page.get_by_role("link", name=forest_cases.title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(forest_cases.title)
    page.get_by_role("link", name="ถอดบทเรียนการจัดการป่าชุมชนโดยคนในพื้นที่").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ถอดบทเรียนการจัดการป่าชุมชนโดยคนในพื้นที่")
    expect(page.get_by_text("ผู้นำชุมชนเข้มแข็ง")).to_be_visible()


def test_search_without_javascript_still_filters(browser, live_server, forest_cases):
    context = browser.new_context(java_script_enabled=False, base_url=live_server.url)
    page = context.new_page()
    page.goto("/cases/?q=ป่า&province=TH-50&year=2567")
    expect(page.locator("ol.results > li")).to_have_count(1)
    context.close()
