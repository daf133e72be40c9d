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

# The cold paths (bench/cold_cache.py): BENCH_PAGE_CACHE=0, everything new before every
# request; =publish, a case study published before every request.
COLD_PATHS = {
    "0": "bench.cold_cache.NewGenerationEachRequest",
    "publish": "bench.cold_cache.PublishBeforeEachRequest",
}
if os.environ.get("BENCH_PAGE_CACHE") in COLD_PATHS:
    MIDDLEWARE = [COLD_PATHS[os.environ["BENCH_PAGE_CACHE"]], *MIDDLEWARE]
