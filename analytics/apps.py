from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # Each subject registers its dashboard headline here (analytics/selectors/headlines.py), one line each.
        from analytics.selectors.headlines import headline_register
        from analytics.selectors.nps import nps_headline

        headline_register("nps", nps_headline)

        # The NPS survey's Celery tasks; the client card's NPS panel (core/panels.py).
        from analytics import tasks  # noqa: F401
        from analytics.selectors.nps import client_nps
        from core.panels import ClientPanel, client_panel_register

        client_panel_register(ClientPanel("analytics_nps", "analytics/nps/_client_panel.html", client_nps, order=60))
