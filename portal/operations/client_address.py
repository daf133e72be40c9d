"""The client's address: one function, one setting, used by every part of the portal that
counts, limits or records by address — DRF's API throttles (portal/api/policy.py), the site's
rate limits (portal/operations/ratelimit.py), django-axes' sign-in lockout
(AXES_CLIENT_IP_CALLABLE) and
the audit log (portal/privacy/audit.py).

settings.TRUSTED_PROXIES (env TRUSTED_PROXIES) is the number of reverse proxies in front of
the portal that append the address they received to X-Forwarded-For (nginx:
`proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;`):

- 0 (the default): trust no proxy. The address is REMOTE_ADDR, the peer of the TCP
  connection; X-Forwarded-For is whatever the client wrote and is ignored.
- N: the Nth address from the right of X-Forwarded-For — the one the outermost of our N
  proxies saw. Everything left of it was written by the client (or proxies we don't run) and
  is ignored, so rotating it changes nothing.

A header with fewer than N addresses did not come through our N proxies (the app reached
directly, or TRUSTED_PROXIES set too high): REMOTE_ADDR then, never a value the client chose.
"""

import ipaddress

from django.conf import settings


def _address(value: str) -> str | None:
    """A bare IPv4/IPv6 address from one X-Forwarded-For item ("1.2.3.4", "1.2.3.4:5678",
    "[2001:db8::1]:443"), normalised; None if it is not an address."""
    value = value.strip()
    if value.startswith("[") and "]" in value:  # [IPv6]:port
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # IPv4:port
        value = value.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def trusted_proxies() -> int:
    return max(0, int(getattr(settings, "TRUSTED_PROXIES", 0) or 0))


def client_ip(request) -> str | None:
    """The real client address of a Django request (or a DRF request), None if unknown."""
    if request is None:
        return None
    meta = request.META
    remote = _address(meta.get("REMOTE_ADDR") or "")
    hops = trusted_proxies()
    if hops == 0:
        return remote
    forwarded = [item for item in (meta.get("HTTP_X_FORWARDED_FOR") or "").split(",")]
    forwarded = [item for item in forwarded if item.strip()]
    if len(forwarded) < hops:
        return remote
    return _address(forwarded[-hops]) or remote
