"""Settings for Integration Mapping, driven by the environment.

Local development: ``DJANGO_DEBUG=true`` (the Makefile sets it). Anything else is production and
refuses to start without a real secret key, allowed hosts and a database URL.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from integration_mapping.env import env_bool, env_int, env_list, env_str, env_url

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
DATABASE_URL = env_str("DATABASE_URL")

if not DEBUG:
    if len(SECRET_KEY) < 50 or SECRET_KEY.startswith("django-insecure"):
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be a random string of at least 50 characters in production "
            "(or set DJANGO_DEBUG=true for local development)."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must name this site's host names in production.")
    if not DATABASE_URL:
        raise ImproperlyConfigured("DATABASE_URL must point at the production database.")
elif not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. `make run` creates one for local development; "
        "there is deliberately no built-in fallback."
    )

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "bootstrap",
    "crispy_forms",
    "crispy_bootstrap5",
    "axes",
    "tenants",
    "indicators",
    "surveys",
    "observations",
    "reports",
    "django_tasks_db",
]

MIDDLEWARE = [
    # First: its one log line per request covers all the others (integration_mapping/logs.py).
    "integration_mapping.logs.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "integration_mapping.middleware.RejectNulCharactersMiddleware",
    # A lost database connection in a view: a 503 page in the reader's language, not a 500.
    "integration_mapping.middleware.DatabaseUnavailableMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: it turns a locked-out sign-in into the "wait" page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "integration_mapping.urls"
WSGI_APPLICATION = "integration_mapping.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)
    if DATABASE_URL
    else {"ENGINE": "django.db.backends.sqlite3", "NAME": BASE_DIR / "db.sqlite3"}
}
# A read replica of the primary (PostgreSQL streaming replication), empty for none. Only the reads
# of a report being built go there (integration_mapping/routers.py); every write, every access
# check and everything else stays on the primary. It is never migrated: it copies the primary.
DATABASE_REPLICA_URL = env_str("DATABASE_REPLICA_URL")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL, conn_max_age=60, conn_health_checks=True)
REPORTS_DATABASE = "replica" if DATABASE_REPLICA_URL else "default"
DATABASE_ROUTERS = ["integration_mapping.routers.ReportReadsRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "tenants.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# django-axes first: it refuses a locked-out sign-in before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Languages of the staff interface. The newcomer's questionnaire adds its own languages.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

STATIC_URL = "static/"
# Development serves static files straight from the finders; production from collectstatic.
STATIC_ROOT = None if DEBUG else BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "integration_mapping.staticfinders.PlotlyFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Files the product writes (answers exports, deleted after a day). With several app servers and a
# worker on other machines this must be storage they share (a shared disk, or an object store).
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT") or BASE_DIR / "media")

# Background work (answers exports as XLSX): Django's Tasks framework, stored in the database and
# run by `manage.py db_worker` (django-tasks-db), which `make run` starts beside the web server.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# E-mail (password reset): printed to the console in development, sent over SMTP in production.
MAILERS = {
    "default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if DEBUG
    else {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env_str("EMAIL_HOST", "localhost"),
            "port": env_int("EMAIL_PORT", 25, minimum=1),
            "username": env_str("EMAIL_HOST_USER"),
            "password": env_str("EMAIL_HOST_PASSWORD"),
            "use_tls": env_bool("EMAIL_USE_TLS", default=False),
        },
    }
}
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "integration-mapping@localhost")
# The site's own address, from which e-mails build their links (invitations, password reset): never
# the request's Host header, which a client chooses. Production defaults to the first allowed host.
SITE_URL = env_url("SITE_URL", "http://127.0.0.1:8000" if DEBUG or not ALLOWED_HOSTS else f"https://{ALLOWED_HOSTS[0]}")

# Security. Nothing is loaded from another host, and nothing inline runs or styles without leave: no
# 'unsafe-inline' and no 'unsafe-eval'. Stylesheets and <style> elements come from our files only
# (style-src, no nonce): plotly.js's own rules are served as css/plotly.css (templates/_plotly.html).
# Style attributes have a directive of their own, style-src-attr: none are in our markup (data
# colours and widths are SVG attributes; scripts set styles through CSSOM, which CSP allows), and
# the one plotly.js writes, style="font-weight:bold" for the <b> in hover labels, is allowed by its
# hash alone ('unsafe-hashes' lets a hash match an attribute; sha256 of the text font-weight:bold).
# A browser without style-src-attr falls back to style-src and shows those labels in plain weight.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "style-src-attr": [CSP.UNSAFE_HASHES, "'sha256-wkY2X5hecQzbhnFCqvTpwrUJ1f4X8LH5WFjYUzv1wmU='"],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
# A refused form on a newcomer page answers in the newcomer's frame and language.
CSRF_FAILURE_VIEW = "integration_mapping.middleware.csrf_failure"
SESSION_COOKIE_HTTPONLY = True
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    # A load balancer probes app servers over plain HTTP; a redirect would read as "down".
    SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 31_536_000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", default=True)
    SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", default=True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

# Public questionnaire limits per client per 10 minutes: unknown links tried, consents given,
# pages and final submits sent. They are counted in the cache (CACHES below), which production shares
# between all app servers through the database, so the limits hold across them.
RESPOND_THROTTLE = {
    "link": env_int("RESPOND_THROTTLE_LINK_FAILURES", 20, minimum=1),
    "start": env_int("RESPOND_THROTTLE_STARTS", 60, minimum=1),
    "answer": env_int("RESPOND_THROTTLE_ANSWERS", 600, minimum=1),
}
# Password guessing (django-axes). After SIGN_IN_FAILURE_LIMIT failed sign-ins for one username,
# or from one client whatever the usernames, signing in is paused for SIGN_IN_COOLOFF_MINUTES
# (each further try restarts the pause). Attempts are counted in the database, so the limit holds
# across app servers; unknown usernames are counted and answered exactly like known ones. The client
# is stored as a keyed hash, never as its IP address (integration_mapping/accounts.py). An
# administrator lifts a lock in the Django admin (Axes, Access attempts) or with
# `manage.py axes_reset_username <username>`.
AXES_FAILURE_LIMIT = env_int("SIGN_IN_FAILURE_LIMIT", 10, minimum=1)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("SIGN_IN_COOLOFF_MINUTES", 15, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_CLIENT_IP_CALLABLE = "integration_mapping.accounts.client_key"
AXES_LOCKOUT_CALLABLE = "integration_mapping.accounts.locked_out"
AXES_DISABLE_ACCESS_LOG = True  # no record of successful sign-ins is needed
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "csrfmiddlewaretoken"]
# Requests for a new password per 10 minutes: per e-mail address, and per client.
PASSWORD_RESET_THROTTLE = {
    "email": env_int("PASSWORD_RESET_THROTTLE_EMAIL", 3, minimum=1),
    "client": env_int("PASSWORD_RESET_THROTTLE_CLIENT", 10, minimum=1),
}
# The cache holds only the throttle counters. In production it is Django's database cache, one
# table on the primary (`manage.py createcachetable`, which `make serve` runs), so that every app
# server counts against the same limits; development and tests keep a per-process memory cache.
# DJANGO_CACHE_BACKEND and DJANGO_CACHE_LOCATION choose another (e.g. Redis) in either.
CACHE_TABLE = "integration_mapping_cache"
CACHE_BACKEND = env_str(
    "DJANGO_CACHE_BACKEND",
    "django.core.cache.backends.locmem.LocMemCache" if DEBUG else "django.core.cache.backends.db.DatabaseCache",
)
CACHES = {
    "default": {
        "BACKEND": CACHE_BACKEND,
        "LOCATION": env_str(
            "DJANGO_CACHE_LOCATION", CACHE_TABLE if CACHE_BACKEND.endswith(".DatabaseCache") else "integration-mapping"
        ),
        # One counter per client and window: above this many, Django deletes a third of them,
        # which would forgive a flood from many addresses. Generous for the same reason.
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    }
}

# Logs: one JSON object per line on stdout, never a token, query string, form content or e-mail
# address (integration_mapping/logs.py). The request log (one line per request: route, status,
# duration) is on in production; in development and tests only with DJANGO_REQUEST_LOG=true.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "integration_mapping.logs.JsonFormatter"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"}},
    "root": {"handlers": ["stdout"], "level": env_str("DJANGO_LOG_LEVEL", "WARNING").upper()},
    "loggers": {
        # Django's lines go to the JSON handler above instead of its default console and e-mail
        # handlers (an error e-mail would carry the request: its path, cookies and form).
        "django": {"handlers": [], "level": env_str("DJANGO_LOG_LEVEL", "WARNING").upper()},
        "integration_mapping.requests": {
            "level": "INFO" if env_bool("DJANGO_REQUEST_LOG", default=not DEBUG) else "WARNING"
        },
    },
}
