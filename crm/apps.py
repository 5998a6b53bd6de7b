from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CrmConfig(AppConfig):
    name = "crm"
    verbose_name = _("CRM")

    def ready(self) -> None:
        # Register the CRM's Celery tasks, which services start by name (crm/services/imports).
        from crm import tasks  # noqa: F401
        from crm.security import connect_login_log

        # The login log (every success, failure and lockout, with username and address) rides on Django's
        # login signals, as django-axes does: logins happen in Django's form, the admin and simplejwt.
        connect_login_log()

        # The CRM's cards of the homes that do not sell (core/panels.py HOME).
        from crm.selectors.home import home_links_register

        home_links_register()

        # The client card's panel of the client's yearly purchases per category (share of wallet).
        from core.panels import ClientPanel, client_panel_register
        from crm.selectors.wallet import client_wallet_panel

        client_panel_register(ClientPanel("crm_wallet", "crm/clients/_wallet.html", client_wallet_panel, order=40))

        # Mobile sync: the CRM's syncable resources, whose deletions and reassignments become tombstones.
        from crm.sync import crm_synced_register

        crm_synced_register()

        # The schema's field extensions take effect once imported.
        from crm.api import schema  # noqa: F401
