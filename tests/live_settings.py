"""Production settings for a portal process a test starts (gunicorn in tests/faults): the
same as production except that static files come straight from static/, so a test need not
run collectstatic (minutes) first. Select with DJANGO_SETTINGS_MODULE=tests.live_settings."""

from portal.settings import *  # noqa: F403

STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
