"""What the browser tests share: axe-core's serious and critical findings, and screenshots kept
when SCREENSHOT_DIR names a folder (not part of the checks)."""

import os
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe

SCREENS = os.environ.get("SCREENSHOT_DIR")


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def screenshot(page, name: str, full_page: bool = False) -> None:
    if SCREENS:
        Path(SCREENS).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{SCREENS}/{name}.png", full_page=full_page)
