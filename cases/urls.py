from django.contrib.sitemaps.views import sitemap
from django.urls import path

from . import feeds, opendata, views
from .sitemaps import SITEMAPS

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("cases/", views.case_list, name="case_list"),
    path("cases/<str:slug>/", views.case_detail, name="case_detail"),
    path("cases/<str:slug>/card.png", views.case_card, name="case_card"),
    path("cases/<str:slug>/adopt/", views.adopt, name="adopt"),
    path("drafts/<int:pk>/", views.draft_review, name="draft_review"),
    path("lessons/", views.lesson_list, name="lesson_list"),
    path("lessons/<str:slug>/", views.lesson_detail, name="lesson_detail"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("results/", views.results_index, name="results_index"),
    path("results/<int:year>/", views.cycle_results, name="cycle_results"),
    path("feeds/cases.rss", feeds.LatestCasesFeed(), name="feed_rss"),
    path("feeds/cases.atom", feeds.LatestCasesAtomFeed(), name="feed_atom"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("opendata/", opendata.index, name="opendata"),
    path("opendata/datapackage.json", opendata.datapackage_view, name="opendata_datapackage"),
    path("opendata/catalog.jsonld", opendata.catalog_view, name="opendata_catalog"),
    path("opendata/<slug:dataset>.<slug:fmt>", opendata.download, name="opendata_download"),
]
