from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # Each subject registers its dashboard headline here (analytics/selectors/headlines.py), one line each.
        from analytics.selectors.abc import abc_headline, client_abc_history, my_day_abc_falls
        from analytics.selectors.headlines import headline_register
        from core.panels import MY_DAY, ClientPanel, Panel, client_panel_register, panel_register

        headline_register("abc", abc_headline)
        # ABC/XYZ: a seller's fallen clients on My day; the class and its history on the client card.
        panel_register(MY_DAY, Panel("abc_falls", "analytics/abc/_myday.html", my_day_abc_falls, order=120))
        client_panel_register(
            ClientPanel("analytics_abc", "analytics/abc/_client_panel.html", client_abc_history, order=40)
        )
