from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("new/<slug:kind>/", views.report_new, name="new"),
    path("<uuid:public_id>/", views.report_detail, name="detail"),
    path("<uuid:public_id>/download/", views.report_download, name="download"),
]
