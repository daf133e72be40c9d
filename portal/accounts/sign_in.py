"""Signing in: the lockout after wrong passwords (django-axes) and where to go next."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.utils.http import url_has_allowed_host_and_scheme

from portal.accounts.models import User


def lockout_username(request, credentials=None) -> str | None:
    """The user name django-axes counts failed sign-ins under (AXES_USERNAME_CALLABLE).

    Whatever was typed is stored in axes' tables, so it is bounded here: control characters
    (PostgreSQL refuses NUL) removed and cut to a user name's length (a 300-character "name"
    broke the varchar(255) write and turned a wrong password into a 500)."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "data", request.POST).get("username")
    if typed is None:
        return None
    cleaned = "".join(ch for ch in str(typed) if ch.isprintable())
    return cleaned[: User._meta.get_field("username").max_length]


class LockoutBackend(AxesStandaloneBackend):
    """django-axes on every web sign-in (the site's and the admin's login forms).

    authenticate() without a request is not a web sign-in (a shell, the test client's
    login()): nothing to count there, so it is passed on to the next backend."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def safe_next(request, default: str) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


def remember_language(sender, request, user, **kwargs):
    """Signal receiver (user_logged_in): a person's notifications are written in the language
    they last signed in with."""
    language = getattr(request, "LANGUAGE_CODE", "") if request is not None else ""
    if language in dict(settings.LANGUAGES) and getattr(user, "language", language) != language:
        type(user).objects.filter(pk=user.pk).update(language=language)
        user.language = language
