"""Settings for the ผลงานเลิศรัฐ portal.

Everything that differs between a laptop and production comes from environment variables.
With none set, the portal runs on embedded defaults: SQLite under var/, Celery tasks executed
in-process, a local-memory cache and e-mail printed to the console.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


DEBUG = env_bool("DEBUG", False)
# Without SECRET_KEY a development key is used; `check --deploy` refuses it
# (portal/operations/checks.py).
DEV_SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("SECRET_KEY") or DEV_SECRET_KEY

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
# The portal's public address for absolute links (open data, feeds, e-mails). Unset: the address
# the request came in at (its Host, checked against ALLOWED_HOSTS), and http://127.0.0.1:8000
# where there is no request (a worker's e-mail). portal/site_address.py.
SITE_URL = os.environ.get("SITE_URL", "").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",  # single-use recovery codes
    "portal",
    "awards",
    "cases",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.operations.security.SecurityHeadersMiddleware",
    "portal.operations.security.PortalCSPMiddleware",
    # Before anything reads the body or asks the database: body cap, NUL in the URL.
    "portal.operations.request_limits.RequestLimitsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.operations.middleware.ThaiFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    # An API method the endpoint lacks is a 405 before authentication (portal/api/policy.py).
    "portal.api.policy.MethodNotAllowedFirst",
    # Absolute links follow the address served when SITE_URL is unset (portal/site_address.py).
    "portal.site_address.RequestAddressMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.second_factor.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into the Thai lockout page
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.site",
                "portal.notifications.inbox.unread",
            ],
            "builtins": ["portal.templatetags.thai"],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'portal.sqlite3'}",
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the dev server read while a task writes; a busy timeout instead of "locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
else:
    # A database that doesn't answer fails the request in seconds (a clean 503, see
    # portal/views.server_error) instead of holding a web worker until gunicorn kills it.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env_int(
        "DB_CONNECT_TIMEOUT", 5
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Celery ----------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            # Redis down = cache miss, never a 500 (portal/operations/cache.py); short timeouts so
            # an unreachable Redis cannot hang a request.
            "BACKEND": "portal.operations.cache.FailSafeRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "lertrat",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# The site frame's fixed parts (menus, footer, static links: templates/base.html), in each
# process's memory: only a deploy, which restarts the processes, changes them. Rendering them
# was half of a cached page's time (28 translated strings, 14 reversed URLs).
CACHES["frame"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "frame",
    "OPTIONS": {"MAX_ENTRIES": 1000},
}

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
# No broker configured: run every task in-process, at the moment it is sent.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True  # a worker killed mid-task leaves the message for another
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message a dead worker had taken (killed, not shut down) goes back to the queue after this
# many seconds; keep it above the longest task (a 200-case compendium takes about a minute).
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600)}
CELERY_TIMEZONE = "Asia/Bangkok"
CELERY_BEAT_SCHEDULE: dict = {}  # apps add their periodic tasks in their AppConfig.ready()
# The portal's own task modules (the apps' tasks.py are found by autodiscovery).
CELERY_IMPORTS = [
    "portal.accounts.tasks",
    "portal.notifications.tasks",
    "portal.privacy.tasks",
    "portal.reports.tasks",
]
CELERY_BEAT_SCHEDULE["portal.anonymise_closed_accounts"] = {
    "task": "portal.privacy.anonymise_closed_accounts",
    "schedule": 60 * 60 * 6,
}
CELERY_BEAT_SCHEDULE["portal.send_queued_notifications"] = {
    "task": "portal.notifications.tasks.send_queued_notifications",
    "schedule": 60 * 10,
}
# The award cycle's daily work (Asia/Bangkok): screening on its promised date just after
# midnight, reminders in the morning, the secretariat's digest before the working day.
CELERY_BEAT_SCHEDULE["awards.start_promised_screening"] = {
    "task": "awards.tasks.start_promised_screening",
    "schedule": crontab(hour=0, minute=5),
}
CELERY_BEAT_SCHEDULE["awards.send_reminders"] = {
    "task": "awards.tasks.send_reminders",
    "schedule": crontab(hour=8, minute=0),
}
CELERY_BEAT_SCHEDULE["awards.draft_feedback"] = {
    "task": "awards.tasks.draft_feedback",
    "schedule": 60 * 60,
}
CELERY_BEAT_SCHEDULE["awards.send_staff_digest"] = {
    "task": "awards.tasks.send_staff_digest",
    "schedule": crontab(hour=7, minute=30),
}

# --- The client's address ---------------------------------------------------------------------
# Reverse proxies in front of the portal that append to X-Forwarded-For (nginx, a load
# balancer). 0: trust none — REMOTE_ADDR is the client and X-Forwarded-For is ignored. N: the
# Nth address from the right of X-Forwarded-For. One function reads it for the API throttles,
# the rate limits, django-axes and the audit log: portal/operations/client_address.py.
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0)

# --- Auth -----------------------------------------------------------------------------------
AUTH_USER_MODEL = "portal.User"
LOGIN_URL = "portal:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)  # a working day
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
# Brute force: 5 failed sign-ins for one user name from one address lock it for 15 minutes,
# on the site's and the admin's login alike (django-axes; portal/accounts/accounts.py).
AUTHENTICATION_BACKENDS = [
    "portal.accounts.sign_in.LockoutBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_CALLABLE = "portal.accounts.sign_in.lockout_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "portal/accounts/locked_out.html"
AXES_VERBOSE = False
# The client's address for lockouts: the portal's one function (TRUSTED_PROXIES, above).
AXES_CLIENT_IP_CALLABLE = "portal.operations.client_address.client_ip"
# A second factor (TOTP, django-otp; recovery codes: otp_static) for staff and assessors
# before anything privileged — admin, API, reports, reopening, membership decisions, private
# files (portal/accounts/accounts.py SecondFactorMiddleware and second_factor_satisfied): on in
# production, off with DEBUG so the demo users work in `make run`.
ADMIN_REQUIRE_2FA = env_bool("ADMIN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = "ผลงานเลิศรัฐ"
# No admin can read another person's TOTP secret or QR code (its config view also answered
# 500 for an unknown device id before checking permissions).
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24  # reset and e-mail verification links: one day

# --- Language and time ------------------------------------------------------------------------
# Thai is the source language of our own strings; English comes from locale/en.
LANGUAGE_CODE = "th"
LANGUAGES = [("th", _("ไทย")), ("en", _("อังกฤษ"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Bangkok"
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Unpublished work (entry attachments, generated reports) never lives under MEDIA_URL:
# it is only reachable through permission-checked views.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
FILE_UPLOAD_PERMISSIONS = 0o640
# What of a request body (all but its files) Django holds in memory: more is a 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- E-mail ---------------------------------------------------------------------------------
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
if EMAIL_HOST:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_PORT = env_int("EMAIL_PORT", 587)
    EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ผลงานเลิศรัฐ <no-reply@opdc.go.th>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Security (strict whenever DEBUG is off) --------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Probes speak plain HTTP to the process; everything else is redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Strict CSP (django-csp 4): nothing inline anywhere, the admin included
# (portal/operations/security.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Third-party API documentation pages with inline script/style: relaxed there only.
CSP_RELAXED_PATH_PREFIXES = ["/api/docs/", "/api/redoc/"]
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)

# --- REST API -------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # The token first: DRF answers a request without credentials from the first class, so
    # it is a 401 with `WWW-Authenticate: Token` (as HTTP says), not the session's 403.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.accounts.api_authentication.SecondFactorTokenAuthentication",
        "portal.accounts.api_authentication.SecondFactorSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    # JSON nested at most API_JSON_MAX_DEPTH levels and without NUL
    # (portal/operations/request_limits.py).
    "DEFAULT_PARSER_CLASSES": [
        "portal.operations.request_limits.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Anonymous callers by address (API_ANON_THROTTLE_RATE); searches (`?q=`) of signed-in
    # callers per user (RATELIMITS["search"], as the web search): portal/api/policy.py.
    "DEFAULT_THROTTLE_CLASSES": [
        "portal.api.policy.AnonymousThrottle",
        "portal.api.policy.SignedInSearchThrottle",
    ],
    # Our throttles ask portal/operations/client_address.py; this keeps any other DRF throttle in
    # step.
    "NUM_PROXIES": TRUSTED_PROXIES,
    "EXCEPTION_HANDLER": "portal.api.policy.exception_handler",
}
API_ANON_THROTTLE_RATE = os.environ.get("API_ANON_THROTTLE_RATE", "120/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "ผลงานเลิศรัฐ API (Public Sector Excellence Awards)",
    "DESCRIPTION": "Public data of the Public Sector Excellence Awards, and officials' and "
    "assessors' own work.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Every operation may answer 429 (throttles): documented by portal/api/policy.py.
    # Then every 4xx, summaries, ASCII-safe titles, licence and server: portal/api/schema.py.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "portal.api.policy.document_throttling",
        "portal.api.schema.polish",
    ],
    # Thai words stay out of generated names: a model field's Thai verbose name is moved into
    # the description (portal/api/schema.py); enums are named after their field, in ASCII.
    "ENUM_GENERATE_CHOICE_DESCRIPTION": True,
    # Three fields are named "kind" (an agency's, a form question's, an award level's): each
    # enum named here, the agency's keeping the name it had.
    "ENUM_NAME_OVERRIDES": {
        "KindEnum": "portal.agencies.models.AgencyKind",
        "AnswerKindEnum": "awards.serializers.ANSWER_KINDS",
        "AwardLevelKindEnum": "awards.models.AwardLevelKind",
    },
    "COMPONENT_SPLIT_REQUEST": True,
}

# --- Portal rules that staff may tune per deployment -------------------------------------------
ATTACHMENT_MAX_BYTES = env_int("ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
ATTACHMENT_MAX_COUNT = env_int("ATTACHMENT_MAX_COUNT", 10)
# Photos decoded for PDFs (portal/reports/images.py): at most this many pixels (Pillow's
# decompression-bomb limit too), this many bytes and seconds; copies at most IMAGE_MAX_SIDE.
IMAGE_MAX_PIXELS = env_int("IMAGE_MAX_PIXELS", 40_000_000)
IMAGE_MAX_BYTES = env_int("IMAGE_MAX_BYTES", 20 * 1024 * 1024)
IMAGE_DECODE_SECONDS = env_int("IMAGE_DECODE_SECONDS", 10)
IMAGE_MAX_SIDE = env_int("IMAGE_MAX_SIDE", 2000)
# A request body above this (by its Content-Length) is refused with 413 before it is read:
# one attachment plus the form around it. The admin takes a case study with its photos and
# documents in one form. portal/operations/request_limits.py.
REQUEST_BODY_MAX_BYTES = env_int("REQUEST_BODY_MAX_BYTES", ATTACHMENT_MAX_BYTES + 1024 * 1024)
ADMIN_REQUEST_BODY_MAX_BYTES = env_int("ADMIN_REQUEST_BODY_MAX_BYTES", 64 * 1024 * 1024)
API_JSON_MAX_DEPTH = env_int("API_JSON_MAX_DEPTH", 32)
REPORT_RETENTION_DAYS = env_int("REPORT_RETENTION_DAYS", 7)
# PDPA: a closed account's personal data is anonymised this long after closure
# (portal/privacy/pdpa.py).
ACCOUNT_RETENTION_DAYS = env_int("ACCOUNT_RETENTION_DAYS", 90)
# Points (of 100) by which assessors' totals of one entry may differ before it is flagged.
ASSESSMENT_DISAGREEMENT_MARGIN = os.environ.get("ASSESSMENT_DISAGREEMENT_MARGIN", "15")
# Rate limits per client (portal/operations/ratelimit.py): "<count>/<s|m|h>" or
# "<count>/<n><s|m|h>"; empty turns one off. api_token: wrong API tokens from one address before
# it is locked out for the rest of the window (the site's and the admin's sign-ins: django-axes,
# above).
RATELIMITS = {
    "search": os.environ.get("RATELIMIT_SEARCH", "120/m"),
    "sign_up": os.environ.get("RATELIMIT_SIGN_UP", "10/h"),
    "api_token": os.environ.get("RATELIMIT_API_TOKEN", "5/15m"),
    # Password-reset e-mails asked for: per client address, and per e-mail address typed.
    "password_reset": os.environ.get("RATELIMIT_PASSWORD_RESET", "5/h"),
    "password_reset_account": os.environ.get("RATELIMIT_PASSWORD_RESET_ACCOUNT", "3/h"),
    # "Someone tried to sign up with your address" e-mails per account (more are not sent).
    "sign_up_notice": os.environ.get("RATELIMIT_SIGN_UP_NOTICE", "3/h"),
}

# --- Logging --------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
        # LOG_FORMAT=json: one object per line
        "json": {"()": "portal.operations.logs.JSONFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("LOG_FORMAT") == "json" else "plain",
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # fontTools (WeasyPrint subsetting fonts) logs every table it reads at DEBUG.
    "loggers": {
        "pythainlp": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
