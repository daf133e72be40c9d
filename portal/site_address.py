"""The portal's address for absolute links (open data, feeds, e-mails, the API schema).

SITE_URL wins when set (production names its public address). Unset, links follow the address
the request came in at — `make run PORT=8001` links to :8001 — through Django's
build_absolute_uri, whose host is checked against ALLOWED_HOSTS. Code that builds a link
without the request at hand (an e-mail sent while handling one, a feed's id) gets the current
request's address from RequestAddressMiddleware. With no request at all (a worker's e-mail),
the development server's default address."""

from contextvars import ContextVar

from django.conf import settings

DEFAULT = "http://127.0.0.1:8000"
_current: ContextVar[str | None] = ContextVar("site_address", default=None)


def site_url(request=None) -> str:
    if settings.SITE_URL:
        return settings.SITE_URL
    if request is not None:
        return request.build_absolute_uri("/").rstrip("/")
    return _current.get() or DEFAULT


def absolute(path: str, request=None) -> str:
    return f"{site_url(request)}{path}"


class RequestAddressMiddleware:
    """Remembers the address of the request being handled, for site_url() without one."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SITE_URL:
            return self.get_response(request)
        try:
            address = request.build_absolute_uri("/").rstrip("/")
        except Exception:  # a Host not in ALLOWED_HOSTS: Django answers 400 later on
            address = None
        token = _current.set(address)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)
