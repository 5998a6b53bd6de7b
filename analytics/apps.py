from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AnalyticsConfig(AppConfig):
    name = "analytics"
    verbose_name = _("Analytics")

    def ready(self) -> None:
        # Each subject registers its dashboard headline here (analytics/selectors/headlines.py), one line each.
        from analytics.selectors.headlines import headline_register
        from analytics.selectors.lost import lost_headline

        headline_register("lost", lost_headline)
