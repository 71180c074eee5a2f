"""Settings for Skills Wallet, read from the environment in this one place.

Every value has a safe default for the embedded development setup (SQLite,
tasks run in-process); production sets DEBUG=false and the variables listed
in README.md.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
env.read_env(BASE_DIR / ".env")
# `make run` leaves var/dev.env (DEBUG=true) so that README's `manage.py` commands work
# as written on that machine. Only the development keys derived in DEBUG follow from it,
# the ones `make run` always used. The environment wins over it, and tests never read it.
DEV_ENV_FILE = Path(env.str("DEV_ENV_FILE", default=str(VAR_DIR / "dev.env")))
if not env.bool("TESTING", default=False) and DEV_ENV_FILE.is_file():
    env.read_env(DEV_ENV_FILE)

DEBUG = env.bool("DEBUG", default=False)
TESTING = env.bool("TESTING", default=False)

_DEV_SECRET = "django-insecure-development-only-key-never-used-in-production"  # noqa: S105
SECRET_KEY = env.str("SECRET_KEY", default=_DEV_SECRET if (DEBUG or TESTING) else "")
if not SECRET_KEY:
    raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The absolute base URL used for every link built outside a request
# (emails, QR codes, PDFs).
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000" if (DEBUG or TESTING) else "")
if not SITE_URL:
    raise ImproperlyConfigured("SITE_URL must be set when DEBUG is off.")
SITE_URL = SITE_URL.rstrip("/")

# Fernet key(s), comma-separated, newest first, for secrets kept at rest
# (TOTP secrets, share-link tokens). Derived from SECRET_KEY in development.
FIELD_ENCRYPTION_KEY = env.list("FIELD_ENCRYPTION_KEY", default=[])
if not FIELD_ENCRYPTION_KEY and not (DEBUG or TESTING):
    raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set when DEBUG is off.")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "csp",
    "credentials",
    "wallet",
    "sharing",
]

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.middleware.PrivateNoStoreMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "config.middleware.AdminRequiresMFAMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "config.urls"
# A credential's page belongs to the wallet: credentials, the bottom app, cannot name it.
ABSOLUTE_URL_OVERRIDES = {
    "credentials.credential": lambda credential: reverse(
        "wallet:credential_detail", kwargs={"credential_uuid": credential.uuid}
    ),
}
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

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
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # JIT compilation costs seconds on small, freshly created tables and buys
    # nothing for this site's short queries.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Several processes write at once (gunicorn workers running tasks in the request,
    # commands). A deferred transaction that reads and then writes cannot wait for the
    # write lock, it fails with "database is locked"; IMMEDIATE takes the lock when the
    # transaction begins, so it waits out the busy timeout instead. WAL lets reads go on
    # meanwhile, and NORMAL is durable enough in WAL mode.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "wallet.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    # Password hashing is deliberately slow; the test suite creates hundreds of accounts.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "wallet:dashboard"

# Redis is the Celery broker and the cache. Without it, tasks run in-process and the
# cache is the database table made by `createcachetable`: the embedded default of
# `make run`. Rate limits (passcodes, logins, API throttles) live in the cache, so it
# must be one cache for every process; local memory would give each gunicorn worker
# its own count.
REDIS_URL = env.str("REDIS_URL", default="")
_DATABASE_CACHE = {
    "BACKEND": "django.core.cache.backends.db.DatabaseCache",
    "LOCATION": "cache_fallback",
}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "config.cache.FailoverRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"fallback": "database"},
        },
        "database": _DATABASE_CACHE,
    }
elif TESTING:
    # Tests run in one process, start each from an empty cache and count queries; a test
    # about the database cache asks for it.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    CACHES = {"default": _DATABASE_CACHE}

SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "config.views.csrf_failure"

# Celery
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = REDIS_URL or None
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Tasks report through their rows, not results; with no result to wait for, a
# request never blocks on a dead Redis subscribing to one.
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing gives up quickly so a request never hangs on a dead broker.
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 1,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_RESULT_EXPIRES = 3600
CELERY_TIMEZONE = "UTC"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "reverify-credentials": {
        "task": "credentials.tasks.reverify_credentials",
        "schedule": crontab(hour=3, minute=15),
    },
    # Every registered job (URL imports, exports, transcripts), each by its own staleness rule.
    "sweep-stale-jobs": {"task": "credentials.tasks.sweep_stale_jobs", "schedule": 300.0},
    # Before the nightly re-verification, so that it reads the registries' latest entries.
    "refresh-issuer-registries": {
        "task": "credentials.tasks.refresh_issuer_registries_task",
        "schedule": crontab(hour=2, minute=45),
    },
    "clean-up-exports": {"task": "wallet.tasks.clean_up_exports", "schedule": 3600.0},
    "clear-ended-sessions": {
        "task": "wallet.tasks.clear_ended_sessions",
        "schedule": crontab(hour=4, minute=0),
    },
    "delete-old-audit-traces": {
        "task": "wallet.tasks.delete_old_audit_traces",
        "schedule": crontab(hour=4, minute=30),
    },
}

# Email: console in development, EMAIL_URL (smtp://, smtps://) in production.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Skills Wallet <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Internationalisation
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr-ca", _("French (Canada)"))]
FORMAT_MODULE_PATH = ["config.formats"]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "config" / "allauth_locale"]
USE_I18N = True
TIME_ZONE = "UTC"
USE_TZ = True

# Static and media. A learner's files are never in a publicly served
# folder: MEDIA_ROOT is outside STATIC_ROOT and has no URL route; views that
# check access stream files out of storage.
STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    _default_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
else:
    _default_storage = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT},
    }
STORAGES = {
    "default": _default_storage,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (DEBUG or TESTING)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Security headers and cookies.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    # Off only for tests that drive the site over plain http on loopback.
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = env.bool(
        "SECURE_COOKIES", default=True
    )
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# How many proxies of ours stand in front of the site, each appending the address it
# saw to X-Forwarded-For (1 behind the TLS proxy README recommends). The client is that
# many entries from the right; whatever is further left the client sent itself and may
# be forged. 0: the client is REMOTE_ADDR and the header is ignored. It feeds every
# per-client limit: share-link passcodes (credentials.clients), allauth and DRF.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

# Content-Security-Policy: everything from this origin, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
        "object-src": ["'none'"],
    },
}

# django-allauth: email is the login, verified by a code before first login.
ACCOUNT_ADAPTER = "wallet.adapters.AccountAdapter"
MFA_ADAPTER = "wallet.adapters.MFAAdapter"
ACCOUNT_FORMS = {
    "signup": "wallet.forms.SignupForm",
    "change_password": "wallet.forms.ChangePasswordForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Codes rather than links: allauth only lets a learner with TOTP add a
# second address when addresses are verified by code.
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = True
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_MAX_EMAIL_ADDRESSES = 5
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    "manage_email": "10/m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Skills Wallet] "
ACCOUNT_EMAIL_NOTIFICATIONS = True  # security notices: password, addresses, two-factor
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG or TESTING
MFA_TOTP_ISSUER = "Skills Wallet"
# Each login is recorded (browser and address) so a learner can see where they are
# signed in and sign the other places out, and so ending every session of an account
# reads an index instead of decoding the whole session table. Activity is not tracked:
# it would write on every request.
USERSESSIONS_TRACK_ACTIVITY = False

# Remote fetching (issuer profiles, keys, status lists, hosted assertions).
FETCH_ALLOWLIST = env.list("FETCH_ALLOWLIST", default=[])
FETCH_TIMEOUT = env.float("FETCH_TIMEOUT", default=10.0)
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=2 * 1024 * 1024)
FETCH_MAX_REDIRECTS = env.int("FETCH_MAX_REDIRECTS", default=3)
FETCH_CACHE_SECONDS = min(env.int("FETCH_CACHE_SECONDS", default=3600), 24 * 3600)
# Share pages queue a background re-check when the last one is older than this.
SHARE_REVERIFY_AFTER_HOURS = env.int("SHARE_REVERIFY_AFTER_HOURS", default=24)
# A verdict no check has confirmed for this long (issuer offline, list unreachable) is
# shown as stale to the learner and on share pages.
VERDICT_STALE_AFTER_DAYS = env.int("VERDICT_STALE_AFTER_DAYS", default=7)
EXPORT_RETENTION_DAYS = env.int("EXPORT_RETENTION_DAYS", default=7)
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
JSON_MAX_DEPTH = env.int("JSON_MAX_DEPTH", default=64)
DATA_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 6 * 1024 * 1024

# Logs: one line per request to stdout (see config/middleware.py); the raw
# path never reaches a log because share tokens and allauth keys live in it.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"stdout": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stdout"], "level": LOG_LEVEL},
    "loggers": {
        # Both of these write the raw request path; the request log replaces them.
        "django.request": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.server": {"handlers": [], "level": "CRITICAL", "propagate": False},
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}

# The REST API (/api/v1/): configured here once. The base view, error shape and access
# rules are in credentials/api/; token authentication is in wallet/api/authentication.py.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "wallet.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "credentials.api.access.TokenScopePermission",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 25,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "credentials.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.UserRateThrottle",
        "rest_framework.throttling.AnonRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "user": env.str("API_THROTTLE_USER", default="600/hour"),
        "anon": env.str("API_THROTTLE_ANON", default="60/hour"),
        "token": env.str("API_THROTTLE_TOKEN", default="300/hour"),
    },
    "UNAUTHENTICATED_USER": None,
    # Without it DRF keys the anonymous throttle on X-Forwarded-For as the client sent it.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Skills Wallet API",
    "DESCRIPTION": "Import, verify, curate and share credentials from code.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

SILENCED_SYSTEM_CHECKS: list[str] = []
SECURITY_CONTACT_EMAIL = env.str("SECURITY_CONTACT_EMAIL", default="security@localhost")
# Where learners write about their data or accessibility (privacy and accessibility notices).
CONTACT_EMAIL = env.str("CONTACT_EMAIL", default=SECURITY_CONTACT_EMAIL)
# Staff enter admin only with MFA enabled (they are sent to enrol otherwise).
ADMIN_REQUIRES_MFA = env.bool("ADMIN_REQUIRES_MFA", default=not DEBUG)
