"""What every API endpoint of the portal shares: pagination, and throttling of anonymous
traffic (the rate is read from settings on each request, so tests and deployments can set
it: API_ANON_THROTTLE_RATE, e.g. "120/minute")."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import AnonRateThrottle


class AnonymousThrottle(AnonRateThrottle):
    """Anonymous callers, counted by address; signed-in users (session or token) are not."""

    def get_rate(self):
        return getattr(settings, "API_ANON_THROTTLE_RATE", "120/minute")


class Pagination(PageNumberPagination):
    page_size = 20
    page_size_query_param = "page_size"
    max_page_size = 100
