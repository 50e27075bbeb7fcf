"""Django settings: SQLite out of the box, PostgreSQL when DATABASE_URL says so."""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("TIMETILL_DATA_DIR", Path.cwd() / "var"))

DEBUG = os.environ.get("TIMETILL_DEBUG", "") == "1"
# A development key is fine for `make run` on 127.0.0.1; production must set its own (docs/deployment.md).
SECRET_KEY = os.environ.get("TIMETILL_SECRET_KEY", "dev-only-not-secret-change-me-in-production")
ALLOWED_HOSTS = os.environ.get("TIMETILL_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("TIMETILL_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

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
    "timetill.accounts",
    "timetill.sites",
    "timetill.customers",
    "timetill.timelines",
    "timetill.billing",
    "timetill.catalog",
    "timetill.sales",
    "timetill.invoicing",
    "timetill.backoffice",
]
if os.environ.get("TIMETILL_BENCH") == "1":  # the HTTP benchmark's bare-insert endpoint (bench/README.md)
    INSTALLED_APPS.append("bench.benchapp.apps.BenchAppConfig")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

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
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("TIMETILL_SQLITE_PATH", str(DATA_DIR / "timetill.sqlite3")),
        "CONN_MAX_AGE": None,
        "OPTIONS": {
            # IMMEDIATE takes the write lock at BEGIN: a read-then-write under DEFERRED fails with
            # "database is locked" as soon as several workers write.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;",
        },
        "TEST": {"NAME": os.environ.get("TIMETILL_SQLITE_TEST_PATH") or None},
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

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
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

# Binary or oversized input is refused before it reaches a view.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TIMETILL_LOG_LEVEL", "WARNING")},
}
