"""Every journey on a 390 px phone (issue 19), on the demo data that docs/screenshots/ shows: the
public pages, an official writing an entry, an assessor scoring in the admin and the
secretariat's screens fit the screen (nothing to scroll sideways, nothing cut off), keep Thai
names and "พ.ศ. 2567" whole, give a thumb boxes it can hit, and have no serious or critical
axe-core violation. Each check failed before the layout was fixed."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from cases.models import Adoption
from portal.accounts.demo import DEMO_PASSWORD
from tests.e2e.checks import screenshot, serious_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def demo():
    call_command("seed_demo", allow_production=True, verbosity=0)


@pytest.fixture
def phone(browser, live_server):
    context = browser.new_context(locale="th-TH", base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def fits_the_phone(page, name: str) -> None:
    """No sideways scrolling, and nothing axe-core calls serious."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width} px wide"
    assert serious_violations(page) == []
    screenshot(page, f"issue19-{name}", full_page=True)


def lines(locator) -> float:
    """How many lines of its own text an element takes."""
    return locator.evaluate(
        "e => e.getBoundingClientRect().height / parseFloat(getComputedStyle(e).lineHeight)"
    )


def under(upper, lower) -> bool:
    """Two cells of one table row, one under the other (the row shown as a card)."""
    a, b = upper.bounding_box(), lower.bounding_box()
    return b["y"] >= a["y"] + a["height"] - 1 and abs(a["x"] - b["x"]) < 2


