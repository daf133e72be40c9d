"""What every API endpoint of the portal shares: pagination, and throttling of anonymous
traffic (the rate is read from settings on each request, so tests and deployments can set
it: API_ANON_THROTTLE_RATE, e.g. "120/minute")."""

import django_filters
from django import forms
from django.conf import settings
from django.db import DataError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.extensions import (
    OpenApiSerializerFieldExtension,
)
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import filters, views
from rest_framework.authentication import (
    TokenAuthentication,
    get_authorization_header,
)
from rest_framework.exceptions import (
    AuthenticationFailed,
    NotFound,
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
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
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
    """Every list of the API pages the same way: `page` from 1 (a page that is not a number,
    below 1 or past the end is a 404, DRF's "Invalid page."), `page_size` 1–100 (default 20;
    anything else is a 400 naming `page_size`, never silently replaced)."""

    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request):
        return checked_page_size(request.query_params)

    def paginate_queryset(self, queryset, request, view=None):
        refuse_unknown_parameters(view)
        return super().paginate_queryset(queryset, request, view)

    def get_page_number(self, request, paginator):
        # DRF reads an empty `page=` as page 1; the schema says an integer from 1.
        return checked_page_number(request.query_params)

    def get_schema_operation_parameters(self, view):
        return PAGE_PARAMETERS


# DRF's own: `?format=json` picks the renderer (URL_FORMAT_OVERRIDE) on every endpoint.
ALWAYS_ACCEPTED = {"format"}


def accepted_parameters(view) -> set[str]:
    """The query parameters a list documents in the schema, read from the same places
    drf-spectacular reads them: its paginator's, its filter backends' and the parameters of
    its action's @extend_schema."""
    names = set(ALWAYS_ACCEPTED)
    if view.paginator is not None:
        names |= {p["name"] for p in view.paginator.get_schema_operation_parameters(view)}
    for backend in view.filter_backends:
        if issubclass(backend, DjangoFilterBackend):
            filterset = backend().get_filterset_class(view, view.get_queryset())
            names |= set(filterset.base_filters) if filterset else set()
        else:
            names |= {p["name"] for p in backend().get_schema_operation_parameters(view)}
    handler = getattr(view, view.action or "", None)
    extended = getattr(handler, "kwargs", {}).get("schema")
    if extended is not None:
        schema = extended()
        schema.view, schema.method = view, view.request.method
        names |= {
            p.name
            for p in schema.get_override_parameters()
            if isinstance(p, OpenApiParameter) and p.location == OpenApiParameter.QUERY
        }
    return names


def refuse_unknown_parameters(view) -> None:
    """A list refuses a query parameter it does not know (400 naming it): a misspelt filter
    (`?provice=`) silently ignored would hand the caller every row as if filtered. Every
    paginated list passes here (Pagination.paginate_queryset; the search lists in
    cases/api.py page through the same check), as do unpaginated lists (the agency tree)."""
    accepted = accepted_parameters(view)
    unknown = sorted(set(view.request.query_params) - accepted)
    if unknown:
        raise ValidationError(
            {
                "detail": _("ไม่รู้จักพารามิเตอร์: %(unknown)s (ใช้ได้: %(accepted)s)")
                % {
                    "unknown": ", ".join(name[:40] for name in unknown[:10]),
                    "accepted": ", ".join(sorted(accepted - ALWAYS_ACCEPTED)) or "-",
                }
            }
        )


def checked_page_size(params) -> int:
    raw = params.get("page_size")
    if raw is None:
        return Pagination.page_size
    value = raw.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 3):
        raise ValidationError({"page_size": [_("ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 100")]})
    if not 1 <= int(value) <= Pagination.max_page_size:
        raise ValidationError({"page_size": [_("ต้องเป็นจำนวนเต็มตั้งแต่ 1 ถึง 100")]})
    return int(value)


def checked_page_number(params) -> int:
    """The `page` asked for (1 when absent); not a whole number ≥ 1: 404, as DRF answers."""
    raw = params.get("page")
    if raw is None:
        return 1
    value = raw.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 9) or int(value) < 1:
        raise NotFound(PageNumberPagination.invalid_page_message)
    return int(value)


PAGE_PARAMETERS = [
    {
        "name": "page",
        "required": False,
        "in": "query",
        "description": "หน้าที่ (เริ่มที่ 1) / Page number, from 1; past the last page: 404.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 999999999},
    },
    {
        "name": "page_size",
        "required": False,
        "in": "query",
        "description": "จำนวนรายการต่อหน้า (1–100, ค่าเริ่มต้น 20) / Results per page (1–100, "
        "default 20); anything else: 400.",
        "schema": {"type": "integer", "minimum": 1, "maximum": 100},
    },
]


# Ids in URLs and filters: bounded, so an absurd number is a 400/404, not a database overflow.
ID_REGEX = "[0-9]{1,12}"
MAX_ID = 10**12


