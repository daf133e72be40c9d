"""The spread of model projects (ขยายผล): an agency records that it adopted one, where and
when; a case page shows where its model has spread (a map by province and a table) and which
models its own agency adopted."""

import json
from functools import cache
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import transaction

from portal.agencies.models import Province

from .models import Adoption, CaseStudy
from .permissions import can_record_adoption

MAP_FILE = Path(__file__).resolve().parent / "maps" / "thailand_provinces.json"


def record_adoption(user, case: CaseStudy, *, year_be, province, note="") -> Adoption:
    """For the user's own agency, whatever else was sent; every rule of Adoption.clean and
    its constraints checked before anything is saved (ValidationError, nothing saved)."""
    if not can_record_adoption(user):
        raise PermissionDenied
    adoption = Adoption(
        case_study=case,
        agency=user.agency,
        year_be=year_be,
        province=province,
        note=note.strip(),
        recorded_by=user,
    )
    adoption.full_clean()
    with transaction.atomic():
        adoption.save()
    return adoption


def adoptions_of(case: CaseStudy):
    """Where this model project has spread, oldest first."""
    return case.adoptions.select_related("agency", "province").order_by(
        "year_be", "province__name_th", "pk"
    )


def adopted_by_agency_of(case_id: int, agency_id: int | None):
    """The published model projects that the agency of case `case_id` took up from others:
    where and when, with each project's title and address (not its texts)."""
    if agency_id is None:
        return Adoption.objects.none()
    return (
        Adoption.objects.filter(agency_id=agency_id, case_study__is_published=True)
        .exclude(case_study_id=case_id)
        .select_related("case_study", "province")
        .only("year_be", "case_study__slug", "case_study__title", "province__code",
              "province__name_th", "province__name_en")
        .order_by("-year_be", "pk")
    )  # fmt: skip


@cache
def _outlines() -> dict:
    return json.loads(MAP_FILE.read_text(encoding="utf-8"))


def province_map(adoptions) -> dict:
    """What the map draws: every province's outline, marked when the model has spread there
    (with how many adoptions), named in the reader's language."""
    counts = {}
    for adoption in adoptions:
        counts[adoption.province.code] = counts.get(adoption.province.code, 0) + 1
    outlines = _outlines()
    names = {p.code: p.display_name for p in Province.objects.all()}
    return {
        "view_box": outlines["viewBox"],
        "provinces": [
            {"code": code, "name": names[code], "path": path, "count": counts.get(code, 0)}
            for code, path in outlines["provinces"].items()
        ],
    }
