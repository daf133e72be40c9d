from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/<str:slug>/", views.case_detail, name="case_detail"),
    path("lessons/<str:slug>/", views.lesson_detail, name="lesson_detail"),
]
