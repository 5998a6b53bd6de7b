"""The deal card: header, stage history with durations, products, documents, payments, activities; its print view."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from core.http import AuthedHttpRequest, user_of
from crm.forms.people import add_service_errors
from crm.forms.pipeline import DealActivityForm, PaymentForm, ProposalFileForm
from crm.models import Deal
from crm.rules.stages import OPEN_STAGES, Stage, next_stage
from crm.selectors.deals import deal_card, stage_path
from crm.services.activities import activity_create
from crm.services.deals import can_change_deal, deal_proposal_file_set, deal_register_payment

PAYMENT_STAGES = (Stage.CONTRACT, Stage.PAYMENT)


def duration_text(value: timedelta) -> str:
    """`3 days 4 h`, `5 h`, `less than an hour`: how long a deal stayed at a stage."""
    days, hours = value.days, value.seconds // 3600
    if days:
        text = ngettext("%(days)d day", "%(days)d days", days) % {"days": days}
        return f"{text} {_('%(hours)d h') % {'hours': hours}}" if hours else text
    if hours:
        return _("%(hours)d h") % {"hours": hours}
    return _("less than an hour")


def visible_deal(request: HttpRequest, pk: int) -> Deal:
    """The deal if the user may see it; 404 otherwise (never 403 for someone else's deal)."""
    deals = Deal.objects.visible_to(user_of(request))
    return get_object_or_404(
        deals.select_related("client", "client__segment", "owner", "lost_reason"),
        pk=pk,
    )


class DealDetailView(LoginRequiredMixin, TemplateView):
    template_name = "crm/pipeline/deal_detail.html"

    @cached_property
    def deal(self) -> Deal:
        return visible_deal(self.request, self.kwargs["pk"])

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        user = user_of(self.request)
        now = timezone.now()
        deal = self.deal
        card = deal_card(deal=deal, user=user, now=now)
        for stay in card.stays:
            stay.duration_text = duration_text(stay.duration)  # type: ignore[attr-defined]
        following = next_stage(deal.stage) if deal.stage != Stage.LOST else None
        context.update(
            deal=deal,
            card=card,
            cycle_text=duration_text(card.cycle),
            next_stage=following,
            next_stage_label=Stage(following).label if following else "",
            may_lose=deal.stage in OPEN_STAGES,
            may_pay=deal.stage in PAYMENT_STAGES and bool(deal.invoice_amount),
            payment_form=kwargs.get("payment_form") or PaymentForm(initial={"paid_on": timezone.localdate(now)}),
            activity_form=kwargs.get("activity_form") or DealActivityForm(),
            proposal_form=kwargs.get("proposal_form") or ProposalFileForm(),
            may_attach_proposal=deal.stage in OPEN_STAGES and can_change_deal(user, deal),
            # visible_deal found it through Deal.visible_to, which is who may change a deal (can_change_deal).
            may_edit=user.works_in_sales,
            next_task_overdue=bool(card.next_task and card.next_task.due_at and card.next_task.due_at < now),
            now=now,
        )
        return context


class DealPrintView(DealDetailView):
    template_name = "crm/pipeline/deal_print.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["path"] = stage_path(context["card"].stays, self.deal.stage)
        return context


class DealPaymentView(LoginRequiredMixin, View):
    """Record a (possibly partial) payment at contract or payment; errors come back on the card, typed values kept."""

    http_method_names = ["post"]

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        deal = visible_deal(request, pk)
        form = PaymentForm(request.POST)
        if form.is_valid():
            try:
                deal_register_payment(deal=deal, by=request.user, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The payment is recorded."))
                return redirect("deal_detail", pk=deal.pk)
        return _card_with_errors(request, pk, payment_form=form)


class DealProposalFileView(LoginRequiredMixin, View):
    """POST: attach the proposal as sent (with the amount it is the document the proposal stage asks for).
    GET: download it, for whoever sees the deal (never a public media link)."""

    http_method_names = ["get", "post"]

    def get(self, request: AuthedHttpRequest, pk: int) -> HttpResponseBase:
        deal = visible_deal(request, pk)
        if not deal.proposal_file:
            raise Http404(_("The deal has no proposal file."))
        name = deal.proposal_file.name.rsplit("/", 1)[-1]
        return FileResponse(deal.proposal_file.open("rb"), as_attachment=True, filename=name)

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        deal = visible_deal(request, pk)
        form = ProposalFileForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                deal_proposal_file_set(deal=deal, by=request.user, file=form.cleaned_data["proposal_file"])
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The proposal file is attached."))
                return redirect("deal_detail", pk=deal.pk)
        return _card_with_errors(request, pk, proposal_form=form)


class DealActivityView(LoginRequiredMixin, View):
    """Log a call, meeting or e-mail on the deal, or plan its next task (crm.services.activities)."""

    http_method_names = ["post"]

    def post(self, request: AuthedHttpRequest, pk: int) -> HttpResponse:
        deal = visible_deal(request, pk)
        form = DealActivityForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            fields: dict[str, Any] = {
                "kind": data["kind"],
                "client": deal.client,
                "deal": deal,
                "subject": data["subject"],
                "note": data["note"],
                "due_at": data["due_at"],
                "done_at": timezone.now() if data["done"] else None,
                "call_result": data["call_result"] if data["kind"] == "call" else "",
            }
            try:
                activity_create(by=request.user, data=fields)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The activity is saved."))
                return redirect("deal_detail", pk=deal.pk)
        return _card_with_errors(request, pk, activity_form=form)


def _card_with_errors(request: HttpRequest, pk: int, **forms: Any) -> HttpResponse:
    view = DealDetailView(request=request, kwargs={"pk": pk}, args=())
    response = TemplateResponse(request, view.template_name, view.get_context_data(**forms), status=400)
    return response.render()
