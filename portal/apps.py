from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("ระบบพอร์ทัล")

    def ready(self):
        from django.conf import settings
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        from . import checks  # noqa: F401  (registers the deploy checks)
        from .reference import restore_reference_data

        post_migrate.connect(restore_reference_data, sender=self)

        # Each app's reports.py registers its report builders (portal/reports.py).
        autodiscover_modules("reports")
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "portal.purge_expired_reports",
            {"task": "portal.tasks.purge_expired_reports", "schedule": 60 * 60},
        )
