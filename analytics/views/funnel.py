"""The funnel page (DOMAIN.md section 7, seed 003 #1), its drill-downs and its export: thin over
analytics/selectors/funnel.py."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.forms.funnel import FunnelForm
from analytics.rules.funnel import Funnel, PurchaseStep, StageRow
from analytics.selectors.funnel import (
    COHORT,
    PERIOD,
    FunnelQuery,
    funnel_drill,
    funnel_report,
    purchase_drill,
    purchase_report,
)
from analytics.views.access import AnalyticsPageMixin
from core.charts import funnel_option
from core.exports import Column, xlsx_response
from crm.rules.stages import PIPELINE, Stage

PAGE_SIZE = 50


def _percent(value: Any) -> str:
    return "—" if value is None else f"{value} %".replace(".", ",")


def funnel_links(params: QueryDict, funnel: Funnel) -> list[str]:
    base = reverse("analytics_funnel_deals")
    links = []
    for row in funnel.stages:
        query = params.copy()
        query["stage"] = row.code
        links.append(f"{base}?{query.urlencode()}")
    return links


def funnel_chart(params: QueryDict, funnel: Funnel) -> dict[str, Any]:
    worst = next((index for index, row in enumerate(funnel.stages) if row.worst), None)
    return funnel_option(
        categories=[f"{row.number}. {Stage(row.code).label}" for row in funnel.stages],
        values=[row.count for row in funnel.stages],
        labels=[f"{row.count} · {_percent(row.of_first)}" for row in funnel.stages],
        name=_("Deals"),
        links=funnel_links(params, funnel),
        highlight=worst,
    )


def purchase_chart(params: QueryDict, steps: list[PurchaseStep]) -> dict[str, Any]:
    base = reverse("analytics_funnel_clients")
    links = []
    for step in steps:
        query = params.copy()
        query["purchase"] = str(step.number)
        links.append(f"{base}?{query.urlencode()}")
    return funnel_option(
        categories=[_("Purchase %(number)s") % {"number": step.number} for step in steps],
        values=[step.clients for step in steps],
        labels=[f"{step.clients} · {_percent(step.of_first)}" for step in steps],
        name=_("Clients"),
        links=links,
    )


class FunnelParamsMixin(AnalyticsPageMixin):
    """Reads the funnel's parameters; bad ones answer 400 with the form's messages."""

    def funnel_form(self) -> FunnelForm:
        return FunnelForm(self.request.GET, by=self.user, today=timezone.localdate())

    def invalid(self, form: FunnelForm, message: str = "") -> HttpResponse:
        context = {"form": form, "message": message, "errors": form.errors}
        return TemplateResponse(self.request, "analytics/funnel/invalid.html", context, status=400)

    def params(self) -> QueryDict:
        """The query string without the drill-down's own keys and the page number."""
        params = self.request.GET.copy()
        for key in ("stage", "lost_from", "purchase", "page"):
            params.pop(key, None)
        return params


