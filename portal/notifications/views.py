from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import inbox


@login_required
def inbox_list(request):
    page = Paginator(inbox.inbox_of(request.user), 25).get_page(request.GET.get("page"))
    return render(request, "portal/notifications/inbox.html", {"page": page})


@login_required
def detail(request, pk: int):
    try:
        notification = inbox.open_notification(request.user, pk)
    except inbox.Notification.DoesNotExist:
        raise Http404 from None
    return render(request, "portal/notifications/detail.html", {"notification": notification})
