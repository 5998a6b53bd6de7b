"""After quality on the questionnaire page: make a proposal (a deal) from an item, add a referral (a prospect)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from crm.forms.people import add_service_errors
from vip.forms.after import OfferForm, ReferralForm
from vip.models.programme import runs_programme
from vip.services.after import offer_create, referral_add
from vip.views.access import QuestionnairePageMixin
from vip.views.questionnaires import detail_context, visible_questionnaire


class OfferCreateView(QuestionnairePageMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        questionnaire = visible_questionnaire(request, pk)
        form = OfferForm(request.POST)
        if form.is_valid():
            try:
                offer = offer_create(questionnaire=questionnaire, by=self.user, data=form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Deal “%(deal)s” opened at “%(stage)s”.")
                    % {"deal": offer.deal.title, "stage": offer.deal.get_stage_display()},
                )
                for problems in offer.stopped_by.values():
                    for problem in problems:
                        messages.warning(request, _("Before the proposal stage: %(problem)s") % {"problem": problem})
                return redirect("vip_questionnaire_detail", questionnaire.pk)
        context = detail_context(request, pk, offer_form=form)
        return TemplateResponse(request, "vip/questionnaire_detail.html", context, status=400)


class ReferralCreateView(QuestionnairePageMixin, View):
    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        questionnaire = visible_questionnaire(request, pk)
        form = ReferralForm(request.POST, may_assign=runs_programme(self.user))
        if form.is_valid():
            data = dict(form.cleaned_data)
            assigned_to = data.pop("assigned_to", None)
            try:
                referral = referral_add(questionnaire=questionnaire, by=self.user, data=data, assigned_to=assigned_to)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("“%(name)s” is on the prospect list of %(user)s: %(status)s.")
                    % {"name": referral.name, "user": referral.assigned_to, "status": referral.get_status_display()},
                )
                return redirect("vip_questionnaire_detail", questionnaire.pk)
        context = detail_context(request, pk, referral_form=form)
        return TemplateResponse(request, "vip/questionnaire_detail.html", context, status=400)
