"""The client card's form of a yearly purchases figure (source "card", crm/services/wallet.py): a plain POST from the
card's panel; a refused figure comes back on this page with its field errors and what was typed (400)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from core.access import RoleRequiredMixin
from crm.forms.people import add_service_errors
from crm.forms.wallet import ClientWalletForm
from crm.models import Client, ClientCategoryPurchase
from crm.services.wallet import client_category_purchase_record


class ClientWalletRecordView(RoleRequiredMixin, View):
    def client(self, pk: int) -> Client:
        return get_object_or_404(Client.objects.visible_to(self.user), pk=pk)

    def render(self, request: HttpRequest, client: Client, form: ClientWalletForm, status: int = 200) -> HttpResponse:
        return TemplateResponse(
            request, "crm/clients/wallet_form.html", {"client": client, "form": form}, status=status
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(request, self.client(pk), ClientWalletForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        client = self.client(pk)
        form = ClientWalletForm(request.POST)
        if form.is_valid():
            try:
                client_category_purchase_record(
                    client=client,
                    category=form.cleaned_data["category"],
                    yearly_amount=form.cleaned_data["yearly_amount"],
                    recorded_on=timezone.localdate(),
                    source=ClientCategoryPurchase.Source.CARD,
                    by=self.user,
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, _("The client's yearly purchases are recorded."))
                return redirect(reverse("client_detail", args=[client.pk]) + "#client-wallet")
        return self.render(request, client, form, status=400)
