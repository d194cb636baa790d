"""Caillou settings: one module, driven by environment variables.

Development defaults work for `make run`; production (DEBUG=0) has no secret
defaults and refuses to start without SECRET_KEY.
"""

import os
import re
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from botocore.config import Config as BotoConfig
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in ("1", "true", "yes", "on"):
        return True
    if value.lower() in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(
        f"{name} must be a boolean (1/0, true/false), not {value!r}"
    )


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    try:
        return int(value) if value else default
    except ValueError:
        raise ImproperlyConfigured(
            f"{name} must be an integer, not {value!r}"
        ) from None


def envlist(name: str, default: str) -> list[str]:
    return [
        item.strip()
        for item in os.environ.get(name, default).split(",")
        if item.strip()
    ]


def development_secret(path: Path) -> str:
    """A random secret made on first use and kept in `path`, out of git.

    Every process of one checkout (web, worker, beat, manage.py) reads the same
    one; two processes starting together agree, as the file appears whole.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f"{path.name}.{os.getpid()}")
        draft.write_text(secrets.token_urlsafe(50))
        draft.chmod(0o600)
        try:
            os.link(draft, path)  # fails if another process made it first
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return path.read_text().strip()


# Development defaults (a generated secret, local host names, console e-mail,
# plain HTTP) hold unless DEBUG=0, which production sets. Django's debug page,
# which shows settings and paths, needs a developer's explicit DEBUG=1.
DEVELOPMENT = envbool("DEBUG", True)
DEBUG = envbool("DEBUG", False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "SECRET_KEY is required when DEBUG is off: set it in the environment."
        )
    SECRET_KEY = development_secret(BASE_DIR / ".run" / "secret_key")

ALLOWED_HOSTS = envlist(
    "ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEVELOPMENT else ""
)
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "whitenoise.runserver_nostatic",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "import_export",
    "django_htmx",
    "csp",
    # Advisors' accounts: sign-in attempts throttled by django-axes, an optional
    # TOTP second factor (django-otp), hashed API tokens (advisors/).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "catalog",
    "assessment",
    "reports",
    "advisors",
    "pulse",
    "privacy",
]

MIDDLEWARE = [
    "config.middleware.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # It reads the user that AuthenticationMiddleware sets.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # It turns a lock-out into its 429 page, so it comes last (as its docs ask).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
            ],
        },
    },
]

# SQLite (`make run` on a development machine) serves concurrent requests only
# in WAL mode, with writers taking the lock when their transaction begins
# (IMMEDIATE: a reader turned writer cannot deadlock) and waiting for it (the
# busy timeout) rather than failing at once with « database is locked ».
# PostgreSQL stays the production and test database.
SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": envint("SQLITE_BUSY_TIMEOUT", 20),
}
_DATABASE = dj_database_url.parse(
    os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
    conn_max_age=envint("DATABASE_CONN_MAX_AGE", 60),
    conn_health_checks=True,
)
DATABASES = {
    "default": {**_DATABASE, "OPTIONS": SQLITE_OPTIONS}
    if _DATABASE["ENGINE"] == "django.db.backends.sqlite3"
    else _DATABASE
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# Django 6 behaviour now: a URL typed without a scheme is taken as https.
FORMS_URLFIELD_ASSUME_HTTPS = True

_VALIDATORS = "django.contrib.auth.password_validation."
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": _VALIDATORS + "UserAttributeSimilarityValidator"},
    {"NAME": _VALIDATORS + "MinimumLengthValidator"},
    {"NAME": _VALIDATORS + "CommonPasswordValidator"},
    {"NAME": _VALIDATORS + "NumericPasswordValidator"},
]

# French first, English second.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Numbers, money and dates follow the active language through Django's formats;
# French groups thousands with a narrow no-break space (config/formats/fr).
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
# Development serves straight from the source folders; production runs collectstatic.
WHITENOISE_USE_FINDERS = DEVELOPMENT
WHITENOISE_AUTOREFRESH = DEVELOPMENT
# Private files (the PDF plans): no URL serves this folder, in any mode; they
# leave only through views that check access and record it (reports/views.py).
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# PDF plans: on the local disk (MEDIA_ROOT) by default, as `make run` wants;
# in an S3-compatible object store when S3_BUCKET is set, so that web and
# workers on several machines share nothing but it, PostgreSQL and Redis.
# Objects stay private (no ACL granted, a bucket without a public policy): the
# app streams a plan only after its access check (reports/views.py).
S3_BUCKET = os.environ.get("S3_BUCKET", "")
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            # A key prefix, to share a bucket (each test run has its own).
            "location": os.environ.get("S3_PREFIX", ""),
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": envint("S3_URL_EXPIRES", 60),
            # A version's file has a stable name (Report.filename): replace it.
            "file_overwrite": True,
            # A page or a health check must not hang while the store is away
            # (this config replaces the addressing_style and signature_version
            # options, so it sets them too).
            "client_config": BotoConfig(
                s3={"addressing_style": "path"},
                signature_version="s3v4",
                connect_timeout=2,
                read_timeout=10,
                retries={"max_attempts": 2, "mode": "standard"},
            ),
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEVELOPMENT
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Partial templates added to the diagnostic's result page by the apps that
# build on it: the diagnostic itself knows nothing of PDFs or advisors.
LOGIN_URL = "advisors:login"
LOGIN_REDIRECT_URL = "advisors:queue"
LOGOUT_REDIRECT_URL = "home"

# In reading order: the blocks a row holds first, the full-width pulse panel last
# (placed second, it left the PDF block alone on a row on a computer screen).
ASSESSMENT_RESULT_ACTIONS = [
    "reports/_report_actions.html",
    "advisors/_advisor_changes.html",
    "advisors/_share_action.html",
    "privacy/_owner_actions.html",
    "assessment/_followup_result_action.html",
    "assessment/_retake_action.html",
    "pulse/_result_action.html",
]

# Partial templates added to the action plan's findings chapter, likewise: the
# plan knows nothing of the apps above it (each partial loads its own tags).
REPORT_FINDINGS_SECTIONS = ["pulse/_report_section.html"]
# What those apps put in a plan, as parts of what identifies it
# (reports/fingerprint.py): a name for the versions list, and a function of the
# diagnostic whose value changes when their section would.
REPORT_PARTS = {"pulse": (_("sondage des salariés"), "pulse.survey.plan_part")}

# Called with the diagnostic, in the transaction that submits it, by the apps
# that build on it: the owner's plan is rendered before it is asked for.
ASSESSMENT_ON_SUBMIT = [
    "reports.asking.prepare_owner_plan",
    # A diagnostic started from a campaign with the owner's consent is shared.
    "advisors.campaigns.share_on_submit",
]
# Called with the diagnostic and the date its plan's next action falls due
# (None: nothing left), in the transaction that ticks an action or shares it:
# the advisors' queue keeps that date on each case for « actions en retard ».
ASSESSMENT_ON_PROGRESS = ["advisors.cases.follow_progress"]

# The employee pulse: totals show from this many answers, by groups of it.
PULSE_MIN_RESPONSES = envint("PULSE_MIN_RESPONSES", 5)
# Pulse answers accepted from one address (a whole office may share one).
PULSE_ANSWER_RATE = os.environ.get("PULSE_ANSWER_RATE", "60/hour")

# Owners compare their scores with companies of their sector and size only
# once this many others have answered: fewer would reveal a company's scores.
PEER_BENCHMARK_MINIMUM = envint("PEER_BENCHMARK_MINIMUM", 10)
if PEER_BENCHMARK_MINIMUM < 1:
    raise ImproperlyConfigured("PEER_BENCHMARK_MINIMUM must be at least 1")

# The documents the catalogue is built from (cited by file name).
SEED_DOCUMENTS_DIR = Path(
    os.environ.get("SEED_DOCUMENTS_DIR", BASE_DIR.parent / "shared" / "seed-documents")
)

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEVELOPMENT
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Caillou <noreply@localhost>")
# Where the accessibility statement tells people to report a barrier.
ACCESSIBILITY_CONTACT = os.environ.get("ACCESSIBILITY_CONTACT", "")

# Redis is the Celery broker and result backend.
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_RESULT_EXPIRES = 3600
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_SOFT_TIME_LIMIT = envint("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = envint("CELERY_TASK_TIME_LIMIT", 180)
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# An unacknowledged message (acks_late tasks: PDF renders) whose worker died
# comes back after the visibility timeout; sweeping every few seconds makes
# that happen within a minute instead of the default 100 s sweep.
CELERY_VISIBILITY_TIMEOUT = envint("CELERY_VISIBILITY_TIMEOUT", 45)
# A request must not hang when Redis is down: fail fast, the caller decides.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": envint("CELERY_UNACKED_RESTORE_INTERVAL", 5),
    "unacked_restore_throttle": 1,
}
# Three queues, so that an owner waiting for a plan is never behind bulk work:
# "plans" for the owner's plan (asked on the page or the API, or made when the
# diagnostic is submitted), "versions" for advisors' versions, "maintenance"
# for the periodic tasks. A worker started without -Q consumes all three; `make
# run` and docker-compose.yml add a worker that consumes "plans" only.
CELERY_TASK_QUEUES = [
    Queue("plans", routing_key="plans"),
    Queue("versions", routing_key="versions"),
    Queue("maintenance", routing_key="maintenance"),
]
CELERY_TASK_DEFAULT_QUEUE = "maintenance"
CELERY_TASK_ROUTES = {
    # The queue of a render follows who asked for it (REPORTS_QUEUES, reports/tasks.py).
    "reports.render_report": {"queue": "plans"},
    "reports.requeue_stuck": {"queue": "maintenance"},
    "privacy.*": {"queue": "maintenance"},
    "assessment.*": {"queue": "maintenance"},
}
REPORTS_QUEUES = {"owner": "plans", "api": "plans", "advisor": "versions"}
CELERY_BEAT_SCHEDULE = {
    "reports-requeue-stuck": {
        "task": "reports.requeue_stuck",
        "schedule": envint("REPORTS_REQUEUE_EVERY", 30),
    },
    # Opted-in owners hear of their plan's actions that fell due (assessment/followup.py).
    "assessment-send-reminders": {
        "task": "assessment.send_reminders",
        "schedule": crontab(
            hour=envint("FOLLOWUP_REMINDERS_HOUR", 9),
            minute=envint("FOLLOWUP_REMINDERS_MINUTE", 0),
        ),
    },
    # Personal data (privacy/): the retention periods below, applied every night.
    "privacy-retention": {
        "task": "privacy.apply_retention",
        "schedule": crontab(
            hour=envint("PRIVACY_RETENTION_HOUR", 3),
            minute=envint("PRIVACY_RETENTION_MINUTE", 30),
        ),
    },
}

# PDF action plans (reports/). The hard time limit must stay below the
# visibility timeout, or a long render would be delivered twice.
REPORTS_RENDER_TIME_LIMIT = envint("REPORTS_RENDER_TIME_LIMIT", 30)
REPORTS_RENDER_SOFT_TIME_LIMIT = envint(
    "REPORTS_RENDER_SOFT_TIME_LIMIT", REPORTS_RENDER_TIME_LIMIT * 2 // 3
)
if not 0 < REPORTS_RENDER_SOFT_TIME_LIMIT < REPORTS_RENDER_TIME_LIMIT:
    raise ImproperlyConfigured(
        "REPORTS_RENDER_SOFT_TIME_LIMIT must be below the hard one"
    )
if REPORTS_RENDER_TIME_LIMIT >= CELERY_VISIBILITY_TIMEOUT:
    raise ImproperlyConfigured(
        "REPORTS_RENDER_TIME_LIMIT must be below CELERY_VISIBILITY_TIMEOUT"
    )
REPORTS_MAX_RETRIES = envint("REPORTS_MAX_RETRIES", 3)
# A queued report not picked up after this many seconds is sent again.
REPORTS_REQUEUE_AFTER = envint("REPORTS_REQUEUE_AFTER", 60)

# Personal data (privacy/): how long it is kept, applied every night by beat.
# Unfinished diagnostics are erased after this many days without a change.
PRIVACY_UNFINISHED_RETENTION_DAYS = envint("PRIVACY_UNFINISHED_RETENTION_DAYS", 90)
# Finished ones lose what names the company after this many months (of 30 days).
PRIVACY_FINISHED_ANONYMISE_MONTHS = envint("PRIVACY_FINISHED_ANONYMISE_MONTHS", 36)
# Who opened a shared case, kept this many days (purged by the advisors' app).
PRIVACY_ACCESS_LOG_RETENTION_DAYS = envint("PRIVACY_ACCESS_LOG_RETENTION_DAYS", 365)
for _name in (
    "PRIVACY_UNFINISHED_RETENTION_DAYS",
    "PRIVACY_FINISHED_ANONYMISE_MONTHS",
    "PRIVACY_ACCESS_LOG_RETENTION_DAYS",
):
    if globals()[_name] < 1:
        raise ImproperlyConfigured(f"{_name} must be at least 1")
# Shown on the privacy page for questions about personal data (optional).
PRIVACY_CONTACT_EMAIL = os.environ.get("PRIVACY_CONTACT_EMAIL", "")

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # Every body: JSON of bounded size and depth (config/api.py).
    "DEFAULT_PARSER_CLASSES": ["config.api.JSONBodyParser"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 20,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]
    + (["rest_framework.renderers.BrowsableAPIRenderer"] if DEVELOPMENT else []),
    # Rate limits per client address (THROTTLE_RATES, config/throttling.py).
    "DEFAULT_THROTTLE_CLASSES": [
        "config.throttling.AnonApiThrottle",
        "config.throttling.UserApiThrottle",
        "config.throttling.ScopedApiThrottle",
    ],
    "EXCEPTION_HANDLER": "config.api.api_exception_handler",
    # The proxies in front that append to X-Forwarded-For (0: use REMOTE_ADDR).
    "NUM_PROXIES": envint("NUM_PROXIES", 0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Caillou API",
    "DESCRIPTION": "Catalogue, diagnostics and action plans for AI adoption in SMEs.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "advisors.models.Case.Status",
        "ReportStatusEnum": "reports.models.Report.Status",
        "AdjustmentKindEnum": "advisors.models.Adjustment.Kind",
        "OrganisationKindEnum": "advisors.models.Organisation.Kind",
        "ActionProgressStatusEnum": "assessment.serializers.PROGRESS_STATUSES",
    },
    # Swagger UI assets are served locally: no CDN, nothing fetched from outside.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
}

# Advisors' accounts (advisors/auth_views.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_RESET_TIMEOUT = envint("PASSWORD_RESET_TIMEOUT", 24 * 3600)
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=envint("AXES_COOLOFF_MINUTES", 15))
if AXES_COOLOFF_TIME <= timedelta(0):
    # Axes would read a zero cool-off as "locked until staff unlock it".
    raise ImproperlyConfigured("AXES_COOLOFF_MINUTES must be at least 1")
# One user's wrong guesses from one address lock that pair only: a colleague
# behind the same office router, or the real user elsewhere, can still sign in.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the lock-out, not from the latest attempt during it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "advisors.auth_views.locked_out"
AXES_VERBOSE = False  # its start-up banner on every command
# Values kept out of its record of failed attempts (a password always is).
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
OTP_TOTP_ISSUER = "Caillou"

# Production hardening; every value can be relaxed from the environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = envbool("SESSION_COOKIE_SECURE", not DEVELOPMENT)
CSRF_COOKIE_SECURE = envbool("CSRF_COOKIE_SECURE", not DEVELOPMENT)
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", not DEVELOPMENT)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0 if DEVELOPMENT else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEVELOPMENT
)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", not DEVELOPMENT)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
if envbool("TRUST_X_FORWARDED_PROTO", False):
    # Only behind a proxy that sets the header itself and strips the client's.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# --- Hardening: cookies, Content-Security-Policy, rate limits, sizes -------------
CSRF_COOKIE_HTTPONLY = True  # forms carry the token; no script reads the cookie
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SAMESITE = "Lax"
# No inline script, no eval, no inline style: everything comes from /static/.
# Pico's CSS draws its icons with data: SVG images. The Swagger UI page
# (config/urls.py) alone relaxes styles, which React sets inline.
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

# Counters live in the cache, shared by all web processes: Redis in production.
CACHE_URL = os.environ.get("CACHE_URL", "" if DEVELOPMENT else REDIS_URL)
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        # A page must not hang when Redis is down (rate limits then let it pass).
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    }
    if CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}
# Diagnostics one address may start in an hour through one open campaign's link.
CAMPAIGN_STARTS_PER_HOUR = envint("CAMPAIGN_STARTS_PER_HOUR", 120)
if CAMPAIGN_STARTS_PER_HOUR < 1:
    raise ImproperlyConfigured("CAMPAIGN_STARTS_PER_HOUR must be at least 1")
# Requests allowed per client address ("<count>/<second|minute|hour|day>"),
# answered 429 beyond (config/throttling.py). The API scopes are DRF's.
THROTTLE_RATES = {
    "diagnostic_create": os.environ.get("THROTTLE_DIAGNOSTIC_CREATE", "20/hour"),
    # Starts through one open campaign's link from one address (a room of
    # owners on a venue's Wi-Fi), instead of diagnostic_create.
    "campaign_start": f"{CAMPAIGN_STARTS_PER_HOUR}/hour",
    "resume_email": os.environ.get("THROTTLE_RESUME_EMAIL", "5/hour"),
    # Sign-in pages and the API's token exchange share this counter per address,
    # on top of axes' lock-out of one username from one address.
    "sign_in": os.environ.get("THROTTLE_SIGN_IN", "10/minute"),
    # Password reset e-mails asked from one address, and sent to one address.
    "password_reset": os.environ.get("THROTTLE_PASSWORD_RESET", "5/hour"),
    "password_reset_email": os.environ.get("THROTTLE_PASSWORD_RESET_EMAIL", "3/hour"),
    "anon": os.environ.get("THROTTLE_API_ANON", "120/minute"),
    "user": os.environ.get("THROTTLE_API_USER", "600/minute"),
}
for _scope, _rate in THROTTLE_RATES.items():
    if not re.fullmatch(r"[1-9][0-9]*/(second|minute|hour|day)", _rate):
        raise ImproperlyConfigured(
            f"the {_scope} rate must read like 20/hour, not {_rate!r}"
        )
# Free text: a request body is refused past this size, and each text field
# has its own limit (forms, serializers, questionnaire answers).
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)
# The API's JSON bodies (config/api.py) nest at most this deep: far beyond any
# real payload (answers nest 3 deep), far below what Python's parser survives.
API_MAX_JSON_DEPTH = envint("API_MAX_JSON_DEPTH", 32)
if not 1 <= API_MAX_JSON_DEPTH <= 200:
    raise ImproperlyConfigured("API_MAX_JSON_DEPTH must be between 1 and 200")
SEARCH_MAX_LENGTH = 200

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "line"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # runserver's own access log prints full URLs, which may hold private tokens.
        "django.server": {"level": "WARNING"},
        # Celery's received/succeeded lines are replaced by one line per task.
        "celery.app.trace": {"level": "WARNING"},
        "celery.worker.strategy": {"level": "WARNING"},
        # One line per step of every PDF rendered.
        "weasyprint.progress": {"level": "WARNING"},
    },
}
