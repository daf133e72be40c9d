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

from . import privacy
from .audit import record_access
from .pdpa_models import AuditAction
from .privacy_forms import CloseAccountForm


@require_GET
def notice(request, version=None):
    shown = privacy.notice(version) if version else privacy.current_notice()
    if shown is None:
        raise Http404
    return render(
        request,
        "portal/privacy_notice.html",
        {"notice": shown, "current": privacy.current_notice(), "versions": privacy.NOTICES},
    )


@never_cache
@login_required
@require_GET
def my_data(request):
    return render(
        request,
        "portal/privacy_my_data.html",
        {
            "notice": privacy.current_notice(),
            "acknowledged": privacy.has_acknowledged_current(request.user),
            "retention_days": privacy.retention_days(),
        },
    )


@never_cache
@login_required
@require_GET
def download_my_data(request):
    data = privacy.personal_data(request.user)
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
    privacy.record_acknowledgement(request.user)
    messages.success(request, _("บันทึกการรับทราบประกาศความเป็นส่วนตัวแล้ว"))
    return redirect("privacy:my_data")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def close_account(request):
    form = CloseAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        privacy.request_closure(request.user, form.cleaned_data["reason"], request=request)
        logout(request)
        return redirect("privacy:closed")
    return render(
        request,
        "portal/privacy_close.html",
        {"form": form, "retention_days": privacy.retention_days()},
    )


@require_GET
def closed(request):
    return render(request, "portal/privacy_closed.html", {"days": privacy.retention_days()})
