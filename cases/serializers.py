"""JSON shapes of the public API: a search hit, a case study, a lesson, a topic. An agency is
{id, name, abbreviation, url} here as everywhere (portal/agencies/serializers.py); topics are
named by slug and SDGs by number, the values of the filters, of /api/v1/topics/ and /sdgs/,
and of open data."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from portal.agencies.serializers import AgencyRefSerializer

from .models import Adoption, CaseStudy, Lesson, Topic


class PublicUrlMixin(serializers.Serializer):
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CaseHitSerializer(PublicUrlMixin, serializers.ModelSerializer):
    """One case study in a list or search result; `snippet` has the query words in <mark>;
    `url` is its public page."""

    snippet = serializers.SerializerMethodField()
    agency = AgencyRefSerializer(read_only=True, allow_null=True)
    branch = serializers.CharField(source="branch.code", default=None, allow_null=True)
    provinces = serializers.SerializerMethodField()
    award_level = serializers.CharField(
        read_only=True,
        help_text="Award level code (empty when not recorded); its name in award_level_label",
    )
    award_level_label = serializers.CharField(read_only=True)  # in the reader's language

    class Meta:
        model = CaseStudy
        fields = [
            "id", "title", "url", "snippet", "external_id", "source_url", "year_be",
            "award_level", "award_level_label", "agency", "branch", "provinces",
        ]  # fmt: skip

    def get_snippet(self, obj) -> str:
        return str(self.context.get("snippets", {}).get(obj.pk) or obj.summary[:200])

    def get_provinces(self, obj) -> list[str]:
        return [p.code for p in obj.provinces.all()]


class LessonRefSerializer(PublicUrlMixin, serializers.ModelSerializer):
    """A published lesson of a case study (its id is /api/v1/lessons/<id>/)."""

    class Meta:
        model = Lesson
        fields = ["id", "title", "slug", "url"]


class AdoptionSerializer(serializers.ModelSerializer):
    """An agency that took the model project up (ขยายผล): where (ISO 3166-2:TH) and from which
    year (B.E.); the same rows as open data's `adoptions`."""

    agency = AgencyRefSerializer(read_only=True)
    province = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Adoption
        fields = ["id", "agency", "province", "year_be", "note"]


class CaseDetailSerializer(CaseHitSerializer):
    category = serializers.CharField(source="category.display_name", default=None,
                                     allow_null=True, read_only=True)  # fmt: skip
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    lessons = serializers.SerializerMethodField()
    adoptions = AdoptionSerializer(many=True, read_only=True)

    class Meta(CaseHitSerializer.Meta):
        fields = CaseHitSerializer.Meta.fields + [
            "summary", "problem", "approach", "results", "body", "category", "topics", "sdgs",
            "published_at", "lessons", "adoptions",
        ]  # fmt: skip

    def get_snippet(self, obj) -> str:
        return obj.summary[:200]

    @extend_schema_field(LessonRefSerializer(many=True))
    def get_lessons(self, obj):
        published = [lesson for lesson in obj.lessons.all() if lesson.is_published]
        return LessonRefSerializer(published, many=True, context=self.context).data


class LessonSerializer(PublicUrlMixin, serializers.ModelSerializer):
    snippet = serializers.SerializerMethodField()
    case_study = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = Lesson
        fields = [
            "id", "title", "url", "snippet", "case_study", "background", "key_process",
            "success_factors", "obstacles", "indicators", "replication", "spread_to",
            "published_at",
        ]  # fmt: skip

    def get_snippet(self, obj) -> str:
        return str(self.context.get("snippets", {}).get(obj.pk) or obj.background[:200])


class TopicSerializer(serializers.ModelSerializer):
    """A subject tag: `slug` is the `topic` filter's value and open data's `topics` entry."""

    url = serializers.HyperlinkedIdentityField(view_name="topic-detail", lookup_field="slug")
    name = serializers.CharField(source="display_name", read_only=True)

    class Meta:
        model = Topic
        fields = ["slug", "name", "name_th", "name_en", "url"]