class FunnelView(FunnelParamsMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.funnel_form()
        if not form.is_valid():
            return self.invalid(form)
        query = form.query()
        funnel = funnel_report(self.user, query)
        steps = purchase_report(self.user, query)
        params = self.params()
        toggle = params.copy()
        toggle["view"] = COHORT if query.view == PERIOD else PERIOD
        new_only = params.copy()
        new_only["client_kind"] = "new"
        lost_base = params.copy()
        lost_base["stage"] = Stage.LOST.value
        context = {
            "form": form,
            "query": query,
            "funnel": funnel,
            "rows": [
                (row, link, Stage(row.code).label)
                for row, link in zip(funnel.stages, funnel_links(params, funnel), strict=True)
            ],
            "steps": steps,
            "chart_option": funnel_chart(params, funnel),
            "purchase_option": purchase_chart(params, steps),
            "params": params.urlencode(),
            "toggle": toggle.urlencode(),
            "new_only": new_only.urlencode(),
            "lost_url": f"{reverse('analytics_funnel_deals')}?{lost_base.urlencode()}",
            "worst_label": Stage(funnel.worst_stage).label if funnel.worst_stage else "",
            "is_period": query.view == PERIOD,
        }
        return TemplateResponse(request, "analytics/funnel/funnel.html", context)


def stage_columns(view: str) -> list[Column]:
    columns = [
        Column(gettext_lazy("No."), lambda row: row.number, width=6),
        Column(gettext_lazy("Stage"), lambda row: str(Stage(row.code).label), width=36),
        Column(gettext_lazy("Deals"), lambda row: row.count, width=10),
        Column(gettext_lazy("Share of the previous stage"), lambda row: row.of_previous, width=14),
        Column(gettext_lazy("Share of the first stage"), lambda row: row.of_first, width=14),
        Column(gettext_lazy("Median days in the stage"), lambda row: row.durations.median_days, width=14),
        Column(gettext_lazy("75th percentile, days"), lambda row: row.durations.p75_days, width=14),
        Column(gettext_lazy("Stays measured"), lambda row: row.durations.count, width=12),
        Column(gettext_lazy("Average deal"), lambda row: row.average, money=True),
        Column(gettext_lazy("Lost at the stage"), lambda row: row.lost, width=12),
    ]
    # The period view counts deals per stage without their amounts (analytics/selectors/funnel.py `_reached`).
    return [column for column in columns if view == COHORT or column.title != gettext_lazy("Average deal")]


class FunnelExportView(FunnelParamsMixin, View):
    """The table behind the chart in Excel."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.funnel_form()
        if not form.is_valid():
            return self.invalid(form)
        query = form.query()
        funnel = funnel_report(self.user, query)
        rows: list[StageRow] = funnel.stages
        return xlsx_response(
            filename=f"funnel-{query.view}-{query.date_from:%Y-%m-%d}-{query.date_to:%Y-%m-%d}",
            title=_("Sales funnel"),
            columns=stage_columns(query.view),
            rows=rows,
        )


def _describe(query: FunnelQuery, stage: str, lost_from: str) -> str:
    if stage == "won":
        return _("Won")
    if stage == Stage.LOST:
        return _("Lost at “%(stage)s”") % {"stage": Stage(lost_from).label} if lost_from else str(Stage.LOST.label)
    label = Stage(stage).label
    if query.view == PERIOD:
        return _("Entered “%(stage)s” in the period") % {"stage": label}
    return _("Reached “%(stage)s” (deals created in the period)") % {"stage": label}


class FunnelDealsView(FunnelParamsMixin, View):
    """The deals behind a bar (`?stage=`), the won deals (`stage=won`) or the lost ones (`stage=lost&lost_from=`)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.funnel_form()
        if not form.is_valid():
            return self.invalid(form)
        stage = request.GET.get("stage", "")
        lost_from = request.GET.get("lost_from", "")
        if stage not in [*PIPELINE, "won", Stage.LOST.value]:
            return self.invalid(form, _("Choose a stage of the funnel."))
        if lost_from and (stage != Stage.LOST or lost_from not in PIPELINE):
            return self.invalid(form, _("Choose a stage of the funnel."))
        query = form.query()
        deals = (
            funnel_drill(self.user, query, stage, lost_from)
            .select_related("client", "owner", "lost_reason")
            .order_by("-created_at", "-id")
        )
        page = Paginator(deals, PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            "form": form,
            "page": page,
            "title": _describe(query, stage, lost_from),
            "back": f"{reverse('analytics_funnel')}?{self.params().urlencode()}",
            "keep": params.urlencode(),
        }
        return TemplateResponse(request, "analytics/funnel/deals.html", context)


class FunnelClientsView(FunnelParamsMixin, View):
    """The clients behind a bar of the purchase funnel (`?purchase=1|2|3`)."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form = self.funnel_form()
        if not form.is_valid():
            return self.invalid(form)
        raw = request.GET.get("purchase", "")
        if raw not in ("1", "2", "3"):
            return self.invalid(form, _("Choose the 1st, 2nd or 3rd purchase."))
        query = form.query()
        clients = purchase_drill(self.user, query, int(raw)).select_related("owner").order_by("name", "id")
        page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
        params = request.GET.copy()
        params.pop("page", None)
        context = {
            "form": form,
            "page": page,
            "title": _("First purchase in the period, at least %(number)s purchases") % {"number": raw},
            "back": f"{reverse('analytics_funnel')}?{self.params().urlencode()}",
            "keep": params.urlencode(),
        }
        return TemplateResponse(request, "analytics/funnel/clients.html", context)
