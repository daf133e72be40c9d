from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def _search_dictionary():
    """Each process builds the segmenter's dictionary before its first search."""
    from . import search

    search.dictionary(refresh=True)


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("ผลงานต้นแบบและบทเรียน")

    def ready(self):
        from awards import eligibility, scoring, similar_work
        from portal.operations import warm_up

        from . import drafting, history, signals, similar  # noqa: F401

        warm_up.register(_search_dictionary)
        eligibility.PAST_WIN_SOURCES.append(history.latest_case_win)
        scoring.WHEN_ANNOUNCED.append(drafting.draft_announced)
        similar_work.PROVIDERS.extend([similar.similar_cases, similar.similar_entries])

        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "cases-repair-search-index",
            {"task": "cases.tasks.repair_search_index", "schedule": 15 * 60.0},
        )
