"""The head's dashboard, its XLSX tables and its PDF (the weekly report), and the morning sheet."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.selectors.dashboard import Dashboard, dashboard, per_manager_chart
from analytics.selectors.morning import morning_sheet
from analytics.views.access import AnalyticsPageMixin
from core.charts import BLUE, GREEN, RED, Line, bars_against_line_option, lines_option, stacked_bars_option
from core.exports import Column, xlsx_response
from crm.models import User


def chosen_day(request: HttpRequest) -> date:
    """`?as_of=2026-11-22` (a bad or missing date is today)."""
    raw = request.GET.get("as_of") or ""
    try:
        parsed = parse_date(raw)
    except ValueError:
        parsed = None
    return parsed or timezone.localdate()


def dashboard_charts(board: Dashboard) -> dict[str, Any]:
    """The ECharts options of the dashboard (core/charts.py): per manager, by day, the pipeline, the payments."""
    managers = per_manager_chart(board)
    days = board.total.chart()
    return {
        "managers": bars_against_line_option(
            categories=managers["names"],
            bars=(_("Fact"), managers["fact"]),
            line=(_("Plan"), managers["plan"]),
        ),
        "days": lines_option(
            categories=days["days"],
            lines=[
                Line(_("Fact, cumulative"), days["fact"], color=GREEN, area=True),
                Line(_("Plan, cumulative"), days["plan"], color=BLUE, points=False),
            ],
        ),
        "pipeline": stacked_bars_option(
            categories=[row.label for row in board.pipeline],
            stacks=[
                (_("Weighted by probability"), [float(row.weighted) for row in board.pipeline]),
                (_("The rest of the amount"), [float(row.amount - row.weighted) for row in board.pipeline]),
            ],
        ),
        "payments": lines_option(
            categories=[day.day.strftime("%d.%m") for day in board.payments_month],
            lines=[
                Line(_("Expected"), [float(d.amount) for d in board.payments_month], color=BLUE),
                Line(_("Weighted by probability"), [float(d.weighted) for d in board.payments_month], color=RED),
            ],
        ),
    }


def dashboard_context(user: User, as_of: date) -> dict[str, Any]:
    board = dashboard(user=user, as_of=as_of)
    return {"board": board, "charts": dashboard_charts(board), "as_of": as_of}


class DashboardView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        context = dashboard_context(self.user, chosen_day(request))
        return TemplateResponse(request, "analytics/dashboard/dashboard.html", context)


def _pct(value: Any) -> Any:
    return "" if value is None else value


TABLES: dict[str, tuple[Any, list[Column], Any]] = {
    "managers": (
        gettext_lazy("Plan/fact and KPIs per manager"),
        [
            Column(gettext_lazy("Manager"), lambda r: str(r.manager), width=28),
            Column(gettext_lazy("Plan"), lambda r: r.series.target, money=True),
            Column(gettext_lazy("Fact"), lambda r: r.series.fact, money=True),
            Column(gettext_lazy("Percent of plan"), lambda r: _pct(r.series.percent)),
            Column(gettext_lazy("Calls"), lambda r: r.kpis.calls.done),
            Column(gettext_lazy("Calls, norm"), lambda r: r.kpis.calls.norm),
            Column(gettext_lazy("Meetings"), lambda r: r.kpis.meetings.done),
            Column(gettext_lazy("Meetings, norm"), lambda r: r.kpis.meetings.norm),
            Column(gettext_lazy("Proposals"), lambda r: r.kpis.proposals.done),
            Column(gettext_lazy("Proposals, norm"), lambda r: r.kpis.proposals.norm),
            Column(gettext_lazy("Weighted pipeline"), lambda r: r.weighted_pipeline, money=True),
            Column(gettext_lazy("Left to plan"), lambda r: r.left_to_plan, money=True),
        ],
        lambda board: board.managers,
    ),
    "days": (
        gettext_lazy("Department plan/fact by day"),
        [
            Column(gettext_lazy("Date"), lambda r: r["date"]),
            Column(gettext_lazy("Paid"), lambda r: r["fact"], money=True),
            Column(gettext_lazy("Fact, cumulative"), lambda r: r["cumulative"], money=True),
            Column(gettext_lazy("Plan, cumulative"), lambda r: r["plan"], money=True),
        ],
        lambda board: board.total.rows(),
    ),
    "pipeline": (
        gettext_lazy("Pipeline by stage"),
        [
            Column(gettext_lazy("Stage"), lambda r: r.label, width=30),
            Column(gettext_lazy("Deals"), lambda r: r.count),
            Column(gettext_lazy("Amount"), lambda r: r.amount, money=True),
            Column(gettext_lazy("Weighted by probability"), lambda r: r.weighted, money=True),
        ],
        lambda board: board.pipeline,
    ),
    "payments": (
        gettext_lazy("Payment plan by day"),
        [
            Column(gettext_lazy("Date"), lambda r: r.day),
            Column(gettext_lazy("Deals"), lambda r: r.count),
            Column(gettext_lazy("Expected"), lambda r: r.amount, money=True),
            Column(gettext_lazy("Weighted by probability"), lambda r: r.weighted, money=True),
        ],
        lambda board: board.payments_month,
    ),
}


class DashboardExportView(AnalyticsPageMixin, View):
    """One of the dashboard's tables in Excel: `table` is managers, days, pipeline or payments."""

    def get(self, request: HttpRequest, table: str) -> HttpResponse:
        if table not in TABLES:
            raise Http404
        as_of = chosen_day(request)
        board = dashboard(user=self.user, as_of=as_of)
        title, columns, rows = TABLES[table]
        return xlsx_response(
            filename=f"dashboard-{table}-{as_of:%Y-%m-%d}", title=str(title), columns=columns, rows=rows(board)
        )


class DashboardPdfView(AnalyticsPageMixin, View):
    """The dashboard as the weekly report's PDF (WeasyPrint)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        from analytics.services.reports import weekly_report_pdf

        as_of = chosen_day(request)
        response = HttpResponse(weekly_report_pdf(user=self.user, as_of=as_of), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="weekly-report-{as_of:%Y-%m-%d}.pdf"'
        return response


class MorningSheetView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        sheet = morning_sheet(user=self.user, today=chosen_day(request))
        return TemplateResponse(request, "analytics/morning/sheet.html", {"sheet": sheet, "now": timezone.now()})
