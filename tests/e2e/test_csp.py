"""The strict Content Security Policy breaks nothing a real browser loads: no violation
reported on the public site or in the Django admin."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import CaseStudyFactory, StaffFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def violations_while_visiting(page, paths):
    seen = []
    page.on(
        "console",
        lambda message: seen.append(message.text)
        if "Content Security Policy" in message.text or "Refused to" in message.text
        else None,
    )
    for path in paths:
        response = page.goto(path)
        assert response.status < 400, path
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        page.wait_for_load_state("load")
    return seen


def test_public_pages_load_without_csp_violations(page):
    case = CaseStudyFactory()
    assert violations_while_visiting(page, ["/", f"/cases/{case.slug}/", "/accounts/login/"]) == []


def test_admin_works_under_the_strict_policy(page, live_server):
    staff = StaffFactory(is_superuser=True)
    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    paths = ["/admin/", "/admin/awards/entry/", "/admin/awards/cycle/add/", "/admin/portal/user/"]
    assert violations_while_visiting(page, paths) == []
    # The admin's own JavaScript runs (it is what would break first): the sidebar's filter
    # box is added by nav_sidebar.js (dates are typed as day / month / B.E. year, no widget).
    page.goto("/admin/awards/cycle/add/")
    assert page.locator("#nav-filter").count() > 0
