"""The REST API's one router: each app registers its viewsets here (in its api.py)."""

from django.urls import include, path
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)
from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def urlpatterns():
    # Imported here so each app's api module registers on the router before urls are built.
    import awards.api  # noqa: F401
    import cases.api  # noqa: F401
    import portal.api_policy  # noqa: F401  (schema extensions)
    import portal.api_views  # noqa: F401

    return [
        path("v1/", include(router.urls)),
        path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
        # Served from drf-spectacular-sidecar, no CDN; the split view loads its start-up
        # script from a URL (no inline script, for the Content-Security-Policy).
        path(
            "docs/",
            SpectacularSwaggerSplitView.as_view(
                url_name="api-schema", template_name="api/swagger_ui.html"
            ),
            name="api-docs",
        ),
        path(
            "redoc/",
            SpectacularRedocView.as_view(url_name="api-schema", template_name="api/redoc.html"),
            name="api-redoc",
        ),
    ]
