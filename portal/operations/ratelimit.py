"""Rate limits (fixed window, counted in the shared cache) for expensive or abusable pages:
search (web, and the API's signed-in searches), sign-up, password reset, wrong API tokens.
Rates come from settings.RATELIMITS ("<count>/<s|m|h>"), overridable per deployment with
RATELIMIT_<GROUP> environment variables (see settings). The client is the signed-in user or
the address from portal/operations/client_address.py (settings.TRUSTED_PROXIES).

Why not django-ratelimit: it fails closed (500) when Redis is down — it only catches
socket.gaierror — and the portal must keep its public pages up without Redis. Here any cache
error lets the request through (fail open) and is logged.
"""

import functools
import logging
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.shortcuts import render

from .client_address import client_ip

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600}
RATE = re.compile(r"(\d+)/(\d*)([smh])")


def parse_rate(rate: str) -> tuple[int, int]:
    """ "120/m" → (120, 60); "5/15m" → (5, 900)."""
    match = RATE.fullmatch(rate.strip())
    if match is None:
        raise ValueError(f"not a rate: {rate!r} (e.g. 120/m, 5/15m)")
    count, periods, unit = match.groups()
    return int(count), int(periods or 1) * PERIODS[unit]


def client_key(request) -> str:
    """Per signed-in user, else per client address (portal/operations/client_address.py:
    REMOTE_ADDR,
    or X-Forwarded-For as far as settings.TRUSTED_PROXIES says to believe it)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"u{user.pk}"
    return address_key(request)


def address_key(request) -> str:
    """Per client address only, signed in or not (e.g. password-reset requests)."""
    return f"ip{client_ip(request) or ''}"


def over_limit(group: str, request, count: bool = True, key: str | None = None) -> int | None:
    """Count this request (count=False: only look); return the seconds to wait if the
    group's limit is exceeded, None if the request may go on. `key` counts under something
    other than the client (e.g. the account a password reset is asked for)."""
    rate = settings.RATELIMITS.get(group)
    if not rate:
        return None
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    slot = f"ratelimit:{group}:{key or client_key(request)}:{window}"
    try:
        if count:
            seen = 1 if cache.add(slot, 1, period + 5) else cache.incr(slot)
        else:
            seen = (cache.get(slot) or 0) + 1  # what this request would make it
    except Exception:  # the cache is down: let the request through rather than fail it
        logger.warning("rate limit cache unavailable; request allowed", extra={"group": group})
        return None
    if seen <= limit:
        return None
    return max(1, int((window + 1) * period - now))


def too_many_requests(request, wait: int):
    """The Thai 429 page, with Retry-After."""
    response = render(request, "429.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def ratelimit(group: str, methods: tuple[str, ...] = ("GET", "POST")):
    """Answer 429 (Thai page, Retry-After) once a client exceeds the group's rate."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                wait = over_limit(group, request)
                if wait is not None:
                    return too_many_requests(request, wait)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
