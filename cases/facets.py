"""The public lists' facets (B.E. year, branch, category, award level, province, agency, SDG,
topic): one definition used by the web pages and the API alike, for model projects and for
lessons learned (a lesson is faceted by its case study's). Counts are computed with every other
facet applied (and the search query), so they say what choosing a value would give.

Counting reads the search index, not the case studies: each index row carries its case study's
facet values as keys ("province:TH-50", SearchDocument.facet_keys, written with the row), and
one grouped query counts them over the matching rows. Counting by joins took one pass over the
matches per facet, each through the many-to-many tables: seconds for a word found in most
documents (bench/bench_facets.py)."""

from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import BooleanField
from django.db.models.expressions import RawSQL
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from awards import levels
from portal.language import in_reader_language

from . import caching
from .models import CaseStudy, Lesson

MAX_VALUES = 10  # per facet in one request; more are ignored


@dataclass(frozen=True)
class Facet:
    param: str  # the URL parameter: ?province=TH-50&year=2566
    label: str
    lookup: str  # the CaseStudy field filtered on
    label_lookup: str | None = None  # the field naming a value (None: the value itself)
    integer: bool = False

    def values_from(self, params) -> list:
        """The values chosen in a query string; malformed ones (not a number where a number
        is expected, control characters, over-long) are ignored, never an error."""
        out = []
        for raw in params.getlist(self.param):
            value = raw.strip()
            if self.integer:
                if not (value.isascii() and value.isdigit() and len(value) <= 9):
                    continue
                value = int(value)
            elif not value or len(value) > 100 or not value.isprintable():
                continue
            if value not in out:
                out.append(value)
        return out[:MAX_VALUES]

    def key(self, value) -> str:
        """The value as an index key (SearchDocument.facet_keys)."""
        return f"{self.param}:{value}"


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
MANY_TO_MANY = {"province", "sdg", "topic"}  # a case study has several of these
# Counts are cached for Thai and English readers alike: a name stays lazy and is read in the
# language of the page that shows it.
_name_in_reader_language = lazy(in_reader_language, str)
_level_label = lazy(levels.label, str)


def _name_lookups(facet: Facet) -> list[str]:
    """The Thai and the English name of a facet's values (every named facet has both)."""
    if not facet.label_lookup:
        return []
    return [facet.label_lookup, facet.label_lookup.removesuffix("_th") + "_en"]


def keys_of(case_ids, case_model=CaseStudy) -> dict[int, list[str]]:
    """{case study id: its facet keys}, one query per facet. `case_model` lets a migration
    pass its historical model."""
    keys = {pk: [] for pk in case_ids}
    for facet in FACETS:
        rows = (
            case_model.objects.filter(pk__in=list(keys), **{f"{facet.lookup}__isnull": False})
            .values_list("pk", facet.lookup)
            .distinct()
            .order_by("pk", facet.lookup)
        )
        for pk, value in rows:
            if value != "":  # no award level: nothing to choose
                keys[pk].append(facet.key(value))
    return keys


# One row per key of each row: the JSON array as a table, with its text in `value`.
_EACH = {
    "postgresql": "jsonb_array_elements_text({column}) AS {alias}(value)",
    "sqlite": "json_each({column}) AS {alias}",
}


@dataclass(frozen=True)
class Tally:
    """Facet keys counted ({key: rows}, as count_keys gives them, or the worker's summary of
    the unfiltered list: cases/facet_summary.py) and whether they are lower bounds. Plain data,
    cached as it is: the names are added when a page shows it (a cached panel of lazy names
    made a new class per name each time it was read: 68 per search page)."""

    keys: dict
    lower_bound: bool = False


