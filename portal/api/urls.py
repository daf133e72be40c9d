"""The REST API's URLs: the router every app's api.py registered its viewsets on, the schema
and its documentation pages."""

from django.urls import include, path
from django.utils.module_loading import autodiscover_modules
from drf_spectacular.views import (
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from . import policy  # noqa: F401  (schema extensions)
from .router import router
from .schema import SchemaView

# Each app's api module registers its viewsets on the router before the URLs are built (the
# portal's own agencies and provinces: PortalConfig.ready).
autodiscover_modules("api")

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="api-schema"),
    # Served from drf-spectacular-sidecar, no CDN; the split view loads its start-up
    # script from a URL (no inline script, for the Content-Security-Policy).
    path(
        "docs/",
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema", template_name="portal/api/swagger_ui.html"
        ),
        name="api-docs",
    ),
    path(
        "redoc/",
        SpectacularRedocView.as_view(url_name="api-schema", template_name="portal/api/redoc.html"),
        name="api-redoc",
    ),
]
