"""The error pages (Django's handler404 and handler500)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils.translation import gettext as _


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


# The database unreachable (stopped, restarting, refusing connections): nothing is wrong with
# the request, so say "try again shortly" (503 + Retry-After) rather than "error" (500).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def server_error(request):
    """Django's handler500, called inside the `except` of whatever went wrong, anywhere in the
    middleware chain. No context processors, no database: the database may be the reason."""
    unavailable = isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE)
    status = 503 if unavailable else 500
    if request.path.startswith("/api/"):
        detail = _("ระบบขัดข้องชั่วคราว โปรดลองใหม่อีกครั้ง") if unavailable else _("ระบบขัดข้อง")
        response = JsonResponse({"detail": detail}, status=status)
    else:
        template = "503.html" if unavailable else "500.html"
        response = HttpResponse(loader.get_template(template).render(), status=status)
    if unavailable:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
