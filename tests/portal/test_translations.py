"""The English catalogue (locale/en): complete, compiled, and what an English reader sees.

Thai is the source language (msgids are Thai); English is served from
locale/en/LC_MESSAGES/django.po and its compiled django.mo, which is committed so that the
portal runs on a machine without gettext. Regenerate with `make messages`.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tests.factories import CaseStudyFactory, EntryFactory

ROOT = Path(settings.BASE_DIR)
EN = ROOT / "locale" / "en" / "LC_MESSAGES"
THAI = re.compile("[\u0e00-\u0e7f]")
# Where `make messages` does not look (the Makefile's --ignore list); dot folders are
# skipped by makemessages itself.
NOT_SCANNED = {"var", "bench", "tests", "__pycache__", "node_modules", "lertrat_portal.egg-info"}


def untranslated(catalogue: polib.POFile) -> list[str]:
    return [
        entry.msgid
        for entry in catalogue
        if not entry.obsolete and (not entry.translated() or "fuzzy" in entry.flags)
    ]


def as_dict(catalogue) -> dict:
    messages = {}
    for entry in catalogue:
        if entry.obsolete or not entry.msgid:
            continue
        key = (entry.msgctxt, entry.msgid, entry.msgid_plural)
        messages[key] = dict(entry.msgstr_plural) if entry.msgid_plural else entry.msgstr
    return messages


def test_every_message_of_the_english_catalogue_is_translated():
    catalogue = polib.pofile(str(EN / "django.po"))
    assert len(catalogue) > 500
    assert untranslated(catalogue) == []
    assert catalogue.metadata["Language"] == "en"


def test_translations_keep_their_placeholders():
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}|</?\w+>")
    catalogue = polib.pofile(str(EN / "django.po"))
    wrong = []
    for entry in catalogue:
        pairs = [(entry.msgid, entry.msgstr)]
        if entry.msgid_plural:
            pairs = [
                (entry.msgid, entry.msgstr_plural[0]),
                (entry.msgid_plural, entry.msgstr_plural[1]),
            ]
        for source, english in pairs:
            if sorted(placeholder.findall(source)) != sorted(placeholder.findall(english)):
                wrong.append(source)
            if THAI.search(english) and not THAI.search(source.split("เช่น")[-1]):
                wrong.append(source)  # Thai left in the English (examples of Thai input aside)
    assert wrong == []


@pytest.mark.parametrize("language", ["en", "th"])
def test_the_committed_mo_is_compiled_from_the_po(language):
    folder = ROOT / "locale" / language / "LC_MESSAGES"
    po = as_dict(polib.pofile(str(folder / "django.po")))
    mo = as_dict(polib.mofile(str(folder / "django.mo")))
    assert po
    stale = {key for key in po.keys() | mo.keys() if po.get(key) != mo.get(key)}
    assert stale == set(), f"recompile locale/{language} (`make messages` for en)"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="makemessages needs GNU gettext")
def test_no_thai_message_in_the_code_lacks_an_english_translation(tmp_path):
    """makemessages over a copy of the project, merged into a copy of the catalogue: a Thai
    string added (or changed) in code shows up as an empty (or fuzzy) entry."""
    copy = tmp_path / "project"

    def skip(folder, names):
        return [n for n in names if n.startswith(".") or n in NOT_SCANNED or n.endswith(".pyc")]

    shutil.copytree(ROOT, copy, ignore=skip)
    env = {**os.environ, "DEBUG": "1", "VAR_DIR": str(tmp_path / "var")}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "en", "--no-obsolete"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    assert untranslated(fresh) == [], "run `make messages` and translate locale/en"
    committed = {(e.msgctxt, e.msgid) for e in polib.pofile(str(EN / "django.po"))}
    assert {(e.msgctxt, e.msgid) for e in fresh} == committed, "run `make messages`"


# --- What an English reader sees -----------------------------------------------------------


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def page(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    html = response.content.decode()
    assert '<html lang="en">' in html
    return html


@pytest.mark.django_db
def test_the_home_page_in_english(english):
    CaseStudyFactory(title="ขาเทียมพิมพ์สามมิติ", year_be=2567)
    html = page(english, "/")
    for text in (
        "Library of Public Sector Excellence Award model projects",
        "Skip to main content",
        "Latest winners",
        "Sign in",
        "Privacy notice",
        "Search model projects",
    ):
        assert text in html
    for thai in ("คลังผลงานต้นแบบ", "ข้ามไปยังเนื้อหาหลัก", "เข้าสู่ระบบ", "ผู้ได้รับรางวัลล่าสุด"):
        assert thai not in html
    assert "ขาเทียมพิมพ์สามมิติ" in html  # content stays as written


@pytest.mark.django_db
def test_the_case_search_in_english(english):
    CaseStudyFactory(title="ขาเทียมพิมพ์สามมิติ", year_be=2567)
    html = page(english, "/cases/")
    for text in ("Model projects", "Filters", "Sort by", "Apply filters", "1 model project"):
        assert text in html
    for thai in ("ตัวกรอง", "เรียงตาม", "ใช้ตัวกรอง", ">ผลงานต้นแบบ<"):
        assert thai not in html
    nothing = page(english, "/cases/?q=zzzzzzzz")
    assert "No model projects contain all of your search words" in nothing
    assert "ไม่พบผลงาน" not in nothing


@pytest.mark.django_db
def test_the_sign_in_page_and_its_errors_in_english(english):
    html = page(english, "/accounts/login/")
    assert "Username or email" in html and "Password" in html and "Register" in html
    assert "รหัสผ่าน" not in html and "ลงทะเบียน" not in html
    response = english.post("/accounts/login/", {"username": "", "password": ""})
    html = response.content.decode()
    assert "There is a problem" in html and "Enter your username or email" in html
    assert "มีข้อผิดพลาด" not in html and "โปรดกรอก" not in html


@pytest.mark.django_db
def test_an_api_error_in_english():
    entry = EntryFactory()  # a draft without attachments: the submission rule refuses it
    url = f"/api/v1/entries/{entry.public_id}/submit/"

    def submit(**kwargs):
        api = APIClient()
        api.force_authenticate(entry.created_by)
        for name, value in kwargs.pop("cookies", {}).items():
            api.cookies[name] = value
        response = api.post(url, **kwargs)
        assert response.status_code == 400
        return response.json()["detail"]

    english = submit(headers={"Accept-Language": "en"})
    assert english.startswith("Cannot submit yet") and "Attachments" in english
    assert not THAI.search(english)
    assert submit(cookies={settings.LANGUAGE_COOKIE_NAME: "en"}) == english
    thai = submit(headers={"Accept-Language": "th"})
    assert thai.startswith("ยังส่งไม่ได้") and "Cannot" not in thai
