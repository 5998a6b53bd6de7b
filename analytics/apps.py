from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # Each subject registers its dashboard headline here (analytics/selectors/headlines.py), one line each.
        from core.panels import DASHBOARD, MY_DAY, Panel, panel_register

        # The dashboard on top of the head's and a team lead's home; a manager's KPIs and place on My day.
        panel_register(DASHBOARD, Panel("dashboard_home", "analytics/dashboard/_home.html", _dashboard_home))
        panel_register(MY_DAY, Panel("my_figures", "analytics/dashboard/_myday.html", _my_figures, order=105))


def _dashboard_home(user, today):  # type: ignore[no-untyped-def]
    from analytics.selectors.scope import sees_analytics
    from analytics.views.dashboard import dashboard_context

    return dashboard_context(user, today) if sees_analytics(user) else None


def _my_figures(user, today):  # type: ignore[no-untyped-def]
    from analytics.selectors.dashboard import my_day_figures

    return my_day_figures(user, today)
