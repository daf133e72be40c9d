"""JSON shapes of the public API: a search hit, a case study, a lesson."""

from rest_framework import serializers

from .models import CaseStudy, Lesson


class PublicUrlMixin(serializers.Serializer):
    url = serializers.SerializerMethodField()

    def get_url(self, obj) -> str:
        request = self.context.get("request")
        path = obj.get_absolute_url()
        return request.build_absolute_uri(path) if request else path


class CaseHitSerializer(PublicUrlMixin, serializers.ModelSerializer):
    """One case study in a list or search result; `snippet` has the query words in <mark>."""

    snippet = serializers.SerializerMethodField()
    agency = serializers.CharField(source="agency.display_name", default=None, allow_null=True)
    branch = serializers.CharField(source="branch.code", default=None, allow_null=True)
    provinces = serializers.SerializerMethodField()

    class Meta:
        model = CaseStudy
        fields = [
            "id", "title", "url", "snippet", "external_id", "source_url", "year_be",
            "award_level", "agency", "branch", "provinces",
        ]  # fmt: skip

    def get_snippet(self, obj) -> str:
        return str(self.context.get("snippets", {}).get(obj.pk) or obj.summary[:200])

    def get_provinces(self, obj) -> list[str]:
        return [p.code for p in obj.provinces.all()]


class CaseDetailSerializer(CaseHitSerializer):
    category = serializers.CharField(source="category.display_name", default=None)
    topics = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    sdgs = serializers.SlugRelatedField(slug_field="number", many=True, read_only=True)
    lessons = serializers.SerializerMethodField()

    class Meta(CaseHitSerializer.Meta):
        fields = CaseHitSerializer.Meta.fields + [
            "summary", "problem", "approach", "results", "body", "category", "topics", "sdgs",
            "published_at", "lessons",
        ]  # fmt: skip

    def get_snippet(self, obj) -> str:
        return obj.summary[:200]

    def get_lessons(self, obj) -> list[dict]:
        return [
            {"id": lesson.pk, "title": lesson.title, "slug": lesson.slug}
            for lesson in obj.lessons.all()
            if lesson.is_published
        ]


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
