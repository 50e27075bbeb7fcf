"""Django settings: SQLite out of the box, PostgreSQL when DATABASE_URL says so."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TIMETILL_DATA_DIR", Path.cwd() / "var"))


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value in (None, "") else value.strip().lower() in ("1", "true", "yes", "on")


def _list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production mode (docs/deployment.md): HTTPS everywhere and a secret key of its own, or no start at all.
PRODUCTION = _flag("TIMETILL_PRODUCTION", False)
DEBUG = _flag("TIMETILL_DEBUG", False) and not PRODUCTION
DEVELOPMENT_SECRET_KEY = "dev-only-not-secret-change-me-in-production"  # noqa: S105 - public on purpose
# A development key is fine for `make run` on 127.0.0.1; production must set its own.
SECRET_KEY = os.environ.get("TIMETILL_SECRET_KEY") or DEVELOPMENT_SECRET_KEY
if PRODUCTION and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "TIMETILL_PRODUCTION=1 needs TIMETILL_SECRET_KEY: a random value of 50 characters or more, "
        "kept secret (docs/deployment.md). The development key is public."
    )
ALLOWED_HOSTS = _list("TIMETILL_ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = _list("TIMETILL_CSRF_TRUSTED_ORIGINS")

# HTTPS: on by default in production, each setting its own variable.
HTTPS = _flag("TIMETILL_HTTPS", PRODUCTION)
SECURE_SSL_REDIRECT = _flag("TIMETILL_SSL_REDIRECT", HTTPS)
SESSION_COOKIE_SECURE = _flag("TIMETILL_SECURE_COOKIES", HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("TIMETILL_HSTS_SECONDS") or (31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("TIMETILL_HSTS_INCLUDE_SUBDOMAINS", HTTPS)
SECURE_HSTS_PRELOAD = _flag("TIMETILL_HSTS_PRELOAD", HTTPS)
# Behind a reverse proxy that terminates HTTPS and says so in X-Forwarded-Proto (and strips a client's own).
if _flag("TIMETILL_BEHIND_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    # The client's address for login throttling is the one the proxy adds last to X-Forwarded-For.
    AXES_IPWARE_PROXY_COUNT = 1
    AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"]
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    # First, so that its templates (the login and password pages) are found before the admin's own.
    "timetill.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    "ninja",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "csp",
    "timetill.accounts",
    "timetill.sites",
    "timetill.customers",
    "timetill.timelines",
    "timetill.billing",
    "timetill.exports",
    "timetill.catalog",
    "timetill.sales",
    "timetill.invoicing",
    "timetill.backoffice",
    "timetill.reports",
]
if os.environ.get("TIMETILL_BENCH") == "1":  # the HTTP benchmark's bare-insert endpoint (bench/README.md)
    INSTALLED_APPS.append("bench.benchapp.apps.BenchAppConfig")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "timetill.middleware.ApiErrorsMiddleware",
    "timetill.middleware.PrivateAnswersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The language: the choice made on the login page (its cookie), else the browser's Accept-Language…
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # … unless the person who is logged in chose one in their preferences.
    "timetill.accounts.language.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it answers a locked-out login with the page below.
    "axes.middleware.AxesMiddleware",
]

# Content-Security-Policy (django-csp): scripts only from the app itself (an inline one needs the page's
# nonce), styles from the app's stylesheets (an inline <style> needs the nonce; style attributes are refused),
# no plugins, no framing, forms posted only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username from one address,
# that pair is locked out for the cool-off time; a manager unlocks it (docs/deployment.md).
AUTHENTICATION_BACKENDS = [
    "timetill.accounts.backends.ThrottledLogins",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("TIMETILL_LOGIN_FAILURE_LIMIT") or 5)
AXES_COOLOFF_MINUTES = int(os.environ.get("TIMETILL_LOGIN_COOLOFF_MINUTES") or 15)
AXES_COOLOFF_TIME = timedelta(minutes=AXES_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "timetill.accounts.lockouts.locked_out"
AXES_HTTP_RESPONSE_CODE = 429
AXES_VERBOSE = False

# The till asks "is that right?" before a sale line worth more than this (in the sale's currency); the API
# refuses such a line without `confirm_large: true` (docs/till.md).
TIMETILL_CONFIRM_LINE_ABOVE = os.environ.get("TIMETILL_CONFIRM_LINE_ABOVE") or "1000"

ROOT_URLCONF = "timetill.urls"
WSGI_APPLICATION = "timetill.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _database() -> dict:
    url = os.environ.get("DATABASE_URL", "")
    if url:
        # Keep connections open: opening one per request cut PostgreSQL writes by ~6x on this hardware.
        return dj_database_url.parse(url, conn_max_age=None, conn_health_checks=True)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        # Django's SQLite backend, with write transactions queued on a lock file (timetill/sqlite_backend).
        "ENGINE": "timetill.sqlite_backend",
        "NAME": os.environ.get("TIMETILL_SQLITE_PATH", str(DATA_DIR / "timetill.sqlite3")),
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN: a read-then-write under DEFERRED fails with
            # "database is locked" as soon as several workers write.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        },
        # ":memory:" said outright (Django's default when empty): pytest-django's parallel runs recognise an
        # in-memory database by that name, or by Django's own engine, which this is not.
        "TEST": {"NAME": os.environ.get("TIMETILL_SQLITE_TEST_PATH") or ":memory:"},
    }


DATABASES = {"default": _database()}

# Background jobs (the monthly invoicing run) are rows of the database, run by `timetill db_worker`, which
# `make run` starts beside gunicorn; TIMETILL_TASKS=immediate runs them inside the request instead.
TASKS = {
    "default": {
        "BACKEND": "django_tasks.backends.immediate.ImmediateBackend"
        if os.environ.get("TIMETILL_TASKS") == "immediate"
        else "django_tasks_db.DatabaseBackend"
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Large report downloads written in the background: one folder per user, each file removed after a day.
EXPORTS_DIR = Path(os.environ.get("TIMETILL_EXPORTS_DIR", DATA_DIR / "exports"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

# The languages of the pages, messages and documents (docs/i18n.md); English when the browser asks for none.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("fr", "Français"), ("it", "Italiano")]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "timetill_language"
LANGUAGE_COOKIE_SAMESITE = "Lax"
LANGUAGE_COOKIE_SECURE = _flag("TIMETILL_SECURE_COOKIES", HTTPS)
TIME_ZONE = os.environ.get("TIMETILL_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
# whitenoise warns on every request when the folder is missing; `collectstatic` fills it for production.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Tests and `make run` serve static files straight from the apps, no collectstatic needed.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Invitations and password resets. Without TIMETILL_EMAIL_HOST, e-mails are written to the server's log.
DEFAULT_FROM_EMAIL = os.environ.get("TIMETILL_FROM_EMAIL", "timetill@localhost")
if os.environ.get("TIMETILL_EMAIL_HOST"):
    EMAIL_HOST = os.environ["TIMETILL_EMAIL_HOST"]
    EMAIL_PORT = int(os.environ.get("TIMETILL_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("TIMETILL_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("TIMETILL_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("TIMETILL_EMAIL_TLS", "1") == "1"
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
# The invoice PDF's embedded TrueType font (Debian's fonts-dejavu-core; `make install` adds it).
TIMETILL_FONT_DIR = os.environ.get("TIMETILL_FONT_DIR", "/usr/share/fonts/truetype/dejavu")

# Binary or oversized input is refused before it reaches a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A refused request (403) is the app working as meant: one line in the log, not a traceback.
    "filters": {"refusals_without_traceback": {"()": "timetill.logs.RefusalsWithoutTraceback"}},
    "loggers": {"django.request": {"filters": ["refusals_without_traceback"]}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TIMETILL_LOG_LEVEL", "WARNING")},
}
