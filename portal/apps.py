from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("ระบบพอร์ทัล")

    def ready(self):
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_migrate
        from django.utils.module_loading import autodiscover_modules

        # Each concern registers its models in its own admin module (and agencies its API
        # viewsets on the router); the deploy checks register themselves on import.
        from .accounts import admin as accounts_admin  # noqa: F401
        from .accounts import personal_data
        from .accounts.sign_in import remember_language
        from .agencies import admin as agencies_admin  # noqa: F401
        from .agencies import api as agencies_api  # noqa: F401
        from .agencies.reference import restore_reference_data
        from .notifications import admin as notifications_admin  # noqa: F401
        from .notifications import personal_data as notifications_personal_data
        from .operations import checks  # noqa: F401
        from .privacy import admin as privacy_admin  # noqa: F401
        from .privacy import pdpa
        from .reports import admin as reports_admin  # noqa: F401

        # Dates in Thai with B.E. years wherever Django formats them (portal/thai.py).
        from .thai import install_buddhist_era_formats

        install_buddhist_era_formats()
        post_migrate.connect(restore_reference_data, sender=self)
        pdpa.register_personal_data(personal_data.personal_data, personal_data.anonymise)
        pdpa.register_personal_data(
            notifications_personal_data.personal_data, notifications_personal_data.anonymise
        )

        # Each app's reports.py registers its report builders (portal/reports/requesting.py).
        autodiscover_modules("reports")
        # Each app's notices.py registers the kinds of notification it sends (notifications/).
        autodiscover_modules("notices")
        user_logged_in.connect(remember_language)
        settings.CELERY_BEAT_SCHEDULE.setdefault(
            "portal.purge_expired_reports",
            {"task": "portal.reports.tasks.purge_expired_reports", "schedule": 60 * 60},
        )
