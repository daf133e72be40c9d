from django.utils import timezone

from portal.site_address import site_url


def site(request):
    return {"SITE_URL": site_url(request), "today": timezone.localdate()}
