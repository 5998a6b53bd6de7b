from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # Each subject registers its dashboard headline here (analytics/selectors/headlines.py), one line each.
        from analytics.selectors.contests import contest_headline, my_day_contest
        from analytics.selectors.funnel import funnel_headline
        from analytics.selectors.headlines import headline_register
        from core.panels import MY_DAY, Panel, panel_register

        headline_register("contest", contest_headline)
        headline_register("funnel", funnel_headline)
        panel_register(MY_DAY, Panel("contest", "analytics/contests/_myday.html", my_day_contest, order=120))
