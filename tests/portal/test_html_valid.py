"""Valid HTML on every public page (issue 15, item 5): the pages as the test client renders
them, checked by the Nu Html Checker (vnu-jar, installed by `npm ci`; needs java) in one run.
Without java or vnu the test is skipped, unless REQUIRE_NODE_TOOLS=1 (CI)."""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from cases.models import Adoption
from tests.factories import CaseStudyFactory, LessonFactory, UserFactory, province

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
REQUIRE_NODE = os.environ.get("REQUIRE_NODE_TOOLS") == "1"  # CI: `npm ci` ran (.ci/run)


def vnu_command() -> list[str]:
    java = shutil.which("java")
    if java is None or not VNU.exists():
        missing = "java" if java is None else f"{VNU} (run `npm ci`)"
        if REQUIRE_NODE:
            pytest.fail(f"{missing} missing")
        pytest.skip(f"{missing} missing")
    return [java, "-jar", str(VNU), "--errors-only", "--format", "json"]


def test_every_public_page_is_valid_html(client, tmp_path):
    command = vnu_command()
    case = CaseStudyFactory(title="การจัดการขยะชุมชน", award_level="good")
    lesson = LessonFactory(case_study=case)
    official = UserFactory()
    Adoption.objects.create(  # the case page draws the map of where it has spread
        case_study=case, agency=official.agency, province=province("TH-57"), year_be=2568
    )
    for n in range(20):  # a second page: the agency page's pager is checked too
        CaseStudyFactory(agency=case.agency, title=f"ผลงานของหน่วยงาน {n}")
    pages = {
        "home": "/",
        "cases": reverse("cases:case_list"),
        "search": reverse("cases:case_list") + "?q=ขยะ",
        "case": case.get_absolute_url(),
        "lessons": "/lessons/",
        "lesson": lesson.get_absolute_url(),
        "results": reverse("cases:cycle_results", args=[case.year_be]),
        "agency": reverse("cases:agency_detail", args=[case.agency.pk]),
        "opendata": "/opendata/",
        "login": "/accounts/login/",
        "sign-up": "/accounts/sign-up/",
        "privacy": "/privacy/",
    }
    files = []
    for name, url in pages.items():
        response = client.get(url, HTTP_ACCEPT_LANGUAGE="th")
        assert response.status_code == 200, (name, url, response.status_code)
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    client.force_login(official)
    form = client.post(reverse("cases:adopt", args=[case.slug]), {"year_be": "x"})
    assert form.status_code == 200 and b"error-summary" in form.content
    (tmp_path / "adopt.html").write_bytes(form.content)  # the form with its errors
    files.append(str(tmp_path / "adopt.html"))
    run = subprocess.run(
        [*command, *files], capture_output=True, text=True, timeout=300, check=False
    )
    messages = json.loads(run.stderr or run.stdout or '{"messages": []}')["messages"]
    errors = [
        f"{Path(m.get('url', '')).name}:{m.get('lastLine')}: {m.get('message')} "
        f"[{m.get('extract', '').strip()[:120]}]"
        for m in messages
        if m.get("type") == "error" or m.get("subType") == "fatal"
    ]
    assert errors == [], "\n".join(errors)
    assert run.returncode == 0, run.stderr[-2000:]
