"""Settings shared by every environment; the environment picks local, test or production."""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-only-insecure-key-change-me-in-production-0123456789")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    # Its own app for its Russian catalog (token errors); the blacklist app has only the models.
    "rest_framework_simplejwt",
    "rest_framework_simplejwt.token_blacklist",
    # Before crm: its signal receivers record a failure before crm's log line reads the lockout.
    "axes",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "drf_standardized_errors",
    "django_htmx",
    "django_celery_beat",
    "crm",
    "planning",
    "vip",
    "analytics",
    "salesdept",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that reads or changes the body; /api/ only (BREACH, docs/api.md "Transport").
    "salesdept.middleware.ApiGZipMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "salesdept.middleware.RussianFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After the user and the language are known: replays a POST repeated with its Idempotency-Key.
    "salesdept.idempotency.IdempotencyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last: turns a locked-out login page into the lockout answer (crm.security.lockout_response).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "salesdept.urls"
WSGI_APPLICATION = "salesdept.wsgi.application"

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


def database(url: str) -> dict:
    """A DATABASES entry; PostgreSQL runs with JIT off (its compile time dwarfs our sub-second report queries)."""
    config = env.db_url_config(url)
    if config["ENGINE"].endswith("postgresql"):
        config.setdefault("OPTIONS", {})["options"] = "-c jit=off"
    return config


DATABASES = {"default": database(env("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"))}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "crm.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Axes first: it refuses a locked-out username or address before the password is even checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "ru"
LANGUAGES = [("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Europe/Moscow")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
# Request bodies (docs/import.md, "Limits"): a form's fields, the API's JSON, and a whole upload with its file.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DJANGO_DATA_UPLOAD_MAX_MEMORY_SIZE", default=20 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
API_JSON_MAX_BYTES = env.int("API_JSON_MAX_BYTES", default=2 * 1024 * 1024)
API_UPLOAD_MAX_BYTES = env.int("API_UPLOAD_MAX_BYTES", default=25 * 1024 * 1024)

# Redis is optional: without REDIS_URL tasks run in-process and the cache is local memory.
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL or "memory://")
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL or "cache+memory://")
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
# A task whose worker died is given to another worker: every task here is safe to run again (idempotent jobs,
# imports that claim their job row).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# The whole schedule lives here; django-celery-beat copies it into the database for the admin.
CELERY_BEAT_SCHEDULE = {
    "nightly": {
        "task": "salesdept.tasks.run_nightly_task",
        "schedule": __import__("celery.schedules", fromlist=["crontab"]).crontab(hour=2, minute=30),
    },
    # The managers' morning e-mail (crm/services/digest.py), in CELERY_TIMEZONE: the department's time zone.
    "morning-digest": {
        "task": "crm.tasks.morning_digest_task",
        "schedule": __import__("celery.schedules", fromlist=["crontab"]).crontab(hour=8, minute=30),
    },
    # The VIP problem register's daily e-mail to the VIP head and the service owner, at 18:00 department time.
    "vip_daily_report": {
        "task": "vip.tasks.send_daily_report_task",
        "schedule": __import__("celery.schedules", fromlist=["crontab"]).crontab(hour=18, minute=0),
    },
    # The morning sheet (analytics: fact yesterday / plan for today) to each employee, working days only.
    "morning-sheet": {
        "task": "analytics.tasks.morning_sheet_task",
        "schedule": __import__("celery.schedules", fromlist=["crontab"]).crontab(hour=8, minute=30),
    },
    # Webhook deliveries due again (crm/services/webhooks.py: 1, 2, 4, 8, 16 minutes after a failed attempt).
    "webhook-retries": {
        "task": "crm.tasks.retry_webhook_deliveries_task",
        "schedule": 60.0,
    },
    # The head's weekly report (the dashboard as a PDF) on Monday morning.
    "weekly-report": {
        "task": "analytics.tasks.weekly_report_task",
        "schedule": __import__("celery.schedules", fromlist=["crontab"]).crontab(hour=8, minute=0, day_of_week=1),
    },
}

# E-mail (the morning digest). EMAIL_URL as django-environ reads it: smtp+tls://user:password@host:587 (STARTTLS),
# smtp+ssl://user:password@host:465, smtp://host:25; the default console backend prints the mail instead of sending.
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = EMAIL_CONFIG["EMAIL_BACKEND"]
EMAIL_HOST = EMAIL_CONFIG.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = EMAIL_CONFIG.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = EMAIL_CONFIG.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = EMAIL_CONFIG.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(EMAIL_CONFIG.get("EMAIL_USE_TLS", False))
EMAIL_USE_SSL = bool(EMAIL_CONFIG.get("EMAIL_USE_SSL", False))
# A mail server that does not answer must not hold a worker for ever.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=30)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="CRM <crm@localhost>")
# Where the site is reached from outside: the links in e-mails are absolute and start with it.
SITE_URL = env("SITE_URL", default="http://localhost:8000").rstrip("/")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework_simplejwt.authentication.JWTAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.OrderingFilter",
    ],
    # JSON bodies only; the few actions that take a file say `parser_classes=[MultiPartParser]` (docs/api.md).
    "DEFAULT_PARSER_CLASSES": ["core.parsers.JSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_PAGINATION_CLASS": "salesdept.pagination.StandardPagination",
    # One error shape (drf-standardized-errors, DRF_STANDARDIZED_ERRORS below); the schema documents every 4xx.
    "DEFAULT_SCHEMA_CLASS": "crm.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "drf_standardized_errors.handler.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    # Per user once logged in, per address before; a 429 says when to come back (Retry-After).
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_THROTTLE_ANON", default="60/minute"),
        "user": env("API_THROTTLE_USER", default="600/minute"),
    },
}