@extend_schema_field({"type": "integer", "format": "int64", "minimum": 0, "maximum": MAX_ID})
class IdFilter(django_filters.NumberFilter):
    """An integer filter (an id, a year) with bounds, checked before the database sees it."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class BlankableURLFieldExtension(OpenApiSerializerFieldExtension):
    """A URL field that may be blank (a model's URLField(blank=True)) is "" when unknown,
    which is not a `uri`: a plain string in the schema (an enum of "" made generators build a
    one-value enum class), for every app's serializers at once."""

    target_class = "rest_framework.fields.URLField"

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string"}
        if not self.target.allow_blank:
            schema["format"] = "uri"
        else:
            schema["description"] = "URL, or an empty string when unknown"
            schema["x-blank"] = True  # the validator's `format` is dropped (schema.polish)
        if getattr(self.target, "max_length", None):
            schema["maxLength"] = self.target.max_length
        return schema


class BlankableEmailFieldExtension(OpenApiSerializerFieldExtension):
    """An e-mail field that may be blank is "" until filled in: not an `email` then."""

    target_class = "rest_framework.fields.EmailField"

    def map_serializer_field(self, auto_schema, direction):
        schema = {"type": "string"}
        if not self.target.allow_blank:
            schema["format"] = "email"
        else:
            schema["description"] = "e-mail address, or an empty string"
            schema["x-blank"] = True  # the validator's `format` is dropped (schema.polish)
        if getattr(self.target, "max_length", None):
            schema["maxLength"] = self.target.max_length
        return schema


class StrictBooleanField(forms.Field):
    """`true` or `false`, as the schema's `boolean` is written in a query string; anything else
    (`1`, `True`, `maybe`) is an error, not "no filter" (django-filter's NullBooleanField reads
    an unknown word as unset) nor a guess."""

    VALUES = {"true": True, "false": False}

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return self.VALUES[str(value)]
        except KeyError:
            raise forms.ValidationError(_("ต้องเป็น true หรือ false")) from None


@extend_schema_field({"type": "boolean"})
class BooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictFilterSet(django_filters.FilterSet):
    """A filter given with an empty value is an error naming it (django-filter ignores it)."""

    def is_valid(self):
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and any(not v.strip() for v in self.data.getlist(name)):
                if name not in self.form.errors:
                    self.form.add_error(name, _("ต้องระบุค่า"))
                valid = False
        return valid


class OrderingFilter(filters.OrderingFilter):
    """`ordering=` one or more of the view's fields (comma-separated, `-` for descending); an
    unknown field is a 400 naming `ordering`, never silently dropped."""

    def get_ordering(self, request, queryset, view):
        raw = request.query_params.get(self.ordering_param)
        if raw is None:
            return self.get_default_ordering(view)
        fields = [param.strip() for param in raw.split(",")]
        valid = {item[0] for item in self.get_valid_fields(queryset, view, {"request": request})}
        if not fields or any(not f or f.removeprefix("-") not in valid for f in fields):
            raise ValidationError(
                {
                    self.ordering_param: [
                        _("เรียงลำดับได้ตาม: %(fields)s") % {"fields": ", ".join(sorted(valid))}
                    ]
                }  # fmt: skip
            )
        return fields

    def get_schema_operation_parameters(self, view):
        names = "|".join(getattr(view, "ordering_fields", None) or [])
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "เรียงตามฟิลด์ คั่นด้วยจุลภาค ใส่ - หน้าชื่อเพื่อเรียงจากมากไปน้อย / "
                "Fields to order by, comma-separated, `-` for descending.",
                "schema": {"type": "string", "pattern": f"^-?({names})(,-?({names}))*$"},
            }
        ]


def exception_handler(exc, context):
    """DRF's handler, plus one safety net for every app's endpoints: a value the database
    refuses as data (a number too large, a NUL character in text) is the caller's mistake —
    400, never 500."""
    if isinstance(exc, OverflowError | DataError):
        exc = ValidationError({"detail": _("ค่าที่ส่งมาไม่ถูกต้องหรือเกินขอบเขตที่รับได้")})
    elif isinstance(exc, Http404):
        # Django's message ("No CaseStudy matches the given query.") is English and names a
        # model; DRF's own is translated ("ไม่พบ" / "Not found.").
        exc = NotFound()
    return views.exception_handler(exc, context)


class SearchFilter(filters.SearchFilter):
    """`?q=` like the rest of the portal (DRF's default is `?search=`)."""

    search_param = "q"


class MethodNotAllowedFirst:
    """An API endpoint answers a method it does not have (TRACE, DELETE on a read-only list)
    with 405 and `Allow`, before asking who the caller is: DRF authenticates first, so a
    signed-in endpoint said 401 to any method, which told a client nothing about the method."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        actions = getattr(view_func, "actions", None)  # a DRF viewset's {method: action}
        if actions is None:
            return None
        allowed = {method.upper() for method in actions} | {"OPTIONS"}
        if "GET" in allowed:
            allowed.add("HEAD")
        if request.method in allowed:
            return None
        response = JsonResponse(
            {"detail": _("ไม่รองรับเมธอด %(method)s") % {"method": request.method[:20]}},
            status=405,
        )
        response["Allow"] = ", ".join(sorted(allowed))
        return response
