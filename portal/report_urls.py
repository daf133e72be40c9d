from django.urls import path

from . import report_views

app_name = "reports"

urlpatterns = [
    path("", report_views.report_list, name="list"),
    path("new/<slug:kind>/", report_views.report_new, name="new"),
    path("<uuid:public_id>/", report_views.report_detail, name="detail"),
    path("<uuid:public_id>/download/", report_views.report_download, name="download"),
]
