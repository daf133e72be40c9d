import os

from django.http import HttpResponse
from django.urls import path

from portal.urls import handler400, handler403, handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


def worker(request):
    """Which worker answered: the bench waits until every worker has (each answers only once
    it has warmed up, portal/gunicorn_conf.py)."""
    return HttpResponse(str(os.getpid()), content_type="text/plain")


urlpatterns = [path("bench/bare/", bare), path("bench/worker/", worker), *portal_urlpatterns]
