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
        # A VIP questionnaire's "would you recommend us" of 0-6 makes the detractor's task too (vip knows nothing).
        from django.db.models.signals import post_save

        from analytics import tasks  # noqa: F401
        from analytics.selectors.nps import client_nps
        from analytics.services.nps import vip_answer_saved
        from core.panels import ClientPanel, client_panel_register
        from vip.models import Answer as VipAnswer

        def on_vip_answer(sender: object, instance: VipAnswer, raw: bool = False, **kwargs: object) -> None:
            if not raw:
                vip_answer_saved(answer=instance)

        post_save.connect(on_vip_answer, sender=VipAnswer, dispatch_uid="analytics_nps_vip_answer", weak=False)
        client_panel_register(ClientPanel("analytics_nps", "analytics/nps/_client_panel.html", client_nps, order=60))
