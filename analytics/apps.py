from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # Each subject registers its dashboard headline here (analytics/selectors/headlines.py), one line each.
        from analytics.selectors.contests import contest_headline, my_day_contest
        from analytics.selectors.headlines import headline_register
        from core.panels import MY_DAY, Panel, panel_register

        headline_register("contest", contest_headline)
        panel_register(MY_DAY, Panel("contest", "analytics/contests/_myday.html", my_day_contest, order=120))
        from analytics.selectors.nps import nps_headline

        headline_register("nps", nps_headline)

        # The NPS survey's Celery tasks; the client card's NPS panel (core/panels.py).
        # A VIP questionnaire's "would you recommend us" of 0-6 makes the detractor's task too: vip's answer service
        # runs the hook (core/hooks.py), and vip imports nothing of analytics.
        from analytics import tasks  # noqa: F401
        from analytics.selectors.nps import client_nps
        from analytics.services.nps import vip_answer_saved
        from core.hooks import VIP_ANSWER_SAVED, hook_register
        from core.panels import ClientPanel, client_panel_register

        hook_register(VIP_ANSWER_SAVED, "analytics_nps", lambda answer: vip_answer_saved(answer=answer))
        client_panel_register(ClientPanel("analytics_nps", "analytics/nps/_client_panel.html", client_nps, order=60))
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
