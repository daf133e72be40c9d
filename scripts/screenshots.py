"""Screenshots of the portal for docs/screenshots/ (issue 19): the public pages on a phone
(390×844) and a desktop (1280×800), and every signed-in journey on a phone — an official
writing an entry, an assessor scoring in the admin, the secretariat's screens.

    make screenshots                 # migrates, loads the demo data, serves it, shoots, stops
    .venv/bin/python scripts/screenshots.py --base-url http://127.0.0.1:8000   # a running
                                     # `make run` (DEBUG=1, demo data: the demo users' password)

Drives Debian's Chromium (/usr/bin/chromium) with Playwright; never downloads a browser. Pages
are found by following links from the demo data, not by ids, so a fresh `seed_demo` works.
Every picture is one 390 or 1280 px wide screen (the case page also once in full; --full-pages
for all), saved with a reduced palette so the PNGs stay small. Each page's width is checked on
the way: a page wider than the screen is reported, and the run exits non-zero. The demo seeds
no letter to agencies: the first run adds one (LETTER) to show its preview.
"""

import argparse
import os
import socket
import subprocess
import sys
import time
import urllib.request
from contextlib import contextmanager, nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "lertrat-demo-2569"  # every demo user's (portal/accounts/demo.py, README)
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
SEARCH_WORD = "ผู้สูงอายุ"  # found in the demo's case studies
RESULTS_YEAR = 2567  # the demo's announced cycle
LETTER = "ตัวอย่างจดหมาย (ภาพหน้าจอ)"  # added by this script to the demo data
ASSESSED_CYCLE = 2569  # the demo's cycle being assessed: sheets, a shortlisted entry, visits


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


@contextmanager
def demo_portal():
    """The README's `make run` on a free port (the demo data in SQLite under var/ unless
    DATABASE_URL says otherwise; DEBUG=1), stopped after."""
    env = {**os.environ, "DEBUG": "1"}
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "--noinput"], cwd=ROOT, env=env, check=True)
    subprocess.run([*manage, "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    port = free_port()
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        base_url = f"http://127.0.0.1:{port}"
        wait_for(f"{base_url}/healthz")
        yield base_url
    finally:
        server.terminate()
        server.wait(timeout=30)


class Camera:
    def __init__(self, out: Path, every_page_full: bool = False):
        self.out = out
        self.every_page_full = every_page_full
        self.too_wide: list[str] = []

    def __call__(self, page, name: str, full_page: bool = False) -> None:
        page.wait_for_load_state("networkidle")
        page.evaluate("document.fonts.ready")
        viewport = page.viewport_size["width"]
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > viewport:
            self.too_wide.append(f"{name}: {page.url} is {width} px wide on a {viewport} px screen")
        path = self.out / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page or self.every_page_full)
        shrink(path)
        print(f"{path}  {page.url}")


def shrink(path: Path) -> None:
    """256 colours are plenty for text and flat colours, and a third of the bytes."""
    from PIL import Image

    with Image.open(path) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT)
    small.save(path, optimize=True)


def new_page(browser, base_url, viewport):
    context = browser.new_context(locale="th-TH", base_url=base_url, viewport=viewport)
    page = context.new_page()
    page.set_default_timeout(20_000)
    return context, page


def public_pages(browser, base_url, shoot, device: str, viewport) -> None:
    context, page = new_page(browser, base_url, viewport)
    page.goto("/")
    shoot(page, f"{device}-home")
    page.goto(f"/cases/?q={SEARCH_WORD}")
    shoot(page, f"{device}-search")
    if device == "phone":
        page.locator("details.filters > summary").click()
        scroll_to(page, "details.filters")
        shoot(page, "phone-search-filters")
    page.locator("ol.results > li a").first.click()
    shoot(page, f"{device}-case")
    if device == "phone":
        shoot(page, "phone-case-full", full_page=True)
    page.goto("/lessons/")
    shoot(page, f"{device}-lessons")
    page.goto(f"/results/{RESULTS_YEAR}/")
    shoot(page, f"{device}-results-year")
    context.close()


def scroll_to(page, selector: str) -> None:
    """The first screen from where the element starts."""
    page.locator(selector).first.evaluate("e => e.scrollIntoView({block: 'start'})")


def sign_in_to_site(page, username: str) -> None:
    page.goto("/accounts/login/?next=/entries/")
    page.get_by_label("ชื่อผู้ใช้หรืออีเมล").fill(username)
    page.get_by_label("รหัสผ่าน").fill(PASSWORD)
    page.get_by_role("button", name="เข้าสู่ระบบ").click()
    page.wait_for_url("**/entries/")


