"""The error pages (Django's handler400, handler404 and handler500)."""

import sys

from django.core.exceptions import RequestDataTooBig
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.template.defaultfilters import filesizeformat
from django.utils import translation
from django.utils.translation import gettext as _

from .request_limits import largest_upload


def _in_admin(request) -> bool:
    """A staff member inside /admin/ gets the admin's own frame (header, breadcrumbs)."""
    from django.urls import reverse

    user = getattr(request, "user", None)
    return bool(
        user is not None
        and user.is_active
        and user.is_staff
        and request.path.startswith(reverse("admin:index"))
    )


def _error_page(request, status: int, title: str, message: str):
    if _in_admin(request):
        from django.contrib import admin

        context = {**admin.site.each_context(request), "title": title, "message": message}
        return render(request, "admin/error.html", context, status=status)
    return render(request, f"{status}.html", {"title": title, "message": message}, status=status)


def page_not_found(request, exception):
    """Django's handler404. Under /api/ a path no route matches (`/api/v1/cases/-1/`, a slug
    with a control character) answers as the API does: JSON `{"detail": …}` in the caller's
    language, never the HTML page."""
    if request.path.startswith("/api/"):
        from rest_framework.exceptions import NotFound

        # RequestLimitsMiddleware refuses a control character before LocaleMiddleware runs.
        language = getattr(request, "LANGUAGE_CODE", None)
        language = language or translation.get_language_from_request(request)
        with translation.override(language):
            return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
    return _error_page(
        request,
        404,
        _("ไม่พบหน้าที่ต้องการ"),
        _("หากพิมพ์ที่อยู่เว็บเอง โปรดตรวจสอบว่าสะกดถูกต้อง หากคัดลอกมา โปรดตรวจสอบว่าคัดลอกมาครบถ้วน"),
    )


def permission_denied(request, exception):
    """Django's handler403 (PermissionDenied anywhere, CSRF aside): a Thai page in the site's
    frame, or the admin's for staff inside the admin — never the bare English "403 Forbidden"."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("คุณไม่มีสิทธิ์ทำรายการนี้")}, status=403)
    return _error_page(
        request,
        403,
        _("คุณไม่มีสิทธิ์เข้าถึงหน้านี้"),
        _("หน้านี้เปิดได้เฉพาะผู้ที่ได้รับสิทธิ์ หากคิดว่าควรเข้าได้ โปรดติดต่อเจ้าหน้าที่สำนักงาน ก.พ.ร."),
    )


def bad_request(request, exception):
    """Django's handler400, for every SuspiciousOperation and BadRequest: a body above the
    cap (portal/operations/request_limits.py) or above DATA_UPLOAD_MAX_MEMORY_SIZE is 413, anything
    else (too many fields, a NUL in the query string, a forged host) 400. Like server_error:
    no context processors, no database, nothing read from the request's body."""
    too_big = isinstance(exception, RequestDataTooBig)
    status = 413 if too_big else 400
    limit = filesizeformat(largest_upload())
    if request.path.startswith("/api/"):
        too_big_text = _("ข้อมูลที่ส่งมีขนาดใหญ่เกินกว่าที่ระบบรับได้ (ไฟล์แนบไฟล์ละไม่เกิน %(limit)s)")
        detail = too_big_text % {"limit": limit} if too_big else _("คำขอไม่ถูกต้อง")
        return JsonResponse({"detail": detail}, status=status)
    template = loader.get_template("413.html" if too_big else "400.html")
    return HttpResponse(template.render({"limit": limit}), status=status)


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
