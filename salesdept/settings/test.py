"""Tests run against real PostgreSQL and Redis, as production does."""

from .base import *  # noqa: F403
from .base import BASE_DIR, REST_FRAMEWORK, database, env

DATABASES = {"default": database(env("TEST_DATABASE_URL", default="postgres://postgres@127.0.0.1:5432/salesdept"))}
REDIS_URL = env("TEST_REDIS_URL", default="redis://127.0.0.1:6379/5")
CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
# Most tests call tasks in-process; tests/test_celery_worker.py drives a real worker through Redis
# (the worker it starts runs with CELERY_TASK_ALWAYS_EAGER=false).
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
MEDIA_ROOT = env("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / ".test-media"))
LANGUAGE_CODE = "ru"
# No test is throttled unless it asks to be (tests/crm/test_api_throttling.py lowers the rates).
REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_THROTTLE_RATES": {"anon": "1000000/minute", "user": "1000000/minute"},
}
