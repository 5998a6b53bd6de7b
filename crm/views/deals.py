"""A new deal (from the client card, the board's first column, My day) and the deal's edit page."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from core.concurrency import StaleVersion, editing_version
from core.http import AuthedHttpRequest
from core.params import or_none, parse_id
from crm.forms.concurrency import REVISION, mark_stale
from crm.forms.deals import BaseDealLineFormSet, DealCreateForm, DealUpdateForm, line_formset
from crm.forms.people import add_service_errors
from crm.models import Client, Deal
from crm.rules.stages import Stage
from crm.services.deals import deal_create, deal_update, stage_probability
from crm.views.board import PipelineRequiredMixin
from crm.views.deal_card import visible_deal

NEW_DEAL_LINES = 3
TEMPLATE = "crm/pipeline/deal_form.html"


def _render(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return TemplateResponse(request, TEMPLATE, context, status=status)


class DealCreateView(PipelineRequiredMixin, View):
    """`?client=<id>` chooses the client (one the user sees, else 404); a manager's deal is his own."""

    def setup_form(self, request: AuthedHttpRequest) -> tuple[QuerySet[Client], Client | None]:
        clients = Client.objects.visible_to(request.user)
        chosen = None
        if "client" in request.GET:
            pk = or_none(parse_id, request.GET.get("client"))
            chosen = clients.select_related("owner").filter(pk=pk).first() if pk else None
            if chosen is None:
                raise Http404(_("No such client."))
        return clients, chosen

    def context(self, form: DealCreateForm, lines: BaseDealLineFormSet, chosen: Client | None) -> dict[str, Any]:
        return {
            "form": form,
            "lines": lines,
            "deal": None,
            "client": chosen,
            "stage_label": Stage(Stage.GOAL).label,
            "probability": stage_probability(Stage.GOAL),
        }

    def get(self, request: AuthedHttpRequest) -> HttpResponse:
        clients, chosen = self.setup_form(request)
        initial = {"client": chosen.pk} if chosen else {}
        form = DealCreateForm(initial=initial, by=request.user, clients=clients, chosen=chosen)
        lines = line_formset(by=request.user, extra_new=NEW_DEAL_LINES)
        return _render(request, self.context(form, lines, chosen))

    def post(self, request: AuthedHttpRequest) -> HttpResponse:
        clients, chosen = self.setup_form(request)
        by = request.user
        form = DealCreateForm(request.POST, by=by, clients=clients, chosen=chosen)
        lines = line_formset(request.POST, by=by, extra_new=NEW_DEAL_LINES)
        if form.is_valid() and lines.is_valid():
            data = form.cleaned_data
            owner = data.get("owner")
            if owner is None and "owner" in form.fields and data["client"].owner and by.acts_for(data["client"].owner):
                owner = data["client"].owner  # "the client's manager", as the form's empty choice says
            try:
                deal = deal_create(
                    by=by,
                    client=data["client"],
                    title=data["title"],
                    owner=owner,
                    amount=data["amount"] or Decimal("0"),
                    expected_close_date=data["expected_close_date"],
                    products=lines.lines(),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The deal is opened."))
                return redirect("deal_detail", pk=deal.pk)
        return _render(request, self.context(form, lines, chosen or form.cleaned_data.get("client")), status=400)


class DealUpdateView(PipelineRequiredMixin, View):
    """The deal's title, amount, products and close date (crm.services.deals.deal_update); the stage only moves."""

    def context(self, deal: Deal, form: DealUpdateForm, lines: BaseDealLineFormSet) -> dict[str, Any]:
        return {
            "form": form,
            "lines": lines,
            "deal": deal,
            "client": deal.client,
            "stage_label": deal.get_stage_display(),
            "probability": deal.probability,
        }

    def get(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        deal = visible_deal(request, pk)
        form = DealUpdateForm(initial=DealUpdateForm.initial_for(deal), deal=deal, by=request.user)
        return _render(request, self.context(deal, form, line_formset(by=request.user, deal=deal)))

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        deal = visible_deal(request, pk)
        by = request.user
        form = DealUpdateForm(request.POST, deal=deal, by=by)
        lines = line_formset(request.POST, by=by, deal=deal)
        if form.is_valid() and lines.is_valid():
            data = {name: value for name, value in form.cleaned_data.items() if name != REVISION}
            if data["amount"] is None:
                data["amount"] = deal.amount
            try:
                with editing_version(form.cleaned_data.get(REVISION)):
                    deal_update(deal=deal, by=by, data=data, products=lines.lines())
            except StaleVersion as exc:
                mark_stale(form, exc.current)
                deal.refresh_from_db()
            except ValidationError as exc:
                deal.refresh_from_db()
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The deal is saved."))
                return redirect("deal_detail", pk=deal.pk)
        return _render(request, self.context(deal, form, lines), status=400)
