"""Settings for `make searcheval`: the portal's own, served to Django's test client in one
process (no TLS redirect, no abuse limits: every query comes from one address; warnings only,
so the indexing tasks do not log a line per document)."""

from portal.settings import *  # noqa: F403
from portal.settings import LOGGING, STORAGES

ALLOWED_HOSTS = ["testserver"]
SECURE_SSL_REDIRECT = False
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
RATELIMITS: dict = {}
API_ANON_THROTTLE_RATE = "100000000/minute"
LOGGING = {
    **LOGGING,
    "root": {**LOGGING["root"], "level": "WARNING"},
    # kombu warns once that the in-memory broker has no hostname: tasks run in-process here.
    "loggers": {**LOGGING["loggers"], "kombu": {"level": "ERROR"}},
}
