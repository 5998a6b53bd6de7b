"""/analytics/lost/: lost clients per month, by direction and reason, with the list (analytics/selectors/lost.py)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.selectors.lost import LostReport, lost_report
from analytics.views.access import AnalyticsPageMixin
from analytics.views.common import page_as_of
from core.charts import stacked_bars_option
from core.exports import Column, xlsx_response

LOST_COLUMNS = [
    Column(gettext_lazy("Client"), lambda c: c.name, width=40),
    Column(gettext_lazy("Lost in"), lambda c: f"{c.lost_month:%m.%Y}"),
    Column(gettext_lazy("Last purchase"), lambda c: c.last_purchase),
    Column(gettext_lazy("Segment"), lambda c: c.segment, width=25),
    Column(gettext_lazy("Direction (category)"), lambda c: c.category, width=25),
    Column(gettext_lazy("Sales in the 12 months before"), lambda c: c.turnover, money=True),
    Column(gettext_lazy("Reason"), lambda c: c.reason, width=40),
    Column(gettext_lazy("Won back"), lambda c: _("yes") if c.won_back else _("no")),
]


def chart(report: LostReport) -> dict[str, Any]:
    """Bars per month, stacked by reason (the table of reasons below is the same numbers)."""
    option = stacked_bars_option(
        categories=[f"{m:%m.%Y}" for m in report.months],
        stacks=[(b.label, b.counts) for b in report.by_reason[:8]]
        + (
            [(_("Other reasons"), [sum(c) for c in zip(*(b.counts for b in report.by_reason[8:]), strict=True)])]
            if len(report.by_reason) > 8
            else []
        ),
    )
    # Months run left to right, the counts are clients, not roubles.
    option["money"] = False
    option["xAxis"], option["yAxis"] = option["yAxis"], option["xAxis"]
    option["xAxis"]["inverse"] = False
    return option


class LostView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        report = lost_report(user=self.user, as_of=page_as_of(request))
        return TemplateResponse(request, "analytics/lost/lost.html", {"report": report, "chart_option": chart(report)})


class LostExportView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        report = lost_report(user=self.user, as_of=page_as_of(request))
        return xlsx_response(
            filename=f"lost-clients-{report.as_of:%Y-%m-%d}",
            title=_("Lost clients"),
            columns=LOST_COLUMNS,
            rows=report.clients,
        )
