"""The site frame's fixed parts (menus, footer, static links) are rendered once per process
and kept in the `frame` cache (templates/base.html): what differs between pages, languages,
readers and days must still differ."""

import datetime

import pytest
from django.core.cache import caches

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
MY_DATA = "ข้อมูลส่วนบุคคลของฉัน"


@pytest.fixture(autouse=True)
def empty_frame():
    caches["frame"].clear()
    yield
    caches["frame"].clear()


def _part(response, start: str, end: str) -> str:
    html = response.content.decode()
    begin = html.index(start)
    return html[begin : html.index(end, begin)]


def _current(response) -> str | None:
    """The main menu's entry marked as the current page."""
    nav = _part(response, 'class="site-nav"', "</nav>")
    if 'aria-current="page"' not in nav:
        return None
    marked = nav[: nav.index('aria-current="page"')]
    return marked[marked.rindex('href="') + 6 :].split('"')[0]


def test_the_menu_marks_the_page_it_is_on_each_time(client):
    for _ in range(2):  # rendered, then from the frame cache
        assert _current(client.get("/cases/")) == "/cases/"
        assert _current(client.get("/lessons/")) == "/lessons/"
        assert _current(client.get("/")) is None
    assert len(caches["frame"]._cache) >= 3  # the fragments were kept


def test_the_frame_follows_the_language(client, settings):
    assert "ผลงานต้นแบบ" in _part(client.get("/"), 'class="site-nav"', "</nav>")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get("/")
    assert 'aria-label="Main menu"' in english.content.decode()
    assert "ผลงานต้นแบบ" not in _part(english, 'class="site-nav"', "</nav>")


def test_a_signed_in_readers_footer_is_not_shown_to_the_next_visitor(client):
    assert MY_DATA not in _part(client.get("/"), 'class="site-footer"', "</footer>")
    client.force_login(UserFactory())
    assert MY_DATA in _part(client.get("/"), 'class="site-footer"', "</footer>")
    client.logout()
    assert MY_DATA not in _part(client.get("/"), 'class="site-footer"', "</footer>")


def test_the_footer_shows_the_day_it_is_served(client, monkeypatch):
    from portal import context_processors

    for day in (datetime.date(2026, 12, 7), datetime.date(2026, 12, 8)):
        monkeypatch.setattr(context_processors.timezone, "localdate", lambda day=day: day)
        footer = _part(client.get("/"), 'class="site-footer"', "</footer>")
        assert f'datetime="{day:%Y-%m-%d}"' in footer