@dataclass(frozen=True)
class FacetSet:
    """The facets of one kind of public object. `via` leads from its model to the case study
    whose fields the facets read ("" for a case study)."""

    model: type
    facets: tuple
    via: str = ""

    def selected(self, params) -> dict:
        """{param: [values]} of the facets chosen in a query string."""
        chosen = {}
        for facet in self.facets:
            values = facet.values_from(params)
            if values:
                chosen[facet.param] = values
        return chosen

    def apply(self, queryset, chosen: dict):
        """Filter by the chosen facets: a field of the case study directly (so PostgreSQL can
        walk an index in the list's order: `year=2566` read every published case through a
        subquery, 150 ms at 100,000), a many-to-many one through a subquery, which never
        duplicates rows."""
        for param, values in chosen.items():
            lookup = f"{self.via}{FACETS_BY_PARAM[param].lookup}__in"
            if param in MANY_TO_MANY:
                matching = self.model.objects.filter(**{lookup: values})
                queryset = queryset.filter(pk__in=matching.values("pk"))
            else:
                queryset = queryset.filter(**{lookup: values})
        return queryset

    def tally(self, docs, chosen: dict, rows: int | None = None) -> "Tally":
        """The values of every facet with the number of objects each would give.

        `docs` are the search index rows of the objects before facets (all of the kind, or
        those matching the query). One grouped query counts every facet: a key of facet F
        counts for a row when the row has every other chosen facet. With `rows`, at most that
        many of `docs` are read: when there are more, every count is a lower bound, shown as
        such."""
        chosen_here = [(p, v) for p, v in chosen.items() if p in self.params]
        docs = docs.order_by()
        counted = count_keys(docs if rows is None else docs[:rows], chosen_here)
        read = counted.get(None, 0)
        return Tally(counted, lower_bound=rows is not None and read >= rows)

    def tally_of_chosen(self, docs, chosen: dict, rows: int, summary: dict | None) -> "Tally":
        """The tally of a list with facets chosen and nothing searched, reading only rows
        that have the chosen values (not every row of the kind, as tally() would: 0.5 s at
        100,000 cases): the facets not chosen over rows with every chosen facet; each chosen
        facet over rows with every other chosen facet — over all rows when it is the only one,
        which the unfiltered list's `summary` (cases/facet_summary.py) already counted. At
        most `rows` rows per count; beyond, the counts are lower bounds."""
        docs = docs.order_by()
        chosen = {p: v for p, v in chosen.items() if p in self.params}
        counted, lower_bound = {}, False

        def keys_of(param_wanted, among: dict):
            nonlocal lower_bound
            if not among and summary is not None:
                found = dict(summary)
            else:
                found = count_keys(_having_every(docs, among)[:rows], [])
                lower_bound = lower_bound or found.get(None, 0) >= rows
            for key, n in found.items():
                if key is not None and param_wanted(key.partition(":")[0]):
                    counted[key] = n

        keys_of(lambda param: param not in chosen, chosen)
        for param in chosen:
            keys_of(param.__eq__, {p: v for p, v in chosen.items() if p != param})
        return Tally(counted, lower_bound)

    @property
    def params(self) -> set:
        return {facet.param for facet in self.facets}

    def panel(self, tally: "Tally", chosen: dict, limit: int = 30) -> list[dict]:
        """The facets as shown, each with its most frequent values (at most `limit`), named in
        the reader's language."""
        found = {facet.param: [] for facet in self.facets}
        for key, n in tally.keys.items():
            if key is None:
                continue
            param, _sep, value = key.partition(":")
            if param in found:
                found[param].append((n, value))
        return [
            self._values(facet, found[facet.param], chosen, limit)
            | {"lower_bound": tally.lower_bound}
            for facet in self.facets
        ]

    def _values(self, facet: Facet, found: list, chosen: dict, limit: int) -> dict:
        current = {str(v) for v in chosen.get(facet.param, [])}
        top = sorted(found, key=lambda nv: (-nv[0], nv[1]))[:limit]
        values = [int(v) if facet.integer else v for _n, v in top]
        labels = _labels(facet, values)
        out = [
            {"value": value, "label": labels.get(value, str(value)), "count": n,
             "selected": str(value) in current}
            for (n, _v), value in zip(top, values, strict=True)
        ]  # fmt: skip
        if facet.param == "year":
            out.sort(key=lambda v: -v["value"])
        elif facet.param == "level":
            # Award levels are read highest first (their rank, data), never by how many there are.
            out.sort(key=lambda v: (levels.rank(v["value"]), v["value"]))
        return {"param": facet.param, "label": facet.label, "values": out}


