"""The REST API's one router: each app registers its viewsets on it in its own api.py."""

from rest_framework.routers import DefaultRouter

router = DefaultRouter()
