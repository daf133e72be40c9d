"""What every API endpoint of the portal shares: pagination, and throttling of anonymous
traffic (the rate is read from settings on each request, so tests and deployments can set
it: API_ANON_THROTTLE_RATE, e.g. "120/minute")."""

import django_filters
from django import forms
from django.conf import settings
from django.db import DataError
from django.utils.translation import gettext as _
from drf_spectacular.extensions import (
    OpenApiSerializerFieldExtension,
)
from rest_framework import filters, views
from rest_framework.authentication import (
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import (
    AuthenticationFailed,
    Throttled,
    ValidationError,
)
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle, BaseThrottle

from portal.operations.client_address import client_ip
from portal.operations.ratelimit import over_limit


class LockoutTokenAuthentication(TokenAuthentication):
    """Token sign-in with a lockout, as the site's and the admin's sign-ins have (django-axes):
    an address that sent RATELIMITS["api_token"] wrong tokens is refused (429) until the
    window ends, even with a right token, so keys can't be guessed at speed."""

    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token offered: nothing to count
        client = request._request  # the Django request: its address, not DRF's lazy user
        wait = over_limit("api_token", client, count=False)
        if wait is not None:
            raise Throttled(wait, _("ใส่โทเค็นไม่ถูกต้องหลายครั้ง ระบบระงับการเข้าถึงจากที่อยู่นี้ชั่วคราว"))
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            over_limit("api_token", client)  # one more failure
            raise


class ClientAddressMixin:
    """DRF throttles count by the portal's one idea of the client's address
    (portal/operations/client_address.py, settings.TRUSTED_PROXIES), never by DRF's own reading of
    X-Forwarded-For."""

    def get_ident(self, request):
        return client_ip(request) or ""


class AnonymousThrottle(ClientAddressMixin, AnonRateThrottle):
    """Anonymous callers, counted by address; signed-in users (session or token) are not."""

    def get_rate(self):
        return getattr(settings, "API_ANON_THROTTLE_RATE", "120/minute")

    def wait(self):
        """Never None, so a 429 always says Retry-After (DRF gives None when more requests
        were let through than the rate now allows, e.g. after the rate was lowered)."""
        return super().wait() or self.duration


class SignedInSearchThrottle(ClientAddressMixin, BaseThrottle):
    """Searches (`?q=`) by signed-in callers of views with `throttle_scope = "search"`
    (cases, lessons), counted per user against the web search's limit (RATELIMITS["search"],
    the same counter: one search budget, web or API). Anonymous callers are left to
    AnonymousThrottle. Like the web's limit, it fails open if the cache is down."""

    scope = "search"

    def allow_request(self, request, view):
        self.wait_seconds = None
        if getattr(view, "throttle_scope", None) != self.scope:
            return True
        if not (request.user and request.user.is_authenticated):
            return True
        if request.method != "GET" or not request.query_params.get("q", "").strip():
            return True
        self.wait_seconds = over_limit(self.scope, request._request)
        return self.wait_seconds is None

    def wait(self):
        return self.wait_seconds


THROTTLED_RESPONSE = {
    "description": "Too many requests (anonymous callers per address, signed-in searches per "
    "user, wrong tokens per address); retry after `Retry-After` seconds.",
    "headers": {"Retry-After": {"schema": {"type": "integer"}, "description": "seconds"}},
    "content": {
        "application/json": {
            "schema": {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            }
        }
    },
}


def document_throttling(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation may answer 429 (the throttles
    above apply to every endpoint), so the schema says so."""
    for path_item in result.get("paths", {}).values():
        for operation in path_item.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault("429", THROTTLED_RESPONSE)
    return result


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100


# Ids in URLs and filters: bounded, so an absurd number is a 400/404, not a database overflow.
ID_REGEX = "[0-9]{1,12}"
MAX_ID = 10**12


class IdFilter(django_filters.NumberFilter):
    """An integer filter (an id, a year) with bounds, checked before the database sees it."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BlankableURLFieldExtension(OpenApiSerializerFieldExtension):
    """A URL field that may be blank (a model's URLField(blank=True)) is "" when unknown,
    which is not a `uri`: say so in the schema, for every app's serializers at once."""

    target_class = "rest_framework.fields.URLField"

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string", "format": "uri"}
        if getattr(self.target, "max_length", None):
            schema["maxLength"] = self.target.max_length
        if self.target.allow_blank:
            return {"oneOf": [schema, {"type": "string", "enum": [""]}]}
        return schema


def exception_handler(exc, context):
    """DRF's handler, plus one safety net for every app's endpoints: a value the database
    refuses as data (a number too large, a NUL character in text) is the caller's mistake —
    400, never 500."""
    if isinstance(exc, OverflowError | DataError):
        exc = ValidationError({"detail": _("ค่าที่ส่งมาไม่ถูกต้องหรือเกินขอบเขตที่รับได้")})
    return views.exception_handler(exc, context)


class SearchFilter(filters.SearchFilter):
    """`?q=` like the rest of the portal (DRF's default is `?search=`)."""

    search_param = "q"
