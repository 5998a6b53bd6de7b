from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlanningConfig(AppConfig):
    name = "planning"
    verbose_name = _("Planning")

    def ready(self) -> None:
        """Plan/fact and pay panels on My day, plan/fact on the head's pipeline review (core/panels.py)."""
        from core.panels import MY_DAY, PIPELINE_REVIEW, Panel, panel_register
        from planning.selectors.factual import plan_fact_widget
        from planning.selectors.pay import my_day_pay

        plan_fact = Panel(
            "plan_fact", "planning/factual/_myday.html", lambda user, today: plan_fact_widget(user=user, today=today)
        )
        panel_register(MY_DAY, plan_fact)
        panel_register(MY_DAY, Panel("pay", "planning/pay/_myday.html", my_day_pay, order=110))
        panel_register(PIPELINE_REVIEW, plan_fact)

        # The cards of the homes (after the CRM's pipeline review and queue, before stock requests).
        from core.panels import HOME
        from planning.selectors.home import plan_fact_link, plans_to_approve_link

        panel_register(HOME, Panel("plan_fact", "crm/home/_link.html", plan_fact_link, order=20))
        panel_register(HOME, Panel("plans", "crm/home/_link.html", plans_to_approve_link, order=22))

        # Mobile sync: plans are a syncable resource (their deletions become tombstones).
        from crm.sync import Synced, synced_register
        from planning.models import Plan

        synced_register(Synced("plans", Plan, owner_field="manager"))