def sign_in_to_admin(page, username: str) -> None:
    page.goto("/admin/login/?next=/admin/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("input[type=submit]").click()
    assert "/login/" not in page.url, f"{username} could not sign in to the admin"


def official_journey(browser, base_url, shoot) -> None:
    """สวพส.'s official: sign in, the agency's entries, a draft's task list, a section, check."""
    context, page = new_page(browser, base_url, PHONE)
    page.goto("/accounts/login/")
    shoot(page, "phone-official-sign-in")
    sign_in_to_site(page, "official")
    shoot(page, "phone-official-entries")
    page.locator("tr", has=page.locator(".tag--draft")).locator("a").first.click()
    shoot(page, "phone-official-task-list")
    task_list = page.url
    page.locator(".task-list a").nth(2).click()
    shoot(page, "phone-official-section")
    page.goto(task_list)
    page.get_by_role("link", name="ตรวจสอบคำตอบก่อนส่ง").click()
    shoot(page, "phone-official-check-answers")
    context.close()


def assessor_journey(browser, base_url, shoot) -> None:
    context, page = new_page(browser, base_url, PHONE)
    page.goto("/admin/login/")
    shoot(page, "phone-admin-sign-in")
    sign_in_to_admin(page, "assessor")
    page.goto("/admin/my-work/")
    shoot(page, "phone-assessor-my-work")
    page.locator("#content a[href*='/admin/awards/scoresheet/']").first.click()
    shoot(page, "phone-assessor-score-sheet")
    scroll_to(page, "#scores-group")
    shoot(page, "phone-assessor-score-sheet-scores")
    context.close()


def secretariat_journey(browser, base_url, shoot) -> None:
    context, page = new_page(browser, base_url, PHONE)
    sign_in_to_admin(page, "staff")
    shoot(page, "phone-staff-admin-home")
    page.goto("/admin/awards/cycle/")
    shoot(page, "phone-staff-cycles")
    page.locator("#result_list tbody a").first.click()
    shoot(page, "phone-staff-cycle")
    page.goto("/admin/awards/entry/")
    shoot(page, "phone-staff-entries")
    page.goto("/admin/awards/assignment/")
    shoot(page, "phone-staff-assignments")
    page.goto("/admin/awards/assignment/load/")
    shoot(page, "phone-staff-assessor-load")
    page.goto("/admin/awards/assignmentbatch/propose/")
    choose(page, "#id_category", str(ASSESSED_CYCLE))
    with page.expect_navigation():
        page.locator("#propose-settings input[type=submit]").click()
    shoot(page, "phone-staff-assignment-proposal")
    page.goto("/admin/awards/entry/ranking/")
    choose(page, "#id_category", f"{ASSESSED_CYCLE} · สาขาบริการภาครัฐ")
    with page.expect_navigation():
        page.locator(".awards-ranking-filter input[type=submit]").click()
    shoot(page, "phone-staff-ranking")
    page.goto("/admin/site-visit-calendar/")
    shoot(page, "phone-staff-site-visit-calendar")
    open_demo_letter(page)
    scroll_to(page, ".letter-preview")
    shoot(page, "phone-staff-letter")
    context.close()


def choose(page, select: str, text: str) -> None:
    """The first option of a list that reads `text` (the demo's ids are not fixed)."""
    value = page.locator(f"{select} option", has_text=text).first.get_attribute("value")
    page.locator(select).select_option(value)


def open_demo_letter(page) -> None:
    """The demo seeds no letter: the first run adds one (to the 2569 cycle's shortlisted
    entries), later runs open it, so its page shows the preview of each recipient's letter."""
    page.goto(f"/admin/awards/letter/?q={LETTER}")
    existing = page.locator("#result_list a", has_text=LETTER)
    if existing.count():
        existing.first.click()
        return
    page.goto("/admin/awards/letter/add/")
    page.locator("#id_title").fill(LETTER)
    choose(page, "#id_cycle", str(ASSESSED_CYCLE))
    page.locator("#id_state").select_option("shortlisted")
    with page.expect_navigation():
        page.locator("input[name=_continue]").click()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--base-url", help="a running portal with the demo data (else one is started)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument(
        "--full-pages", action="store_true",
        help="every picture the whole page long (to look below the first screen)",
    )  # fmt: skip
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    from playwright.sync_api import sync_playwright

    shoot = Camera(args.out, args.full_pages)
    portal = nullcontext(args.base_url) if args.base_url else demo_portal()
    with portal as base_url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        public_pages(browser, base_url, shoot, "phone", PHONE)
        public_pages(browser, base_url, shoot, "desktop", DESKTOP)
        official_journey(browser, base_url, shoot)
        assessor_journey(browser, base_url, shoot)
        secretariat_journey(browser, base_url, shoot)
        browser.close()
    for problem in shoot.too_wide:
        print("TOO WIDE", problem, file=sys.stderr)
    return 1 if shoot.too_wide else 0


if __name__ == "__main__":
    sys.exit(main())
