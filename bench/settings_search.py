"""Settings for the search bench's server: the portal's, plus a bare view to compare with."""

import os

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE, STORAGES

ROOT_URLCONF = "bench.urls_search"
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SECURE_SSL_REDIRECT = False
# The bench measures search from one loopback address: the abuse limits would answer 429.
RATELIMITS: dict = {}
API_ANON_THROTTLE_RATE = "100000000/minute"

# BENCH_PAGE_CACHE=0: the cold path, a new index generation before every request.
if os.environ.get("BENCH_PAGE_CACHE") == "0":
    MIDDLEWARE = ["bench.cold_cache.NewGenerationEachRequest", *MIDDLEWARE]
