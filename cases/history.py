"""Past winners as the award cycle's eligibility reads them (registered on
awards.eligibility.PAST_WIN_SOURCES): a model project is a win of its category in its year,
also one imported from a past year's list rather than decided in the portal."""

from django.db.models import Max

from awards import levels

from .models import CaseStudy


def latest_case_win(agency, code: str, first: int, last: int) -> int | None:
    return CaseStudy.objects.filter(
        agency=agency,
        category__code=code,
        year_be__range=(first, last),
        award_level__in=levels.award_codes(),
    ).aggregate(latest=Max("year_be"))["latest"]
