"""Security headers Django does not set by itself, and the Content Security Policy.

Django's SecurityMiddleware already sends X-Content-Type-Options, Referrer-Policy,
Cross-Origin-Opener-Policy and (without DEBUG) HSTS; XFrameOptionsMiddleware sends
X-Frame-Options. This module adds Permissions-Policy and Cross-Origin-Resource-Policy, and
applies django-csp's policy (settings.CONTENT_SECURITY_POLICY, strict: no 'unsafe-inline')
everywhere — the Django admin included, which needs no inline script since Django 5.
The only exception is settings.CSP_RELAXED_PATH_PREFIXES: the third-party API documentation
pages (Swagger UI, ReDoc) whose templates carry inline <script>/<style>; they hold no user
data and get 'unsafe-inline' added for their own responses only.
"""

from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
        "interest-cohort",
    )
)


class PortalCSPMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only: bool = False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        prefixes = tuple(getattr(settings, "CSP_RELAXED_PATH_PREFIXES", ()))
        if not report_only and prefixes and request.path_info.startswith(prefixes):
            parts.update = {
                **(parts.update or {}),
                "script-src": ["'unsafe-inline'"],
                "style-src": ["'unsafe-inline'"],
            }
        return parts


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
        return response
