from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VipConfig(AppConfig):
    name = "vip"
    verbose_name = _("VIP programme")

    def ready(self) -> None:
        # Register the programme's Celery tasks (the daily report, scheduled in CELERY_BEAT_SCHEDULE).
        # The programme's cards on the VIP head's and the service owner's homes (core/panels.py HOME).
        from core.panels import HOME, ClientPanel, Panel, client_panel_register, panel_register
        from vip import tasks  # noqa: F401
        from vip.selectors.after import client_referrals
        from vip.selectors.home import dashboard_link, problem_register_link, questionnaires_link

        panel_register(HOME, Panel("vip_problems", "crm/home/_link.html", problem_register_link, order=5))
        panel_register(HOME, Panel("vip_questionnaires", "crm/home/_link.html", questionnaires_link, order=6))
        panel_register(HOME, Panel("vip_dashboard", "crm/home/_link.html", dashboard_link, order=7))
        # The referrer's client card lists the companies he recommended and what became of them.
        client_panel_register(ClientPanel("vip_referrals", "vip/_client_referrals.html", client_referrals, order=50))

        # Mobile sync: questionnaires and problems leave a phone with their client, and their deletions too.
        from crm.sync import Synced, synced_register
        from vip.models import Problem, Questionnaire

        synced_register(Synced("vip/questionnaires", Questionnaire, client_field="client"))
        synced_register(Synced("vip/problems", Problem, client_field="client"))
