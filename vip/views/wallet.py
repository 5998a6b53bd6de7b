"""htmx: the client's yearly purchases of a category, typed in "room to grow" (vip/services/wallet.py)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from crm.models import Client, ProductCategory
from crm.rules.wallet import wallet_share
from crm.selectors.wallet import category_sales_12m
from vip.services.wallet import questionnaire_wallet_record
from vip.views.access import QuestionnairePageMixin
from vip.views.questionnaires import visible_questionnaire


def _messages(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ".join(m for ms in exc.message_dict.values() for m in ms)
    return " ".join(exc.messages)


class QuestionnaireWalletView(QuestionnairePageMixin, View):
    """One category's figure as typed (`category_id` in the path), or a category added from the catalogue (`category`
    in the form: the page reloads to show its line). Answers the field's status: saved with our share, or the
    field message (200 for htmx, which swaps no 4xx; a plain POST redirects back with the message)."""

    def post(self, request: HttpRequest, pk: int, category_id: int | None = None) -> HttpResponse:
        questionnaire = visible_questionnaire(request, pk)
        adding = category_id is None
        raw_category = request.POST.get("category", "") if adding else str(category_id)
        category = ProductCategory.objects.filter(pk=int(raw_category)).first() if raw_category.isdigit() else None
        error, status, share, ours, total = "", 200, None, Decimal("0"), None
        if category is None:
            error, status = _("Choose a category of the catalogue."), 400
        else:
            try:
                row = questionnaire_wallet_record(
                    questionnaire=questionnaire, category=category, raw=request.POST.get("value", ""), by=self.user
                )
            except ValidationError as exc:
                error, status = _messages(exc), 400
            except PermissionDenied as exc:
                error, status = str(exc) or _("You may not fill this questionnaire."), 403
            else:
                if Client.objects.visible_to(self.user).filter(pk=questionnaire.client_id).exists():
                    ours = category_sales_12m(
                        user=self.user, client=questionnaire.client, as_of=questionnaire.meeting_date
                    ).get(category.pk, Decimal("0"))
                    total = row.yearly_amount
                    share = wallet_share(ours, total)
        if not request.headers.get("HX-Request"):
            if error:
                messages.error(request, error)
            return redirect(reverse("vip_questionnaire_detail", args=[questionnaire.pk]) + "#section-growth")
        response = TemplateResponse(
            request,
            "vip/_wallet_status.html",
            {"error": error, "share": share, "ours": ours, "total": total},
            status=200 if status == 400 else status,
        )
        if adding and not error:
            response["HX-Refresh"] = "true"
        return response
