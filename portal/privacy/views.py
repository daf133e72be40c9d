import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.privacy.audit import record_access
from portal.privacy.forms import CloseAccountForm
from portal.privacy.models import AuditAction

from . import pdpa


@require_GET
def notice(request, version=None):
    shown = pdpa.notice(version) if version else pdpa.current_notice()
    if shown is None:
        raise Http404
    return render(
        request,
        "portal/privacy/notice.html",
        {"notice": shown, "current": pdpa.current_notice(), "versions": pdpa.NOTICES},
    )


@never_cache
@login_required
@require_GET
def my_data(request):
    return render(
        request,
        "portal/privacy/my_data.html",
        {
            "notice": pdpa.current_notice(),
            "acknowledged": pdpa.has_acknowledged_current(request.user),
            "retention_days": pdpa.retention_days(),
        },
    )


@never_cache
@login_required
@require_GET
def download_my_data(request):
    data = pdpa.personal_data(request.user)
    record_access(request.user, request.user, AuditAction.EXPORT, request)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="my-data-{stamp}.json"'
    return response


@login_required
@require_POST
def acknowledge(request):
    pdpa.record_acknowledgement(request.user)
    messages.success(request, _("บันทึกการรับทราบประกาศความเป็นส่วนตัวแล้ว"))
    return redirect("privacy:my_data")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def close_account(request):
    form = CloseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        pdpa.request_closure(request.user, form.cleaned_data["reason"], request=request)
        logout(request)
        return redirect("privacy:closed")
    return render(
        request,
        "portal/privacy/close.html",
        {"form": form, "retention_days": pdpa.retention_days()},
    )


@require_GET
def closed(request):
    return render(request, "portal/privacy/closed.html", {"days": pdpa.retention_days()})
