from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from . import api, health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("portal.account_urls")),
    path("privacy/", include("portal.privacy_urls")),
    path("entries/", include("awards.urls")),
    path("api/", include(api.urlpatterns())),
    path("reports/", include("portal.report_urls")),
    path("", include("cases.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = views.bad_request
handler404 = views.page_not_found
handler500 = views.server_error