from datetime import timedelta  # noqa: E402

# Mobile sync (docs/api.md, "Sync"): tombstones are kept SYNC_TOMBSTONE_DAYS, so a phone offline that long still
# syncs incrementally (older tokens answer 410 full_resync_required); a sync token reaches SYNC_OVERLAP_SECONDS
# back, longer than any transaction, so a row committed late is fetched the next time rather than missed.
SYNC_TOMBSTONE_DAYS = env.int("SYNC_TOMBSTONE_DAYS", default=30)
SYNC_OVERLAP_SECONDS = env.int("SYNC_OVERLAP_SECONDS", default=120)

SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=15)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=14)),
    "ROTATE_REFRESH_TOKENS": True,
    "BLACKLIST_AFTER_ROTATION": True,
    # The token view sends user_logged_in, which sets last_login (and tells axes and the login log).
    "UPDATE_LAST_LOGIN": False,
}

# A refresh token just rotated may be sent again for this long (a lost answer): it gets the pair it got the first
# time, from the cache, instead of a logout (crm/services/auth.py, docs/api.md "Safe retries").
JWT_REFRESH_GRACE_SECONDS = env.int("JWT_REFRESH_GRACE_SECONDS", default=60)

# Idempotency-Key on the API's POSTs (salesdept/idempotency.py): how long a key's first answer is replayed, the
# longest key, and after how long a request still without an answer is taken for dead and its key freed.
IDEMPOTENCY_WINDOW_HOURS = env.int("IDEMPOTENCY_WINDOW_HOURS", default=24)
IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENCY_IN_FLIGHT_SECONDS = env.int("IDEMPOTENCY_IN_FLIGHT_SECONDS", default=300)

# Guessing passwords (django-axes): AXES_FAILURE_LIMIT failures for one username, or from one address, lock
# that username or address out of /login/, /admin/ and /api/v1/auth/token/ for AXES_COOLOFF_MINUTES. The
# admin unlocks sooner: "Access attempts" in the admin, or `manage.py axes_reset_username <name>`
# (docs/head-guide.md).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
# Attempts during a lockout are logged but do not push its end further away.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_CALLABLE = "crm.security.lockout_response"
AXES_CLIENT_IP_CALLABLE = "crm.security.client_ip"
AXES_VERBOSE = False
# How many reverse proxies in front of gunicorn append to X-Forwarded-For; 0 trusts only REMOTE_ADDR.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

SPECTACULAR_SETTINGS = {
    "TITLE": "Sales department CRM API",
    "DESCRIPTION": "REST API for mobile clients and integrations. Authenticate with /api/v1/auth/token/.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # What typed clients need (docs/api.md, "Schema and typed clients"): request and response components apart (a
    # response's `required` lists what is always sent), no blank enum members (a blank choice is null), operationIds
    # without the `v1_` of the path, names from the code only (titles, the translated labels, are dropped).
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_ADD_EXPLICIT_BLANK_NULL_CHOICE": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "crm.api.schema.postprocess_typed_clients",
    ],
    # Choice sets shared by several models get one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "StageEnum": "crm.rules.stages.Stage",
        "ClientStatusEnum": "crm.models.Client.Status",
        "ActivityKindEnum": "crm.models.Activity.Kind",
        "ImportKindEnum": "crm.models.ImportJob.Kind",
        "ImportStatusEnum": "crm.models.ImportJob.Status",
        "ClientChannelEnum": "crm.models.Client.Channel",
        "VipSectionEnum": "vip.rules.questionnaires.Section",
        "VipProblemChannelEnum": "vip.models.ProblemEvent.Channel",
        "VipQuestionKindEnum": "vip.rules.questionnaires.Kind",
        "VipOfferKindEnum": "vip.models.QuestionnaireOffer.Kind",
        "PlanStatusEnum": "planning.models.Plan.Status",
    },
}

