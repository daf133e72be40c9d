import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import override_settings

from portal.operations.ratelimit import over_limit, parse_rate, ratelimit

pytestmark = pytest.mark.django_db


@ratelimit("search")
def view(request):
    return HttpResponse("ok")


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def test_parse_rate():
    assert parse_rate("120/m") == (120, 60)
    assert parse_rate("10/h") == (10, 3600)
    assert parse_rate("5/15m") == (5, 900)
    with pytest.raises(ValueError):
        parse_rate("five per minute")


def test_wrong_api_tokens_lock_the_address_out_even_with_the_right_token(client, settings):
    from rest_framework.authtoken.models import Token

    from tests.factories import UserFactory

    settings.RATELIMITS = {**settings.RATELIMITS, "api_token": "3/15m"}
    token = Token.objects.create(user=UserFactory())

    def call(key, address="192.0.2.9"):
        return client.get(
            "/api/v1/entries/", headers={"Authorization": f"Token {key}"}, REMOTE_ADDR=address
        )

    assert call(token.key).status_code == 200  # a right token is not counted
    # 401 with WWW-Authenticate: the token is the first authenticator (settings.REST_FRAMEWORK).
    assert [call(f"guess{n}").status_code for n in range(3)] == [401, 401, 401]
    locked = call(token.key, "192.0.2.9")
    assert locked.status_code == 429 and int(locked["Retry-After"]) <= 900
    assert "โทเค็นไม่ถูกต้องหลายครั้ง" in locked.json()["detail"]
    assert call(token.key, "192.0.2.10").status_code == 200  # another address is not
    # Without a token nothing is counted or refused: the public API stays open.
    assert client.get("/api/v1/cases/", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_a_client_over_the_limit_gets_a_thai_429_with_retry_after(rf, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": "3/m"}
    responses = [view(rf.get("/cases/?q=ขยะ", REMOTE_ADDR="192.0.2.1")) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert 1 <= int(responses[-1]["Retry-After"]) <= 60
    assert "มีคำขอมากเกินไป" in responses[-1].content.decode()
    # Another client is not affected.
    assert view(rf.get("/cases/", REMOTE_ADDR="192.0.2.2")).status_code == 200


def test_an_empty_rate_turns_the_limit_off(rf, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": ""}
    request = rf.get("/", REMOTE_ADDR="192.0.2.1")
    assert all(over_limit("search", request) is None for _ in range(50))


def test_the_limit_fails_open_when_the_cache_is_down(rf, settings):
    settings.RATELIMITS = {**settings.RATELIMITS, "search": "1/m"}
    dead = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
            "OPTIONS": {"socket_connect_timeout": 0.2},
        }
    }
    with override_settings(CACHES={**settings.CACHES, **dead}):
        codes = [view(rf.get("/", REMOTE_ADDR="192.0.2.1")).status_code for _ in range(3)]
    assert codes == [200, 200, 200]


@pytest.mark.parametrize("path", ["/cases/", "/lessons/"])
def test_search_pages_are_rate_limited_per_client(client, settings, path):
    settings.RATELIMITS = {"search": "2/m"}
    codes = [client.get(path, {"q": "ขยะ"}, REMOTE_ADDR="192.0.2.9").status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get(path, {"q": "ขยะ"}, REMOTE_ADDR="192.0.2.10").status_code == 200


# --- Signed-in API search: the web search's limit ------------------------------------------------


@pytest.fixture
def frozen_clock(monkeypatch):
    """The limits count in fixed windows: a test must not straddle a window's end."""
    from types import SimpleNamespace

    import portal.operations.ratelimit

    frozen = SimpleNamespace(time=lambda: 1_700_000_000.0)
    monkeypatch.setattr(portal.operations.ratelimit, "time", frozen)


def token_client(client):
    from rest_framework.authtoken.models import Token

    from tests.factories import UserFactory

    key = Token.objects.create(user=UserFactory()).key
    return {"headers": {"Authorization": f"Token {key}"}}


@pytest.mark.parametrize("path", ["/api/v1/cases/", "/api/v1/lessons/"])
def test_a_signed_in_search_flood_on_the_api_is_limited(client, settings, frozen_clock, path):
    """The finding: 250 signed-in API searches in 10 s while the web search has a limit."""
    settings.RATELIMITS = {"search": "3/h"}
    auth = token_client(client)
    responses = [client.get(path, {"q": f"ขยะ{n}"}, **auth) for n in range(5)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429, 429]
    assert 1 <= int(responses[-1]["Retry-After"]) <= 3600
    assert responses[-1].json()["detail"]
    # Not a search: not counted. Another signed-in user has their own budget.
    assert client.get(path, **auth).status_code == 200
    assert client.get(path, {"q": "ขยะ"}, **token_client(client)).status_code == 200


def test_the_api_and_the_web_search_share_one_budget_per_user(client, settings, frozen_clock):
    from tests.factories import UserFactory

    settings.RATELIMITS = {"search": "3/h"}
    client.force_login(UserFactory())
    assert client.get("/cases/", {"q": "ขยะ"}).status_code == 200
    assert client.get("/lessons/", {"q": "ขยะ"}).status_code == 200
    assert client.get("/api/v1/cases/", {"q": "ขยะ"}).status_code == 200  # session on the API
    assert client.get("/api/v1/lessons/", {"q": "ขยะ"}).status_code == 429
    assert client.get("/cases/", {"q": "ขยะ"}).status_code == 429


def test_the_default_search_limit_stops_the_reported_flood(client, settings, frozen_clock):
    import portal.settings as defaults

    settings.RATELIMITS = defaults.RATELIMITS
    limit, period = parse_rate(defaults.RATELIMITS["search"])
    assert limit / period < 250 / 10  # the flood's rate
    auth = token_client(client)
    codes = [client.get("/api/v1/cases/", {"q": "ก"}, **auth).status_code for _ in range(limit + 1)]
    assert codes.count(429) == 1 and codes[-1] == 429


def test_an_anonymous_429_always_says_when_to_retry(client, settings):
    """DRF's throttle gives no wait when more requests were let through than the rate now
    allows (a rate lowered while counts are in Redis): the 429 still has Retry-After."""
    settings.API_ANON_THROTTLE_RATE = "100/minute"
    for _ in range(3):
        assert client.get("/api/v1/branches/", REMOTE_ADDR="192.0.2.77").status_code == 200
    settings.API_ANON_THROTTLE_RATE = "1/minute"
    response = client.get("/api/v1/branches/", REMOTE_ADDR="192.0.2.77")
    assert response.status_code == 429 and 1 <= int(response["Retry-After"]) <= 60
