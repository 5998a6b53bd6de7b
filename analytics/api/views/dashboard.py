"""/api/v1/analytics/dashboard/: the head's dashboard figures (analytics/selectors/dashboard.py), the same numbers as
the page for the user's scope: plan/fact per manager with KPIs against norms, best and worst, the pipeline per stage,
the payment plan, the headlines."""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from analytics.api.views.reports import AS_OF, ReportViewSet
from analytics.selectors.dashboard import Dashboard, Kpi, ManagerRow, PaymentDay, dashboard


def _kpi(kpi: Kpi | None) -> dict[str, Any] | None:
    if kpi is None:
        return None
    return {"done": kpi.done, "norm": kpi.norm, "per_day": kpi.per_day, "days": kpi.days, "percent": kpi.percent}


def _manager(row: ManagerRow) -> dict[str, Any]:
    kpis = row.kpis
    return {
        "id": row.manager.pk,
        "name": str(row.manager),
        "plan": row.series.target,
        "fact": row.series.fact,
        "percent_of_plan": row.series.percent,
        "weighted_pipeline": row.weighted_pipeline,
        "left_to_plan": row.left_to_plan,
        "pipeline_too_small": row.pipeline_too_small,
        "calls": _kpi(kpis.calls if kpis else None),
        "meetings": _kpi(kpis.meetings if kpis else None),
        "proposals": _kpi(kpis.proposals if kpis else None),
    }


def _day(day: PaymentDay) -> dict[str, Any]:
    return {"day": day.day, "count": day.count, "amount": day.amount, "weighted": day.weighted}


def dashboard_data(board: Dashboard) -> dict[str, Any]:
    """The dashboard as plain data (money as decimal strings, dates ISO), in the page's order."""
    return {
        "as_of": board.as_of,
        "month": board.month,
        "working_days_passed": board.working_days_passed,
        "plan": board.total.target,
        "fact": board.total.fact,
        "percent_of_plan": board.total.percent,
        "managers": [_manager(row) for row in board.managers],
        "best": board.best.manager.pk if board.best else None,
        "worst": board.worst.manager.pk if board.worst else None,
        "pipeline": [
            {"stage": row.stage, "label": row.label, "count": row.count, "amount": row.amount, "weighted": row.weighted}
            for row in board.pipeline
        ],
        "pipeline_weighted": board.pipeline_weighted,
        "pipeline_too_small": board.pipeline_too_small,
        "payments_week": [_day(day) for day in board.payments_week],
        "payments_month": [_day(day) for day in board.payments_month],
        "overdue_payments": _day(board.overdue_payments),
        "headlines": [
            {"key": h.key, "title": h.title, "value": h.value, "detail": h.detail, "url": h.url, "tone": h.tone}
            for h in board.headlines
        ],
        "lost_this_month": board.lost_this_month,
        "norms": board.norms,
    }


class DashboardViewSet(ReportViewSet):
    """The dashboard's figures for the user's scope (the head: the department; a team lead: his team; a manager:
    himself; the VIP head: no one's personal figures)."""

    @extend_schema(parameters=[AS_OF], responses=OpenApiTypes.OBJECT)
    def list(self, request: Request) -> Response:
        return Response(dashboard_data(dashboard(user=self.user, as_of=self.as_of())))
