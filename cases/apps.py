from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("ผลงานต้นแบบและบทเรียน")

    def ready(self):
        from . import signals  # noqa: F401

        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "cases-repair-search-index",
            {"task": "cases.tasks.repair_search_index", "schedule": 15 * 60.0},
        )
