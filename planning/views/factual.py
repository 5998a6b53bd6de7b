"""Plan/fact for a month by day: per manager, team and the department, with the forecast and the chart."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.charts import BLUE, GREEN, ORANGE, Line, lines_option
from core.exports import Column, xlsx_response
from core.http import user_of
from planning.forms.work import ManagerMonthForm
from planning.selectors.factual import plan_fact
from planning.selectors.work import visible_sellers
from planning.views.work import SalesRequiredMixin, chosen_month, page_id


def chart_payload(series: Any) -> dict[str, Any]:
    return {
        **series.chart(),
        "labels": {"fact": _("Fact, cumulative"), "plan": _("Plan, cumulative"), "forecast": _("Forecast")},
    }


def chart_option(chart: dict[str, Any]) -> dict[str, Any]:
    """Cumulative fact against the plan line, the forecast dashed (core/charts.py)."""
    labels = chart["labels"]
    return lines_option(
        categories=chart["days"],
        lines=[
            Line(labels["fact"], chart["fact"], color=GREEN, area=True),
            Line(labels["plan"], chart["plan"], color=BLUE, points=False),
            Line(labels["forecast"], chart["forecast"], color=ORANGE, dashed=True, points=False),
        ],
    )


def plan_fact_for(request: HttpRequest) -> tuple[Any, Any, Any]:
    """The plan/fact the filters ask for, through visible_to: every seller the user sees, or one of them."""
    user = user_of(request)
    sellers = visible_sellers(user)
    month = chosen_month(request)
    raw = request.GET.get("manager")
    managers = [get_object_or_404(sellers, pk=page_id(raw))] if raw else None
    return sellers, month, plan_fact(user=user, month=month, today=timezone.localdate(), managers=managers)


FACT_COLUMNS = [
    Column(gettext_lazy("Manager or team"), lambda row: row[0], width=30),
    Column(gettext_lazy("Plan"), lambda row: row[1].target, money=True),
    Column(gettext_lazy("Fact"), lambda row: row[1].fact, money=True),
    Column(gettext_lazy("New clients"), lambda row: row[1].fact_new_total, money=True),
    Column(gettext_lazy("Existing clients"), lambda row: row[1].fact_existing_total, money=True),
    Column(gettext_lazy("Plan to date"), lambda row: row[1].plan_to_date, money=True),
    Column(gettext_lazy("Forecast"), lambda row: row[1].forecast, money=True),
]


class PlanFactExportView(SalesRequiredMixin, View):
    """What the page's table shows (managers, teams, department) in Excel."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _sellers, month, result = plan_fact_for(request)
        rows = [(str(m.manager), m.series) for m in result.managers]
        rows += [(team.name, team) for team in result.teams] + [(_("Department"), result.total)]
        return xlsx_response(
            filename=f"plan-fact-{month:%Y-%m}", title=_("Plan and fact"), columns=FACT_COLUMNS, rows=rows
        )


class PlanFactView(SalesRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        sellers, month, result = plan_fact_for(request)
        context = {
            "chooser": ManagerMonthForm(request.GET or None, sellers=sellers, initial={"month": month}),
            "result": result,
            "month": month,
            "chart": (chart := chart_payload(result.total)),
            "chart_option": chart_option(chart),
            "single": len(result.managers) == 1,
        }
        return TemplateResponse(request, "planning/factual/plan_fact.html", context)
