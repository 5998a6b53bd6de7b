"""Planning's cards on the homes of the roles that do not sell (core/panels.py HOME): plan/fact of the month and
the plans waiting for the head's approval."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.calendar import month_start
from core.money import format_rub
from core.panels import HomeLink
from crm.models import User
from planning.models import Plan
from planning.selectors.factual import plan_fact_widget


def plan_fact_link(user: User, today: date) -> HomeLink | None:
    if not user.works_in_sales:
        return None
    series = plan_fact_widget(user=user, today=today)
    if series is None:
        return None
    percent = series.percent
    return HomeLink(
        key="plan_fact",
        title=_("Plan and fact of the month"),
        url=reverse("plan_fact"),
        figure=f"{percent:.0f} %" if percent is not None else "—",
        note=_("paid %(fact)s of the plan %(plan)s; forecast %(forecast)s")
        % {"fact": format_rub(series.fact), "plan": format_rub(series.target), "forecast": format_rub(series.forecast)}
        if percent is not None
        else _("no approved plan for the month yet"),
        warn=percent is None,
    )


def plans_to_approve_link(user: User, today: date) -> HomeLink | None:
    """Drafts of this month and later that the head has still to approve (the month's latest drafts)."""
    if not user.is_head:
        return None
    drafts = Plan.objects.visible_to(user).filter(status=Plan.Status.DRAFT, month__gte=month_start(today)).count()
    return HomeLink(
        key="plans",
        title=_("Monthly plans"),
        url=reverse("plan_list"),
        figure=str(drafts),
        note=ngettext("draft waits for your approval", "drafts wait for your approval", drafts),
        warn=drafts > 0,
    )
