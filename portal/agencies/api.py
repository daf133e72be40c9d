"""API of the portal's reference data: agencies (a tree) and provinces.

GET /api/v1/agencies/            flat, paginated; ?parent=<id>, ?root=true, ?kind=, ?province=
GET /api/v1/agencies/<id>/       with its ancestors (root first) and its children
GET /api/v1/agencies/tree/       the whole tree, nested (or ?root=<id>: one branch of it)
GET /api/v1/provinces/<code>/    ISO 3166-2:TH code, e.g. TH-10 for Bangkok
GET /api/v1/sdgs/<number>/       the UN Sustainable Development Goals (1–17)
"""

from collections import defaultdict

import django_filters
from django.db.models import Count
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from portal.agencies.models import SDG, Agency, AgencyKind, Province, Region
from portal.agencies.serializers import AgencyRefSerializer, SDGSerializer
from portal.api.policy import (
    ID_REGEX,
    BooleanFilter,
    IdFilter,
    OrderingFilter,
    Pagination,
    SearchFilter,
    StrictFilterSet,
    refuse_unknown_parameters,
)
from portal.api.router import router


class ProvinceSerializer(serializers.HyperlinkedModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="province-detail", lookup_field="code")
    region_label = serializers.CharField(source="get_region_display", read_only=True)

    class Meta:
        model = Province
        fields = ["url", "code", "name_th", "name_en", "region", "region_label"]


class AgencySerializer(serializers.ModelSerializer):
    url = serializers.HyperlinkedIdentityField(view_name="agency-detail")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    parent = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    parent_url = serializers.HyperlinkedRelatedField(
        source="parent", view_name="agency-detail", read_only=True, allow_null=True
    )
    province = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    children_count = serializers.IntegerField(read_only=True)
    website = serializers.CharField(read_only=True)  # "" when unknown: not a URI

    class Meta:
        model = Agency
        fields = [
            "id", "url", "name_th", "name_en", "abbreviation", "kind", "kind_label",
            "parent", "parent_url", "province", "website", "is_active", "children_count",
        ]  # fmt: skip


class AgencyDetailSerializer(AgencySerializer):
    ancestors = serializers.SerializerMethodField()
    children = AgencyRefSerializer(many=True, read_only=True)

    class Meta(AgencySerializer.Meta):
        fields = [*AgencySerializer.Meta.fields, "ancestors", "children"]

    @extend_schema_field(AgencyRefSerializer(many=True))
    def get_ancestors(self, agency):
        return AgencyRefSerializer(agency.ancestors(), many=True, context=self.context).data


class AgencyNodeSerializer(serializers.Serializer):
    """One node of the nested tree (children are nodes too)."""

    id = serializers.IntegerField()
    name_th = serializers.CharField()
    name_en = serializers.CharField()
    abbreviation = serializers.CharField()
    kind = serializers.ChoiceField(choices=AgencyKind.choices)
    children = serializers.SerializerMethodField()

    @extend_schema_field({"type": "array", "items": {"$ref": "#/components/schemas/AgencyNode"}})
    def get_children(self, node):
        return AgencyNodeSerializer(node["children"], many=True).data


class AgencyFilter(StrictFilterSet):
    parent = IdFilter(field_name="parent_id")
    root = BooleanFilter(field_name="parent", lookup_expr="isnull")
    kind = django_filters.ChoiceFilter(choices=AgencyKind.choices)
    province = django_filters.CharFilter(field_name="province__code")
    is_active = BooleanFilter()

    class Meta:
        model = Agency
        fields = ["parent", "root", "kind", "province", "is_active"]


class AgencyViewSet(viewsets.ReadOnlyModelViewSet):
    """Government agencies (หน่วยงาน): ministry › department › division, provinces, local
    governments, public organisations. `q` searches the Thai and English names and the
    abbreviation."""

    lookup_value_regex = ID_REGEX
    pagination_class = Pagination
    filterset_class = AgencyFilter
    filter_backends = [
        django_filters.rest_framework.DjangoFilterBackend,
        SearchFilter,
        OrderingFilter,
    ]
    search_fields = ["name_th", "name_en", "abbreviation"]
    ordering_fields = ["name_th", "name_en", "abbreviation", "id"]
    ordering = ["name_th"]

    def get_queryset(self):
        queryset = Agency.objects.select_related("parent", "province").annotate(
            children_count=Count("children")
        )
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("children")
        return queryset

    def get_serializer_class(self):
        return AgencyDetailSerializer if self.action == "retrieve" else AgencySerializer

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "root",
                {"type": "integer", "minimum": 0, "maximum": 10**12},
                description="Only the branch under this agency",
            )
        ],
        responses=AgencyNodeSerializer(many=True),
    )
    @action(detail=False, pagination_class=None, filter_backends=[])
    def tree(self, request, *args, **kwargs):  # format suffix (tree.json) included
        """The agencies as a nested tree (one query, built in memory)."""
        refuse_unknown_parameters(self)  # a list, though not paged
        rows = list(
            Agency.objects.order_by("name_th").values(
                "id", "name_th", "name_en", "abbreviation", "kind", "parent_id"
            )
        )
        children = defaultdict(list)
        for row in rows:
            children[row["parent_id"]].append(row)

        def node(row, seen):
            if row["id"] in seen:  # a cycle in bad data must not loop forever
                return None
            seen = seen | {row["id"]}
            kids = [child for child in (node(c, seen) for c in children[row["id"]]) if child]
            return {**{k: v for k, v in row.items() if k != "parent_id"}, "children": kids}

        root = request.query_params.get("root")
        if root is None:
            tops = children[None]
        else:
            if not (root.isascii() and root.isdigit() and len(root) <= 12):
                raise NotFound()
            tops = [row for row in rows if row["id"] == int(root)]
            if not tops:
                raise NotFound()
        return Response([node(row, frozenset()) for row in tops])


class ProvinceFilter(StrictFilterSet):
    region = django_filters.ChoiceFilter(choices=Region.choices)

    class Meta:
        model = Province
        fields = ["region"]


class ProvinceViewSet(viewsets.ReadOnlyModelViewSet):
    """The 76 provinces and Bangkok, by ISO 3166-2:TH code."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    lookup_field = "code"
    pagination_class = Pagination
    filterset_class = ProvinceFilter


class SDGViewSet(viewsets.ReadOnlyModelViewSet):
    """The UN Sustainable Development Goals (เป้าหมายการพัฒนาที่ยั่งยืน) by number, 1–17: the
    values of the `sdg` filter of cases and of open data's `sdgs`."""

    queryset = SDG.objects.order_by("number")
    serializer_class = SDGSerializer
    lookup_field = "number"
    lookup_value_regex = "[0-9]{1,2}"
    pagination_class = Pagination
    filter_backends = []


router.register("agencies", AgencyViewSet, basename="agency")
router.register("sdgs", SDGViewSet, basename="sdg")
router.register("provinces", ProvinceViewSet, basename="province")
