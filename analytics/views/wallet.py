"""/analytics/wallet/: share of wallet per client and per category (analytics/selectors/wallet.py)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.selectors.wallet import WalletReport, wallet_report
from analytics.views.access import AnalyticsPageMixin
from analytics.views.common import page_as_of
from core.charts import bar_option
from core.exports import Column, xlsx_response
from core.params import or_none, parse_id
from crm.models import User

WALLET_COLUMNS = [
    Column(gettext_lazy("Client"), lambda r: r.client, width=40),
    Column(gettext_lazy("Category"), lambda r: r.category, width=25),
    Column(gettext_lazy("Our sales, 12 months"), lambda r: r.ours, money=True),
    Column(gettext_lazy("The client's purchases a year"), lambda r: r.total, money=True),
    Column(gettext_lazy("Our share, %"), lambda r: r.share),
    Column(gettext_lazy("Recorded on"), lambda r: r.recorded_on),
    Column(gettext_lazy("Source"), lambda r: r.source),
]


def report_for(request: HttpRequest, user: User) -> WalletReport:
    category = or_none(parse_id, request.GET.get("category"), field="category")
    return wallet_report(user=user, as_of=page_as_of(request), category_id=category)


class WalletView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        report = report_for(request, self.user)
        option = bar_option(
            categories=[c.category for c in report.categories],
            values=[float(c.share or 0) for c in report.categories],
            name=_("Our share, %"),
        )
        option["money"] = False
        return TemplateResponse(request, "analytics/wallet/wallet.html", {"report": report, "chart_option": option})


class WalletExportView(AnalyticsPageMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        report = report_for(request, self.user)
        return xlsx_response(
            filename=f"share-of-wallet-{report.as_of:%Y-%m-%d}",
            title=_("Share of wallet"),
            columns=WALLET_COLUMNS,
            rows=report.rows,
        )
