"""The facet panel of the unfiltered lists, kept by the worker (issue 20).

With nothing searched or chosen, a list's facet counts are over every index row of its kind:
0.5 s at 100,000 cases, paid by the first visitor after every publish. Instead the worker
recounts them once after the index changes (a burst of publishes is one recount: the first
change queues it, REFRESH_DELAY later it reads the index as it is then) and the lists read a
few dozen rows of `FacetCount`, themselves kept in the cache (a list page read them twice, and
a search once: a query each). Between a publish and the recount the panel is seconds old;
the list itself never is. Until the first recount (a new database), counts are made live.
The worker's tasks queue the recount (cases/tasks.py); the periodic repair makes one too."""

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count

from portal.operations.cache import forget_once, get_once

from . import facets
from .models import CaseStudy, FacetCount, SearchDocument

QUEUED_KEY = "cases:facet-summary-queued"
REFRESH_DELAY = 3  # seconds: publishes arriving together are counted once
TOTAL = ""  # the key of the row holding the number of index rows of the kind
YEAR_BRANCH = "year+branch:{}:{}"  # the home page's table: winners by year and branch
CACHED_KEY = "cases:facet-summary:{}"
# A reader that read the rows just before a recount and cached them after it keeps the old
# counts this long at most.
CACHED_SECONDS = 60


def refresh() -> dict:
    """Recount every kind from the index (one grouped query per kind) and replace the summary.
    Returns {kind: rows counted}."""
    cache.delete(QUEUED_KEY)  # a change committed from now on queues another recount
    counted = {}
    rows = []
    for kind in (SearchDocument.Kind.CASE, SearchDocument.Kind.LESSON):  # the public lists
        keys = facets.count_keys(SearchDocument.objects.filter(kind=kind), [])
        counted[kind] = keys.pop(None, 0)
        rows.append(FacetCount(kind=kind, key=TOTAL, count=counted[kind]))
        rows += [FacetCount(kind=kind, key=key, count=n) for key, n in keys.items()]
    grid = CaseStudy.objects.published().values("year_be", "branch_id").annotate(n=Count("pk"))
    rows += [
        FacetCount(kind="case", key=YEAR_BRANCH.format(row["year_be"], row["branch_id"]),
                   count=row["n"])
        for row in grid.order_by()
    ]  # fmt: skip
    with transaction.atomic():
        FacetCount.objects.all().delete()
        FacetCount.objects.bulk_create(rows)
    for kind in counted:
        cache.delete(CACHED_KEY.format(kind))
        forget_once(CACHED_KEY.format(kind))
    return counted


def _stored(kind) -> dict:
    """{key: count} of the kind as the last recount left them (without the home page's
    table), from the cache when it has them."""
    key = CACHED_KEY.format(kind)
    stored = get_once(key)  # a list page reads its total and its counts
    if stored is None:
        stored = dict(
            FacetCount.objects.filter(kind=kind).exclude(key__startswith="year+branch:")
            .values_list("key", "count")
        )  # fmt: skip
        cache.set(key, stored, CACHED_SECONDS)
    return stored


def total(kind) -> int | None:
    """The number of index rows of the kind (public case studies, or public lessons), or None
    when the summary has never been made."""
    return _stored(kind).get(TOTAL)


def year_branch_counts() -> list[dict] | None:
    """[{"year_be", "branch_id", "n"}] of the published case studies, or None when the summary
    has never been made."""
    rows = FacetCount.objects.filter(kind="case", key__startswith="year+branch:")
    if total("case") is None:
        return None
    out = []
    for key, n in rows.values_list("key", "count"):
        _name, year, branch = key.split(":")
        out.append({"year_be": int(year), "branch_id": int(branch) if branch != "None" else None,
                    "n": n})  # fmt: skip
    return out


def counts(kind) -> dict | None:
    """{key: rows} with the number of rows under None, as facets.count_keys gives them, or
    None when the summary has never been made."""
    stored = dict(_stored(kind))
    if TOTAL not in stored:
        return None
    stored[None] = stored.pop(TOTAL)
    return stored
