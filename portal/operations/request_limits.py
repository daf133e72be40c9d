"""Bounded input: what a request may carry before any view (or the database) sees it.

- The body: a request whose Content-Length is above the cap is refused with 413 before a
  byte of it is read (the cap is the largest upload the portal takes plus a margin:
  settings.REQUEST_BODY_MAX_BYTES; the admin, where staff send a case study with its photos
  and documents in one form, has ADMIN_REQUEST_BODY_MAX_BYTES). Django's own
  DATA_UPLOAD_MAX_MEMORY_SIZE bounds what of a body is held in memory (everything but files).
  Under gunicorn, portal/gunicorn_conf.py also closes such a connection after the answer
  rather than reading the rest of the body to keep the connection alive.
- The URL: a NUL or another control character in the path is a 404 (no route has one;
  PostgreSQL refuses NUL in text, so `/cases/%00/` was a 500 there and a 404 on SQLite); a NUL
  in the query string is a 400. A cookie holding one is dropped (the session backend would
  send it to the database).
- JSON to the API: nesting deeper than settings.API_JSON_MAX_DEPTH, or a NUL anywhere in it,
  is a 400 (1,000 levels was a RecursionError, a 500).

The 400 and 413 pages are portal.views.bad_request (handler400): Thai, the site's style,
JSON under /api/.
"""

import re

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
ADMIN_PREFIX = "/admin/"


def body_cap(path: str) -> int:
    if path.startswith(ADMIN_PREFIX):
        return settings.ADMIN_REQUEST_BODY_MAX_BYTES
    return settings.REQUEST_BODY_MAX_BYTES


def declared_length(value) -> int | None:
    """The Content-Length as a number; None when absent; -1 when it is not a number."""
    if value in (None, ""):
        return None
    text = str(value).strip()
    return int(text) if text.isascii() and text.isdigit() else -1


def too_big(path: str, content_length) -> bool:
    length = declared_length(content_length)
    return length is not None and length > body_cap(path)


class RequestLimitsMiddleware:
    """First in MIDDLEWARE: nothing before it reads the body or asks the database."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = declared_length(request.META.get("CONTENT_LENGTH"))
        if length == -1:
            raise BadRequest("Content-Length is not a number")
        if length is not None and length > body_cap(request.path):
            # A SuspiciousOperation: handler400 answers it as 413 (portal.views.bad_request).
            raise RequestDataTooBig(f"Content-Length {length} is above the request body cap")
        if CONTROL_CHARACTERS.search(request.path):
            raise Http404
        if any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL in the query string")
        for name in [name for name, value in request.COOKIES.items() if "\x00" in value]:
            del request.COOKIES[name]
        return self.get_response(request)


def _depth_and_nul(data, limit: int) -> str | None:
    """Why the parsed JSON is refused (too deep, or a NUL in a key or a string), or None.
    Iterative: a deep document must not exhaust the stack here either."""
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > limit:
                return "depth"
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in items:
                if isinstance(key, str) and "\x00" in key:
                    return "nul"
                stack.append((child, depth + 1))
        elif isinstance(value, str) and "\x00" in value:
            return "nul"
    return None


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser (the API's default) with a nesting limit and no NUL characters."""

    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.API_JSON_MAX_DEPTH
        too_deep = _("ข้อมูล JSON ซ้อนกันลึกเกินไป (ไม่เกิน %(limit)s ชั้น)") % {"limit": limit}
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(too_deep) from None
        problem = _depth_and_nul(data, limit)
        if problem == "depth":
            raise ParseError(too_deep)
        if problem == "nul":
            raise ParseError(_("ข้อมูล JSON มีอักขระที่ใช้ไม่ได้ (NUL)"))
        return data


def largest_upload() -> int:
    """The largest file a person may send (what the 413 page tells them)."""
    return settings.ATTACHMENT_MAX_BYTES
