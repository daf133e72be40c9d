"""The public list's facets (B.E. year, branch, category, award level, province, agency, SDG,
topic): one definition used by the web pages and the API alike. Counts are computed with every
other facet applied (and the search query), so they say what choosing a value would give."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from awards.models import AwardLevel
from portal.models import in_reader_language


@dataclass(frozen=True)
class Facet:
    param: str  # the URL parameter: ?province=TH-50&year=2566
    label: str
    lookup: str  # the CaseStudy field filtered on
    label_lookup: str | None = None  # the field naming a value (None: the value itself)
    integer: bool = False

    def values_from(self, params) -> list:
        raw = [v.strip() for v in params.getlist(self.param) if v.strip()][:10]
        if self.integer:
            raw = [int(v) for v in raw if v.isdigit()]
        return raw

    def q(self, values) -> Q:
        return Q(**{f"{self.lookup}__in": values})


FACETS = [
    Facet("year", _("ปี พ.ศ."), "year_be", integer=True),
    Facet("branch", _("สาขา"), "branch__code", "branch__name_th"),
    Facet("category", _("ประเภท"), "category__id", "category__name_th", integer=True),
    Facet("level", _("ระดับรางวัล"), "award_level"),
    Facet("province", _("จังหวัด"), "provinces__code", "provinces__name_th"),
    Facet("agency", _("หน่วยงาน"), "agency__id", "agency__name_th", integer=True),
    Facet("sdg", _("เป้าหมาย SDG"), "sdgs__number", "sdgs__name_th", integer=True),
    Facet("topic", _("หัวข้อ"), "topics__slug", "topics__name_th"),
]
FACETS_BY_PARAM = {f.param: f for f in FACETS}
LEVEL_LABELS = dict(AwardLevel.choices)
# Counts are cached for Thai and English readers alike: a name stays lazy and is read in the
# language of the page that shows it.
_name_in_reader_language = lazy(in_reader_language, str)


def _name_lookups(facet: Facet) -> list[str]:
    """The Thai and the English name of a facet's values (every named facet has both)."""
    if not facet.label_lookup:
        return []
    return [facet.label_lookup, facet.label_lookup.removesuffix("_th") + "_en"]


def selected(params) -> dict:
    """{param: [values]} of the facets chosen in a query string."""
    chosen = {}
    for facet in FACETS:
        values = facet.values_from(params)
        if values:
            chosen[facet.param] = values
    return chosen


def apply(queryset, chosen: dict, skip: str | None = None):
    """Filter case studies by the chosen facets (one subquery per facet, so many-to-many
    facets never duplicate rows)."""
    for param, values in chosen.items():
        if param == skip:
            continue
        facet = FACETS_BY_PARAM[param]
        queryset = queryset.filter(
            pk__in=queryset.model.objects.filter(facet.q(values)).values("pk")
        )
    return queryset


def counts(base, chosen: dict, limit: int = 30) -> list[dict]:
    """For each facet, its values with the number of case studies each would give.

    `base` is the published, searched queryset before facets. One query per facet."""
    out = []
    for facet in FACETS:
        queryset = apply(base, chosen, skip=facet.param)
        fields = [facet.lookup, *_name_lookups(facet)]
        rows = (
            queryset.filter(**{f"{facet.lookup}__isnull": False})
            .values(*fields)
            .annotate(n=Count("pk", distinct=True))
            .order_by("-n", facet.lookup)[:limit]
        )
        current = {str(v) for v in chosen.get(facet.param, [])}
        values = []
        for row in rows:
            value = row[facet.lookup]
            if facet.label_lookup:
                label = _name_in_reader_language(*(row[f] for f in _name_lookups(facet)))
            elif facet.param == "level":
                label = LEVEL_LABELS.get(value, value)
            else:
                label = str(value)
            values.append(
                {"value": value, "label": label, "count": row["n"],
                 "selected": str(value) in current}
            )  # fmt: skip
        if facet.param == "year":
            values.sort(key=lambda v: -v["value"])
        out.append({"param": facet.param, "label": facet.label, "values": values})
    return out