# Imports above this many data rows run as a Celery task with progress; smaller ones run at once.
CRM_IMPORT_ASYNC_ROWS = env.int("CRM_IMPORT_ASYNC_ROWS", default=2000)
# An upload larger than this is checked (the dry run) by a Celery task with progress, never inside the request.
CRM_IMPORT_ASYNC_CHECK_BYTES = env.int("CRM_IMPORT_ASYNC_CHECK_BYTES", default=1024 * 1024)
# A running import that has reported no progress for this long is taken for dead (its worker was killed).
CRM_IMPORT_STALE_MINUTES = env.int("CRM_IMPORT_STALE_MINUTES", default=30)
# What an import file may be (docs/import.md, "Limits"): its size, its data rows, and for an XLSX (a zip) the
# size its parts unpack to and how many times smaller a large part may be packed (a zip bomb packs ~1000 times).
CRM_IMPORT_MAX_BYTES = env.int("CRM_IMPORT_MAX_BYTES", default=20 * 1024 * 1024)
CRM_IMPORT_MAX_ROWS = env.int("CRM_IMPORT_MAX_ROWS", default=200_000)
CRM_IMPORT_MAX_UNPACKED_BYTES = env.int("CRM_IMPORT_MAX_UNPACKED_BYTES", default=300 * 1024 * 1024)
CRM_IMPORT_MAX_ZIP_RATIO = env.int("CRM_IMPORT_MAX_ZIP_RATIO", default=100)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    # Every login, its outcome, username and address (crm/security.py).
    "loggers": {"salesdept.security": {"level": "INFO"}},
}

# The VIP programme (vip/): how long a client's confirmation link works, after how many days a problem fixed by
# service but not confirmed by the client goes to the VIP head, and the site's address for the links in e-mails.
VIP_CONFIRM_LINK_DAYS = env.int("VIP_CONFIRM_LINK_DAYS", default=14)
VIP_ESCALATE_AFTER_DAYS = env.int("VIP_ESCALATE_AFTER_DAYS", default=5)
VIP_SITE_URL = env("VIP_SITE_URL", default="http://localhost:8000")
# Quotas: complete questionnaires a week (docs/vip.md "Quotas").
VIP_QUOTA_DEDICATED = env.int("VIP_QUOTA_DEDICATED", default=15)
VIP_QUOTA_PART_TIME = env.int("VIP_QUOTA_PART_TIME", default=5)
# Frequency by Pareto: the key clients make this % of revenue; the most valuable are the top N (when above 0) or the
# top X % of the programme's clients (docs/vip.md "Frequency by Pareto").
VIP_KEY_REVENUE_SHARE = env.int("VIP_KEY_REVENUE_SHARE", default=80)
VIP_MONTHLY_TOP_N = env.int("VIP_MONTHLY_TOP_N", default=0)
VIP_MONTHLY_TOP_PERCENT = env.int("VIP_MONTHLY_TOP_PERCENT", default=5)

# Errors (docs/api.md, "Errors"): `{"type", "errors": [{"code", "detail", "attr"}]}` from every API view, our
# conversions of the services' and Django's exceptions (salesdept/api.py), and every 4xx in the schema: 412 where
# If-Match applies, 413 with a request body (core/api_errors.py). The package's enum hook replaces drf-spectacular's;
# its enums are named by their classes (drf-spectacular 0.28 hashes value and label, so not by `.values`).
DRF_STANDARDIZED_ERRORS = {
    "EXCEPTION_HANDLER_CLASS": "salesdept.api.ExceptionHandler",
    "EXCEPTION_FORMATTER_CLASS": "salesdept.api.ExceptionFormatter",
    "ALLOWED_ERROR_STATUS_CODES": ["400", "401", "403", "404", "405", "406", "412", "413", "415", "429", "500"],
    "ERROR_SCHEMAS": {
        "401": "core.api_errors.ErrorResponse401Serializer",
        "429": "core.api_errors.ErrorResponse429Serializer",
        "412": "core.api_errors.ErrorResponse412Serializer",
        "413": "core.api_errors.ErrorResponse413Serializer",
    },
}
_ERROR_ENUMS = ["ValidationErrorEnum", "ClientErrorEnum", "ServerErrorEnum"] + [
    f"ErrorCode{status}Enum" for status in (403, 404, 405, 406, 415, 500)
]
_enum_names: dict[str, str] = dict(SPECTACULAR_SETTINGS.get("ENUM_NAME_OVERRIDES", {}))  # type: ignore[call-overload]
_enum_names.update({name: f"drf_standardized_errors.openapi_serializers.{name}" for name in _ERROR_ENUMS})
_enum_names.update(
    {f"ErrorCode{status}Enum": f"core.api_errors.ErrorCode{status}Enum" for status in (401, 412, 413, 429)}
)
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = _enum_names
_SPECTACULAR_ENUMS_HOOK = "drf_spectacular.hooks.postprocess_schema_enums"
_hooks: list[str] = list(SPECTACULAR_SETTINGS.get("POSTPROCESSING_HOOKS", [_SPECTACULAR_ENUMS_HOOK]))  # type: ignore[call-overload]
SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"] = [
    "drf_standardized_errors.openapi_hooks.postprocess_schema_enums" if hook == _SPECTACULAR_ENUMS_HOOK else hook
    for hook in _hooks
]
