import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "salesdept.settings.local")

app = Celery("salesdept")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.autodiscover_tasks(["salesdept"])
