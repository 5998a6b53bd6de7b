from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VipConfig(AppConfig):
    name = "vip"
    verbose_name = _("VIP programme")

    def ready(self) -> None:
        # Register the programme's Celery tasks (the daily report, scheduled in CELERY_BEAT_SCHEDULE).
        from vip import tasks  # noqa: F401
