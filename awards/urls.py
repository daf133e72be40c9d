from django.urls import path

from . import clarification_views, views

app_name = "awards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.start, name="start"),
    path("<uuid:public_id>/", views.entry_detail, name="entry"),
    path("<uuid:public_id>/attachments/", views.attachment_list, name="attachments"),
    path(
        "<uuid:public_id>/attachments/<int:pk>/",
        views.attachment_download,
        name="attachment_download",
    ),
    path(
        "<uuid:public_id>/attachments/<int:pk>/delete/",
        views.attachment_delete,
        name="attachment_delete",
    ),
    path("<uuid:public_id>/check/", views.check_answers, name="check"),
    path("<uuid:public_id>/submit/", views.submit, name="submit"),
    path("<uuid:public_id>/confirmation/", views.confirmation, name="confirmation"),
    path("<uuid:public_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<uuid:public_id>/reopen/", views.reopen, name="reopen"),
    path(
        "<uuid:public_id>/clarifications/<int:pk>/",
        clarification_views.clarification,
        name="clarification",
    ),
    path(
        "<uuid:public_id>/site-visits/<int:pk>.ics",
        views.site_visit_ics,
        name="site_visit_ics",
    ),
    path("<uuid:public_id>/<slug:key>/", views.section, name="section"),
]
