"""/analytics/ltv/: LTV = S x C x P x t per segment, manager and cohort of first purchase (selectors/ltv.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.selectors.ltv import DIMENSIONS, LtvRow, ltv_report
from analytics.views.access import AnalyticsPageMixin
from analytics.views.common import page_as_of
from core.charts import bar_option
from core.exports import Column, xlsx_response

DIMENSION_NAMES = {
    "segment": gettext_lazy("By segment"),
    "manager": gettext_lazy("By manager"),
    "cohort": gettext_lazy("By cohort of first purchase"),
}

LTV_COLUMNS = [
    Column(gettext_lazy("Group"), lambda r: r.label, width=30),
    Column(gettext_lazy("Clients"), lambda r: r.factors.clients),
    Column(gettext_lazy("Purchases (sales documents)"), lambda r: r.factors.purchases),
    Column(gettext_lazy("Revenue"), lambda r: r.factors.revenue, money=True),
    Column(gettext_lazy("S, average check"), lambda r: r.factors.average_check, money=True),
    Column(gettext_lazy("Client-months"), lambda r: r.factors.client_months),
    Column(gettext_lazy("C, purchases a month"), lambda r: r.factors.purchases_per_month),
    Column(gettext_lazy("P, profitability, %"), lambda r: r.factors.profitability),
    Column(gettext_lazy("Margin known"), lambda r: _("yes") if r.factors.margin_known else _("no (setting)")),
    Column(gettext_lazy("t, lifetime, months"), lambda r: r.factors.lifetime),
    Column(gettext_lazy("LTV"), lambda r: r.factors.ltv, money=True),
]


def chosen_dimension(request: HttpRequest) -> str:
    by = request.GET.get("by", "")
    return by if by in DIMENSIONS else "segment"


class LtvView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        as_of = page_as_of(request)
        by = chosen_dimension(request)
        report = ltv_report(user=self.user, as_of=as_of)
        rows: list[LtvRow] = report.groups[by]
        option = bar_option(
            categories=[r.label for r in rows], values=[float(r.factors.ltv) for r in rows], name=_("LTV")
        )
        context = {
            "report": report,
            "by": by,
            "rows": rows,
            "dimensions": [(key, DIMENSION_NAMES[key]) for key in DIMENSIONS],
            "dimension_name": DIMENSION_NAMES[by],
            "chart_option": option,
        }
        return TemplateResponse(request, "analytics/ltv/ltv.html", context)


class LtvExportView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        as_of = page_as_of(request)
        by = chosen_dimension(request)
        report = ltv_report(user=self.user, as_of=as_of)
        total = LtvRow("", _("Total"), report.total)
        return xlsx_response(
            filename=f"ltv-{by}-{as_of:%Y-%m-%d}",
            title=str(DIMENSION_NAMES[by]),
            columns=LTV_COLUMNS,
            rows=[*report.groups[by], total],
        )
