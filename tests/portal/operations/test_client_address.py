"""One idea of the client's address (portal/operations/client_address.py, settings.TRUSTED_PROXIES),
from the attacker's side: a rotating X-Forwarded-For must not escape the API throttle, the
site's rate limits or the sign-in lockout, and what is counted is what the audit log records.

The finding: 130 anonymous API requests × 200 with a 120/minute limit, by sending a new
X-Forwarded-For each time (DRF believed the header when NUM_PROXIES was unset)."""

import os

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.core.cache import cache
from django.urls import reverse
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from portal.operations.client_address import client_ip
from portal.privacy.audit import AuditAction, record_access
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # our reverse proxy, as the portal sees it


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def spoofed(n: int) -> str:
    return f"198.51.100.{n % 250 + 1}"


# --- The function ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, None, "192.0.2.7"),
        (0, "203.0.113.9", "192.0.2.7"),  # trust none: the header is the client's word
        (1, None, "192.0.2.7"),  # reached directly (a health check): the peer
        (1, "203.0.113.9", "203.0.113.9"),
        (1, "6.6.6.6, 203.0.113.9", "203.0.113.9"),  # what the client wrote is left of it
        (1, "6.6.6.6,203.0.113.9 ", "203.0.113.9"),
        (2, "6.6.6.6, 203.0.113.9, 10.0.0.1", "203.0.113.9"),
        (2, "203.0.113.9", "192.0.2.7"),  # fewer hops than configured: never the header
        (1, "not-an-address", "192.0.2.7"),
        (1, "203.0.113.9:51234", "203.0.113.9"),
        (1, "[2001:DB8::1]:443", "2001:db8::1"),
        (1, "2001:db8::2", "2001:db8::2"),
    ],
)
def test_client_ip(rf, settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXIES = proxies
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    assert client_ip(rf.get("/", REMOTE_ADDR="192.0.2.7", **extra)) == expected


def test_the_default_trusts_no_proxy_and_every_consumer_asks_the_one_function():
    import portal.settings as defaults

    if not os.environ.get("TRUSTED_PROXIES"):
        assert defaults.TRUSTED_PROXIES == 0
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "portal.operations.client_address.client_ip"
    assert api_settings.NUM_PROXIES == django_settings.TRUSTED_PROXIES
    for throttle in APIView.throttle_classes:
        if hasattr(throttle, "get_ident"):
            assert throttle.get_ident.__qualname__.startswith("ClientAddressMixin"), throttle


# --- From the attacker's side: TRUSTED_PROXIES=0 -------------------------------------------------


def test_rotating_x_forwarded_for_does_not_escape_the_anonymous_api_throttle(client, settings):
    settings.TRUSTED_PROXIES = 0
    settings.API_ANON_THROTTLE_RATE = "5/minute"
    codes = [
        client.get(
            "/api/v1/branches/", REMOTE_ADDR="192.0.2.50", HTTP_X_FORWARDED_FOR=spoofed(n)
        ).status_code
        for n in range(8)
    ]
    assert codes == [200] * 5 + [429] * 3
    assert client.get("/api/v1/branches/", REMOTE_ADDR="192.0.2.51").status_code == 200


def test_rotating_x_forwarded_for_does_not_escape_the_search_limit(client, settings):
    settings.TRUSTED_PROXIES = 0
    settings.RATELIMITS = {"search": "3/h"}
    codes = [
        client.get(
            "/cases/", {"q": "ขยะ"}, REMOTE_ADDR="192.0.2.52", HTTP_X_FORWARDED_FOR=spoofed(n)
        ).status_code
        for n in range(5)
    ]
    assert codes == [200, 200, 200, 429, 429]


def test_rotating_x_forwarded_for_does_not_escape_the_sign_in_lockout(client, settings):
    settings.TRUSTED_PROXIES = 0
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("portal:login"),
            {"username": user.username, "password": "ผิด"},
            REMOTE_ADDR="192.0.2.53",
            HTTP_X_FORWARDED_FOR=spoofed(n),
        )
    response = client.post(
        reverse("portal:login"),
        {"username": user.username, "password": PASSWORD},
        REMOTE_ADDR="192.0.2.53",
        HTTP_X_FORWARDED_FOR=spoofed(99),
    )
    assert response.status_code == 429
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.53"}


def test_rotating_x_forwarded_for_does_not_escape_the_wrong_token_lockout(client, settings):
    settings.TRUSTED_PROXIES = 0
    settings.RATELIMITS = {"api_token": "3/15m"}
    codes = [
        client.get(
            "/api/v1/entries/",
            headers={"Authorization": f"Token guess{n}"},
            REMOTE_ADDR="192.0.2.54",
            HTTP_X_FORWARDED_FOR=spoofed(n),
        ).status_code
        for n in range(4)
    ]
    assert codes[-1] == 429


# --- Behind one proxy: TRUSTED_PROXIES=1 --------------------------------------------------------


def via_proxy(client_address: str, written_by_client: str | None = None) -> dict:
    """What nginx with `$proxy_add_x_forwarded_for` sends on: the client's own header (if
    any), then the address nginx saw."""
    chain = f"{written_by_client}, {client_address}" if written_by_client else client_address
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": chain}


def test_behind_one_proxy_each_client_has_its_own_api_budget(client, settings):
    settings.TRUSTED_PROXIES = 1
    settings.API_ANON_THROTTLE_RATE = "3/minute"
    first = [
        client.get("/api/v1/branches/", **via_proxy("203.0.113.1", spoofed(n))).status_code
        for n in range(4)
    ]
    assert first == [200, 200, 200, 429]  # rotating its own part of the header: no escape
    # Another client behind the same proxy is counted apart.
    assert client.get("/api/v1/branches/", **via_proxy("203.0.113.2")).status_code == 200


def test_behind_one_proxy_the_search_limit_counts_the_real_client(client, settings):
    settings.TRUSTED_PROXIES = 1
    settings.RATELIMITS = {"search": "2/h"}
    codes = [
        client.get("/lessons/", {"q": "ขยะ"}, **via_proxy("203.0.113.3", spoofed(n))).status_code
        for n in range(3)
    ]
    assert codes == [200, 200, 429]
    assert client.get("/lessons/", {"q": "ขยะ"}, **via_proxy("203.0.113.4")).status_code == 200


def test_behind_one_proxy_the_lockout_and_the_audit_log_record_the_real_client(
    client, rf, settings
):
    settings.TRUSTED_PROXIES = 1
    user = UserFactory()
    for n in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("portal:login"),
            {"username": user.username, "password": "ผิด"},
            **via_proxy("203.0.113.5", spoofed(n)),
        )
    right = {"username": user.username, "password": PASSWORD}
    assert (
        client.post(reverse("portal:login"), right, **via_proxy("203.0.113.5")).status_code == 429
    )
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.5"}
    # The same person from another address is not locked out (per user name and address).
    response = client.post(reverse("portal:login"), right, **via_proxy("203.0.113.6"))
    assert response.status_code == 302
    # The audit log records the address the limits counted.
    request = rf.get("/", **via_proxy("203.0.113.5", "6.6.6.6"))
    event = record_access(StaffFactory(), user, AuditAction.EXPORT, request=request)
    assert event.ip_address == "203.0.113.5" == client_ip(request)


def test_with_no_trusted_proxy_the_audit_log_records_the_peer(rf, settings):
    settings.TRUSTED_PROXIES = 0
    request = rf.get("/", **via_proxy("203.0.113.5"))
    event = record_access(StaffFactory(), None, AuditAction.EXPORT, request=request)
    assert event.ip_address == PROXY
