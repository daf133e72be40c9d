"""API of public model projects and lessons (registered on portal.api.router).

GET /api/v1/cases/?q=…&year=…&province=… (and /api/v1/lessons/?q=…&topic=…) use the same
search, facets and ordering as the public pages (cases/listing.py); without q, the newest
first."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.response import Response

from portal.api.router import router

from . import facets, listing, search
from .serializers import CaseDetailSerializer, CaseHitSerializer, LessonSerializer

QUERY = OpenApiParameter("q", OpenApiTypes.STR, description="คำค้นภาษาไทย/อังกฤษ (Thai words)")
PAGE = OpenApiParameter("page", OpenApiTypes.INT)


def _facet_parameters(facet_set) -> list:
    return [
        OpenApiParameter(f.param, OpenApiTypes.INT if f.integer else OpenApiTypes.STR, many=True)
        for f in facet_set.facets
    ]


CASE_PARAMETERS = [
    QUERY,
    OpenApiParameter("sort", OpenApiTypes.STR, enum=list(listing.SORTS)),
    PAGE,
    *_facet_parameters(facets.CASES),
]


def _paginated(view, result, serializer_class):
    page = result.page
    snippets = {obj.pk: snip for obj, snip in result.results if snip}
    context = {**view.get_serializer_context(), "snippets": snippets}
    data = serializer_class([obj for obj, _ in result.results], many=True, context=context).data
    request = view.request

    def link(number):
        url = request.build_absolute_uri()
        from rest_framework.utils.urls import replace_query_param

        return replace_query_param(url, "page", number)

    return Response(
        {
            "count": page.paginator.count,
            "count_is_lower_bound": bool(getattr(page.paginator.object_list, "capped", False)),
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": data,
        }
    )


class CaseStudyViewSet(viewsets.ReadOnlyModelViewSet):
    """Published model projects (ผลงานต้นแบบ), searchable in Thai and filterable by facet."""

    serializer_class = CaseHitSerializer
    filter_backends = []  # search and facets are the domain's (cases/listing.py)
    throttle_scope = "search"  # signed-in `?q=`: the web search's limit (api_policy)

    def get_queryset(self):
        return (
            listing.case_cards()
            .prefetch_related("topics", "sdgs", "lessons")
            .order_by("-year_be", "-pk")
        )

    def get_serializer_class(self):
        return CaseDetailSerializer if self.action == "retrieve" else CaseHitSerializer

    @extend_schema(parameters=CASE_PARAMETERS)
    def list(self, request, *args, **kwargs):
        result = listing.cases(request.query_params, request.query_params.get("page") or 1,
                               with_facets=False)  # fmt: skip
        return _paginated(self, result, CaseHitSerializer)


class LessonViewSet(viewsets.ReadOnlyModelViewSet):
    """Published lessons learned (ถอดบทเรียน), searchable in Thai and filterable by their case
    study's year, branch, award level, province, agency and topic."""

    serializer_class = LessonSerializer
    filter_backends = []
    throttle_scope = "search"

    def get_queryset(self):
        return search.public_lessons().select_related("case_study").order_by("-published_at")

    @extend_schema(parameters=[QUERY, PAGE, *_facet_parameters(facets.LESSONS)])
    def list(self, request, *args, **kwargs):
        result = listing.lessons(request.query_params, request.query_params.get("page") or 1,
                                 with_facets=False)  # fmt: skip
        return _paginated(self, result, LessonSerializer)


router.register("cases", CaseStudyViewSet, basename="case")
router.register("lessons", LessonViewSet, basename="lesson")
