"""Settings for OMS, read from the environment (see README, "Configuration").

DEBUG is off unless OMS_DEBUG=1. OMS_ENV=production turns on the settings `check --deploy` asks for
(HTTPS only cookies, HSTS, SSL redirect) and requires a real secret key.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("OMS_VAR_DIR", BASE_DIR / "var"))

PRODUCTION = os.environ.get("OMS_ENV", "development") == "production"
DEBUG = os.environ.get("OMS_DEBUG", "0") == "1"

_DEVELOPMENT_SECRET_KEY = "development-only-secret-key-never-used-in-production-0123456789abcdef"
SECRET_KEY = os.environ.get("OMS_SECRET_KEY", "" if PRODUCTION else _DEVELOPMENT_SECRET_KEY)
if PRODUCTION and len(SECRET_KEY) < 50:
    raise RuntimeError(
        "OMS_SECRET_KEY must be set to a random string of at least 50 characters in production"
    )

ALLOWED_HOSTS = [
    h for h in os.environ.get("OMS_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("OMS_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "simple_history",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "oms.organisation",
    "oms.accounts",
    "oms.cases",
    "oms.risk",
    "oms.tiering",
    "oms.planning",
    "oms.supervision",
    "oms.interventions",
    "oms.courts",
    "oms.victims",
    "oms.standards",
    "oms.performance",
    "oms.outcomes",
    "oms.inspection",
    "oms.demo",
    "oms.jobs",
]

# Background jobs (nightly sweep, digests, large imports): Django's tasks framework with its database
# backend, so the jobs wait in the same database and any number of `oms worker` processes share them.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "oms.accounts.middleware.RefuseNulInAddressMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
    "oms.accounts.middleware.LoginRequiredMiddleware",
    # Every 401 and 403, from any page or API operation, is logged here and only here.
    "oms.accounts.refusals.RefusalLogMiddleware",
]

ROOT_URLCONF = "oms.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "oms" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "oms.accounts.context_processors.current_staff",
            ],
        },
    },
]

WSGI_APPLICATION = "oms.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'oms.sqlite3'}"),
        conn_max_age=int(os.environ.get("OMS_DB_CONN_MAX_AGE", "0")),
    )
}
# The role the application connects as, given its rights by `oms migrate` when that runs as the owner
# (OMS_MIGRATE_DATABASE_URL; see oms/accounts/database_roles.py and the README's "Database roles").
OMS_APP_DATABASE_ROLE = os.environ.get("OMS_APP_DATABASE_ROLE", "")
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Several requests (and cron commands) may write at once: wait rather than fail at once.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
# A read replica for the national reports (oms/read_replica.py): only their reads go there.
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("OMS_DB_CONN_MAX_AGE", "0")),
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["oms.read_replica.ReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sign-in hardening: lock an account (per username and address) after five failures for 30 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("OMS_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
# Behind a proxy, the client's address comes from X-Forwarded-For, believed only from these proxies
# (comma-separated addresses or networks): lockout stays per username and address, not per username.
OMS_TRUSTED_PROXIES = [p.strip() for p in os.environ.get("OMS_TRUSTED_PROXIES", "").split(",") if p.strip()]
AXES_CLIENT_IP_CALLABLE = "oms.accounts.client_address.client_address"

# Sessions end after 30 minutes without activity, and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("OMS_SESSION_MINUTES", "30")) * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = os.environ.get("OMS_SSL_REDIRECT", "1") == "1"
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy: our own scripts and styles only (GOV.UK Frontend is served locally).
CSP_DEFAULT_SRC = ("'self'",)
CSP_SCRIPT_SRC = ("'self'",)
CSP_STYLE_SRC = ("'self'",)
# A page that asks for request.csp_nonce (the sentence plan's printable copy, styled for the person's
# print needs) may carry one <style> element with it; every other page's styles come from files.
CSP_INCLUDE_NONCE_IN = ("style-src",)
CSP_IMG_SRC = ("'self'", "data:")
CSP_FONT_SRC = ("'self'",)
CSP_FRAME_ANCESTORS = ("'none'",)
CSP_FORM_ACTION = ("'self'",)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # the SQLite database lives beside it, in var/
STATICFILES_DIRS = [BASE_DIR / "oms" / "static"]
# Serve straight from the app folders: no collectstatic step needed for the demo or tests.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# A cache every app server shares (rate limits must hold across processes): a database table.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "oms_cache",
    }
}
NINJA_PAGINATION_CLASS = "oms.api.pagination.BoundedLimitOffsetPagination"
NINJA_PAGINATION_MAX_LIMIT = 500
OMS_API_RATE = os.environ.get("OMS_API_RATE", "600/m")
# Bad API tokens allowed per client address before it is refused (429) until the window ends.
OMS_API_BAD_TOKEN_RATE = os.environ.get("OMS_API_BAD_TOKEN_RATE", "10/m")

EMAIL_BACKEND = os.environ.get("OMS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("OMS_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("OMS_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("OMS_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("OMS_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("OMS_EMAIL_USE_TLS", "0") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("OMS_FROM_EMAIL", "oms@probation.example")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("OMS_LOG_LEVEL", "WARNING")},
}

# GOV.UK Notify for appointment reminders to offenders: console (log only) unless a key is set.
NOTIFY_API_KEY = os.environ.get("OMS_NOTIFY_API_KEY", "")
NOTIFY_SMS_TEMPLATE_ID = os.environ.get("OMS_NOTIFY_SMS_TEMPLATE_ID", "")
NOTIFY_EMAIL_TEMPLATE_ID = os.environ.get("OMS_NOTIFY_EMAIL_TEMPLATE_ID", "")

# Workload points for allocation, per tiering framework: {"noms_2005": {"community": {"4": 158, ...},
# "licence": {...}, "custody": {...}}}. Empty: the spec's weights (spec/tiering-and-risk.md, Workload).
OMS_WORKLOAD_WEIGHTS = json.loads(os.environ.get("OMS_WORKLOAD_WEIGHTS", "{}"))
