from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("CRM")

    def ready(self) -> None:
        # Register the CRM's Celery tasks, which services start by name (crm/services/imports).
        from crm import tasks  # noqa: F401

        # The schema's field extensions take effect once imported.
        from crm.api import schema  # noqa: F401