def _having_every(docs, chosen: dict):
    """The index rows with one of the chosen values of every chosen facet."""
    for param, values in chosen.items():
        keys = [FACETS_BY_PARAM[param].key(v) for v in values]
        if connection.vendor == "postgresql":
            sql, params = "facet_keys ?| %s::text[]", [keys]  # GIN: search_facet_keys
        else:
            marks = ", ".join(["%s"] * len(keys))
            sql = f"EXISTS (SELECT 1 FROM json_each(facet_keys) WHERE value IN ({marks}))"
            params = keys
        docs = docs.alias(**{f"has_{param}": RawSQL(sql, params, BooleanField())}).filter(
            **{f"has_{param}": True}
        )
    return docs


def count_keys(docs, chosen: list) -> dict:
    """{key: number of rows} over the index rows `docs`, each facet's keys counted among
    the rows that have every other chosen facet (`chosen`: [(param, values)]); under the key
    None, the number of rows read."""
    try:
        inner, inner_params = docs.values("facet_keys").query.sql_with_params()
    except EmptyResultSet:
        return {}
    each = _EACH[connection.vendor]
    flags, flag_params, conditions, like = [], [], [], []
    for i, (param, values) in enumerate(chosen):
        # Once per row: does it have one of this facet's chosen values?
        keys = [FACETS_BY_PARAM[param].key(v) for v in values]
        if connection.vendor == "postgresql":
            flags.append(f", i.facet_keys ?| %s AS s{i}")
            flag_params.append(keys)
        else:
            marks = ", ".join(["%s"] * len(keys))
            flags.append(
                f", EXISTS (SELECT 1 FROM {each.format(column='i.facet_keys', alias='c')}"
                f" WHERE c.value IN ({marks})) AS s{i}"
            )
            flag_params += keys
        conditions.append(f"(k.value LIKE %s OR d.s{i})")
        like.append(f"{param}:%")
    where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
    sql = (
        f"WITH d AS MATERIALIZED (SELECT i.facet_keys{''.join(flags)} FROM ({inner}) AS i) "
        f"SELECT k.value, COUNT(*) FROM d, {each.format(column='d.facet_keys', alias='k')} "
        f"{where} GROUP BY k.value UNION ALL SELECT NULL, COUNT(*) FROM d"
    )
    in_a_transaction = connection.in_atomic_block
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # For a common word the planner prefers reading every row and testing its vector,
            # which unpacks each vector from TOAST (1.2 s for 90,000 rows); the GIN bitmap
            # finds the same rows without reading a vector (70 ms). Only for this query.
            cursor.execute("SET LOCAL enable_seqscan = off; SET LOCAL enable_indexscan = off")
        cursor.execute(sql, [*flag_params, *inner_params, *like])
        rows = dict(cursor.fetchall())
        if connection.vendor == "postgresql" and in_a_transaction:  # else ended by the commit
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
        return rows


# {(names generation, param, values): names}, in this process.
_names_read: dict = {}
NAMES_KEPT = 1000


def _labels(facet: Facet, values: list) -> dict:
    """{value: its name in the reader's language} for named facets, read from the table that
    names them (Province, Agency, ...); award levels from awards/levels.py; else none."""
    if facet.param == "level":
        return {v: _level_label(v) for v in values}
    if not facet.label_lookup or not values:
        return {}
    # Kept in the process until a name changes: every list page shows them, and reading them
    # from the shared cache was three round trips per page after every publish.
    key = (caching.names_generation(), facet.param, tuple(values))
    names = _names_read.get(key)
    if names is None:
        relation, field = facet.lookup.split("__")
        model = CaseStudy._meta.get_field(relation).related_model
        columns = [lookup.split("__")[1] for lookup in _name_lookups(facet)]
        rows = model.objects.filter(**{f"{field}__in": values}).values_list(field, *columns)
        names = {value: tuple(name) for value, *name in rows}
        if len(_names_read) >= NAMES_KEPT:  # those of older generations, mostly
            _names_read.clear()
        _names_read[key] = names
    return {value: _name_in_reader_language(*name) for value, name in names.items()}


CASES = FacetSet(CaseStudy, tuple(FACETS))
# Lessons are read for how a project worked, across years and categories: by year, branch,
# award level, place, agency and topic. A category is one cycle's subdivision of a branch (the
# same name again each year), and SDGs describe a project's outcomes, not its lessons; both
# would lengthen the panel of a list that is a quarter of the size of the case list.
LESSONS = FacetSet(
    Lesson,
    tuple(FACETS_BY_PARAM[p] for p in ("year", "branch", "level", "province", "agency", "topic")),
    via="case_study__",
)
