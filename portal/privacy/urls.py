from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.notice, name="notice"),
    path("v/<str:version>/", views.notice, name="notice_version"),
    path("my-data/", views.my_data, name="my_data"),
    path("my-data/download/", views.download_my_data, name="download"),
    path("acknowledge/", views.acknowledge, name="acknowledge"),
    path("close-account/", views.close_account, name="close_account"),
    path("closed/", views.closed, name="closed"),
]
