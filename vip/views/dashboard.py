"""The VIP head's dashboard: each person's week against the quota by day, the campaign's progress, the Pareto tiers
and the overdue list, and the staffing of the campaign with its arithmetic (docs/vip.md)."""

from __future__ import annotations

from typing import Any, ClassVar

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from core.charts import stacked_bars_option
from crm.models import User
from vip.forms.dashboard import DashboardForm
from vip.models.programme import runs_programme
from vip.selectors.quotas import (
    PersonWeek,
    campaign_progress,
    campaign_staffing,
    current_campaign,
    overdue_clients,
    tier_counts,
    week_quotas,
    week_start,
)


class DashboardPageMixin(RoleRequiredMixin):
    role_denied: ClassVar = gettext_lazy("The VIP dashboard is for the VIP head and the head.")

    def allows(self, user: User) -> bool:
        return runs_programme(user)


def quota_chart(days: list[Any], people: list[PersonWeek]) -> dict[str, Any]:
    """One horizontal bar per person, stacked by the week's days (complete questionnaires, not money)."""
    option = stacked_bars_option(
        categories=[p.user.get_full_name() or p.user.username for p in people],
        stacks=[(date_format(day, "D j.m"), [p.days[n] for p in people]) for n, day in enumerate(days)],
    )
    option["money"] = False
    return option


class DashboardView(DashboardPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        today = timezone.localdate()
        running = current_campaign(user, today)
        initial = {"week": today, "campaign": running.pk if running else None}
        form = DashboardForm(request.GET or None, user=user, initial=initial)
        data = form.cleaned_data if form.is_valid() else {}
        week = data.get("week") or today
        campaign = data.get("campaign") or running
        days, people = week_quotas(user, week)
        context = {
            "form": form,
            "today": today,
            "monday": week_start(week),
            "days": days,
            "people": people,
            "chart_option": quota_chart(days, people),
            "campaign": campaign,
            "progress": campaign_progress(user, campaign) if campaign else None,
            "staffing": campaign_staffing(user, campaign) if campaign else None,
            "tiers": tier_counts(user, today),
            "overdue": overdue_clients(user, today),
        }
        return TemplateResponse(request, "vip/dashboard.html", context, status=400 if form.errors else 200)
