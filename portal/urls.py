from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from .operations import errors, health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("portal.accounts.urls")),
    path("privacy/", include("portal.privacy.urls")),
    path("entries/", include("awards.urls")),
    path("api/", include("portal.api.urls")),
    path("reports/", include("portal.reports.urls")),
    path("notifications/", include("portal.notifications.urls")),
    path("", include("cases.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = errors.bad_request
handler403 = errors.permission_denied
handler404 = errors.page_not_found
handler500 = errors.server_error
