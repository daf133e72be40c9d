"""The REST API's one router: each app registers its viewsets here (in its api.py)."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

router = DefaultRouter()


def urlpatterns():
    # Imported here so each app's api module registers on the router before urls are built.
    import awards.api  # noqa: F401
    import cases.api  # noqa: F401

    return [
        path("v1/", include(router.urls)),
        path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
        path("docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
        path("redoc/", SpectacularRedocView.as_view(url_name="api-schema"), name="api-redoc"),
    ]
