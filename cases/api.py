"""API of public model projects, lessons and topics (registered on portal.api.router).

GET /api/v1/cases/?q=…&year=…&province=… (and /api/v1/lessons/?q=…&topic=…) use the same
search, facets and ordering as the public pages (cases/listing.py); without q, the newest
first. They page like every list of the API (portal/api/policy.py: `page`, `page_size` ≤ 100,
a page past the end is a 404), and a malformed filter value is a 400 naming its parameter
(the public pages ignore one instead: a hand-edited address still shows results)."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from portal.api.policy import (
    Pagination,
    checked_page_number,
    checked_page_size,
    refuse_unknown_parameters,
)
from portal.api.router import router

from . import facets, fragments, listing, search
from .models import Topic
from .serializers import (
    CaseDetailSerializer,
    CaseHitSerializer,
    LessonSerializer,
    TopicSerializer,
)

NO_NUL = "^[^\\x00]*$"
QUERY = OpenApiParameter(
    "q",
    {"type": "string", "pattern": NO_NUL},
    description="คำค้นภาษาไทย/อังกฤษ / Search words, Thai or English",
)
# A string facet's value: 1–100 characters, no control characters, not only spaces.
TEXT_VALUE = "^[^\\x00-\\x1f\\x7f-\\x9f]*[^\\s\\x00-\\x1f\\x7f-\\x9f][^\\x00-\\x1f\\x7f-\\x9f]*$"
MAX_INTEGER = 999_999_999


class SearchPagination(Pagination):
    """The lists of cases and lessons: DRF's page, plus `count_is_lower_bound` and
    `also_searched` (the thesaurus words the query also searched, as the pages show them)."""

    def get_paginated_response_schema(self, schema):
        paginated = super().get_paginated_response_schema(schema)
        paginated["properties"]["count_is_lower_bound"] = {
            "type": "boolean",
            "description": "จำนวนนับถึงเพดานแล้ว มีผลลัพธ์มากกว่า count / True when the search "
            "stopped counting at a cap: there are more results than `count`.",
        }
        paginated["properties"]["also_searched"] = {
            "type": "array",
            "items": {"type": "string"},
            "description": "คำที่เกี่ยวข้องที่ค้นหาด้วยจากอรรถาภิธาน (คำพ้อง คำย่อ ชื่อย่อ) / Words "
            "the thesaurus also searched for `q` (synonyms, abbreviations, short names); empty "
            "without `q` or when none applied.",
        }
        paginated["required"] = ["count", "count_is_lower_bound", "also_searched", "results"]
        return paginated


def _facet_parameters(facet_set) -> list:
    parameters = []
    for f in facet_set.facets:
        if f.integer:
            item = {"type": "integer", "minimum": 0, "maximum": MAX_INTEGER}
        else:
            item = {"type": "string", "minLength": 1, "maxLength": 100, "pattern": TEXT_VALUE}
        parameters.append(
            OpenApiParameter(
                f.param,
                {"type": "array", "items": item, "maxItems": facets.MAX_VALUES},
                explode=True,
                description=f"{f.label} / {f.param} (at most {facets.MAX_VALUES} values)",
            )
        )
    return parameters


def checked_filters(params, facet_set) -> None:
    """A 400 naming the parameter for a value the facets would have ignored."""
    errors = {}
    for facet in facet_set.facets:
        values = params.getlist(facet.param)
        if len(values) > facets.MAX_VALUES:
            errors[facet.param] = [_("ระบุได้ไม่เกิน %(n)s ค่า") % {"n": facets.MAX_VALUES}]
            continue
        for raw in values:
            value = raw.strip()
            if facet.integer:
                good = value.isascii() and value.isdigit() and len(value) <= 9
                message = _("ต้องเป็นจำนวนเต็มบวก")
            else:
                good = bool(value) and len(raw) <= 100 and not any(
                    ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in raw
                )  # fmt: skip
                message = _("ต้องเป็นข้อความ 1–100 ตัวอักษร ไม่มีอักขระควบคุม")
            if not good:
                errors[facet.param] = [message]
                break
    if facet_set is facets.CASES and "sort" in params and params["sort"] not in listing.SORTS:
        errors["sort"] = [_("เรียงได้ตาม: %(sorts)s") % {"sorts": ", ".join(listing.SORTS)}]
    if errors:
        raise ValidationError(errors)


def _paginated(view, list_function, kind, serializer_class):
    request = view.request
    params = request.query_params
    refuse_unknown_parameters(view)
    checked_filters(params, listing.FACET_SETS[kind])
    size = checked_page_size(params)
    number = checked_page_number(params)

    def page_body():
        # The API offers no suggestions (nothing in its schema): not worked out for it.
        result = list_function(params, number, per_page=size, with_facets=False,
                               with_suggestions=False)  # fmt: skip
        page = result.page
        if page.number != number:  # Django's get_page gave the last page instead
            raise NotFound(Pagination.invalid_page_message)
        context = {**view.get_serializer_context(), "snippets": fragments.snippets_of(result)}

        def link(n):
            return replace_query_param(request.build_absolute_uri(), "page", n)

        return {
            "count": page.paginator.count,
            "count_is_lower_bound": bool(getattr(page.paginator.object_list, "capped", False)),
            "also_searched": list(result.query.also),
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": serializer_class(result.objects, many=True, context=context).data,
        }

    # The same for every caller until the index changes as far as this search can tell, as the
    # pages are (listing.generation): kept by the address asked (its links and the results'
    # URLs name it; the host is one ALLOWED_HOSTS allows) and the language the names are in.
    query = search.parse(params.get("q", ""))
    generation = listing.generation(kind, query, params, with_suggestions=False)
    key = ("api", request.build_absolute_uri(), get_language())
    return Response(search.cached(key, page_body, by=generation))


class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    """Published model projects (ผลงานต้นแบบ), searchable in Thai and filterable by facet."""

    serializer_class = CaseHitSerializer
    filter_backends = []  # search and facets are the domain's (cases/listing.py)
    pagination_class = SearchPagination
    throttle_scope = "search"  # signed-in `?q=`: the web search's limit (api_policy)
    lookup_value_regex = "[0-9]{1,12}"

    def get_queryset(self):
        return (
            listing.case_cards()
            .prefetch_related(
                "topics", "sdgs", "lessons", "adoptions__agency", "adoptions__province"
            )
            .order_by("-year_be", "-pk")
        )

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseHitSerializer

    @extend_schema(
        parameters=[
            QUERY,
            OpenApiParameter(
                "sort",
                {"type": "string", "enum": list(listing.SORTS)},
                description="relevance (with q), newest, oldest, title",
            ),
            *_facet_parameters(facets.CASES),
        ]
    )
    def list(self, request, *args, **kwargs):
        return _paginated(self, listing.cases, search.Kind.CASE, CaseHitSerializer)


class LessonViewSet(viewsets.ReadOnlyModelViewSet):
    """Published lessons learned (ถอดบทเรียน), searchable in Thai and filterable by their case
    study's year, branch, award level, province, agency and topic."""

    serializer_class = LessonSerializer
    filter_backends = []
    pagination_class = SearchPagination
    throttle_scope = "search"
    lookup_value_regex = "[0-9]{1,12}"

    def get_queryset(self):
        return search.public_lessons().select_related("case_study").order_by("-published_at")

    @extend_schema(parameters=[QUERY, *_facet_parameters(facets.LESSONS)])
    def list(self, request, *args, **kwargs):
        return _paginated(self, listing.lessons, search.Kind.LESSON, LessonSerializer)


class TopicViewSet(viewsets.ReadOnlyModelViewSet):
    """Subject tags (หัวข้อ) of model projects: `slug` is the value of the `topic` filter of
    cases and lessons and of open data's `topics`."""

    queryset = Topic.objects.order_by("name_th")
    serializer_class = TopicSerializer
    lookup_field = "slug"
    lookup_value_regex = "[^/]{1,80}"
    pagination_class = Pagination
    filter_backends = []


router.register("cases", CaseStudyViewSet, basename="case")
router.register("lessons", LessonViewSet, basename="lesson")
router.register("topics", TopicViewSet, basename="topic")
