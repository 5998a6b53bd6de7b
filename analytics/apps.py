from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from crm.models import User


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # The Celery tasks (NPS letters, the morning sheet, the weekly report).
        from analytics import tasks  # noqa: F401
        from analytics.selectors.abc import abc_headline, client_abc_history, my_day_abc_falls
        from analytics.selectors.contests import contest_headline, my_day_contest
        from analytics.selectors.funnel import funnel_headline
        from analytics.selectors.headlines import headline_register
        from analytics.selectors.lost import lost_headline
        from analytics.selectors.nps import client_nps, nps_headline
        from analytics.services.nps import vip_answer_saved
        from core.hooks import VIP_ANSWER_SAVED, hook_register
        from core.panels import DASHBOARD, MY_DAY, ClientPanel, Panel, client_panel_register, panel_register

        # Each subject's headline on the head's dashboard (analytics/selectors/headlines.py).
        headline_register("abc", abc_headline)
        headline_register("contest", contest_headline)
        headline_register("nps", nps_headline)
        headline_register("lost", lost_headline)
        headline_register("funnel", funnel_headline)

        # The dashboard on top of the head's and a team lead's home; a manager's KPIs, place and contest on My day.
        panel_register(DASHBOARD, Panel("dashboard_home", "analytics/dashboard/_home.html", _dashboard_home))
        panel_register(MY_DAY, Panel("my_figures", "analytics/dashboard/_myday.html", _my_figures, order=105))
        panel_register(MY_DAY, Panel("contest", "analytics/contests/_myday.html", my_day_contest, order=120))
        panel_register(MY_DAY, Panel("abc_falls", "analytics/abc/_myday.html", my_day_abc_falls, order=125))

        # The client card: the ABC/XYZ class with its history, and the NPS panel.
        client_panel_register(
            ClientPanel("analytics_abc", "analytics/abc/_client_panel.html", client_abc_history, order=40)
        )
        client_panel_register(ClientPanel("analytics_nps", "analytics/nps/_client_panel.html", client_nps, order=60))

        # A VIP questionnaire's "would you recommend us" of 0-6 makes the detractor's task too: vip's answer service
        # runs the hook (core/hooks.py), and vip imports nothing of analytics.
        hook_register(VIP_ANSWER_SAVED, "analytics_nps", lambda answer: vip_answer_saved(answer=answer))


def _dashboard_home(user: User, today: date) -> Any:
    from analytics.selectors.scope import sees_analytics
    from analytics.views.dashboard import dashboard_context

    return dashboard_context(user, today) if sees_analytics(user) else None


def _my_figures(user: User, today: date) -> Any:
    from analytics.selectors.dashboard import my_day_figures

    return my_day_figures(user, today)
