"""The second factor on the API: the site's session and API tokens, refused (403) for a staff
member or assessor who has not proved a code (the decision: accounts.second_factor_satisfied).
Named in settings.REST_FRAMEWORK; the schema extensions describe them."""

from django.conf import settings
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import PermissionDenied

from portal.api.policy import LockoutTokenAuthentication

from .second_factor import second_factor_satisfied, token_is_verified


def _refuse_without_second_factor(user, message: str) -> None:
    if not second_factor_satisfied(user):
        raise PermissionDenied(message)


class SecondFactorSessionAuthentication(SessionAuthentication):
    """The site's session, refused (403) for a staff member or assessor whose session has
    not proved a second factor — on every endpoint, public ones included (the public API
    answers without credentials)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            _refuse_without_second_factor(
                result[0],
                _("โปรดยืนยันตัวตนขั้นที่สองด้วยรหัสจากแอปยืนยันตัวตน (/accounts/two-factor/) ก่อนใช้ API"),
            )
        return result


class SecondFactorTokenAuthentication(LockoutTokenAuthentication):
    """A token (with the lockout above) carries the second factor only if it was issued from
    a verified session (accounts.issue_api_token); a staff member's or assessor's token
    without it is refused (403)."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        verified = token_is_verified(token)
        user.is_verified = lambda: verified
        _refuse_without_second_factor(
            user,
            _(
                "โทเค็นนี้ไม่ได้ออกหลังยืนยันตัวตนขั้นที่สอง โปรดออกโทเค็นใหม่ที่ "
                "/accounts/api-token/ หลังยืนยันตัวตนด้วยรหัสจากแอป"
            ),
        )
        return user, token


class SecondFactorSessionScheme(OpenApiAuthenticationExtension):
    """The schema's cookie sign-in, saying what the class above adds."""

    target_class = "portal.accounts.api_authentication.SecondFactorSessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema):
        return {
            "type": "apiKey",
            "in": "cookie",
            "name": settings.SESSION_COOKIE_NAME,
            "description": "The site's session. A staff member's or assessor's session must "
            "have proved a second factor (TOTP or a recovery code), otherwise 403. Tokens "
            "(`Authorization: Token <key>`) of staff and assessors work only if issued at "
            "/accounts/api-token/ from such a session.",
        }
