"""Stock requests (DOMAIN.md section 4): recorded from the client card or after a call; the head's list by item and
client with the answers, the sellers' own requests on the same page, and its Excel."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from core.access import RoleRequiredMixin
from core.exports import Column, xlsx_response
from core.http import user_of
from crm.filters import StockRequestFilterSet
from crm.forms.people import add_service_errors
from crm.forms.stock import StockAnswerForm, StockFilterForm, StockRequestForm
from crm.models import Client, Product, StockRequest
from crm.selectors.stock import client_stock_requests, stock_export_rows, stock_groups, stock_request_rows
from crm.services.stock import may_request_for, stock_request_answer, stock_request_create
from crm.views.myday import safe_next

GROUPS = 30


class StockAccessMixin(RoleRequiredMixin):
    role_check = "works_in_sales"
    role_denied = gettext_lazy("Stock requests are for sales managers, team leads and the sales head.")


def filtered_requests(request: HttpRequest) -> tuple[StockFilterForm, QuerySet[StockRequest]]:
    """The requests the filters ask for, among those the user sees (`visible_to`); a bad filter is ignored."""
    user = user_of(request)
    visible = StockRequest.objects.visible_to(user)
    products = Product.objects.filter(pk__in=visible.filter(product__isnull=False).values("product_id")).order_by(
        "name", "id"
    )
    form = StockFilterForm(request.GET or None, by=user, products=products)
    return form, StockRequestFilterSet(form.params(), queryset=visible).qs


def query_without_page(request: HttpRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


class StockRequestListView(StockAccessMixin, View):
    """The head sees every request, grouped by item with totals, and answers; a seller sees his clients' requests
    with the head's answers."""

    def get(self, request: HttpRequest) -> HttpResponse:
        user = self.user
        filters, requests = filtered_requests(request)
        page, groups = stock_groups(requests=requests, per_page=GROUPS, page=request.GET.get("page"))
        context = {
            "filters": filters,
            "page": page,
            "groups": groups,
            "answers": user.is_head,
            "show_owner": user.sees_owners,
            "query": query_without_page(request),
            "next_url": request.get_full_path(),
        }
        return TemplateResponse(request, "crm/stock/stock_request_list.html", context)


class StockRequestAnswerView(StockAccessMixin, View):
    """GET: the request with the head's answer form; POST: the answer. A refused answer comes back with what was
    typed and why it was refused."""

    def get_request(self, pk: int) -> StockRequest:
        return get_object_or_404(stock_request_rows(StockRequest.objects.visible_to(self.user)), pk=pk)

    def render(self, stock_request: StockRequest, form: StockAnswerForm, status: int = 200) -> HttpResponse:
        context = {
            "stock_request": stock_request,
            "form": form,
            "answers": self.user.is_head,
            "show_owner": self.user.sees_owners,
            "next_url": safe_next(self.request, reverse("stock_request_list")),
        }
        return TemplateResponse(self.request, "crm/stock/stock_request_answer.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        stock_request = self.get_request(pk)
        initial = {"status": stock_request.status, "answer": stock_request.answer} if stock_request.is_answered else {}
        return self.render(stock_request, StockAnswerForm(initial=initial))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        stock_request = self.get_request(pk)
        if not self.user.is_head:
            raise PermissionDenied(_("Only the sales head answers stock requests."))
        form = StockAnswerForm(request.POST)
        if form.is_valid():
            try:
                answered = stock_request_answer(
                    by=self.user,
                    request=stock_request,
                    status=form.cleaned_data["status"],
                    answer=form.cleaned_data["answer"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("%(item)s for %(client)s: %(status)s.")
                    % {
                        "item": stock_request.item_label,
                        "client": stock_request.client.name,
                        "status": answered.get_status_display().lower(),
                    },
                )
                return redirect(safe_next(request, reverse("stock_request_list")))
        return self.render(stock_request, form, status=400)


class StockRequestCreateView(StockAccessMixin, View):
    """What the client would buy if we stocked it, recorded from its card or right after a call."""

    template_name = "crm/stock/stock_request_form.html"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if request.user.is_authenticated:
            user = user_of(request)
            self.client_obj = get_object_or_404(Client.objects.visible_to(user), pk=kwargs["pk"])
            if user.works_in_sales and not may_request_for(user, self.client_obj):
                raise PermissionDenied(_("You may not record stock requests for this client."))
        return super().dispatch(request, *args, **kwargs)

    def render(self, form: StockRequestForm, status: int = 200) -> HttpResponse:
        client = self.client_obj
        context = {
            "client": client,
            "form": form,
            "stock_requests": client_stock_requests(client=client, requests=StockRequest.objects.visible_to(self.user)),
            "next_url": safe_next(self.request, reverse("client_detail", args=[client.pk])),
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render(StockRequestForm())

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        form = StockRequestForm(request.POST)
        if form.is_valid():
            try:
                created = stock_request_create(by=self.user, client=self.client_obj, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
            else:
                message = _("The request is recorded: %(item)s. The sales head will answer it.")
                messages.success(request, message % {"item": created.item_label})
                return redirect(safe_next(request, reverse("client_detail", args=[self.client_obj.pk])))
        return self.render(form, status=400)


def _quantity(row: StockRequest) -> int | Decimal:
    """20, not 20.000: a whole number stays whole in Excel."""
    return int(row.quantity) if row.quantity == row.quantity.to_integral_value() else row.quantity.normalize()


STOCK_COLUMNS = [
    Column(gettext_lazy("Item"), lambda r: r.item_label, width=40),
    Column(gettext_lazy("SKU"), lambda r: r.product.sku if r.product else "", width=14),
    Column(
        gettext_lazy("Category"),
        lambda r: str(r.category or (r.product.category if r.product and r.product.category else "")),
        width=24,
    ),
    Column(gettext_lazy("Client"), lambda r: r.client.name, width=40),
    Column(gettext_lazy("INN"), lambda r: r.client.inn, width=14),
    Column(gettext_lazy("Manager"), lambda r: str(r.client.owner or ""), width=24),
    Column(gettext_lazy("Quantity"), lambda r: _quantity(r), width=12),
    Column(gettext_lazy("Unit"), lambda r: r.unit, width=8),
    Column(gettext_lazy("Recorded"), lambda r: r.created_at),
    Column(gettext_lazy("Recorded by"), lambda r: str(r.requested_by or ""), width=24),
    Column(gettext_lazy("Note"), lambda r: r.note, width=40),
    Column(gettext_lazy("Status"), lambda r: r.get_status_display(), width=16),
    Column(gettext_lazy("Answer"), lambda r: r.answer, width=40),
    Column(gettext_lazy("Answered by"), lambda r: str(r.answered_by or ""), width=24),
    Column(gettext_lazy("Answered"), lambda r: r.answered_at),
]


class StockRequestExportView(StockAccessMixin, View):
    """Every request the page's filters show (not only the groups on screen), one row each, in Excel."""

    def get(self, request: HttpRequest) -> HttpResponse:
        _filters, requests = filtered_requests(request)
        rows = stock_export_rows(requests)
        return xlsx_response(
            filename=f"stock-requests-{timezone.localdate():%Y-%m-%d}",
            title=_("Stock requests"),
            columns=STOCK_COLUMNS,
            rows=rows.iterator(chunk_size=2000),
        )
