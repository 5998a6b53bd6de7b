"""The ABC/XYZ pages: the 3 x 3 matrix with the month-over-month transitions and the falls, a cell's clients, and
their XLSX exports. Rows through analytics/selectors/abc.py (the user's scope, analytics/selectors/scope.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from analytics.forms.abc import AbcFilterForm
from analytics.models import AnalyticsSettings, ClientAbc
from analytics.rules.abc import CELLS
from analytics.selectors.abc import (
    ADVICE,
    NEW,
    Slice,
    abc_cell_rows,
    abc_falls,
    abc_matrix,
    abc_month,
    abc_transitions,
)
from analytics.views.access import AnalyticsPageMixin
from core.calendar import month_shift
from core.charts import stacked_bars_option
from core.exports import Column, xlsx_response

PAGE_SIZE = 50
FALLS_SHOWN = 50


class AbcView(AnalyticsPageMixin, View):
    """The filter every ABC/XYZ page reads: ?as_of=, ?team=, ?manager= (bad input: 400 with the field's error)."""

    def filters(self, request: HttpRequest) -> tuple[AbcFilterForm, Slice | None, date | None]:
        form = AbcFilterForm(request.GET, user=self.user)
        if not form.is_valid():
            return form, None, None
        return form, form.slice(), abc_month(form.day())

    def query(self, request: HttpRequest) -> str:
        query = request.GET.copy()
        query.pop("page", None)
        return query.urlencode()


def window(month: date | None) -> dict[str, Any]:
    """The 12 full months a classification covers, and the month before it (the transitions' start)."""
    if month is None:
        return {}
    settings = AnalyticsSettings.current()
    return {
        "window_from": month_shift(month, -12),
        "window_to": month_shift(month, -1),
        "previous": month_shift(month, -1),
        "a": format(settings.abc_a_share.normalize(), "f"),
        "ab": format((settings.abc_a_share + settings.abc_b_share).normalize(), "f"),
    }


def transitions_option(transitions: Any) -> dict[str, Any]:
    """Horizontal bars, one per cell of the month before, stacked by the cell each client is in now."""
    befores = [b for b in transitions.befores if any(transitions.counts.get((b, a)) for a in CELLS)]
    stacks = [(after, [transitions.counts.get((before, after), 0) for before in befores]) for after in CELLS]
    option = stacked_bars_option(
        categories=[_("new") if b == NEW else b for b in befores],
        stacks=[(name, data) for name, data in stacks if any(data)],
    )
    option["money"] = False
    return option


class AbcMatrixView(AbcView):
    template_name = "analytics/abc/matrix.html"

    def get(self, request: HttpRequest) -> HttpResponse:
        form, where, month = self.filters(request)
        settings = AnalyticsSettings.current()
        context: dict[str, Any] = {"form": form, "settings": settings, "query": self.query(request)}
        if where is None:
            return TemplateResponse(request, self.template_name, context, status=400)
        matrix = abc_matrix(where, month)
        transitions = abc_transitions(where, month)
        falls = abc_falls(where, month)
        context.update(
            month=month,
            matrix=matrix,
            classes=[matrix.klass(letter) for letter in "ABC"],
            columns=[matrix.klass(letter) for letter in "XYZ"],
            transitions=transitions,
            transitions_option=transitions_option(transitions),
            falls=list(falls[:FALLS_SHOWN]),
            falls_count=falls.count() if month else 0,
            cells=CELLS,
            **window(month),
        )
        return TemplateResponse(request, self.template_name, context)


class AbcCellView(AbcView):
    template_name = "analytics/abc/cell.html"

    def get(self, request: HttpRequest, cell: str) -> HttpResponse:
        if cell not in CELLS:
            raise Http404(_("No such cell."))
        form, where, month = self.filters(request)
        context: dict[str, Any] = {"form": form, "cell": cell, "advice": ADVICE[cell], "query": self.query(request)}
        if where is None:
            return TemplateResponse(request, self.template_name, context, status=400)
        page = Paginator(abc_cell_rows(where, month, cell), PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(month=month, page=page, settings=AnalyticsSettings.current(), **window(month))
        return TemplateResponse(request, self.template_name, context)


def _owner(row: ClientAbc) -> str:
    return str(row.client.owner) if row.client.owner_id else ""


ROW_COLUMNS = [
    Column(gettext_lazy("Client"), lambda r: r.client.name, width=40),
    Column(gettext_lazy("Owner"), _owner, width=24),
    Column(gettext_lazy("Cell"), lambda r: r.cell, width=8),
    Column(gettext_lazy("The month before"), lambda r: r.previous or "", width=10),
    Column(gettext_lazy("Revenue over 12 months"), lambda r: r.revenue, money=True),
    Column(gettext_lazy("Margin over 12 months"), lambda r: r.margin, money=True),
    Column(gettext_lazy("Months with a purchase"), lambda r: r.months_bought, width=10),
    Column(gettext_lazy("Coefficient of variation, %"), lambda r: r.cv, width=10),
    Column(gettext_lazy("Rank"), lambda r: r.rank, width=8),
    Column(gettext_lazy("Cumulative share, %"), lambda r: r.cumulative_share, width=10),
]


class AbcCellExportView(AbcView):
    def get(self, request: HttpRequest, cell: str) -> HttpResponse:
        if cell not in CELLS:
            raise Http404(_("No such cell."))
        form, where, month = self.filters(request)
        if where is None:
            return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
        return xlsx_response(
            filename=f"abc-{cell}",
            title=f"{cell}",
            columns=ROW_COLUMNS,
            rows=abc_cell_rows(where, month, cell).iterator(),
        )


class AbcFallsExportView(AbcView):
    def get(self, request: HttpRequest) -> HttpResponse:
        form, where, month = self.filters(request)
        if where is None:
            return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
        return xlsx_response(
            filename="abc-falls", title=_("Falls"), columns=ROW_COLUMNS, rows=abc_falls(where, month).iterator()
        )


class AbcMatrixExportView(AbcView):
    """The matrix and the transitions, the tables behind the page's figures."""

    def get(self, request: HttpRequest) -> HttpResponse:
        form, where, month = self.filters(request)
        if where is None:
            return HttpResponse(form.errors.as_text(), status=400, content_type="text/plain; charset=utf-8")
        matrix = abc_matrix(where, month)
        transitions = abc_transitions(where, month)
        rows: list[dict[str, Any]] = [
            {
                "kind": _("Cell"),
                "name": c.cell,
                "clients": c.clients,
                "revenue": c.revenue,
                "client_share": c.client_share,
                "revenue_share": c.revenue_share,
            }
            for c in (matrix.cells[name] for name in CELLS)
        ]
        rows += [
            {"kind": _("Move"), "name": f"{before} → {after}", "clients": n, "revenue": None}
            for (before, after), n in sorted(transitions.counts.items())
        ]
        columns = [
            Column(gettext_lazy("Row"), lambda r: r["kind"], width=12),
            Column(gettext_lazy("Cell or move"), lambda r: r["name"], width=14),
            Column(gettext_lazy("Clients"), lambda r: r["clients"], width=10),
            Column(gettext_lazy("Revenue over 12 months"), lambda r: r["revenue"], money=True),
            Column(gettext_lazy("Share of clients, %"), lambda r: r.get("client_share"), width=12),
            Column(gettext_lazy("Share of revenue, %"), lambda r: r.get("revenue_share"), width=12),
        ]
        return xlsx_response(filename="abc-matrix", title="ABC XYZ", columns=columns, rows=rows)