def sign_in_to_admin(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert "/login/" not in page.url


def test_the_public_pages_on_a_phone(phone, demo):
    page = phone
    page.goto("/")
    # The counts two abreast, not a ragged column pushing the latest winners off the screen.
    first, second = page.locator(".stats li").nth(0), page.locator(".stats li").nth(1)
    assert first.bounding_box()["y"] == second.bounding_box()["y"]
    fits_the_phone(page, "phone-home")

    page.goto("/cases/?q=ผู้สูงอายุ")
    # "พ.ศ. 2567" and a branch's name (สาขาบริการภาครัฐ, not สาขาบริการภาค | รัฐ) each on one line.
    card = page.locator("ol.results > li").first
    for part in card.locator(".meta .keep").all():
        assert lines(part) <= 1.1, part.inner_text()
    page.get_by_text("ตัวกรองและการเรียงลำดับ").click()
    box = page.locator("#facet-year input").first.bounding_box()
    assert box["width"] >= 20 and box["height"] >= 20  # the browser's own box is 13 px
    fits_the_phone(page, "phone-search-filters")

    page.goto(Adoption.objects.first().case_study.get_absolute_url())
    spread = page.locator("table.spread-table")
    # The caption reads as a line, the row as a card (four columns squeezed "ปี / พ.ศ." before).
    assert lines(spread.locator("caption")) <= 2.1
    row = spread.locator("tbody tr").first
    assert under(row.locator("td").nth(0), row.locator("td").nth(1))
    fits_the_phone(page, "phone-case")

    page.goto("/results/2567/")
    row = page.locator("table.cycle-results tbody tr").first
    assert under(row.locator("td").nth(0), row.locator("td").nth(1))
    expect(row.locator("td").nth(1)).to_have_attribute("data-label", "หน่วยงาน")
    fits_the_phone(page, "phone-results-year")

    page.goto("/lessons/")
    fits_the_phone(page, "phone-lessons")


def test_an_official_writes_an_entry_on_a_phone(phone, demo):
    page = phone
    page.goto("/accounts/login/?next=/entries/")
    # "ลืมรหัสผ่าน" stands apart from the button, not glued under it.
    button = page.get_by_role("button", name="เข้าสู่ระบบ").bounding_box()
    reset = page.get_by_role("link", name="ลืมรหัสผ่าน").bounding_box()
    assert reset["y"] >= button["y"] + button["height"] + 10
    fits_the_phone(page, "phone-sign-in")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill("official")
    page.get_by_label("รหัสผ่าน").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("ผลงานของหน่วยงาน")
    fits_the_phone(page, "phone-entries")

    page.locator("tr", has=page.locator(".tag--draft")).locator("a").first.click()
    expect(page.locator(".task-list")).to_be_visible()
    year = page.locator(".caption .keep")  # the cycle's "พ.ศ. 2570", not "พ.ศ." | "2570"
    assert lines(year) <= 1.1
    fits_the_phone(page, "phone-task-list")
    task_list = page.url
    page.locator(".task-list a").nth(2).click()
    fits_the_phone(page, "phone-section")
    page.goto(task_list)
    page.get_by_role("link", name="ตรวจสอบคำตอบก่อนส่ง").click()
    fits_the_phone(page, "phone-check-answers")


def test_an_assessor_scores_on_a_phone(phone, demo):
    page = phone
    sign_in_to_admin(page, "assessor")
    page.goto("/admin/my-work/")
    # A sheet's row is a card: its category under its title, named (four squeezed columns before).
    row = page.locator("#drafts tbody tr").first
    assert under(row.locator("td").nth(0), row.locator("td").nth(1))
    assert lines(row.locator(".awards-reference")) <= 1.1  # LR-2569-000004 whole
    fits_the_phone(page, "phone-my-work")

    row.locator("a").click()
    # The score sheet was 484 px wide: the entry's text cut off, the score boxes off the screen.
    scores = page.locator("input[name$='-value']")
    expect(scores).to_have_count(5)
    for index in range(5):
        for field in ("value", "comment"):
            box = page.locator(f"#id_scores-{index}-{field}")
            expect(page.locator(f"label[for='id_scores-{index}-{field}']")).to_be_visible()
            assert box.bounding_box()["x"] + box.bounding_box()["width"] <= PHONE["width"]
    fits_the_phone(page, "phone-score-sheet")


def test_the_secretariat_works_on_a_phone(phone, demo):
    page = phone
    sign_in_to_admin(page, "staff")
    page.goto("/admin/awards/entry/")
    reference = page.locator("#result_list .field-reference a").first
    assert lines(reference) <= 1.1  # not LR- | 2567- | 000003
    assert serious_violations(page) == []

    page.goto("/admin/site-visit-calendar/")  # 489 px wide before
    row = page.locator("table.awards-calendar tbody tr").first
    assert under(row.locator("td").nth(1), row.locator("td").nth(2))
    fits_the_phone(page, "phone-site-visit-calendar")

    page.goto("/admin/awards/entry/ranking/")  # 510 px wide before
    category = page.locator("#id_category option", has_text="2569 · สาขาบริการภาครัฐ").first
    page.select_option("#id_category", category.get_attribute("value"))
    page.click(".awards-ranking-filter input[type=submit]")
    # Eleven columns compared down the rows scroll in their own box, which a keyboard reaches.
    region = page.get_by_role("region", name="ลำดับคะแนนรายประเภท")
    expect(region.locator("#ranking tbody tr")).to_have_count(3)
    assert region.get_attribute("tabindex") == "0"
    fits_the_phone(page, "phone-ranking")

    page.goto("/admin/awards/letter/add/")
    page.fill("#id_title", "แจ้งผู้ผ่านเข้ารอบ")
    cycle = page.locator("#id_cycle option", has_text="2569").first
    page.select_option("#id_cycle", cycle.get_attribute("value"))
    page.select_option("#id_state", "shortlisted")
    page.click("input[name=_continue]")
    # Each recipient's letter as they will read it: long lines wrap, none is cut off.
    preview = page.locator("pre.preview").first
    expect(preview).to_contain_text("ติดตามผลงานของท่าน")
    assert preview.evaluate("e => e.scrollWidth <= e.clientWidth")
    fits_the_phone(page, "phone-letter")
